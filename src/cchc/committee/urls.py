"""Steering committee pages (ban-chi-dao/…), namespace ``committee``."""

from django.urls import path

from . import views

app_name = "committee"

urlpatterns = [
    path("", views.index, name="index"),
    path("thanh-lap/", views.committee_new, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.committee_act, name="act"),
    path("phien-hop/<int:pk>/", views.meeting, name="meeting"),
    path("phien-hop/<int:pk>/<slug:action>/", views.meeting_act, name="meeting_act"),
    path("ket-luan-chua-hoan-thanh/", views.open_conclusions, name="open_conclusions"),
    path("tep/<slug:kind>/<int:pk>/", views.download, name="download"),
]
