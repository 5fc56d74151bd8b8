"""The inspection's state machine and who may move it (``cchc.workflow.transitions``).

planned ──start──▶ in_progress ──close_record──▶ record_closed ──conclude──▶ concluded
──close_remediation──▶ remediated.

Practice (par-sipas-plan-sources §C3; docs/inspections.md): the team (đoàn kiểm tra, set up by a
decision) inspects and its secretary draws up the record (biên bản); the head of the team signs
the conclusion notice (thông báo kết luận); the inspected unit reports its remediation.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cchc.organisations.models import Role
from cchc.organisations.permissions import has_role
from cchc.workflow.transitions import TransitionTable, transition

from .errors import ActionForbidden, TransitionNotAllowed
from .models import InspectionStatus, TeamRole

ORGANISER_ROLES = (Role.REFORM_STAFF,)
# Who reads the plans and inspections of the organising unit (besides the team).
READER_ROLES = (Role.REFORM_STAFF, Role.LEADER, Role.AUDITOR, Role.SYSTEM_ADMIN)
# Who reports remediation for the responsible unit.
REMEDIATION_ROLES = (Role.PROCESSING_OFFICER, Role.LEADER, Role.REFORM_STAFF)


def team_role(actor, inspection, memo: dict | None = None) -> str | None:
    """The actor's seat on the inspection's team ("head", "member", "secretary") or None."""
    if not getattr(actor, "pk", None) or inspection.team_id is None:
        return None
    key = ("seat", inspection.team_id, actor.pk)
    if memo is not None and key in memo:
        return memo[key]
    role = (
        inspection.team.members.filter(user=actor).values_list("role", flat=True).first()
        if inspection.team_id
        else None
    )
    if memo is not None:
        memo[key] = role
    return role


def organises(actor, inspection) -> bool:
    return has_role(actor, list(ORGANISER_ROLES), inspection.plan.organiser)


def _on_team(actor, inspection, memo) -> bool:
    return team_role(actor, inspection, memo) is not None


def _head_or_secretary(actor, inspection, memo) -> bool:
    return team_role(actor, inspection, memo) in (TeamRole.HEAD, TeamRole.SECRETARY)


def _head(actor, inspection, memo) -> bool:
    return team_role(actor, inspection, memo) == TeamRole.HEAD


INSPECTION_TRANSITIONS = TransitionTable(
    (
        transition(
            "start",
            [InspectionStatus.PLANNED],
            _("start the inspection"),
            who=lambda actor, inspection, memo: (
                _on_team(actor, inspection, memo) or organises(actor, inspection)
            ),
        ),
        transition(
            "fill",
            [InspectionStatus.IN_PROGRESS],
            _("change the inspection record"),
            who=_on_team,
            offered=False,
        ),
        transition(
            "close_record",
            [InspectionStatus.IN_PROGRESS],
            _("close the inspection record"),
            who=_head_or_secretary,
        ),
        transition(
            "conclude",
            [InspectionStatus.RECORD_CLOSED],
            _("issue the conclusion notice"),
            who=_head,
        ),
        transition(
            "report",
            [InspectionStatus.CONCLUDED],
            _("report remediation"),
            roles=REMEDIATION_ROLES,
            unit="target",
            offered=False,
        ),
        transition(
            "close_remediation",
            [InspectionStatus.CONCLUDED],
            _("close the remediation"),
            who=lambda actor, inspection, memo: (
                _head(actor, inspection, memo) or organises(actor, inspection)
            ),
        ),
    ),
    status_message=_("Cannot %(action)s: the inspection is “%(status)s”."),
    error=TransitionNotAllowed,
    forbidden=ActionForbidden,
)
