"""PAR INDEX API: workflow (rounds, assessments, leaves, explanation requests)."""

from cchc.common.api import Router

from . import workflow

router = Router()
router.register("parindex/rounds", workflow.RoundViewSet, basename="parindex-round")
router.register("parindex/assessments", workflow.AssessmentViewSet, basename="parindex-assessment")
router.register("parindex/leaves", workflow.LeafViewSet, basename="parindex-leaf")
router.register(
    "parindex/explanations", workflow.ExplanationViewSet, basename="parindex-explanation"
)

urlpatterns: list = [*router.urls]
