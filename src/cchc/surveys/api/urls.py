"""The surveys API under ``/api/v1/surveys/``."""

from django.urls import path

from .results import CampaignResultsView

urlpatterns = [
    path(
        "surveys/campaigns/<str:code>/results/",
        CampaignResultsView.as_view(),
        name="surveys-campaign-results-api",
    ),
]
