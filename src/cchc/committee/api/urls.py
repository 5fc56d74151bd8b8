"""The committee API under ``/api/v1/committee/``."""

from cchc.common.api import Router

from . import views

router = Router()
router.register("committee/committees", views.CommitteeViewSet, basename="committee")
router.register("committee/meetings", views.MeetingViewSet, basename="committee-meeting")
router.register("committee/conclusions", views.ConclusionViewSet, basename="committee-conclusion")

urlpatterns: list = [*router.urls]
