"""The plans API's reading part: ``/api/v1/plans/progress/``."""

from django.urls import path

from .progress import ProgressView

urlpatterns: list = [
    path("plans/progress/", ProgressView.as_view(), name="plans-progress-api"),
]
