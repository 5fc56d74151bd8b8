"""Every write to a dossier, each checking state, actor and input, then appending an event.

Rules and their sources:
- Receipt outcomes (receive / request a supplement / refuse) and the forms that go with them:
  Thông tư 01/2018/TT-VPCP and Thông tư 03/2025/TT-VPCP (Mẫu 01, 02, 03).
- A supplement may be requested only once (Nghị định 118/2025/NĐ-CP, Điều 11): a second request
  needs a unit leader and the dossier then counts as late (the 766 on-time rule treats it so too).
- Supplement time and time waiting for financial obligations do not count: the clock stops and the
  due time moves by the paused working time (ADR 0002).
- Withdrawal and stopping: Nghị định 118/2025, Điều 21; Thông tư 03/2025 Mẫu 05.

Concurrency: each action locks the dossier row (``select_for_update``) inside one transaction and
re-checks the state after the lock, so of two officers acting at once one wins and the other is told
what happened. ``expected_version`` refuses an action based on a stale page; the actions that move
a deadline (``DEADLINE_ACTIONS``) require it, so two clients acting from the same state cannot both
succeed. Rules that allow an action once (one extension, one apology, one supplement request during
processing, one rating) are read from the locked row.
Times are always the server's (``timezone.now()``): no action takes a time from its caller.

The lock, the version, the guards, the sealed events and the code counter are the workflow kit's
(``cchc.workflow``); which action is allowed from which status is ``transitions.TRANSITIONS``, the
table the selectors list the page's actions from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.catalog.models import Procedure, WorkflowStep
from cchc.catalog.selectors import handles
from cchc.conf import BY_NAME, conf
from cchc.history import registry
from cchc.history import services as history
from cchc.organisations.models import OrganisationUnit, Role
from cchc.organisations.permissions import has_role
from cchc.organisations.selectors import acts_at_counter, receiving_unit_for
from cchc.workdays import services as workdays
from cchc.workdays.engine import Pause, Rule, TimeLimit
from cchc.workflow import guards
from cchc.workflow.history import record_event
from cchc.workflow.locking import locked, save_new_version
from cchc.workflow.sequences import reserve_numbers

from .errors import ActionForbidden, DossierError, StaleDossier, TransitionNotAllowed
from .events import dossier_changed
from .models import (
    CLOCK_STATUSES,
    ApplicantKind,
    Channel,
    DailySequence,
    Dossier,
    DossierComponent,
    DossierEvent,
    DossierPause,
    IdType,
    OnlineMode,
    Outcome,
    PauseKind,
    ReturnMethod,
    Status,
)
from .transitions import APOLOGY_STATUSES, PROCESSING_ROLES, TRANSITIONS

DEFAULT_CODE_FORMAT = BY_NAME["CCHC_DOSSIER_CODE_FORMAT"].default
# The largest daily number of a dossier code: six digits, far beyond any unit's day and far below
# the counter column's 2**31 - 1. Imported codes above it are refused (docs/dossier-import.md).
MAX_DAILY_SEQUENCE = 999_999
CODE_PROBE = 50  # numbers checked per query when a code is already taken


# -- codes ---------------------------------------------------------------------------------------
def allocate_code(unit: OrganisationUnit, moment: datetime) -> str:
    """Next dossier code of ``unit`` for the local day of ``moment``.

    Format (Thông tư 01/2018/TT-VPCP Điều 19; kept by Thông tư 03/2025 Điều 13): the unit's
    identifier, the reception date YYMMDD and a daily sequence of at least 4 digits, e.g.
    ``000.00.31.H99-250124-0007``; configurable through ``CCHC_DOSSIER_CODE_FORMAT``. The counter
    row is locked while incremented, so concurrent intake never issues the same number twice.

    The daily number never passes ``MAX_DAILY_SEQUENCE``: a counter at the maximum is a clear
    ``DossierError``, never a database overflow. A number whose code already exists (a dossier
    imported from another system under a unit created here later) is skipped, and the counter
    moves past it, so a code is never issued twice.
    """
    day = timezone.localtime(moment).date()
    fmt = conf.DOSSIER_CODE_FORMAT
    # One statement, atomic on PostgreSQL and SQLite alike: create the day's counter or bump it,
    # unless it is at the maximum (then nothing is reserved).
    numbers = reserve_numbers(
        DailySequence, {"unit": unit.pk, "day": day}, maximum=MAX_DAILY_SEQUENCE
    )
    if numbers is None:
        raise _sequence_exhausted(unit, day)
    value = numbers[-1]
    code = fmt.format(unit=unit.code, date=day, seq=value)
    if not Dossier.objects.filter(code=code).exists():
        return code
    # Taken (rare): the first free number after it, then the counter moves there. The counter row
    # stays locked by the upsert until commit, so no concurrent intake picks the same one.
    while value < MAX_DAILY_SEQUENCE:
        numbers = range(value + 1, min(value + CODE_PROBE, MAX_DAILY_SEQUENCE) + 1)
        candidates = {fmt.format(unit=unit.code, date=day, seq=n): n for n in numbers}
        taken = set(
            Dossier.objects.filter(code__in=list(candidates)).values_list("code", flat=True)
        )
        free = next((c for c, n in candidates.items() if c not in taken), None)
        if free is not None:
            DailySequence.objects.filter(unit=unit, day=day).update(last_value=candidates[free])
            return free
        value = numbers[-1]
    DailySequence.objects.filter(unit=unit, day=day).update(last_value=MAX_DAILY_SEQUENCE)
    raise _sequence_exhausted(unit, day)


def _sequence_exhausted(unit: OrganisationUnit, day: date) -> DossierError:
    return DossierError(
        _(
            "Unit %(unit)s has issued the largest daily dossier number (%(max)s) for %(day)s: "
            "no more dossier codes can be issued that day."
        )
        % {"unit": unit.code, "max": MAX_DAILY_SEQUENCE, "day": day.strftime("%d/%m/%Y")},
        "code",
    )


# -- history -------------------------------------------------------------------------------------
def _step_label(step: WorkflowStep | None) -> str:
    return f"{step.order + 1}. {step.name}" if step else ""


def append_event(
    dossier: Dossier,
    actor,
    action: str,
    *,
    status_before: int | None,
    step_before: str = "",
    note: str = "",
    data: dict | None = None,
    first: bool = False,
) -> DossierEvent:
    """Append one sealed event to the dossier's history (call inside the action's transaction).

    ``dossier`` is the row read under its lock (or just created: ``first``); its chain head gives
    the sequence and previous seal, and moves with the event (``cchc.history.services.append``).
    """
    event = DossierEvent(
        action=action,
        step_before=step_before,
        step_after=_step_label(dossier.current_step),
        unit=dossier.current_unit.name,
    )
    record_event(dossier, event, actor, status_before=status_before, note=note, data=data)
    # Every change of a dossier goes through here: the subscribers (statistics, notifications)
    # act in this transaction, so the statistics are exact at commit (ADR 0005).
    dossier_changed.publish(dossier=dossier, event=event, created=first)
    return event


def verify_chain(dossier: Dossier) -> history.Problem | None:
    """The first break in one dossier's history, or None when it is intact."""
    return history.verify_owner(registry.get("dossiers"), dossier)


# -- checks --------------------------------------------------------------------------------------
def _require_role(actor, roles: Iterable[str], unit: OrganisationUnit) -> None:
    guards.require_role(actor, roles, unit, error=ActionForbidden)


def _locked(dossier_id: int, expected_version: int | None, *, required: bool = False) -> Dossier:
    """The dossier's row, locked until the transaction ends; every rule is checked on it after.

    ``required``: the action moves a deadline (due time or appointment), so the caller must say
    which version it acted on; two clients acting from the same state cannot both succeed.
    """
    return locked(
        Dossier.objects.select_related(
            "procedure", "receiving_unit", "current_unit", "current_step"
        ),
        dossier_id,
        expected_version,
        stale_error=StaleDossier(
            _("Someone else has just updated this dossier. Reload the page and check again.")
        ),
        required=required,
        unversioned_error=DossierError(
            _("Send the version of the dossier you acted on: this action changes its deadlines."),
            "version",
        ),
    )


# Actions that move the due time or the appointment: their callers must send ``expected_version``.
DEADLINE_ACTIONS = (
    "request_supplement",
    "complete_supplement",
    "request_financial_obligation",
    "record_payment",
    "extend",
    "draft_apology",
    "approve_apology",
)


def _add_working_hours(dossier: Dossier, start: datetime, hours) -> datetime:
    minutes = round(float(hours) * 60)
    return workdays.add_working_minutes(start, minutes, dossier.receiving_unit)


def _workflow(dossier: Dossier) -> list[WorkflowStep]:
    return list(dossier.procedure.workflow_steps.order_by("order", "id"))


def _enter_step(dossier: Dossier, step: WorkflowStep | None, handler=None) -> None:
    dossier.current_step = step
    dossier.current_handler = handler
    if step is None:
        dossier.step_due_at = None
        return
    if step.responsible_unit_id:
        dossier.current_unit = step.responsible_unit
    dossier.step_due_at = _add_working_hours(dossier, timezone.now(), step.hours)


# -- intake --------------------------------------------------------------------------------------
@dataclass
class Applicant:
    kind: str
    name: str
    id_type: str
    id_number: str
    birth_date: date | None = None
    phone: str = ""
    email: str = ""
    address: str = ""
    representative_name: str = ""
    representative_id_number: str = ""
    representative_phone: str = ""
    authorisation_document: str = ""

    def validate(self) -> None:
        if self.kind not in ApplicantKind.values:
            raise DossierError(_("Choose an individual or an organisation."), "applicant_kind")
        if not self.name.strip():
            raise DossierError(_("Enter the applicant's name."), "applicant_name")
        if self.id_type not in IdType.values:
            raise DossierError(_("Choose the type of identity document."), "applicant_id_type")
        number = self.id_number.strip()
        if not number:
            raise DossierError(_("Enter the identity document number."), "applicant_id_number")
        if self.id_type == IdType.CITIZEN_ID and not (number.isdigit() and len(number) == 12):
            raise DossierError(
                _("A citizen identity number has exactly 12 digits."), "applicant_id_number"
            )
        phone = self.phone.replace(" ", "").replace(".", "")
        if phone and not (phone.lstrip("+").isdigit() and 9 <= len(phone.lstrip("+")) <= 12):
            raise DossierError(_("Enter a valid phone number."), "applicant_phone")
        if self.birth_date and self.birth_date > timezone.localdate():
            raise DossierError(_("The date of birth cannot be in the future."), "birth_date")

    def fields(self) -> dict:
        return {
            "applicant_kind": self.kind,
            "applicant_name": self.name.strip(),
            "applicant_id_type": self.id_type,
            "applicant_id_number": self.id_number.strip(),
            "applicant_birth_date": self.birth_date,
            "applicant_phone": self.phone.strip(),
            "applicant_email": self.email.strip(),
            "applicant_address": self.address.strip(),
            "representative_name": self.representative_name.strip(),
            "representative_id_number": self.representative_id_number.strip(),
            "representative_phone": self.representative_phone.strip(),
            "authorisation_document": self.authorisation_document.strip(),
        }


def _check_variant(procedure: Procedure, variant) -> None:
    if variant is not None and variant.procedure_id != procedure.pk:
        raise DossierError(_("This case does not belong to the procedure."), "variant")


def _check_procedure(procedure: Procedure, unit: OrganisationUnit, channel: int) -> None:
    if not procedure.active:
        raise DossierError(_("This procedure is no longer in force."), "procedure")
    if channel == Channel.ONLINE and not procedure.channel_online:
        raise DossierError(_("This procedure cannot be submitted online."), "procedure")
    if channel == Channel.POSTAL and not procedure.channel_postal:
        raise DossierError(_("This procedure cannot be submitted by post."), "procedure")
    if not unit.active:
        raise DossierError(_("This unit does not receive dossiers."), "unit")
    if not handles(unit, procedure):  # the catalog's rule, the same for every channel
        raise DossierError(
            _("This unit does not handle this procedure: choose a unit the catalog lists for it."),
            "unit",
        )


def _checked_components(procedure: Procedure, components: Iterable[dict]) -> list[dict]:
    """The documents handed in, each one of the procedure's components or named by the officer.

    A ``required_id`` that is not a component of this procedure is refused (it would be stored
    without a name); an extra document outside the procedure's list must carry its name.
    """
    items = list(components)
    if not items:
        return items
    known = {component.pk: component for component in procedure.components.all()}
    checked = []
    for item in items:
        required_id = item.get("required_id")
        if required_id is not None:
            source = known.get(required_id)
            if source is None:
                raise DossierError(
                    _("Document %(id)s is not a component of this procedure.")
                    % {"id": required_id},
                    "components",
                )
            checked.append({**item, "source": source})
        elif not str(item.get("name") or "").strip():
            raise DossierError(
                _("Give the name of each document that is not on the procedure's list."),
                "components",
            )
        else:
            checked.append({**item, "name": str(item["name"]).strip(), "source": None})
    return checked


def _add_components(dossier: Dossier, components: list[dict]) -> None:
    """Store documents already checked by :func:`_checked_components`."""
    # Remembered for the statistics of this transaction (no second look-up of the components).
    dossier.components_digitised = False
    rows = []
    for item in components:
        dossier.components_digitised |= bool(item.get("digitised") or item.get("file"))
        source = item["source"]
        rows.append(
            DossierComponent(
                dossier=dossier,
                required=source,
                name=str(item.get("name") or "").strip() or source.name,
                originals=item.get("originals", source.originals if source else 0),
                copies=item.get("copies", source.copies if source else 0),
                file=item.get("file") or "",
                digitised=bool(item.get("digitised") or item.get("file")),
            )
        )
    DossierComponent.objects.bulk_create(rows)  # uploaded files are stored by the field as usual


def _fee_for(procedure: Procedure, channel: int) -> int:
    wanted = {Channel.COUNTER: "counter", Channel.ONLINE: "online", Channel.POSTAL: "postal"}
    fees = list(procedure.fees.all())
    specific = [fee.amount for fee in fees if fee.channel == wanted[Channel(channel)]]
    general = [fee.amount for fee in fees if fee.channel == "all"]
    return (specific or general or [0])[0]


def _start_clock(dossier: Dossier) -> None:
    now = timezone.now()
    deadline = workdays.compute_deadline(now, dossier.time_limit(), dossier.receiving_unit)
    dossier.received_at = now
    dossier.effective_received_at = deadline.effective_received
    dossier.due_at = deadline.due
    dossier.appointment_at = dossier.due_at


@transaction.atomic
def receive_at_counter(
    actor,
    unit: OrganisationUnit,
    procedure: Procedure,
    applicant: Applicant,
    components: Iterable[dict] = (),
    channel: int = Channel.COUNTER,
    note: str = "",
    variant=None,
) -> Dossier:
    """A complete, valid dossier handed in at the counter or by post: received at once (Mẫu 01)."""
    _require_role(actor, [Role.ONE_STOP_OFFICER], unit)
    if channel not in (Channel.COUNTER, Channel.POSTAL):
        raise DossierError(_("Counter intake takes counter or postal dossiers."), "channel")
    _check_procedure(procedure, unit, channel)
    _check_variant(procedure, variant)
    applicant.validate()
    components = _checked_components(procedure, components)
    now = timezone.now()
    dossier = Dossier(
        code=allocate_code(unit, now),
        receiving_unit=unit,
        current_unit=unit,
        procedure=procedure,
        variant=variant,
        channel=channel,
        status=Status.RECEIVED,
        submitted_at=now,
        fee_amount=_fee_for(procedure, channel),
        version=1,
        **applicant.fields(),
    )
    _start_clock(dossier)
    steps = _workflow(dossier)
    _enter_step(dossier, steps[0] if steps else None, actor if steps else None)
    dossier.save(force_insert=True)  # one INSERT with the clock and first step already set
    _add_components(dossier, components)
    append_event(dossier, actor, "received", status_before=None, note=note, first=True)
    return dossier


@transaction.atomic
def create_draft(
    applicant_user,
    unit: OrganisationUnit,
    procedure: Procedure,
    applicant: Applicant,
    online_mode: str = OnlineMode.FULL,
    variant=None,
) -> Dossier:
    """An online dossier being prepared by the applicant (not yet submitted).

    ``unit`` is the authority the applicant addresses (or a one-stop unit); the dossier is received
    by the one-stop unit that receives for it, where counter and postal dossiers of that authority
    are received too (``cchc.organisations.selectors.receiving_unit_for``).
    """
    _check_procedure(procedure, unit, Channel.ONLINE)
    unit = receiving_unit_for(unit)
    _check_variant(procedure, variant)
    applicant.validate()
    if online_mode not in OnlineMode.values:
        raise DossierError(_("Choose fully or partly online."), "online_mode")
    dossier = Dossier.objects.create(
        receiving_unit=unit,
        current_unit=unit,
        procedure=procedure,
        channel=Channel.ONLINE,
        online_mode=online_mode,
        variant=variant,
        status=Status.DRAFT,
        applicant_user=applicant_user if getattr(applicant_user, "pk", None) else None,
        fee_amount=_fee_for(procedure, Channel.ONLINE),
        **applicant.fields(),
    )
    append_event(dossier, applicant_user, "draft_created", status_before=None, first=True)
    return dossier


@transaction.atomic
def attach_to_draft(dossier_id: int, actor, required_id: int, upload) -> DossierComponent:
    """The applicant attaches one of the procedure's documents to a draft.

    Checked on the locked row: nothing is added to a dossier submitted at the same moment.
    """
    dossier = _locked(dossier_id, None)
    if dossier.applicant_user_id and getattr(actor, "pk", None) != dossier.applicant_user_id:
        raise ActionForbidden(_("Only the applicant can change this draft."))
    required = dossier.procedure.components.filter(pk=required_id).first()
    if required is None:
        raise DossierError(_("This document is not part of the procedure."), "required_id")
    if dossier.status != Status.DRAFT:
        raise TransitionNotAllowed(_("Documents can be added only while the dossier is a draft."))
    return DossierComponent.objects.create(
        dossier=dossier, required=required, name=required.name, file=upload, digitised=True
    )


@transaction.atomic
def submit_online(dossier_id: int, actor, expected_version: int | None = None) -> Dossier:
    """Submit a draft: it gets its code and waits for the counter's check (status 1)."""
    dossier = _locked(dossier_id, expected_version)
    if dossier.applicant_user_id and getattr(actor, "pk", None) != dossier.applicant_user_id:
        raise ActionForbidden(_("Only the applicant can submit this draft."))
    TRANSITIONS.check(dossier, "submit")
    missing = [
        component.name
        for component in dossier.procedure.components.filter(mandatory=True)
        if not dossier.components.filter(required=component).exclude(file="").exists()
    ]
    if missing:
        raise DossierError(
            _("Attach every mandatory document first: %(names)s") % {"names": "; ".join(missing)},
            "components",
        )
    now = timezone.now()
    dossier.code = allocate_code(dossier.receiving_unit, now)
    dossier.submitted_at = now
    dossier.status = Status.SUBMITTED
    save_new_version(dossier)
    append_event(dossier, actor, "submitted", status_before=Status.DRAFT)
    return dossier


@transaction.atomic
def accept(dossier_id: int, actor, expected_version: int | None = None, note: str = "") -> Dossier:
    """The counter accepts an online dossier as complete and valid: the clock starts now."""
    dossier = _locked(dossier_id, expected_version)
    TRANSITIONS.require(actor, dossier, "accept")
    TRANSITIONS.check(dossier, "accept")
    _start_clock(dossier)
    dossier.status = Status.RECEIVED
    steps = _workflow(dossier)
    _enter_step(dossier, steps[0] if steps else None, actor if steps else None)
    save_new_version(dossier)
    append_event(dossier, actor, "received", status_before=Status.SUBMITTED, note=note)
    return dossier


@transaction.atomic
def refuse_intake(dossier_id: int, actor, reason: str, expected_version: int | None = None):
    """Not received (Mẫu 03): not within the unit's competence or not eligible, with a reason."""
    dossier = _locked(dossier_id, expected_version)
    TRANSITIONS.require(actor, dossier, "refuse_intake")
    TRANSITIONS.check(dossier, "refuse_intake")
    _require_reason(reason)
    dossier.status = Status.NOT_RECEIVED
    dossier.close_reason = reason.strip()
    dossier.closed_at = timezone.now()
    save_new_version(dossier)
    append_event(dossier, actor, "refused", status_before=Status.SUBMITTED, note=reason.strip())
    return dossier


def _require_reason(reason: str) -> None:
    if not (reason or "").strip():
        raise DossierError(_("Give the reason."), "reason")


# -- clock stops ---------------------------------------------------------------------------------
def _open_pause(dossier: Dossier, kind: str, reason: str, applicant_due_at=None) -> DossierPause:
    dossier.pause_count += 1
    return DossierPause.objects.create(
        dossier=dossier,
        kind=kind,
        started_at=timezone.now(),
        applicant_due_at=applicant_due_at,
        reason=reason,
    )


def _close_pause(dossier: Dossier, kind: str) -> int:
    """End the open pause of ``kind``; push the due time by its working time. Returns minutes."""
    pause = dossier.pauses.filter(kind=kind, ended_at__isnull=True).order_by("-started_at").first()
    if pause is None:
        return 0
    pause.ended_at = timezone.now()
    pause.save(update_fields=["ended_at"])
    if dossier.due_at is None:
        return 0
    unit = dossier.receiving_unit
    minutes = workdays.working_minutes_between(pause.started_at, pause.ended_at, unit)
    if minutes > 0:
        moved_due = workdays.add_working_minutes(dossier.due_at, minutes, unit)
        if dossier.appointment_at == dossier.due_at:
            dossier.appointment_at = moved_due
        dossier.due_at = moved_due
    return minutes


@transaction.atomic
def request_supplement(
    dossier_id: int,
    actor,
    items: str,
    reason: str,
    answer_within_days: int = 10,
    *,
    expected_version: int | None,
) -> Dossier:
    """Ask the applicant to supplement the dossier (Mẫu 02); the clock stops meanwhile.

    Allowed at the counter's check of an online dossier, and once during processing
    (NĐ 118/2025 Điều 11). A second request during processing needs a unit leader, and the dossier
    then counts as late whatever the times. The count is read from the locked row.
    """
    dossier = _locked(dossier_id, expected_version, required=True)
    TRANSITIONS.check(dossier, "request_supplement")
    if not (items or "").strip():
        raise DossierError(_("List what the applicant must supplement."), "items")
    _require_reason(reason)
    if not 1 <= answer_within_days <= 60:
        raise DossierError(_("The applicant's time must be 1 to 60 working days."), "days")
    during_processing = dossier.status in CLOCK_STATUSES
    if dossier.status == Status.SUBMITTED:
        TRANSITIONS.require(actor, dossier, "request_supplement")  # the counter's check
    elif dossier.supplement_count >= 1:
        if not has_role(actor, [Role.LEADER], dossier.current_unit):
            raise ActionForbidden(
                _(
                    "A supplement has already been requested once. A second request needs the "
                    "unit leader and makes the dossier late."
                )
            )
        dossier.late_by_rule = True
    else:
        _require_role(
            actor,
            [Role.ONE_STOP_OFFICER, Role.PROCESSING_OFFICER, Role.LEADER],
            dossier.current_unit,
        )
    applicant_due = workdays.compute_deadline(
        timezone.now(), TimeLimit(Rule.WORKING_DAYS, answer_within_days), dossier.receiving_unit
    ).due
    status_before = dossier.status
    if during_processing:
        dossier.supplement_count += 1
        _open_pause(dossier, PauseKind.SUPPLEMENT, reason.strip(), applicant_due)
    dossier.status = Status.SUPPLEMENT_REQUESTED
    save_new_version(dossier)
    append_event(
        dossier,
        actor,
        "supplement_requested",
        status_before=status_before,
        note=reason.strip(),
        data={
            "items": items.strip(),
            "answer_by": applicant_due.isoformat(),
            "during_processing": during_processing,
            "resume_status": status_before,
        },
    )
    return dossier


@transaction.atomic
def complete_supplement(
    dossier_id: int, actor, components: Iterable[dict] = (), *, expected_version: int | None
) -> Dossier:
    """The applicant has supplemented: the clock resumes and the due time moves by the pause."""
    dossier = _locked(dossier_id, expected_version, required=True)
    TRANSITIONS.check(dossier, "complete_supplement")
    is_applicant = dossier.applicant_user_id and getattr(actor, "pk", None) == (
        dossier.applicant_user_id
    )
    if not is_applicant:
        _require_role(
            actor,
            [Role.ONE_STOP_OFFICER, Role.PROCESSING_OFFICER, Role.LEADER],
            dossier.current_unit,
        )
    components = _checked_components(dossier.procedure, components)
    request = dossier.events.filter(action="supplement_requested").order_by("-sequence").first()
    resume = Status(request.data.get("resume_status", Status.SUBMITTED)) if request else None
    minutes = _close_pause(dossier, PauseKind.SUPPLEMENT)
    _add_components(dossier, components)
    dossier.status = resume or Status.SUBMITTED
    save_new_version(dossier)
    append_event(
        dossier,
        actor,
        "supplement_completed",
        status_before=Status.SUPPLEMENT_REQUESTED,
        data={"paused_minutes": minutes},
    )
    return dossier


# -- processing ----------------------------------------------------------------------------------


def _require_processor(actor, dossier: Dossier) -> None:
    roles = [dossier.current_step.role] if dossier.current_step else list(PROCESSING_ROLES)
    if Role.LEADER not in roles:
        roles.append(Role.LEADER)  # a leader may act for any step of the unit
    if Role.ONE_STOP_OFFICER in roles and acts_at_counter(actor, dossier.current_unit):
        return  # the one-stop unit's officer does the one-stop steps of the authority it serves
    _require_role(actor, roles, dossier.current_unit)


def next_step(dossier: Dossier) -> WorkflowStep | None:
    """The workflow step a forward would enter (None: the current one is the last)."""
    steps = _workflow(dossier)
    current = getattr(dossier.current_step, "pk", None)
    index = next((i for i, step in enumerate(steps) if step.pk == current), -1)
    return steps[index + 1] if index + 1 < len(steps) else None


def step_unit(dossier: Dossier, step: WorkflowStep) -> OrganisationUnit:
    """The unit a step is done in: its responsible unit, else the dossier's current unit."""
    return step.responsible_unit if step.responsible_unit_id else dossier.current_unit


def handler_candidates(dossier: Dossier, step: WorkflowStep | None):
    """The officers a step may be given to (the forward and reassign lists, and their check).

    Active users holding the step's role (chuyên viên for a processing step, lãnh đạo for a signing
    step, cán bộ một cửa for a counter step), with an active assignment at the step's unit or a unit
    above it (a role covers the units below). Read-only inspectors, reform staff and system
    administrators hold none of these roles; superusers are never offered either, because their
    access to everything is for administration, not casework.
    """
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    if step is None:
        return users.none()
    roles = [step.role] if step.role in PROCESSING_ROLES else []
    unit = step_unit(dossier, step)
    paths = [unit.path, *(ancestor.path for ancestor in unit.ancestors())]
    return (
        users.filter(
            is_active=True,
            is_superuser=False,
            role_assignments__active=True,
            role_assignments__role__in=roles,
            role_assignments__unit__active=True,
            role_assignments__unit__path__in=paths,
        )
        .distinct()
        .order_by("full_name", "username")
    )


def _require_handler(dossier: Dossier, step: WorkflowStep | None, handler) -> None:
    if handler is not None and not handler_candidates(dossier, step).filter(pk=handler.pk).exists():
        raise DossierError(_("Choose an officer who handles this step in its unit."), "handler")


@transaction.atomic
def forward(
    dossier_id: int,
    actor,
    handler=None,
    note: str = "",
    expected_version: int | None = None,
) -> Dossier:
    """Hand the dossier to the next step of the procedure's internal workflow."""
    dossier = _locked(dossier_id, expected_version)
    TRANSITIONS.check(dossier, "forward")
    _require_processor(actor, dossier)
    steps = _workflow(dossier)
    current = dossier.current_step
    index = next((i for i, step in enumerate(steps) if step.pk == getattr(current, "pk", None)), -1)
    if index + 1 >= len(steps):
        raise TransitionNotAllowed(
            _("This is the last step: approve the result or return it instead.")
        )
    _require_handler(dossier, steps[index + 1], handler)
    step_before = _step_label(current)
    status_before = dossier.status
    _enter_step(dossier, steps[index + 1], handler)
    dossier.status = Status.PROCESSING
    save_new_version(dossier)
    append_event(
        dossier,
        actor,
        "forwarded",
        status_before=status_before,
        step_before=step_before,
        note=note,
        data={"handler": getattr(handler, "username", "")},
    )
    return dossier


@transaction.atomic
def send_back(
    dossier_id: int, actor, to_step: WorkflowStep, note: str, expected_version: int | None = None
) -> Dossier:
    """Return the dossier to an earlier step (e.g. the leader sends a draft back)."""
    dossier = _locked(dossier_id, expected_version)
    TRANSITIONS.check(dossier, "send_back")
    _require_processor(actor, dossier)
    _require_reason(note)
    current = dossier.current_step
    if (
        to_step.procedure_id != dossier.procedure_id
        or current is None
        or ((to_step.order, to_step.pk) >= (current.order, current.pk))
    ):
        raise DossierError(_("Choose an earlier step of this procedure."), "step")
    step_before = _step_label(current)
    _enter_step(dossier, to_step, None)
    save_new_version(dossier)
    append_event(
        dossier,
        actor,
        "sent_back",
        status_before=Status.PROCESSING,
        step_before=step_before,
        note=note.strip(),
    )
    return dossier


@transaction.atomic
def reassign(dossier_id: int, actor, handler, expected_version: int | None = None) -> Dossier:
    """A leader gives the current step to another officer of the unit."""
    dossier = _locked(dossier_id, expected_version)
    TRANSITIONS.check(dossier, "reassign")
    TRANSITIONS.require(actor, dossier, "reassign")
    if not has_role(handler, list(PROCESSING_ROLES), dossier.current_unit):
        raise DossierError(_("That officer does not work in this unit."), "handler")
    if dossier.current_step is not None:
        _require_handler(dossier, dossier.current_step, handler)
    dossier.current_handler = handler
    save_new_version(dossier)
    append_event(
        dossier,
        actor,
        "reassigned",
        status_before=dossier.status,
        step_before=_step_label(dossier.current_step),
        data={"handler": handler.username},
    )
    return dossier


@transaction.atomic
def hand_off(
    dossier_id: int,
    actor,
    unit: OrganisationUnit,
    hours,
    note: str = "",
    expected_version: int | None = None,
) -> Dossier:
    """Inter-agency hand-off (liên thông): another unit takes the dossier for its share of time."""
    dossier = _locked(dossier_id, expected_version)
    TRANSITIONS.check(dossier, "hand_off")
    _require_processor(actor, dossier)
    if unit.pk == dossier.current_unit_id or not unit.active:
        raise DossierError(_("Choose another, active unit."), "unit")
    try:
        hours_value = float(hours)
    except (TypeError, ValueError):
        hours_value = 0
    if hours_value <= 0:
        raise DossierError(_("Give the other unit's share of time in working hours."), "hours")
    from_unit = dossier.current_unit.name
    status_before = dossier.status
    dossier.current_unit = unit
    dossier.current_handler = None
    dossier.step_due_at = _add_working_hours(dossier, timezone.now(), hours_value)
    dossier.status = Status.PROCESSING
    save_new_version(dossier)
    append_event(
        dossier,
        actor,
        "handed_off",
        status_before=status_before,
        step_before=_step_label(dossier.current_step),
        note=note,
        data={"from_unit": from_unit, "to_unit": unit.code, "hours": hours_value},
    )
    return dossier


@transaction.atomic
def request_financial_obligation(
    dossier_id: int, actor, amount: int, note: str = "", *, expected_version: int | None
) -> Dossier:
    """Ask the applicant to pay taxes or charges; the clock stops until payment is recorded."""
    dossier = _locked(dossier_id, expected_version, required=True)
    TRANSITIONS.check(dossier, "request_financial_obligation")
    _require_processor(actor, dossier)
    if not isinstance(amount, int) or amount <= 0:
        raise DossierError(_("Enter the amount in đồng."), "amount")
    _open_pause(dossier, PauseKind.FINANCIAL, note)
    dossier.status = Status.FINANCIAL_OBLIGATION
    save_new_version(dossier)
    append_event(
        dossier,
        actor,
        "financial_requested",
        status_before=Status.PROCESSING,
        note=note,
        data={"amount": amount},
    )
    return dossier


@transaction.atomic
def record_payment(
    dossier_id: int, actor, paid_online: bool, *, expected_version: int | None
) -> Dossier:
    """Taxes or charges paid: the clock resumes and the due time moves by the pause."""
    dossier = _locked(dossier_id, expected_version, required=True)
    TRANSITIONS.check(dossier, "record_payment")
    _require_role(actor, list(PROCESSING_ROLES), dossier.current_unit)
    minutes = _close_pause(dossier, PauseKind.FINANCIAL)
    dossier.status = Status.PROCESSING
    dossier.fee_paid_online = bool(paid_online)
    dossier.fee_paid_at = timezone.now()
    save_new_version(dossier)
    append_event(
        dossier,
        actor,
        "payment_recorded",
        status_before=Status.FINANCIAL_OBLIGATION,
        data={"paid_online": bool(paid_online), "paused_minutes": minutes},
    )
    return dossier


@transaction.atomic
def extend(
    dossier_id: int, actor, new_due_at: datetime, reason: str, *, expected_version: int | None
) -> Dossier:
    """A leader extends the time limit where the procedure allows it (reason, new due time).

    Once per dossier: the one-stop rules allow the return of the result to be re-appointed at most
    once ("Việc hẹn lại ngày trả kết quả được thực hiện không quá một lần", Nghị định 61/2018/NĐ-CP
    as applied in 2025, e.g. Lai Châu 88/2025/QĐ-UBND), and Thông tư 03/2025/TT-VPCP joins the
    apology and the request to extend in one document (Mẫu 04 "Văn bản xin lỗi và đề nghị gia hạn
    thời gian giải quyết"). Checked on the locked row, so two leaders cannot both extend.
    """
    dossier = _locked(dossier_id, expected_version, required=True)
    TRANSITIONS.check(dossier, "extend")
    TRANSITIONS.require(actor, dossier, "extend")
    if dossier.extension_count >= 1:
        raise TransitionNotAllowed(
            _("The time limit has already been extended once; it cannot be extended again.")
        )
    _require_reason(reason)
    if dossier.due_at is None or new_due_at <= dossier.due_at:
        raise DossierError(_("The new due time must be later than the current one."), "due_at")
    old = dossier.due_at
    if dossier.appointment_at == dossier.due_at:
        dossier.appointment_at = new_due_at
    dossier.due_at = new_due_at
    dossier.extension_count += 1
    save_new_version(dossier)
    append_event(
        dossier,
        actor,
        "extended",
        status_before=dossier.status,
        note=reason.strip(),
        data={"from": old.isoformat(), "to": new_due_at.isoformat()},
    )
    return dossier


@transaction.atomic
def approve_result(
    dossier_id: int,
    actor,
    outcome: str,
    number: str,
    signer: str,
    result_date: date | None = None,
    electronic: bool = False,
    note: str = "",
    expected_version: int | None = None,
) -> Dossier:
    """The leader signs the result (or the reasoned refusal): the dossier is resolved (status 9)."""
    dossier = _locked(dossier_id, expected_version)
    TRANSITIONS.check(dossier, "approve_result")
    TRANSITIONS.require(actor, dossier, "approve_result")
    if outcome not in Outcome.values:
        raise DossierError(_("Choose the outcome."), "outcome")
    if not (number or "").strip():
        raise DossierError(_("Enter the result document number."), "number")
    if outcome == Outcome.REFUSED:
        _require_reason(note)
    status_before = dossier.status
    now = timezone.now()
    dossier.outcome = outcome
    dossier.result_number = number.strip()
    dossier.result_signer = (signer or actor.get_full_name()).strip()
    dossier.result_date = result_date or timezone.localdate()
    dossier.result_electronic = bool(electronic)
    dossier.resolved_at = now
    dossier.status = Status.RESOLVED
    dossier.current_unit = dossier.receiving_unit  # the result goes back to the counter
    dossier.current_handler = None
    dossier.step_due_at = None
    save_new_version(dossier)
    append_event(
        dossier,
        actor,
        "resolved",
        status_before=status_before,
        note=note,
        data={"outcome": outcome, "number": dossier.result_number},
    )
    return dossier


@transaction.atomic
def return_result(
    dossier_id: int, actor, method: str, received_by: str, expected_version: int | None = None
) -> Dossier:
    """The counter hands over the result (at the counter, by post or online): status 10."""
    dossier = _locked(dossier_id, expected_version)
    TRANSITIONS.check(dossier, "return_result")
    TRANSITIONS.require(actor, dossier, "return_result")
    if method not in ReturnMethod.values:
        raise DossierError(_("Choose how the result is returned."), "method")
    if method == ReturnMethod.COUNTER and not (received_by or "").strip():
        raise DossierError(_("Enter who received the result."), "received_by")
    now = timezone.now()
    dossier.return_method = method
    dossier.returned_to = (received_by or "").strip()
    dossier.returned_at = now
    dossier.closed_at = now
    dossier.status = Status.RETURNED
    dossier.current_step = None
    save_new_version(dossier)
    append_event(
        dossier,
        actor,
        "returned",
        status_before=Status.RESOLVED,
        data={"method": method, "received_by": dossier.returned_to},
    )
    return dossier


@transaction.atomic
def withdraw(dossier_id: int, actor, reason: str, expected_version: int | None = None) -> Dossier:
    """The applicant withdraws the dossier (NĐ 118/2025 Điều 21; stop notice, Mẫu 05)."""
    dossier = _locked(dossier_id, expected_version)
    TRANSITIONS.check(dossier, "withdraw")
    is_applicant = dossier.applicant_user_id and getattr(actor, "pk", None) == (
        dossier.applicant_user_id
    )
    if not is_applicant:
        TRANSITIONS.require(actor, dossier, "withdraw")
    _require_reason(reason)
    status_before = dossier.status
    _close_all_pauses(dossier)
    dossier.status = Status.WITHDRAWN
    dossier.close_reason = reason.strip()
    dossier.closed_at = timezone.now()
    save_new_version(dossier)
    append_event(dossier, actor, "withdrawn", status_before=status_before, note=reason.strip())
    return dossier


@transaction.atomic
def stop(dossier_id: int, actor, reason: str, expected_version: int | None = None) -> Dossier:
    """Processing is stopped for a legal reason (status 8; stop notice, Mẫu 05 of TT 03/2025)."""
    dossier = _locked(dossier_id, expected_version)
    TRANSITIONS.check(dossier, "stop")
    TRANSITIONS.require(actor, dossier, "stop")
    _require_reason(reason)
    status_before = dossier.status
    _close_all_pauses(dossier)
    dossier.status = Status.STOPPED
    dossier.close_reason = reason.strip()
    dossier.closed_at = timezone.now()
    save_new_version(dossier)
    append_event(dossier, actor, "stopped", status_before=status_before, note=reason.strip())
    return dossier


def _close_all_pauses(dossier: Dossier) -> None:
    dossier.pauses.filter(ended_at__isnull=True).update(ended_at=timezone.now())


def paused_intervals(dossier: Dossier) -> list[Pause]:
    return [
        Pause(pause.started_at, pause.ended_at or timezone.now(), pause.reason)
        for pause in dossier.pauses.all()
    ]


# -- late dossiers: apology letters (Mẫu 04) -----------------------------------------------------
# How close to its due time (in working hours) a dossier counts as at risk of being late, so that
# the apology is offered and the dossier enters the "apology needed" queue. Setting
# ``CCHC_APOLOGY_HORIZON_HOURS``; the default, 16 working hours (two working days), leaves a full
# working day to draft the letter and have it signed before the issue-by time of a normal procedure.
def apology_horizon_minutes() -> int:
    """The configured horizon in working minutes (``CCHC_APOLOGY_HORIZON_HOURS``, default 16 h)."""
    return max(0, int(conf.APOLOGY_HORIZON_HOURS)) * 60


def _working_minutes(dossier: Dossier, start: datetime, end: datetime) -> int:
    return workdays.working_minutes_between(start, end, dossier.receiving_unit)


def apology_window(dossier: Dossier) -> tuple[datetime, bool]:
    """(issue-by time, short procedure?) of a dossier with a due time: :func:`apology_deadline`."""
    unit = dossier.receiving_unit
    due = dossier.due_at
    start = dossier.received_at or dossier.submitted_at or due
    legal = workdays.close_of_previous_working_day(due, unit)
    day = workdays.office_hours_for(unit).minutes_per_day
    short = legal <= start or _working_minutes(dossier, start, due) <= day
    return (due if short else legal), short


def apology_deadline(dossier: Dossier) -> datetime | None:
    """The latest moment to issue the apology (phiếu xin lỗi và hẹn lại ngày trả kết quả, Mẫu 04).

    The rule: "chậm nhất 01 ngày trước ngày hết hạn" (Nghị định 61/2018/NĐ-CP, wording kept in the
    2025 provincial one-stop regulations, e.g. Lai Châu 88/2025/QĐ-UBND, Hà Tĩnh): the close of the
    working day before the due day.

    Procedures shorter than that rule can serve — same-day or hours-long procedures, and any
    dossier whose whole time, receipt to due time, is at most one working day — have no
    "working day before": that moment would fall before (or hardly after) the receipt. For them the
    issue-by time is the due time itself: the law's purpose, telling the applicant before the
    appointment that the result will be late and giving a new date, can still be met until then,
    and any earlier fixed fraction would be a rule of ours, not of the law. The issue-by time is
    therefore never before the receipt. None when the dossier has no due time.
    """
    if dossier.due_at is None:
        return None
    return apology_window(dossier)[0]


def apology_at_risk(dossier: Dossier, now: datetime | None = None) -> bool:
    """Is the dossier at risk of being late, so that the apology should be offered now?

    At risk: the legal due time has passed, or the working time left until it is within the
    horizon (:func:`apology_horizon_minutes`), or the issue-by time has come. For a short procedure
    (see :func:`apology_deadline`) the horizon is at most half of the dossier's working time from
    receipt to due time: a configured two working days would cover the whole of a same-day
    procedure, and a dossier received a minute ago is not at risk.
    """
    if dossier.due_at is None or dossier.status not in APOLOGY_STATUSES:
        return False
    now = now or timezone.now()
    if now >= dossier.due_at:
        return True
    issue_by, short = apology_window(dossier)
    if now >= issue_by:
        return True
    horizon = apology_horizon_minutes()
    if short:
        start = dossier.received_at or dossier.submitted_at or dossier.due_at
        horizon = min(horizon, _working_minutes(dossier, start, dossier.due_at) // 2)
    return _working_minutes(dossier, now, dossier.due_at) <= horizon


def apology_offered(dossier: Dossier, now: datetime | None = None) -> bool:
    """Should the dossier page offer to draft an apology? At risk (:func:`apology_at_risk`), and no
    letter is waiting for the leader or already sent (the appointment moves at most once)."""
    from .models import ApologyStatus

    if not apology_at_risk(dossier, now):
        return False
    return not dossier.apologies.filter(
        status__in=[ApologyStatus.DRAFT, ApologyStatus.APPROVED, ApologyStatus.SENT]
    ).exists()


@transaction.atomic
def draft_apology(
    dossier_id: int,
    actor,
    reason: str,
    new_appointment_at: datetime,
    *,
    expected_version: int | None,
):
    """The processing officer drafts the apology with the reason and a new appointment.

    The appointment moves at most once (Nghị định 61/2018/NĐ-CP wording kept in 2025 decisions:
    "không quá một lần"); both that and "one draft at a time" are read after the row lock.
    """
    from .models import ApologyLetter, ApologyStatus

    dossier = _locked(dossier_id, expected_version, required=True)
    TRANSITIONS.check(dossier, "draft_apology")
    TRANSITIONS.require(actor, dossier, "draft_apology")
    _require_reason(reason)
    if dossier.apologies.filter(status__in=[ApologyStatus.APPROVED, ApologyStatus.SENT]).exists():
        raise TransitionNotAllowed(
            _("The appointment has already been moved once; it cannot be moved again.")
        )
    if dossier.apologies.filter(status=ApologyStatus.DRAFT).exists():
        raise TransitionNotAllowed(_("An apology letter is already waiting for the leader."))
    current = dossier.appointment_at or dossier.due_at
    if current is None or new_appointment_at <= current:
        raise DossierError(
            _("The new appointment must be later than the current one."), "new_appointment_at"
        )
    if not workdays.is_working_day(new_appointment_at, dossier.receiving_unit):
        raise DossierError(_("The new appointment must be on a working day."), "new_appointment_at")
    letter = ApologyLetter.objects.create(
        dossier=dossier,
        reason=reason.strip(),
        original_appointment_at=current,
        new_appointment_at=new_appointment_at,
        drafted_by=actor,
        created_at=timezone.now(),
    )
    save_new_version(dossier)
    append_event(
        dossier,
        actor,
        "apology_drafted",
        status_before=dossier.status,
        note=reason.strip(),
        data={"letter": letter.pk, "new_appointment": new_appointment_at.isoformat()},
    )
    return letter


@transaction.atomic
def approve_apology(letter_id: int, actor, *, expected_version: int | None):
    """The head of the processing unit signs the letter; it is sent and the appointment moves.

    The legal due time (``due_at``) does not move: on-time statistics keep the original reference.
    """
    from .models import ApologyLetter, ApologyStatus

    letter = ApologyLetter.objects.select_for_update().get(pk=letter_id)
    dossier = _locked(letter.dossier_id, expected_version, required=True)
    TRANSITIONS.check(dossier, "approve_apology")
    TRANSITIONS.require(actor, dossier, "approve_apology")
    if letter.status != ApologyStatus.DRAFT:
        raise TransitionNotAllowed(_("This apology letter is no longer waiting for approval."))
    now = timezone.now()
    letter.status = ApologyStatus.SENT
    letter.approved_by = actor
    letter.signer_name = actor.get_full_name()
    letter.approved_at = now
    letter.sent_at = now
    letter.save()
    dossier.appointment_at = letter.new_appointment_at
    save_new_version(dossier)
    deadline = apology_deadline(dossier)
    in_time = deadline is not None and now <= deadline
    append_event(
        dossier,
        actor,
        "apology_sent",
        status_before=dossier.status,
        note=letter.reason,
        data={
            "letter": letter.pk,
            "new_appointment": letter.new_appointment_at.isoformat(),
            "issued_in_time": in_time,
        },
    )
    return letter


@transaction.atomic
def reject_apology(letter_id: int, actor, note: str, expected_version: int | None = None):
    from .models import ApologyLetter, ApologyStatus

    letter = ApologyLetter.objects.select_for_update().get(pk=letter_id)
    dossier = _locked(letter.dossier_id, expected_version)
    _require_role(actor, [Role.LEADER], dossier.current_unit)
    _require_reason(note)
    if letter.status != ApologyStatus.DRAFT:
        raise TransitionNotAllowed(_("This apology letter is no longer waiting for approval."))
    letter.status = ApologyStatus.REJECTED
    letter.approved_by = actor
    letter.approved_at = timezone.now()
    letter.save()
    save_new_version(dossier)
    append_event(
        dossier,
        actor,
        "apology_rejected",
        status_before=dossier.status,
        note=note.strip(),
        data={"letter": letter.pk},
    )
    return letter


def suggested_apology(dossier: Dossier) -> dict:
    """Pre-filled draft: a reason to edit and a new appointment half the legal limit later."""
    limit = dossier.time_limit()
    extra_days = max(1, (limit.amount or 1) // 2)
    base = dossier.appointment_at or dossier.due_at
    limit = TimeLimit(Rule.WORKING_DAYS, min(extra_days, 2000))
    new = workdays.compute_deadline(base, limit, dossier.receiving_unit).due
    return {
        "reason": _("The dossier needs more time for verification and consultation."),
        "new_appointment_at": new,
    }


# -- applicant's rating --------------------------------------------------------------------------
@transaction.atomic
def rate(dossier_id: int, score: int, comment: str = ""):
    """The applicant rates the service once, after the result (5 levels, optional comment)."""
    from .models import DossierRating, Rating

    dossier = _locked(dossier_id, None)
    if dossier.status not in (Status.RESOLVED, Status.RETURNED):
        raise TransitionNotAllowed(_("The dossier can be rated once its result is ready."))
    if score not in Rating.values:
        raise DossierError(_("Choose a rating from 1 to 5."), "score")
    if DossierRating.objects.filter(dossier=dossier).exists():
        raise TransitionNotAllowed(_("This dossier has already been rated."))
    rating = DossierRating.objects.create(
        dossier=dossier, score=score, comment=(comment or "")[:2000], created_at=timezone.now()
    )
    append_event(dossier, None, "rated", status_before=dossier.status, data={"score": score})
    return rating
