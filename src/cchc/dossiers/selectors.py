"""Reads: the dossiers a user may see, work queues and the actions open to them."""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from cchc.common.memo import per_request
from cchc.common.text import fold
from cchc.conf import conf
from cchc.organisations.permissions import assigned_paths, sees_everything, units_for
from cchc.organisations.selectors import counter_unit_ids
from cchc.workdays import services as workdays
from cchc.workflow.queues import Queue

from . import lateness
from .models import IN_HANDLING, Channel, Dossier, Status
from .transitions import TRANSITIONS


def _listed() -> QuerySet:
    """Dossiers as officers' lists show them (no citizen drafts), with what a row displays."""
    return Dossier.objects.exclude(status=Status.DRAFT).select_related(
        "procedure", "procedure__field", "receiving_unit", "current_unit", "current_step",
        "current_handler",
    )  # fmt: skip


def visible_dossiers(user) -> QuerySet:
    """Dossiers received by, or now with, a unit in the user's scope, and those addressed to an
    authority the user's one-stop unit receives for (``cchc.organisations.selectors``)."""
    dossiers = _listed()
    if sees_everything(user):
        return dossiers
    query = Q(pk__in=[])
    for path in assigned_paths(user):
        query |= Q(current_unit__path__startswith=path) | Q(receiving_unit__path__startswith=path)
    counter = counter_unit_ids(user)
    if counter:
        query |= Q(receiving_unit_id__in=counter)
    return dossiers.filter(query)


QUEUES = (
    Queue("can-xu-ly", _("My work")),
    Queue("cho-kiem-tra", _("To check")),
    Queue("dang-xu-ly", _("In process")),
    Queue("cho-bo-sung", _("Waiting for supplement")),
    Queue("cho-thanh-toan", _("Waiting for payment")),
    Queue("sap-den-han", _("Near due")),
    Queue("qua-han", _("Overdue")),
    Queue("can-xin-loi", _("Apology needed")),
    Queue("cho-tra", _("To return")),
    Queue("tat-ca", _("All")),
)
RUNNING = (Status.RECEIVED, Status.PROCESSING)  # the queues' "in process": the clock runs


def _unit_ids(user) -> list[int] | None:
    """Ids of the units in the user's scope (None: every unit). A province has hundreds at most."""
    if sees_everything(user):
        return None
    ids = per_request(
        ("unit_ids", user.pk), lambda: list(units_for(user).values_list("pk", flat=True))
    )
    return list(ids)


def queue(user, slug: str) -> QuerySet:
    """One work queue. Work queues hold what is *now* with the user's units (current unit); the
    counter's queues (to check, to return) what they received; "all" both. Filtering on unit ids
    of one column lets PostgreSQL walk the (unit, status, due time) index instead of joining units
    (bench/queues.py, docs/benchmarks.md)."""
    ids = _unit_ids(user)
    dossiers = _listed()
    if ids is None:
        here = received_here = dossiers
    else:
        here = dossiers.filter(current_unit_id__in=ids)
        received_here = dossiers.filter(receiving_unit_id__in=_received_ids(user, ids))
    now = timezone.now()
    running = list(RUNNING)
    if slug == "can-xu-ly":
        return here.filter(status__in=running).filter(
            Q(current_handler=user) | Q(current_handler__isnull=True)
        )
    if slug == "cho-kiem-tra":
        return received_here.filter(status=Status.SUBMITTED)
    if slug == "dang-xu-ly":
        return here.filter(status__in=running)
    if slug == "cho-bo-sung":
        return here.filter(status=Status.SUPPLEMENT_REQUESTED)
    if slug == "cho-thanh-toan":
        return here.filter(status=Status.FINANCIAL_OBLIGATION)
    if slug == "sap-den-han":
        return here.filter(near_due(now))
    if slug == "qua-han":
        return here.filter(overdue(now))
    if slug == "can-xin-loi":
        candidates = here.filter(
            status__in=[
                Status.RECEIVED,
                Status.PROCESSING,
                Status.SUPPLEMENT_REQUESTED,
                Status.FINANCIAL_OBLIGATION,
            ],
            due_at__lte=now + timedelta(days=14),
        ).exclude(apologies__status__in=["approved", "sent"])
        ids_at_risk = [d.pk for d in candidates if needs_apology(d, now)]
        return dossiers.filter(pk__in=ids_at_risk)
    if slug == "cho-tra":
        return received_here.filter(status=Status.RESOLVED)
    if ids is None:
        return dossiers
    received = _received_ids(user, ids)
    return dossiers.filter(Q(current_unit_id__in=ids) | Q(receiving_unit_id__in=received))


def near_due_horizon(now, unit=None):
    """One working day of office time from ``now``: the unit's office hours and the working
    calendar (Tết, swapped days, make-up Saturdays), the installation's default hours for None.
    On a Friday afternoon it reaches into Monday; at 07:00 it ends with today's office hours."""
    minutes = workdays.office_hours_for(unit).minutes_per_day
    return workdays.add_working_minutes(now, minutes, unit)


def near_due(now, unit=None) -> Q:
    """The "near due" dossiers: clock running, not late, and due within the next working day
    (:func:`near_due_horizon`). One definition for the officers' queue and their morning digest
    (``cchc.notifications.near_due``), with the installation's default office hours, and the
    leaders' dashboard, with its unit's hours."""
    horizon = near_due_horizon(now, unit)
    return Q(status__in=RUNNING, due_at__gte=now, due_at__lte=horizon) & ~late_running(now)


def overdue(now) -> Q:
    """The "overdue" queue's dossiers: clock running and late at ``now`` (:func:`late_running`)."""
    return Q(status__in=RUNNING) & late_running(now)


def late_running(now) -> Q:
    """Of dossiers whose clock runs (received, processing), those late at ``now``: the lateness
    definition (:func:`is_late`) as a filter. Their clock stops have all ended, so none hides
    the due time: late by rule, or past the due time. (The dashboard applies it to the report's
    overdue dossiers too, whose clock stops the statistics have already judged.)"""
    return Q(late_by_rule=True) | Q(due_at__lt=now)


def _received_ids(user, ids: list[int]) -> list[int]:
    """The receiving units of the counter's queues: the user's units, plus the authorities their
    one-stop unit receives for (the ward centre's officer checks what is addressed to the ward)."""
    return sorted(set(ids) | set(counter_unit_ids(user) or ()))


MAX_SPLITS = 24


def queue_ordering(slug: str) -> tuple[str, str]:
    return ("-submitted_at", "-id") if slug == "tat-ca" else ("due_at", "id")


def queue_splits(user, slug: str) -> list[dict] | None:
    """Disjoint-enough slices of a queue, each served in order by one index range.

    A queue over several units (and statuses) makes PostgreSQL fetch every matching row and sort
    them; one slice per unit (and handler, for "mine or unassigned") is read in order from the
    partial (unit[, handler], due) index of dossiers in process, or the (unit, submitted) index,
    and stopped after a page. :class:`MergedPaginator` merges the slices.
    None: no split (everything in scope, or too many units for it to pay).
    """
    ids = _unit_ids(user)
    if ids is None:
        return None
    received = _received_ids(user, ids)
    if slug == "tat-ca":
        splits = [{"current_unit_id": u} for u in ids] + [
            {"receiving_unit_id": u} for u in received
        ]
    elif slug == "can-xu-ly":
        # "Mine or unassigned": one slice per unit and handler, each a single range of the partial
        # (unit, handler, due) index of dossiers in process; the handler as a filter instead made
        # a slice read ~27,000 index entries to keep 25 rows at 10,000,000 dossiers.
        splits = [{"current_unit_id": u, "current_handler_id": user.pk} for u in ids] + [
            {"current_unit_id": u, "current_handler__isnull": True} for u in ids
        ]
    elif slug in ("dang-xu-ly", "sap-den-han", "qua-han"):
        # One slice per unit, read in due order from the partial (unit, due) index of dossiers
        # in process (both running statuses in one range).
        splits = [{"current_unit_id": u} for u in ids]
    elif slug in ("cho-kiem-tra", "cho-tra"):
        splits = [{"receiving_unit_id": u} for u in received]
    elif slug in ("cho-bo-sung", "cho-thanh-toan"):
        splits = [{"current_unit_id": u} for u in ids]
    else:
        return None
    return splits if len(splits) <= MAX_SPLITS else None


class MergedPaginator(Paginator):
    """Pages of a queryset read as the merge of ordered slices (``queue_splits``).

    The total is counted up to ``cap`` like :class:`CappedPaginator`; a page fetches at most
    ``page × per_page`` keys from each slice, merges them in Python and loads that page's rows.
    """

    def __init__(self, object_list, per_page, splits, ordering, cap: int = 1000, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.splits, self.ordering, self.cap = splits, ordering, cap

    @cached_property
    def count(self) -> int:
        """The total up to ``cap`` (``cap + 1`` meaning "more"), from the slices: each gives at
        most ``cap + 1`` ids in its index order, and together they cover the queue, so the size of
        their union is exact below the cap. A single ``COUNT`` over the whole scope instead read
        the table until ``cap + 1`` rows matched (23 ms of a 60 ms page at 10,000,000 dossiers)."""
        ids: set = set()
        for split in self.splits:
            part = self.object_list.filter(**split).order_by(*self.ordering)
            ids.update(part.values_list("pk", flat=True)[: self.cap + 1])
            if len(ids) > self.cap:
                break
        return min(len(ids), self.cap + 1)

    def page(self, number):
        number = self.validate_number(number)
        top = number * self.per_page
        fields = [name.lstrip("-") for name in self.ordering]
        descending = self.ordering[0].startswith("-")
        keys = set()
        for split in self.splits:
            part = self.object_list.filter(**split).order_by(*self.ordering)
            keys.update(part.values_list(*fields)[:top])

        def sort_key(key):
            first = key[0]
            # PostgreSQL puts NULLs last in ascending and first in descending order.
            return (
                (first is not None, first, key[1]) if descending else (first is None, first, key[1])
            )

        page_keys = sorted(keys, key=sort_key, reverse=descending)[top - self.per_page : top]
        ids = [key[-1] for key in page_keys]
        rows = self.object_list.filter(pk__in=ids).in_bulk() if ids else {}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


CODE_LIKE = re.compile(r"^[0-9A-Za-z]{3}\.[0-9A-Za-z.\-]*$")


def search(queryset: QuerySet, text: str) -> QuerySet:
    text = (text or "").strip()[:100]
    if not text:
        return queryset
    if CODE_LIKE.match(text):
        # A dossier code (or its beginning): an indexed prefix look-up, not a scan of every name.
        return queryset.filter(code__startswith=text)
    words = fold(text).split()
    query = Q(code__icontains=text) | Q(applicant_name__icontains=text)
    if words:
        name_query = Q()
        for word in words:
            name_query &= Q(procedure__search_text__contains=word)
        query |= name_query
    return queryset.filter(query)


# -- stored files ---------------------------------------------------------------------------------
def stored_component(dossier: Dossier, component_pk: int):
    """The dossier's document ``component_pk`` if a file is stored for it, else None."""
    return dossier.components.exclude(file="").filter(pk=component_pk).first()


def download_name(dossier: Dossier, component=None) -> str:
    """The name a download is saved under: dossier code, then the document's name (or "Result")."""
    from cchc.common.files import download_name as name_for

    if component is not None:
        return name_for(component.name, component.file.name, prefix=dossier.code or "")
    return name_for(str(_("Result")), dossier.result_file.name, prefix=dossier.code or "")


# -- actions open to a user ----------------------------------------------------------------------
def available_actions(dossier: Dossier, user) -> list[str]:
    """Actions worth offering as buttons; the services decide for good when one is used.

    Read from the dossier's transition table (``transitions.TRANSITIONS``), the one the services
    guard with: counter actions follow who receives for whom, like the services.
    """
    return TRANSITIONS.available(dossier, user)


def remaining_working_minutes(dossier: Dossier) -> int | None:
    """Working time left until the due time (negative: how late)."""
    from cchc.workdays import services as workdays

    if dossier.due_at is None or dossier.status not in (Status.RECEIVED, Status.PROCESSING):
        return None
    return workdays.working_minutes_between(timezone.now(), dossier.due_at, dossier.receiving_unit)


def lateness_of(dossier: Dossier, now=None) -> lateness.Lateness | None:
    """Early, on time or late now, by the platform's one definition (``cchc.dossiers.lateness``,
    the statistics' one): judged at the end of processing (the result or refusal signed, the
    withdrawal, the stop) or, while open, at ``now``. None before receipt, or when a closed
    dossier's end time is unknown (imported) and it is not late by rule. Reads the clock stops
    (prefetch ``pauses`` for a list)."""
    if dossier.status in (Status.RESOLVED, Status.RETURNED):
        end = dossier.resolved_at
    elif dossier.status in (Status.WITHDRAWN, Status.STOPPED):
        end = dossier.closed_at
    elif dossier.status in IN_HANDLING:
        end = None
    else:
        return None  # never received: no time limit runs
    if end is None and dossier.status not in IN_HANDLING:
        return lateness.Lateness.LATE if dossier.late_by_rule else None
    local = timezone.localtime
    return lateness.lateness(
        local(dossier.due_at) if dossier.due_at else None,
        now=local(now or timezone.now()),
        end=local(end) if end else None,
        stops=[
            lateness.Stop(local(p.started_at), local(p.ended_at) if p.ended_at else None)
            for p in dossier.pauses.all()
        ],
        late_by_rule=dossier.late_by_rule,
    )


def is_late(dossier: Dossier, now=None) -> bool:
    """Late now (the badge of the lookup, the citizen's page and the API's ``late``)."""
    return lateness_of(dossier, now) == lateness.Lateness.LATE


def apology_horizon_minutes() -> int:
    """How close to its due time an unresolved dossier is flagged (working hours, configurable)."""
    from . import services

    return services.apology_horizon_minutes()


def needs_apology(dossier: Dossier, now=None) -> bool:
    """At risk of being late (the rule is ``services.apology_at_risk``, the dossier page's too)."""
    from . import services

    return services.apology_at_risk(dossier, now)


class CappedPaginator(Paginator):
    """Pages without counting a million rows: the total is counted only up to ``cap``."""

    def __init__(self, object_list, per_page, cap: int = 1000, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by()[: self.cap + 1].count()


# -- the online submission's acknowledgement (biên nhận nộp trực tuyến) --------------------------
# How long the one-stop unit takes to check an online dossier and accept it (Mẫu 01), refuse it
# (Mẫu 03) or ask for a supplement (Mẫu 02). No general legal limit for this check was found; the
# provincial internal procedures issued under Nghị định 118/2025/NĐ-CP budget the reception step at
# half a working day ("giờ hành chính" / 0,5 ngày: shared/domain/onestop.md §1.2, step 1), which is
# the default (``cchc.conf``). A province sets its own with ``CCHC_ONLINE_CHECK_WORKING_HOURS``.


def online_check_hours() -> float:
    return float(conf.ONLINE_CHECK_WORKING_HOURS)


@dataclass(frozen=True)
class Acknowledgement:
    """What the applicant is told when an online dossier is submitted."""

    dossier: Dossier
    authorities: list  # the procedure's implementing units this dossier is addressed to
    check_hours: float  # working hours the one-stop unit has to check it
    check_by: object  # aware datetime: checked (accepted, refused or supplement asked) by then
    expected_due: object  # aware datetime: the result's due time if accepted at ``check_by``


def addressed_authorities(dossier: Dossier) -> list:
    """The authorities that will decide: the procedure's active implementing units that the
    dossier's receiving unit receives for (or is part of)."""
    from cchc.organisations.selectors import receiving_unit_for

    receiving = dossier.receiving_unit
    found = []
    for unit in dossier.procedure.implementing_units.active().order_by("path"):
        if receiving.path.startswith(unit.path) or receiving_unit_for(unit).pk == receiving.pk:
            found.append(unit)
    return found or [receiving]


def applicant_dossiers(user) -> QuerySet:
    """The dossiers a citizen submitted themselves: the only ones their pages and files show."""
    return Dossier.objects.select_related("procedure", "receiving_unit").filter(applicant_user=user)


def acknowledgeable(dossier: Dossier) -> bool:
    """An online dossier that has been submitted (it has a code and a submission time): it has an
    acknowledgement of submission (biên nhận nộp hồ sơ trực tuyến)."""
    return bool(
        dossier.channel == Channel.ONLINE
        and dossier.submitted_at
        and dossier.code
        and dossier.status != Status.DRAFT
    )


def acknowledgement(dossier: Dossier) -> Acknowledgement:
    """Acknowledgement of a submitted online dossier: when it is checked and, once accepted, when
    its result is due at the latest (the clock starts at acceptance: onestop.md §1.5)."""
    from cchc.workdays import services as workdays

    hours = online_check_hours()
    unit = dossier.receiving_unit
    start = dossier.submitted_at or timezone.now()
    check_by = workdays.add_working_minutes(start, max(0, round(hours * 60)), unit)
    due = workdays.compute_deadline(check_by, dossier.time_limit(), unit).due
    return Acknowledgement(
        dossier=dossier,
        authorities=addressed_authorities(dossier),
        check_hours=hours,
        check_by=check_by,
        expected_due=due,
    )
