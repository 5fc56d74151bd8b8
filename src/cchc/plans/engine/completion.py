"""Plan completion as of a date (tỷ lệ hoàn thành kế hoạch), in plain Python.

Rules (docs/plans.md, "Completion"):

- a cancelled task (removed when the plan was amended) counts nowhere;
- a task is due on its deadline; a recurring task (thường xuyên) on 31/12 of its year;
- a task is done as of a day when it was done on or before that day (``done_on``), and done late
  when that day is after its due day;
- a task is overdue as of a day when its due day is before that day and it is not done;
- ``completion_percent`` = 100 × done ÷ all tasks and ``completion_of_due_percent`` = 100 × (due
  tasks done) ÷ due tasks (a task done before it is due does not lift the share of due tasks above
  100 %), each rounded half up to two decimals (26/28 = 92.86 %; the press often truncates to
  "92 %"). With no task the percentage is ``None``, not 0 or 100.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from cchc.parindex.engine.scoring import round_half_up  # the PAR INDEX tables' rounding

ROUNDING_RULE = "half up, 2 decimals"


@dataclass(frozen=True)
class TaskFacts:
    key: int | str
    field: str  # the field's name ("" when the task has none)
    year: int
    deadline: date | None  # None: recurring, due at the end of the year
    done_on: date | None = None
    cancelled: bool = False

    @property
    def due_on(self) -> date:
        return self.deadline or date(self.year, 12, 31)


def percent(numerator: int, denominator: int) -> Decimal | None:
    """100 × numerator ÷ denominator rounded half up to 2 decimals; ``None`` when nothing counts."""
    if not denominator:
        return None
    return round_half_up(Decimal(100) * numerator / denominator)


@dataclass
class FieldCompletion:
    name: str
    tasks_total: int = 0
    tasks_done: int = 0

    @property
    def completion_percent(self) -> Decimal | None:
        return percent(self.tasks_done, self.tasks_total)


@dataclass
class Completion:
    as_of: date
    total: list = field(default_factory=list)  # keys of the tasks counted
    due: list = field(default_factory=list)
    due_done: list = field(default_factory=list)  # due tasks done as of the day
    done: list = field(default_factory=list)
    done_on_time: list = field(default_factory=list)
    done_late: list = field(default_factory=list)
    overdue: list = field(default_factory=list)
    fields: list[FieldCompletion] = field(default_factory=list)

    @property
    def completion_percent(self) -> Decimal | None:
        return percent(len(self.done), len(self.total))

    @property
    def completion_of_due_percent(self) -> Decimal | None:
        return percent(len(self.due_done), len(self.due))


def is_done(task: TaskFacts, as_of: date) -> bool:
    return task.done_on is not None and task.done_on <= as_of


def completion(tasks: Iterable[TaskFacts], as_of: date) -> Completion:
    """Counts, and the keys behind each count (the lists a page drills down to)."""
    result = Completion(as_of=as_of)
    by_field: dict[str, FieldCompletion] = {}
    for task in tasks:
        if task.cancelled:
            continue
        row = by_field.setdefault(task.field, FieldCompletion(task.field))
        row.tasks_total += 1
        result.total.append(task.key)
        due = task.due_on <= as_of
        if due:
            result.due.append(task.key)
        if is_done(task, as_of):
            if due:
                result.due_done.append(task.key)
            row.tasks_done += 1
            result.done.append(task.key)
            late = task.done_on > task.due_on
            (result.done_late if late else result.done_on_time).append(task.key)
        elif task.due_on < as_of:
            result.overdue.append(task.key)
    result.fields = list(by_field.values())
    return result
