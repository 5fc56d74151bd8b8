"""The PAR INDEX state machines and their roles, written once (``cchc.workflow.transitions``).

A round (kỳ đánh giá): draft → self-assessment → appraisal → decided → published. Each unit's
assessment: draft (the unit's offices score) → submitted (the leader's submission locks it; the
council appraises) → appraised (the council's decision) → published. Process: BNV CV 383/384
(28/01/2021) self-assessment approved by the unit's leadership; appraisal by a council (Hà Nội QĐ
4762/2024, Cần Thơ); publication by decision (docs/parindex.md, "Workflow").

The services guard with these tables and the pages list their buttons from them. Rules that read
more than the record's state (a council member's assigned fields, the round's phase for an
assessment) stay in the services.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cchc.organisations.models import Role
from cchc.organisations.permissions import has_role
from cchc.workflow.transitions import TransitionTable, transition

from .errors import ActionForbidden, TransitionNotAllowed
from .models import AssessmentStatus, CouncilRole, RoundStatus

# Any role but the read-only auditor may score the leaves its office answers for.
SCORING_ROLES = (Role.ONE_STOP_OFFICER, Role.PROCESSING_OFFICER, Role.LEADER, Role.REFORM_STAFF)
SUBMITTING_ROLES = (Role.LEADER,)
ORGANISER_ROLES = (Role.REFORM_STAFF,)


def council_seat(actor, round_, memo: dict | None = None):
    """The actor's seat on the round's council, or None."""
    if not getattr(actor, "pk", None):
        return None
    key = ("seat", round_.pk, actor.pk)
    if memo is not None and key in memo:
        return memo[key]
    seat = round_.council.filter(user=actor).first()
    if memo is not None:
        memo[key] = seat
    return seat


def _is_council_officer(actor, round_, memo) -> bool:
    """Chair or secretary of the round's council: they close the appraisal and publish."""
    seat = council_seat(actor, round_, memo)
    return seat is not None and seat.role in (CouncilRole.CHAIR, CouncilRole.SECRETARY)


def _runs_round(actor, round_, memo) -> bool:
    return has_role(actor, list(ORGANISER_ROLES), round_.organiser) or _is_council_officer(
        actor, round_, memo
    )


def _on_council(actor, assessment, memo) -> bool:
    return council_seat(actor, assessment.round, memo) is not None


ROUND_TRANSITIONS = TransitionTable(
    (
        transition(
            "open",
            [RoundStatus.DRAFT],
            _("open the self-assessment"),
            roles=ORGANISER_ROLES,
            unit="organiser",
        ),
        transition(
            "start_appraisal",
            [RoundStatus.SELF_ASSESSMENT],
            _("start the appraisal"),
            who=_runs_round,
        ),
        transition(
            "decide",
            [RoundStatus.APPRAISAL],
            _("close the appraisal with a decision"),
            who=lambda actor, round_, memo: _is_council_officer(actor, round_, memo),
        ),
        transition("publish", [RoundStatus.DECIDED], _("publish the results"), who=_runs_round),
    ),
    status_message=_("Cannot %(action)s: the round is “%(status)s”."),
    error=TransitionNotAllowed,
    forbidden=ActionForbidden,
)

ASSESSMENT_TRANSITIONS = TransitionTable(
    (
        # Offered per leaf to the leaf's responsible office (the service checks which office).
        transition(
            "score",
            [AssessmentStatus.DRAFT],
            _("change the self-assessment"),
            roles=SCORING_ROLES,
            unit="unit",
            offered=False,
        ),
        transition(
            "submit",
            [AssessmentStatus.DRAFT],
            _("submit the self-assessment"),
            roles=SUBMITTING_ROLES,
            unit="unit",
        ),
        transition(
            "reopen",
            [AssessmentStatus.SUBMITTED],
            _("return the self-assessment to the unit"),
            who=lambda actor, assessment, memo: has_role(
                actor, list(ORGANISER_ROLES), assessment.round.organiser
            ),
        ),
        transition(
            "appraise",
            [AssessmentStatus.SUBMITTED],
            _("appraise the self-assessment"),
            who=_on_council,
            offered=False,
        ),
        transition(
            "answer",
            [AssessmentStatus.SUBMITTED],
            _("answer the explanation request"),
            roles=SCORING_ROLES,
            unit="unit",
            offered=False,
        ),
    ),
    status_message=_("Cannot %(action)s: the self-assessment is “%(status)s”."),
    error=TransitionNotAllowed,
    forbidden=ActionForbidden,
)
