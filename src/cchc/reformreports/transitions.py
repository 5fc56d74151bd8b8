"""The reform report's state machine, written once (``cchc.workflow.transitions``).

The unit's reform staff or processing officers draft the report; its leader approves it or
returns it to the draft with a reason. A role in a unit covers its subtree, so the province's
reform staff may also draft a department's report when asked to.
"""

from django.utils.translation import gettext_lazy as _

from cchc.organisations.models import Role
from cchc.workflow.transitions import TransitionTable, transition

from .errors import ActionForbidden, TransitionNotAllowed
from .models import ReportStatus as S

DRAFTERS = (Role.REFORM_STAFF, Role.PROCESSING_OFFICER)
APPROVERS = (Role.LEADER,)

REPORT_TRANSITIONS = TransitionTable(
    (
        transition("refresh", {S.DRAFT}, _("refresh the figures"), roles=DRAFTERS, unit="unit"),
        transition("edit", {S.DRAFT}, _("edit the report"), roles=DRAFTERS, unit="unit"),
        transition("submit", {S.DRAFT}, _("submit the report"), roles=DRAFTERS, unit="unit"),
        transition("approve", {S.SUBMITTED}, _("approve the report"), roles=APPROVERS, unit="unit"),
        transition("return", {S.SUBMITTED}, _("return the report"), roles=APPROVERS, unit="unit"),
    ),
    status_message=_("Cannot %(action)s: the report is “%(status)s”."),
    error=TransitionNotAllowed,
    forbidden=ActionForbidden,
)
