"""PAR INDEX API: results."""

from django.urls import path

from .results import ResultsView

urlpatterns: list = [
    path("parindex/results/", ResultsView.as_view(), name="parindex-results-api"),
]
