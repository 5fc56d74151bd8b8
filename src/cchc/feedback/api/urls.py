"""Feedback API; the lead includes this module under ``/api/v1/``."""

from django.urls import path

from cchc.common.api import Router

from . import views

router = Router()
router.register("feedback/officer", views.FeedbackViewSet, basename="feedback-officer")
router.register("feedback/public", views.PublicFeedbackViewSet, basename="feedback-public")

urlpatterns = [
    path("feedback/", views.SubmitView.as_view(), name="api-feedback-submit"),
    path("feedback/rate/", views.RateView.as_view(), name="api-feedback-rate"),
    *router.urls,
]
