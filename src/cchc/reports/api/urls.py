"""Included by the project under ``/api/v1/``."""

from django.urls import path

from . import views

urlpatterns = [
    path("reports/period/", views.PeriodReportView.as_view(), name="api-report-period"),
    path(
        "reports/period/dossiers/",
        views.PeriodDossiersView.as_view(),
        name="api-report-period-dossiers",
    ),
]
