"""What each person may read of the PAR INDEX rounds, and the figures of the workspaces.

Scopes (issue 11; docs/parindex.md, "Roles"):

- the staff of an assessed unit (any role in the unit or above it) see their own unit's
  assessment once the round is open, and no other unit's until the results are published;
- a council member sees the assessments of their round from the appraisal on, but only the leaves
  of the fields assigned to them (the chair and the secretary: every field);
- the reform staff of the organising unit see every assessment of their rounds;
- after publication every staff member sees the published assessments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from cchc.organisations.models import Role
from cchc.organisations.permissions import assigned_paths, has_role, sees_everything

from . import engine
from .models import (
    Assessment,
    AssessmentStatus,
    CouncilRole,
    Criterion,
    LeafScore,
    Round,
    RoundStatus,
)
from .services import is_organiser, may_score
from .transitions import ASSESSMENT_TRANSITIONS, ORGANISER_ROLES, ROUND_TRANSITIONS

COUNCIL_SEES = (RoundStatus.APPRAISAL, RoundStatus.DECIDED, RoundStatus.PUBLISHED)


def _paths_q(paths: list[str], field_name: str) -> Q:
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(**{f"{field_name}__path__startswith": path})
    return query


def is_staff(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        has_role(user) or user.par_council_seats.exists()
    )


def organised_rounds(user) -> QuerySet[Round]:
    rounds = Round.objects.select_related("criteria_set", "organiser")
    if sees_everything(user):
        return rounds
    return rounds.filter(_paths_q(assigned_paths(user, list(ORGANISER_ROLES)), "organiser"))


def council_rounds(user) -> QuerySet[Round]:
    if not getattr(user, "is_authenticated", False):
        return Round.objects.none()
    return Round.objects.select_related("criteria_set", "organiser").filter(council__user=user)


def visible_rounds(user) -> QuerySet[Round]:
    """Rounds the user organises, sits on the council of, or whose assessment they may read."""
    if sees_everything(user):
        return Round.objects.select_related("criteria_set", "organiser")
    ids = set(organised_rounds(user).values_list("pk", flat=True))
    ids |= set(council_rounds(user).values_list("pk", flat=True))
    ids |= set(visible_assessments(user).values_list("round_id", flat=True))
    return Round.objects.select_related("criteria_set", "organiser").filter(pk__in=ids)


def visible_assessments(user) -> QuerySet[Assessment]:
    assessments = Assessment.objects.select_related("round", "unit", "round__criteria_set")
    if sees_everything(user):
        return assessments
    if not getattr(user, "is_authenticated", False):
        return assessments.none()
    query = _paths_q(assigned_paths(user, list(ORGANISER_ROLES)), "round__organiser")
    paths = assigned_paths(user)
    # the unit's own staff, and an office of the unit that answers for one of its leaves
    own = (_paths_q(paths, "unit") | _paths_q(paths, "scores__responsible_unit")) & ~Q(
        round__status=RoundStatus.DRAFT
    )
    council = Q(round__council__user=user, round__status__in=COUNCIL_SEES)
    published = Q(status=AssessmentStatus.PUBLISHED) if has_role(user) else Q(pk__in=[])
    return assessments.filter(query | own | council | published).distinct()


def own_assessments(user) -> QuerySet[Assessment]:
    """The assessments of the user's own units (the home page's first list)."""
    if not getattr(user, "is_authenticated", False):
        return Assessment.objects.none()
    paths = assigned_paths(user)
    return (
        Assessment.objects.select_related("round", "unit")
        .filter(_paths_q(paths, "unit") | _paths_q(paths, "scores__responsible_unit"))
        .exclude(round__status=RoundStatus.DRAFT)
        .distinct()
    )


def top_levels(criteria_set) -> dict[int, Criterion]:
    """Each criterion of the set → its top-level criterion (lĩnh vực), in one query."""
    rows = list(criteria_set.criteria.order_by("position"))
    by_id = {row.pk: row for row in rows}
    result = {}
    for row in rows:
        node = row
        while node.parent_id is not None:
            node = by_id[node.parent_id]
        result[row.pk] = node
    return result


def assigned_fields(user, round_: Round) -> set[int] | None:
    """The top-level criteria ids a council member appraises; None: every field (chair,
    secretary, the organiser, the unit's own staff)."""
    if sees_everything(user) or is_organiser(user, round_):
        return None
    seat = round_.council.filter(user=user).first() if user.is_authenticated else None
    if seat is None or seat.role in (CouncilRole.CHAIR, CouncilRole.SECRETARY):
        return None
    return set(seat.fields.values_list("pk", flat=True))


def visible_leaves(user, assessment: Assessment) -> QuerySet[LeafScore]:
    """The leaves of ``assessment`` the user may read (``assessment`` is already in scope)."""
    leaves = (
        assessment.scores.select_related("criterion", "responsible_unit", "appraised_by")
        .prefetch_related("evidence", "explanation_requests")
        .order_by("criterion__position")
    )
    if has_role(user, None, assessment.unit):
        return leaves
    fields = assigned_fields(user, assessment.round)
    if fields is None:
        return leaves
    tops = top_levels(assessment.round.criteria_set)
    wanted = [pk for pk, top in tops.items() if top.pk in fields]
    return leaves.filter(criterion_id__in=wanted)


@dataclass
class FieldProgress:
    code: str
    name: str
    total: int = 0
    scored: int = 0
    missing_evidence: list[str] = field(default_factory=list)
    self_score: Decimal = Decimal("0.00")
    max_points: Decimal = Decimal("0.00")

    @property
    def done(self) -> bool:
        return self.scored == self.total and not self.missing_evidence


def needs_score(leaf: LeafScore) -> bool:
    return leaf.criterion.method in engine.SELF_SCORED


def is_scored(leaf: LeafScore) -> bool:
    method = leaf.criterion.method
    if method == engine.SURVEY:
        return True
    return leaf.not_applicable or leaf.self_score is not None


def lacks_support(leaf: LeafScore) -> bool:
    """No evidence and no explanation where the unit answers for the leaf (``services``)."""
    method = leaf.criterion.method
    answers = method in engine.SELF_SCORED or (method == engine.COMPUTED and leaf.contested)
    return answers and not leaf.evidence.all() and not leaf.explanation.strip()


def progress(leaves, criteria_set) -> list[FieldProgress]:
    """Per top-level field: leaves scored out of those to score, leaves lacking evidence."""
    tops = top_levels(criteria_set)
    result: dict[int, FieldProgress] = {}
    for leaf in leaves:
        top = tops[leaf.criterion_id]
        item = result.setdefault(
            top.pk, FieldProgress(top.code, top.name, max_points=top.max_points)
        )
        if leaf.criterion.method == engine.SURVEY:
            continue
        item.total += 1
        item.scored += int(is_scored(leaf))
        if lacks_support(leaf):
            item.missing_evidence.append(leaf.criterion.code)
        if leaf.self_score is not None:
            item.self_score += leaf.self_score
    return list(result.values())


def round_actions(round_: Round, user) -> list[str]:
    return ROUND_TRANSITIONS.available(round_, user)


def assessment_actions(assessment: Assessment, user) -> list[str]:
    """The assessment's buttons: the table's, narrowed by the round's phase."""
    actions = ASSESSMENT_TRANSITIONS.available(assessment, user)
    if assessment.round.status != RoundStatus.SELF_ASSESSMENT:
        actions = [a for a in actions if a not in ("submit", "reopen")]
    return actions


def leaf_permissions(user, leaf: LeafScore, assessment: Assessment) -> dict:
    """What the leaf page offers the user."""
    from .services import may_appraise

    round_ = assessment.round
    editing = (
        round_.status == RoundStatus.SELF_ASSESSMENT
        and assessment.status == AssessmentStatus.DRAFT
        and may_score(user, leaf, assessment)
    )
    method = leaf.criterion.method
    appraising = (
        round_.status == RoundStatus.APPRAISAL
        and assessment.status == AssessmentStatus.SUBMITTED
        and method != engine.SURVEY
        and may_appraise(user, round_, leaf.criterion)
    )
    assigning = (
        round_.status == RoundStatus.SELF_ASSESSMENT
        and assessment.status == AssessmentStatus.DRAFT
        and (is_organiser(user, round_) or has_role(user, [Role.LEADER], assessment.unit))
    )
    answering = (
        round_.status == RoundStatus.APPRAISAL
        and assessment.status == AssessmentStatus.SUBMITTED
        and "answer" in [t.action for t in ASSESSMENT_TRANSITIONS if t.permits(user, assessment)]
    )
    return {
        "score": editing and method in engine.SELF_SCORED,
        "contest": editing and method == engine.COMPUTED,
        "evidence": editing and method != engine.SURVEY,
        "assign": assigning,
        "appraise": appraising,
        "answer": answering,
    }


def assessment_summaries(round_: Round, assessments) -> list[dict]:
    """Per assessment of a round: leaves scored, leaves appraised, open explanation requests."""
    counts = {
        row["assessment_id"]: row
        for row in LeafScore.objects.filter(assessment__in=assessments)
        .exclude(criterion__method=engine.SURVEY)
        .values("assessment_id")
        .annotate(
            total=Count("pk", distinct=True),
            scored=Count(
                "pk",
                distinct=True,
                filter=Q(self_score__isnull=False) | Q(not_applicable=True),
            ),
            appraised=Count("pk", distinct=True, filter=~Q(appraisal_state="pending")),
            open_requests=Count(
                "explanation_requests",
                distinct=True,
                filter=Q(explanation_requests__answered_at__isnull=True),
            ),
        )
    }
    return [{"assessment": a, **counts.get(a.pk, {})} for a in assessments]
