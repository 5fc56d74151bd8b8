"""Reading the steering committees: who sees which, the conclusions and how far they are done.

Who reads a committee: anyone holding a role in its unit or its standing body (a role in a unit
above covers it; the auditor reads), and the members linked to a platform user. Completion of the
conclusions is the plans' pure engine (``cchc.plans.engine.completion``) on their tasks: an item is
done when its task is done (status and day done), late when done after its deadline, overdue when
its deadline has passed undone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from cchc.organisations.permissions import scope_to_units, sees_everything
from cchc.plans.engine.completion import TaskFacts, completion
from cchc.plans.models import TaskStatus

from .models import Committee, Conclusion, Meeting, MeetingEvent, MeetingStatus
from .transitions import MEETING_TRANSITIONS, manages


def visible_committees(user) -> QuerySet[Committee]:
    committees = Committee.objects.select_related("unit", "standing_unit")
    if sees_everything(user):
        return committees
    if not getattr(user, "is_authenticated", False):
        return committees.none()
    ids = set(scope_to_units(committees, user, field="unit").values_list("pk", flat=True))
    ids |= set(scope_to_units(committees, user, field="standing_unit").values_list("pk", flat=True))
    ids |= set(committees.filter(members__user=user).values_list("pk", flat=True))
    return committees.filter(pk__in=ids)


def visible_meetings(user) -> QuerySet[Meeting]:
    return Meeting.objects.select_related("committee__unit", "committee__standing_unit").filter(
        committee__in=visible_committees(user)
    )


def visible_conclusions(user) -> QuerySet[Conclusion]:
    return Conclusion.objects.select_related("meeting__committee", "task__lead_unit").filter(
        meeting__committee__in=visible_committees(user)
    )


def meeting_actions(meeting, user) -> list[str]:
    return MEETING_TRANSITIONS.available(meeting, user)


def meeting_events(meeting) -> list[MeetingEvent]:
    return list(meeting.events.order_by("sequence"))


# -- conclusions and their completion -------------------------------------------------------------
DONE_ON_TIME, DONE_LATE, OPEN, OVERDUE = "done_on_time", "done_late", "open", "overdue"


def _facts(task) -> TaskFacts:
    done = task.status == TaskStatus.DONE and task.done_on is not None
    return TaskFacts(
        key=task.pk,
        field="",
        year=task.year,
        deadline=task.deadline,
        done_on=task.done_on if done else None,
        cancelled=task.status == TaskStatus.CANCELLED,
    )


@dataclass
class ConclusionRow:
    conclusion: Conclusion
    state: str  # DONE_ON_TIME, DONE_LATE, OPEN, OVERDUE

    @property
    def task(self):
        return self.conclusion.task

    @property
    def done(self) -> bool:
        return self.state in (DONE_ON_TIME, DONE_LATE)


@dataclass
class ConclusionSummary:
    as_of: date
    rows: list[ConclusionRow] = field(default_factory=list)
    total: int = 0
    done: int = 0
    done_on_time: int = 0
    done_late: int = 0
    overdue: int = 0

    @property
    def open(self) -> int:
        return self.total - self.done


def summarise(conclusions, as_of: date) -> ConclusionSummary:
    """Each conclusion's state as of a day, and the counts (cancelled tasks count nowhere)."""
    conclusions = list(conclusions)
    result = completion((_facts(item.task) for item in conclusions), as_of)
    on_time, late = set(result.done_on_time), set(result.done_late)
    overdue, counted = set(result.overdue), set(result.total)
    summary = ConclusionSummary(
        as_of=as_of,
        total=len(result.total),
        done=len(result.done),
        done_on_time=len(on_time),
        done_late=len(late),
        overdue=len(overdue),
    )
    for item in conclusions:
        key = item.task_id
        if key not in counted:
            continue
        state = (
            DONE_ON_TIME
            if key in on_time
            else DONE_LATE
            if key in late
            else OVERDUE
            if key in overdue
            else OPEN
        )
        summary.rows.append(ConclusionRow(item, state))
    return summary


def previous_meeting(meeting) -> Meeting | None:
    """The committee's last meeting before this one that issued conclusions."""
    return (
        Meeting.objects.filter(
            committee_id=meeting.committee_id,
            number__lt=meeting.number,
            status=MeetingStatus.CONCLUDED,
        )
        .order_by("-number")
        .first()
    )


def summary_day(meeting, today: date | None = None) -> date:
    """A meeting to come looks at today; a held one at what stood on its day."""
    today = today or timezone.localdate()
    if meeting.status == MeetingStatus.PLANNED:
        return today
    return min(today, meeting.date)


def previous_conclusions(meeting, today: date | None = None):
    """(the previous meeting, the summary of its conclusions) or (None, None)."""
    previous = previous_meeting(meeting)
    if previous is None:
        return None, None
    conclusions = previous.conclusions.select_related("task__lead_unit")
    return previous, summarise(conclusions, summary_day(meeting, today))


def open_conclusions(conclusions, as_of: date) -> ConclusionSummary:
    """The conclusions not done as of ``as_of`` (open or overdue), overdue first."""
    summary = summarise(conclusions, as_of)
    summary.rows = sorted(
        (row for row in summary.rows if not row.done),
        key=lambda row: (row.state != OVERDUE, row.task.deadline or date.max, row.task.pk),
    )
    return summary


def conclusions_in_units(ids: list[int] | None):
    """The conclusions of the committees of these units (as their unit or their standing body)."""
    conclusions = Conclusion.objects.select_related(
        "meeting__committee", "task__lead_unit"
    ).order_by("meeting__date", "position")
    if ids is None:
        return conclusions
    return conclusions.filter(
        Q(meeting__committee__unit_id__in=ids) | Q(meeting__committee__standing_unit_id__in=ids)
    )


def user_manages(user, committee) -> bool:
    return manages(user, committee)
