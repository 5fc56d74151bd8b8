"""Reads for the criteria-set pages: the list, and one set as rows with its validation status."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from . import criteria
from .models import CriteriaSet, Criterion, Round


def criteria_sets() -> QuerySet[CriteriaSet]:
    """Every set, newest year first, with its leaf count and whether a round uses it."""
    return CriteriaSet.objects.annotate(
        leaf_count=Count("criteria", filter=~Q(criteria__method="")),
        used=Exists(Round.objects.filter(criteria_set=OuterRef("pk"))),
    ).order_by("-year", "level", "-version")


@dataclass
class SetDetail:
    criteria_set: CriteriaSet
    blocks: list[tuple[str, str, list[Criterion]]]  # (block key, label, rows)
    problems: list[tuple] = field(default_factory=list)
    leaf_count: int = 0
    rounds: list[Round] = field(default_factory=list)
    other_versions: list[CriteriaSet] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems


def criteria_set_detail(criteria_set: CriteriaSet) -> SetDetail:
    """The set's rows by block (main, then bonus, then penalty) and every validation problem."""
    from .models import Block

    rows = list(criteria_set.criteria.order_by("position"))
    blocks = []
    for key, label in Block.choices:
        block_rows = [row for row in rows if row.block == key]
        if block_rows:
            blocks.append((key, label, block_rows))
    problems = criteria.check(criteria_set.tree(), criteria_set.declared_total)
    return SetDetail(
        criteria_set=criteria_set,
        blocks=blocks,
        problems=problems,
        leaf_count=sum(1 for row in rows if row.method),
        rounds=list(criteria_set.rounds.order_by("-year", "name")),
        other_versions=list(
            CriteriaSet.objects.filter(year=criteria_set.year, level=criteria_set.level)
            .exclude(pk=criteria_set.pk)
            .order_by("-version")
        ),
    )
