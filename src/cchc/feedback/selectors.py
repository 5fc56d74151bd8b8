"""Reads: officers' queues, the public list, and the counts the 766 index and dashboard use."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.core.paginator import Paginator
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.conf import conf
from cchc.organisations.models import Role
from cchc.organisations.permissions import has_role, scope_to_units
from cchc.workdays import services as workdays
from cchc.workdays.engine import Rule, TimeLimit
from cchc.workflow.queues import Queue

from . import codes
from .models import (
    OPEN_STATUSES,
    PUBLIC_STATUSES,
    UNANSWERED_STATUSES,
    Feedback,
    FeedbackRating,
    FeedbackStatus,
)
from .transitions import TRANSITIONS


# -- officers ------------------------------------------------------------------------------------
def visible_feedback(user) -> QuerySet:
    """Feedback whose responsible unit is in the user's scope (the unit and its descendants)."""
    feedback = Feedback.objects.select_related("unit", "procedure", "dossier")
    return scope_to_units(feedback, user, field="unit")


QUEUES = (
    Queue("can-xu-ly", _("To handle")),
    Queue("sap-den-han", _("Near due")),
    Queue("qua-han", _("Overdue")),
    Queue("da-tra-loi", _("Answered, to publish")),
    Queue("da-cong-khai", _("Published")),
    Queue("tat-ca", _("All")),
)
QUEUE_SLUGS = frozenset(queue.slug for queue in QUEUES)


def near_due_days() -> int:
    """How many working days before the due time a feedback is "near due" (default 3)."""
    return conf.FEEDBACK_NEAR_DUE_DAYS


def _near_due_horizon(now: datetime) -> datetime:
    return workdays.compute_deadline(now, TimeLimit(Rule.WORKING_DAYS, near_due_days())).due


def queue(user, slug: str, now: datetime | None = None) -> QuerySet:
    """One work queue, scoped to the user's units; an unknown slug is the whole list."""
    feedback = visible_feedback(user)
    now = now or timezone.now()
    if slug == "can-xu-ly":
        return feedback.filter(status__in=UNANSWERED_STATUSES)
    if slug == "sap-den-han":
        return feedback.filter(
            status__in=OPEN_STATUSES, due_at__gte=now, due_at__lte=_near_due_horizon(now)
        )
    if slug == "qua-han":
        return feedback.filter(status__in=OPEN_STATUSES, due_at__lt=now)
    if slug == "da-tra-loi":
        return feedback.filter(status=FeedbackStatus.ANSWERED)
    if slug == "da-cong-khai":
        return feedback.filter(status__in=PUBLIC_STATUSES)
    return feedback


def search(queryset: QuerySet, text: str) -> QuerySet:
    """Code (or its beginning), title, sender's name or dossier code."""
    text = (text or "").strip()[:100]
    if not text:
        return queryset
    prefix = codes.search_prefix(text)
    if prefix:
        return queryset.filter(code__startswith=prefix)
    return queryset.filter(
        Q(title__icontains=text)
        | Q(sender_name__icontains=text)
        | Q(dossier__code__startswith=text)
        | Q(content__icontains=text)
    )


def filtered(queryset: QuerySet, *, status: str = "", category: str = "", text: str = ""):
    from .models import Category

    if status in FeedbackStatus.values:
        queryset = queryset.filter(status=status)
    if category in Category.values:
        queryset = queryset.filter(category=category)
    elif category == "chua-phan-loai":
        queryset = queryset.filter(category="")
    return search(queryset, text)


def page_of(queryset: QuerySet, number, per_page: int = 25):
    return Paginator(queryset, per_page).get_page(number)


def available_actions(feedback: Feedback, user) -> list[str]:
    """Actions worth offering as buttons, from the table the services guard with
    (``transitions.TRANSITIONS``); the services decide for good when one is used."""
    return TRANSITIONS.available(feedback, user)


def is_overdue(feedback: Feedback, now: datetime | None = None) -> bool:
    """Late against the answer deadline: published after it, or still open past it."""
    if feedback.status == FeedbackStatus.REJECTED:
        return False
    if feedback.published_at is not None:
        return feedback.published_at > feedback.due_at
    return (now or timezone.now()) > feedback.due_at


def remaining_working_minutes(feedback: Feedback, now: datetime | None = None) -> int | None:
    """Working time left until the due time (negative: how late); None once published."""
    if feedback.status not in OPEN_STATUSES:
        return None
    return workdays.working_minutes_between(now or timezone.now(), feedback.due_at, feedback.unit)


def is_staff(user) -> bool:
    return has_role(user, list(Role.values))


# -- public --------------------------------------------------------------------------------------
def published_feedback() -> QuerySet:
    """What anyone may read: published answers only (the templates show no personal data)."""
    return (
        Feedback.objects.filter(status__in=PUBLIC_STATUSES)
        .select_related("unit", "procedure")
        .order_by("-published_at", "-id")
    )


def public_search(queryset: QuerySet, text: str) -> QuerySet:
    """Search of published answers: only the public texts, never the sender's name or content."""
    text = (text or "").strip()[:100]
    if not text:
        return queryset
    prefix = codes.search_prefix(text)
    if prefix:
        return queryset.filter(code__startswith=prefix)
    return queryset.filter(
        Q(public_title__icontains=text)
        | Q(public_content__icontains=text)
        | Q(public_answer__icontains=text)
    )


def public_timeline(feedback: Feedback) -> list[dict]:
    """What happened and when, without names of people."""
    return [
        {"label": event.label, "at": event.at, "unit": event.unit}
        for event in feedback.events.order_by("at", "id")
    ]


def own_feedback(user) -> QuerySet:
    if not getattr(user, "is_authenticated", False):
        return Feedback.objects.none()
    return Feedback.objects.filter(sender_user=user).select_related("unit", "procedure")


# -- statistics ----------------------------------------------------------------------------------
def _local_midnight(day: date) -> datetime:
    return workdays.local_midnight(day)


def _for_units(queryset: QuerySet, unit_ids: Iterable[int] | None) -> QuerySet:
    if unit_ids is None:
        return queryset
    return queryset.filter(unit_id__in=list(unit_ids))


def index_counts(
    unit_ids: list[int] | None, start: date, end: date, now: datetime | None = None
) -> dict:
    """Raw counts for 766 indicators 5.1–5.3 (Quyết định 766/QĐ-TTg; VPCP technical description).

    Population: feedback **received** on a local day in ``[start, end]`` whose responsible unit
    (after any forwarding) is in ``unit_ids`` — exact ids, the caller expands a subtree if it wants
    one; ``None`` means every unit. The reference moment for feedback still open is the earlier of
    ``now`` and the end of ``end`` (766: an unfinished record is judged at the period's end).

    - ``total``: feedback received in the period (the PAKN of 5.1 and 5.3).
    - ``classified``: those with a classification set by an officer (5.1 = classified / total).
    - ``in_competence``: total minus those refused as not within competence (5.2 denominator).
    - ``handled``: in competence and the answer published (766: "xử lý = công khai câu trả lời").
    - ``handled_on_time``: handled with ``published_at <= due_at`` (5.2 = this / in_competence).
    - ``overdue``: in competence and published after the due time, or unpublished past it at the
      reference moment; refused feedback is never overdue here.
    - ``dissatisfied``: rated "dissatisfied" by the sender (the dislike of 5.3).
    - ``dissatisfied_or_overdue``: dissatisfied or overdue, each feedback counted once
      (5.3 = (total − this) / total).
    - ``rated`` / ``satisfied``: rated at all / rated "satisfied".
    - ``pending_within_due``: in competence, unpublished and not yet due at the reference moment
      (shown for transparency; not counted as handled).

    Only counts, never rates: the 766 app applies the formulas and the points.
    """
    counts = _index_population(unit_ids, start, end).aggregate(**_index_aggregates(end, now))
    return {key: int(value or 0) for key, value in counts.items()}


def index_counts_by_unit(
    unit_ids: list[int], start: date, end: date, now: datetime | None = None
) -> dict[int, dict]:
    """:func:`index_counts` for each of ``unit_ids`` (each unit alone), in one query; a unit
    without feedback in the period gets all zeros."""
    aggregates = _index_aggregates(end, now)
    rows = (
        _index_population(unit_ids, start, end).values("unit_id").annotate(**aggregates).order_by()
    )
    result = {unit_id: dict.fromkeys(aggregates, 0) for unit_id in unit_ids}
    for row in rows:
        unit_id = row.pop("unit_id")
        result[unit_id] = {key: int(value or 0) for key, value in row.items()}
    return result


def _index_population(unit_ids, start: date, end: date):
    return _for_units(Feedback.objects.all(), unit_ids).filter(
        received_at__gte=_local_midnight(start),
        received_at__lt=_local_midnight(end + timedelta(days=1)),
    )


def index_counts_series(
    unit_ids: list[int] | None, periods: list[tuple[date, date]], now: datetime | None = None
) -> list[dict]:
    """:func:`index_counts` of each period (the 766 weekly trend), in one query: each period's
    counts are the same aggregates restricted to the feedback received in it."""
    if not periods:
        return []
    aggregates = {}
    for n, (start, end) in enumerate(periods):
        received = Q(
            received_at__gte=_local_midnight(start),
            received_at__lt=_local_midnight(end + timedelta(days=1)),
        )
        for key, count in _index_aggregates(end, now, within=received).items():
            aggregates[f"{key}__{n}"] = count
    first, last = periods[0][0], max(end for _start, end in periods)
    row = _index_population(unit_ids, first, last).aggregate(**aggregates)
    keys = _index_aggregates(periods[0][1], now).keys()
    return [{key: int(row[f"{key}__{n}"] or 0) for key in keys} for n in range(len(periods))]


def _index_aggregates(end: date, now: datetime | None, within: Q | None = None) -> dict:
    """The counts of :func:`index_counts`; ``within`` narrows each to part of the population."""
    reference = min(now or timezone.now(), _local_midnight(end + timedelta(days=1)))
    competent = ~Q(status=FeedbackStatus.REJECTED)
    published = Q(published_at__isnull=False)
    overdue = competent & (
        (published & Q(published_at__gt=F("due_at")))
        | (Q(published_at__isnull=True) & Q(due_at__lt=reference))
    )
    dissatisfied = Q(rating=FeedbackRating.DISSATISFIED)

    def count(condition: Q | None = None) -> Count:
        parts = [q for q in (within, condition) if q is not None]
        if not parts:
            return Count("id")
        return Count("id", filter=parts[0] & parts[1] if len(parts) == 2 else parts[0])

    return {
        "total": count(),
        "classified": count(~Q(category="")),
        "in_competence": count(competent),
        "handled": count(competent & published),
        "handled_on_time": count(competent & published & Q(published_at__lte=F("due_at"))),
        "overdue": count(overdue),
        "dissatisfied": count(dissatisfied),
        "dissatisfied_or_overdue": count(dissatisfied | overdue),
        "rated": count(~Q(rating="")),
        "satisfied": count(Q(rating=FeedbackRating.SATISFIED)),
        "pending_within_due": count(
            competent & Q(published_at__isnull=True, due_at__gte=reference)
        ),
    }


def dossier_ids_with_feedback(dossier_ids: Iterable[int]) -> set[int]:
    """Which of these dossiers have at least one feedback (766 indicator 5.4: "có PAKN")."""
    ids = list(dossier_ids)
    found: set[int] = set()
    for start in range(0, len(ids), 900):  # stay under SQLite's parameter limit
        found.update(
            Feedback.objects.filter(dossier_id__in=ids[start : start + 900])
            .values_list("dossier_id", flat=True)
            .distinct()
        )
    return found


def waiting_count(unit_ids: Iterable[int] | None) -> int:
    """Feedback not yet answered (received or classified) for the dashboard."""
    return _for_units(Feedback.objects.filter(status__in=UNANSWERED_STATUSES), unit_ids).count()
