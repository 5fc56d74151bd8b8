"""Reads: a round's results (totals, index, field sub-indices, rank, grade, change of rank),
where points are lost, and the contract of ``cchc par-results --json`` and
``GET /api/v1/parindex/results/``.

The arithmetic is the pure engine's (:mod:`cchc.parindex.engine.results`); this module reads the
scores in one query (``values_list``), the tree in one more (``CriteriaSet.tree``) and the grade
bands from the round (``Round.bands``). Formulas and sources: docs/parindex.md, "Results".

Scope (who sees which rows):

* a **published** round is public: every row, to anyone, signed in or not (no personal data is
  in a result row);
* before publication the organiser's reform staff (``Role.REFORM_STAFF`` in the organising unit,
  usually the Sở Nội vụ) and the members of the round's appraisal council see every row;
* a unit's own staff (any role in the assessed unit or above it) see only their unit's row;
* anyone else sees nothing.

The rank is always taken among **all** the round's units, whatever rows the reader may see.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from cchc.organisations.models import OrganisationUnit, Role
from cchc.organisations.permissions import assigned_paths, has_role, sees_everything

from . import engine
from .errors import ActionForbidden, ParIndexError
from .models import Assessment, CouncilRole, Criterion, LeafScore, Level, Round, RoundStatus

# Rounds whose results are final (the council's decision is taken): the base of "change of rank".
FINAL_STATUSES = (RoundStatus.DECIDED, RoundStatus.PUBLISHED)
ZERO = Decimal(0)


@dataclass
class RoundResults:
    """Every unit's result in a round, ranked best first, with the tree they were added up on."""

    round: Round
    roots: list[engine.Node]
    results: list[engine.UnitResult]  # ranked; ``extra`` holds unit_id, name, rank_change…
    reasons: dict[tuple[int, str], str] = field(default_factory=dict)  # (assessment, leaf)
    previous: Round | None = None

    @property
    def by_unit_id(self) -> dict[int, engine.UnitResult]:
        return {result.extra["unit_id"]: result for result in self.results}

    def for_unit(self, unit_id: int) -> engine.UnitResult | None:
        return self.by_unit_id.get(unit_id)

    @property
    def unit_count(self) -> int:
        return len(self.results)


def _leaf_inputs(round_: Round):
    """``{assessment id: {leaf code: LeafInput}}`` and the council's reasons, in one query over
    the scores (unordered, no join: leaf codes come from the set's own small table)."""
    codes = dict(
        Criterion.objects.filter(criteria_set=round_.criteria_set_id).values_list("pk", "code")
    )
    rows = (
        LeafScore.objects.filter(assessment__round=round_)
        .order_by()
        .values_list(
            "assessment_id",
            "criterion_id",
            "self_score",
            "appraised_score",
            "survey_score",
            "not_applicable",
            "appraisal_reason",
        )
    )
    inputs: dict[int, dict[str, engine.LeafInput]] = {}
    reasons: dict[tuple[int, str], str] = {}
    for assessment_id, criterion_id, own, appraised, survey, not_applicable, reason in rows:
        code = codes[criterion_id]
        inputs.setdefault(assessment_id, {})[code] = engine.LeafInput(
            self_score=own, appraised_score=appraised, survey=survey, not_applicable=not_applicable
        )
        if reason:
            reasons[(assessment_id, code)] = reason
    return inputs, reasons


def previous_round(round_: Round) -> Round | None:
    """Last year's round of the same level and organiser whose results are final."""
    return (
        Round.objects.filter(
            year=round_.year - 1,
            criteria_set__level=round_.criteria_set.level,
            organiser_id=round_.organiser_id,
            status__in=FINAL_STATUSES,
        )
        .select_related("criteria_set")
        .order_by("-criteria_set__version", "-pk")
        .first()
    )


def _ranked(round_: Round) -> tuple[list[engine.Node], list[engine.UnitResult], dict]:
    roots = round_.criteria_set.tree()
    inputs, reasons = _leaf_inputs(round_)
    assessments = Assessment.objects.filter(round=round_).values_list(
        "pk", "unit_id", "unit__code", "unit__name", "status"
    )
    results = []
    for pk, unit_id, code, name, status in assessments:
        result = engine.unit_result(code, roots, inputs.get(pk, {}))
        result.extra.update(
            {"assessment_id": pk, "unit_id": unit_id, "unit_name": name, "status": status}
        )
        results.append(result)
    return roots, engine.rank_results(results, round_.bands()), reasons


def round_results(round_: Round, *, with_previous: bool = True) -> RoundResults:
    """Every unit's result in ``round_``, ranked, with its change of rank since last year.

    ``rank_change`` = last year's rank − this year's rank (positive: the unit moved up; "tăng 8
    hạng"), or None when the unit was not ranked last year (or there is no final round then).
    """
    if "criteria_set" not in round_._state.fields_cache:
        round_ = Round.objects.select_related("criteria_set").get(pk=round_.pk)
    roots, results, reasons = _ranked(round_)
    previous = previous_round(round_) if with_previous else None
    before: dict[str, int | None] = {}
    if previous is not None:
        _roots, old, _reasons = _ranked(previous)
        before = {result.unit: result.rank for result in old}
    for result in results:
        old_rank = before.get(result.unit)
        result.extra["previous_rank"] = old_rank
        result.extra["rank_change"] = (
            old_rank - result.rank if old_rank is not None and result.rank is not None else None
        )
    return RoundResults(round_, roots, results, reasons, previous)


# -- who sees what -------------------------------------------------------------------------------
def is_public(round_: Round) -> bool:
    return round_.status == RoundStatus.PUBLISHED


def sees_all_units(user, round_: Round) -> bool:
    """Published, or the reader runs the round (or is a superuser), or chairs or is secretary
    of its council once the appraisal has started: like the assessments
    (``selectors.COUNCIL_SEES``), the units' draft self scores are not the council's to read
    while the units self-assess, and a plain member sees only the assigned fields (appraisal
    pages), not the whole ranking, until publication."""
    if is_public(round_) or sees_everything(user):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if has_role(user, [Role.REFORM_STAFF], round_.organiser):
        return True
    if round_.status not in (RoundStatus.APPRAISAL, *FINAL_STATUSES):
        return False
    # A member appraises only the fields assigned; the whole ranking before publication is the
    # chair's and the secretary's, who close the appraisal and publish.
    return round_.council.filter(
        user=user, role__in=[CouncilRole.CHAIR, CouncilRole.SECRETARY]
    ).exists()


def own_unit_ids(user, round_: Round) -> set[int]:
    """The assessed units of ``round_`` whose staff ``user`` is (a role in the unit or above)."""
    paths = assigned_paths(user)
    if not paths:
        return set()
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(path__startswith=path)
    assessed = Assessment.objects.filter(round=round_).values("unit_id")
    return set(OrganisationUnit.objects.filter(query, pk__in=assessed).values_list("pk", flat=True))


def visible_unit_ids(user, round_: Round) -> set[int] | None:
    """None: every row; else the unit ids whose rows ``user`` may see (maybe none)."""
    if sees_all_units(user, round_):
        return None
    return own_unit_ids(user, round_)


def visible_rounds(user) -> list[Round]:
    """Rounds the user may open a results page of: published ones, and unpublished ones they run,
    appraise or are assessed in."""
    rounds = Round.objects.select_related("criteria_set", "organiser").order_by("-year", "name")
    shown = []
    for round_ in rounds:
        if is_public(round_) or sees_all_units(user, round_) or own_unit_ids(user, round_):
            shown.append(round_)
    return shown


def scoped_rows(results: RoundResults, user) -> list[engine.UnitResult]:
    """The ranked rows ``user`` may see (raises ActionForbidden when none)."""
    allowed = visible_unit_ids(user, results.round)
    if allowed is None:
        return list(results.results)
    rows = [result for result in results.results if result.extra["unit_id"] in allowed]
    if not rows:
        raise ActionForbidden(_("The results of this round are not published yet."))
    return rows


# -- losses --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class UnitLoss:
    loss: engine.LeafLoss
    reason: str  # the council's appraisal reason on this leaf ("" when none)


def unit_losses(results: RoundResults, unit_id: int, limit: int | None = None) -> list[UnitLoss]:
    """Where a unit loses points (vs the maximum and the best unit), with the council's reason."""
    result = results.for_unit(unit_id)
    if result is None:
        return []
    assessment_id = result.extra["assessment_id"]
    losses = engine.losses_for_unit(result, results.results, results.roots, limit)
    return [UnitLoss(loss, results.reasons.get((assessment_id, loss.code), "")) for loss in losses]


def province_losses(results: RoundResults, limit: int | None = None) -> list[engine.LeafLoss]:
    """The leaves most units lose points on ("khắc phục tiêu chí bị trừ điểm")."""
    return engine.province_losses(results.results, results.roots, limit)


def unit_history(round_: Round, unit_id: int) -> list[dict]:
    """The unit's index, rank and grade in each final (or this) round of the same level and
    organiser, oldest first: the year-over-year chart."""
    rounds = (
        Round.objects.filter(
            criteria_set__level=round_.criteria_set.level, organiser_id=round_.organiser_id
        )
        .filter(Q(status__in=FINAL_STATUSES) | Q(pk=round_.pk))
        .select_related("criteria_set")
        .order_by("year", "pk")
    )
    points = []
    for other in rounds:
        if other.year > round_.year:
            continue
        found = round_results(other, with_previous=False).for_unit(unit_id)
        if found is not None:
            points.append(
                {"year": other.year, "index": found.index, "rank": found.rank, "grade": found.grade}
            )
    return points


# -- the CLI/API contract ------------------------------------------------------------------------
def number(value) -> float | None:
    """A Decimal as a JSON number with two decimals (rounded half up), None stays null."""
    if value is None:
        return None
    return float(engine.round_half_up(Decimal(value)))


def unit_row(result: engine.UnitResult) -> dict:
    """One unit of the contract: ``unit`` (code, str), ``unit_name`` (str), ``max_points``,
    ``self_score``, ``appraised_score``, ``survey_score``, ``bonus``, ``total`` (numbers, two
    decimals), ``index`` (number, two decimals, or null when the applicable maximum is 0),
    ``rank`` (integer or null), ``grade`` (str, "" when no index), ``rank_change`` (integer:
    last year's rank − this year's, positive = up; null when not ranked last year) and
    ``fields`` [{``code`` (str), ``name`` (str), ``max``, ``score`` (numbers), ``index``
    (number or null)}]."""
    return {
        "unit": result.unit,
        "unit_name": result.extra["unit_name"],
        "max_points": number(result.max_points),
        "self_score": number(result.self_score),
        "appraised_score": number(result.appraised_score),
        "survey_score": number(result.survey_score),
        "bonus": number(result.bonus),
        "total": number(result.total),
        "index": number(result.index),
        "rank": result.rank,
        "grade": result.grade,
        "rank_change": result.extra.get("rank_change"),
        "fields": [
            {
                "code": item.code,
                "name": item.name,
                "max": number(item.max),
                "score": number(item.score),
                "index": number(item.index),
            }
            for item in result.fields
        ],
    }


class ResultsQueryError(ParIndexError):
    """A bad ``year``/``level`` (the API answers 400 with the field, the CLI exits 2)."""


def find_round(year, level: str | None = None) -> Round:
    """The round of ``year`` (and ``level``): one round per year and level is the rule; if several
    organisers ran one, the first by organiser code is taken."""
    try:
        year = int(str(year).strip())
    except (TypeError, ValueError):
        raise ResultsQueryError(
            _("Enter the year as four digits, for example 2025."), "year"
        ) from None
    if not 2000 <= year <= 2100:
        raise ResultsQueryError(_("Enter a year between 2000 and 2100."), "year")
    if level and level not in Level.values:
        raise ResultsQueryError(
            _("Choose a level among %(levels)s.") % {"levels": ", ".join(Level.values)}, "level"
        )
    rounds = Round.objects.filter(year=year).select_related("criteria_set", "organiser")
    if level:
        rounds = rounds.filter(criteria_set__level=level)
    rounds = list(rounds.order_by("organiser__code", "criteria_set__level", "pk"))
    if not rounds and level and Round.objects.filter(year=year).exists():
        message = _("There is no assessment round of this level for %(year)s.") % {"year": year}
        raise ResultsQueryError(message, "level")
    if not rounds:
        message = _("There is no assessment round for %(year)s.") % {"year": year}
        raise ResultsQueryError(message, "year")
    levels = {round_.criteria_set.level for round_ in rounds}
    if len(levels) > 1:
        raise ResultsQueryError(
            _("Several rounds in %(year)s: choose a level (%(levels)s).")
            % {"year": year, "levels": ", ".join(sorted(levels))},
            "level",
        )
    return rounds[0]


def results_payload(year, level: str | None = None, user=None, *, everything: bool = False):
    """``{"year", "level", "criteria_set", "units": [...]}`` exactly (see :func:`unit_row`):
    ``year`` (int), ``level`` (str), ``criteria_set`` (str, the set's name and version), the rows
    the reader may see, best first. ``everything``: the CLI's full view (no reader)."""
    round_ = find_round(year, level)
    results = round_results(round_)
    rows = results.results if everything else scoped_rows(results, user)
    return payload_for(results, rows)


def payload_for(results: RoundResults, rows: Iterable[engine.UnitResult]) -> dict:
    round_ = results.round
    return {
        "year": round_.year,
        "level": round_.criteria_set.level,
        "criteria_set": str(round_.criteria_set),
        "units": [unit_row(result) for result in rows],
    }
