"""PAR INDEX API: workflow (rounds, assessments, leaves, evidence, explanation requests) and
criteria sets."""

from cchc.common.api import Router

from . import criteria, workflow

router = Router()
router.register("parindex/rounds", workflow.RoundViewSet, basename="parindex-round")
router.register("parindex/assessments", workflow.AssessmentViewSet, basename="parindex-assessment")
router.register("parindex/leaves", workflow.LeafViewSet, basename="parindex-leaf")
router.register(
    "parindex/explanations", workflow.ExplanationViewSet, basename="parindex-explanation"
)
router.register("parindex/evidence", workflow.EvidenceViewSet, basename="parindex-evidence")
router.register(
    "parindex/criteria-sets", criteria.CriteriaSetViewSet, basename="parindex-criteria-set"
)

urlpatterns: list = [*router.urls]
