"""Periodic reform report pages (bao-cao-cchc/…), namespace ``reformreports``."""

from django.urls import path

from . import views

app_name = "reformreports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("tao/", views.report_create, name="create"),
    path("chua-bao-cao/", views.missing, name="missing"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/sua/", views.report_edit, name="edit"),
    path("<int:pk>/docx/", views.report_docx, name="docx"),
    path("<int:pk>/pdf/", views.report_pdf, name="pdf"),
    path("<int:pk>/<slug:action>/", views.report_act, name="act"),
]
