"""The plans API under ``/api/v1/plans/``: plans and tasks (``plans.py``)."""

from cchc.common.api import Router

from . import plans

router = Router()
router.register("plans/tasks", plans.TaskViewSet, basename="plans-task")
router.register("plans", plans.PlanViewSet, basename="plans-plan")

urlpatterns: list = [*router.urls]
