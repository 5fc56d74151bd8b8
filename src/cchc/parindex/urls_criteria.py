"""PAR INDEX pages (chi-so-cchc/…); joined into one ``parindex`` namespace by ``hooks``.
Criteria sets (bộ tiêu chí): list, one set, XLSX import and export."""

from django.urls import path

from . import views_criteria

urlpatterns: list = [
    path("bo-tieu-chi/", views_criteria.criteria_sets, name="criteria_sets"),
    path("bo-tieu-chi/nhap/", views_criteria.criteria_import, name="criteria_import"),
    path("bo-tieu-chi/<int:pk>/", views_criteria.criteria_set, name="criteria_set"),
    path("bo-tieu-chi/<int:pk>/xuat/", views_criteria.criteria_export, name="criteria_export"),
]
