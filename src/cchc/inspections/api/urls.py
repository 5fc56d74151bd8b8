"""The inspections API under ``/api/v1/``."""

from cchc.common.api import Router

from . import views

router = Router()
router.register("inspections/plans", views.PlanViewSet, basename="inspections-plan")
router.register(
    "inspections/recommendations",
    views.RecommendationViewSet,
    basename="inspections-recommendation",
)
router.register("inspections/records", views.InspectionViewSet, basename="inspections-inspection")

urlpatterns: list = [*router.urls]
