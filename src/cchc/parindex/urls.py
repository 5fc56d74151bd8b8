"""PAR INDEX pages (chi-so-cchc/…); joined into one ``parindex`` namespace by ``hooks``.

This module: the start page, the rounds, the units' self-assessment and the leaves."""

from django.urls import path

from . import views

app_name = "parindex"

urlpatterns = [
    path("", views.home, name="home"),
    path("ky-danh-gia/tao/", views.round_create, name="round_create"),
    path("ky-danh-gia/<int:pk>/", views.round_detail, name="round_detail"),
    path("ky-danh-gia/<int:pk>/sua/", views.round_edit, name="round_edit"),
    path("ky-danh-gia/<int:pk>/thao-tac/<str:action>/", views.round_act, name="round_act"),
    path("tu-danh-gia/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path(
        "tu-danh-gia/<int:pk>/thao-tac/<str:action>/",
        views.assessment_act,
        name="assessment_act",
    ),
    path("tieu-chi/<int:pk>/", views.leaf_detail, name="leaf_detail"),
    path("tieu-chi/<int:pk>/thao-tac/<str:action>/", views.leaf_act, name="leaf_act"),
    path("minh-chung/<int:pk>/xoa/", views.evidence_remove, name="evidence_remove"),
    path("minh-chung/<int:pk>/tep/", views.evidence_file, name="evidence_file"),
]
