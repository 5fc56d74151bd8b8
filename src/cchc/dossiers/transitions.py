"""The dossier's state machine: from which statuses each action is allowed, and who is offered it.

Written once: ``services`` guards every action with :data:`TRANSITIONS` (the refusal names the
action and the dossier's status), and ``selectors.available_actions`` lists a page's buttons from
it. Statuses are the national portal's (TrangThaiHoSoId, ``models.Status``); the rules behind each
action are in the services' docstrings (Nghị định 118/2025/NĐ-CP, Thông tư 03/2025/TT-VPCP).

Who is offered an action: counter actions (accept or refuse an online dossier, a supplement asked
at that check, return the result, record a withdrawal) go to the one-stop officers of the
receiving unit or of the one-stop unit that receives for it (Nghị định 118/2025 Điều 15, 17;
``cchc.organisations.selectors.acts_at_counter``); processing actions to the officers of the
dossier's current unit, including the one-stop unit's officer for the authority it serves; a
leader's actions to the current unit's leaders. The services narrow some further (the current
step's role, a second supplement request needing a leader).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cchc.organisations.models import Role
from cchc.organisations.permissions import has_role
from cchc.organisations.selectors import acts_at_counter
from cchc.workflow.transitions import TransitionTable, transition

from .errors import ActionForbidden, TransitionNotAllowed
from .models import CLOCK_STATUSES, IN_HANDLING, Status

PROCESSING_ROLES = (Role.ONE_STOP_OFFICER, Role.PROCESSING_OFFICER, Role.LEADER)
LEADER = (Role.LEADER,)

RUNNING = CLOCK_STATUSES
# While in handling (models.IN_HANDLING) the dossier may be stopped, and a late one's apology
# letter (Mẫu 04) drafted and sent.
APOLOGY_STATUSES = IN_HANDLING
# The applicant may withdraw from submission until the result (NĐ 118/2025 Điều 21).
WITHDRAWABLE = (Status.SUBMITTED, *IN_HANDLING)


def _remembered(memo: dict, key, compute):
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def at_counter(user, dossier, memo: dict | None = None) -> bool:
    """The user acts at the counter for the dossier's receiving unit."""
    unit = dossier.receiving_unit
    return _remembered(
        {} if memo is None else memo, ("counter", unit.pk), lambda: acts_at_counter(user, unit)
    )


def processes(user, dossier, memo: dict) -> bool:
    """A processing role in the current unit, or the one-stop officer who serves that unit."""
    unit = dossier.current_unit
    if has_role(user, list(PROCESSING_ROLES), unit):
        return True
    return _remembered(memo, ("counter", unit.pk), lambda: acts_at_counter(user, unit))


def asks_supplement(user, dossier, memo: dict) -> bool:
    """At the counter's check of an online dossier, the counter; during processing, processors."""
    if dossier.status == Status.SUBMITTED:
        return at_counter(user, dossier, memo)
    return processes(user, dossier, memo)


TRANSITIONS = TransitionTable(
    (
        transition("accept", [Status.SUBMITTED], _("receive the dossier"), who=at_counter),
        transition("refuse_intake", [Status.SUBMITTED], _("refuse the dossier"), who=at_counter),
        transition(
            "request_supplement",
            [Status.SUBMITTED, *RUNNING],
            _("request a supplement"),
            who=asks_supplement,
        ),
        transition(
            "complete_supplement",
            [Status.SUPPLEMENT_REQUESTED],
            _("record the supplement"),
            who=processes,
        ),
        transition("forward", RUNNING, _("forward the dossier"), who=processes),
        transition("send_back", [Status.PROCESSING], _("send the dossier back"), who=processes),
        transition("reassign", RUNNING, _("reassign the dossier"), roles=LEADER),
        transition("hand_off", RUNNING, _("hand the dossier over"), who=processes),
        transition(
            "request_financial_obligation",
            [Status.PROCESSING],
            _("request a financial obligation"),
            who=processes,
        ),
        transition(
            "record_payment", [Status.FINANCIAL_OBLIGATION], _("record the payment"), who=processes
        ),
        transition("extend", RUNNING, _("extend the time limit"), roles=LEADER),
        transition("approve_result", RUNNING, _("approve the result"), roles=LEADER),
        transition("return_result", [Status.RESOLVED], _("return the result"), who=at_counter),
        transition("withdraw", WITHDRAWABLE, _("withdraw the dossier"), who=at_counter),
        transition("stop", IN_HANDLING, _("stop processing"), roles=LEADER),
        # Not buttons of the officer's page: the applicant submits their draft (the service checks
        # it is theirs), and the apology letter has its own form, offered when the dossier is late.
        transition("submit", [Status.DRAFT], _("submit"), offered=False),
        transition(
            "draft_apology",
            APOLOGY_STATUSES,
            _("draft an apology letter"),
            roles=PROCESSING_ROLES,
            offered=False,
        ),
        transition(
            "approve_apology",
            APOLOGY_STATUSES,
            _("approve the apology letter"),
            roles=LEADER,
            offered=False,
        ),
    ),
    status_message=_("Cannot %(action)s: the dossier is “%(status)s”."),
    error=TransitionNotAllowed,
    forbidden=ActionForbidden,
)
