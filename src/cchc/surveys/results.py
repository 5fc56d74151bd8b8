"""A campaign's results: its counted responses through the pure engine (``engine.statistics``).

* **Counted** responses are those whose review is ``valid`` or ``accepted``; flagged and rejected
  ones are left out (a flagged response waits for review, docs/surveys.md).
* **Items of the index** (:func:`item_map`): every ``likert5`` question with a factor and every
  item of a 5-point ``matrix`` with a factor (the item's own factor, else its question's). Other
  questions (profile, observations, open texts) are reported but do not enter the index.
* **Index, factor indices and their 95 % intervals** come from :func:`engine.statistics.unit_result`
  with the campaign's formula, resamples and seed; a unit with fewer counted responses than the
  campaign's ``minimum_responses`` is "not enough answers" and has no rank
  (:func:`engine.statistics.rank_units`).
* **Response rate** (tỷ lệ phản hồi): counted responses that came through an invitation ÷
  invitations drawn for the unit, in percent with two decimals; ``None`` when the unit has no
  invitation (QR, kiosk and paper answers have no denominator: a QR code has no list of people
  it was shown to). QR/kiosk/paper answers count in ``responses`` and per channel.
* **Who sees what** (:func:`visible_unit_ids`): a published campaign is public (ranking, indices,
  factors — never open texts, which may hold personal data); before publication the reform staff,
  leaders and system administrators of the organiser (or a unit above it) see every unit, those
  of a surveyed unit (or above it) only that unit's row; anyone else sees nothing (404).

Nothing is cached: a 1,000-resample bootstrap of a 30-unit campaign takes well under a second
(the engine's slice-wise products), so results are computed per request.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q

from cchc.organisations.models import OrganisationUnit, Role
from cchc.organisations.permissions import assigned_paths, has_role, sees_everything

from .engine import form
from .engine import statistics as stats
from .models import (
    Campaign,
    CampaignStatus,
    CampaignUnit,
    Invitation,
    Response,
    ReviewStatus,
)

COUNTED = (ReviewStatus.VALID, ReviewStatus.ACCEPTED)
#: Roles that read results: the people who run reform work in a unit and its leaders.
RESULT_ROLES = (Role.REFORM_STAFF, Role.LEADER, Role.SYSTEM_ADMIN)


# -- the questionnaire's items --------------------------------------------------------------------
def _five_point(question: form.Question) -> bool:
    return not question.choices or len(question.choices) == stats.SCALE


def index_items(spec: form.FormSpec) -> list[tuple[str, str, str, str]]:
    """``[(item code, factor code, question code, label)]`` of the items that enter the index."""
    found = []
    for question in spec.questions():
        if question.kind == form.LIKERT5 and question.factor:
            found.append((question.code, question.factor, question.code, question.label))
        elif question.kind == form.MATRIX and _five_point(question):
            for item in question.items:
                factor = item.factor or question.factor
                if factor:
                    found.append((item.code, factor, question.code, item.label))
    return found


def item_map(spec: form.FormSpec) -> stats.ItemMap:
    """The engine's columns: the index items of ``spec`` and their factors, factors in the
    questionnaire's order (``Factor.order``), then any factor named only on an item."""
    items = index_items(spec)
    declared = [f.code for f in sorted(spec.factors, key=lambda f: (f.order, f.code))]
    used = list(dict.fromkeys(factor for _code, factor, _q, _l in items))
    order = [code for code in declared if code in used] + [c for c in used if c not in declared]
    return stats.ItemMap(
        tuple(code for code, *_rest in items),
        tuple(factor for _c, factor, *_rest in items),
        tuple(order),
    )


def flat_answers(spec: form.FormSpec, answers: dict) -> dict:
    """``{question or matrix item code: value}``: matrix answers spread to their item codes."""
    flat = {}
    for question in spec.questions():
        value = answers.get(question.code)
        if question.kind == form.MATRIX:
            if isinstance(value, dict):
                for item in question.items:
                    flat[item.code] = value.get(item.code)
        else:
            flat[question.code] = value
    return flat


def _level(value) -> float:
    """A stored answer as a level, NaN when blank, not applicable or not a level at all (a
    stored answer is validated on entry; a malformed one is not a valid answer, not an error)."""
    try:
        level = stats.answer_level(value)
    except (ValueError, TypeError):
        return math.nan
    return math.nan if level is None else float(level)


def levels_matrix(flat_rows: list[dict], items: Iterable[str]):
    import numpy as np

    items = list(items)
    return np.array(
        [[_level(row.get(item)) for item in items] for row in flat_rows], dtype=float
    ).reshape(len(flat_rows), len(items))


# -- results --------------------------------------------------------------------------------------
@dataclass
class ItemRow:
    code: str
    label: str
    question: str
    factor: str
    share: float | None
    distribution: tuple[int, ...]
    valid: int
    excluded: int

    @property
    def percents(self) -> list[float]:
        """Each level's share of the valid answers, in percent (the stacked bar's segments)."""
        return [100 * n / self.valid if self.valid else 0.0 for n in self.distribution]


@dataclass
class FactorRow:
    code: str
    name: str
    items: int
    index: float | None
    ci_low: float | None
    ci_high: float | None
    item_rows: list[ItemRow] = field(default_factory=list)

    @property
    def shown(self) -> float | None:
        return percent(self.index)


@dataclass
class UnitRow:
    unit_id: int
    unit: str
    unit_name: str
    invited: int
    responses: int
    response_rate: float | None
    index: float | None
    ci_low: float | None
    ci_high: float | None
    rank: int | None
    enough: bool
    overlaps_previous: bool
    overlaps_next: bool
    factors: list[FactorRow]
    items: list[ItemRow]
    channels: dict[str, int]

    @property
    def shown(self) -> dict:
        """The figures as published (half up to two decimals), for the pages."""
        return {
            "index": percent(self.index),
            "ci_low": percent(self.ci_low),
            "ci_high": percent(self.ci_high),
            "response_rate": percent(self.response_rate),
        }

    @property
    def overlaps(self) -> bool:
        """The interval overlaps a neighbour's in the ranking: the difference is not significant."""
        return self.overlaps_previous or self.overlaps_next


@dataclass
class OpenText:
    unit: str
    unit_name: str
    question: str
    label: str
    text: str


@dataclass
class CampaignResults:
    campaign: Campaign
    spec: form.FormSpec
    rows: list[UnitRow]  # ranked first (best first), then "not enough answers" by code
    texts: list[OpenText]
    factor_names: dict[str, str]

    def for_units(self, unit_ids: set[int] | None) -> list[UnitRow]:
        if unit_ids is None:
            return list(self.rows)
        return [row for row in self.rows if row.unit_id in unit_ids]


def percent(value) -> float | None:
    """A percentage as published: rounded half up to two decimals (``None`` stays ``None``)."""
    return stats.round_half_up(value)


def counted_responses(campaign: Campaign):
    return Response.objects.filter(campaign=campaign, review__in=COUNTED).order_by("unit_id", "pk")


def campaign_results(
    campaign: Campaign, *, resamples: int | None = None, spec: form.FormSpec | None = None
) -> CampaignResults:
    """Every surveyed unit's result (see the module docstring). ``resamples=0`` skips the
    intervals (the trend chart needs only the indices)."""
    spec = spec or campaign.questionnaire.as_spec()
    columns = item_map(spec)
    labels = {code: (label, question) for code, _f, question, label in index_items(spec)}
    factor_names = {f.code: f.name for f in spec.factors}
    config = stats.IndexConfig(
        factor_formula=campaign.formula,
        overall_formula=campaign.formula,
        resamples=campaign.resamples if resamples is None else resamples,
    )
    text_questions = [q for q in spec.questions() if q.kind == form.TEXT]

    units = {
        cu.unit_id: cu.unit
        for cu in CampaignUnit.objects.filter(campaign=campaign).select_related("unit")
    }
    flat: dict[int, list[dict]] = defaultdict(list)
    channels: dict[int, Counter] = defaultdict(Counter)
    answered_invitations: Counter = Counter()
    texts: list[tuple[int, str, str, str]] = []
    for unit_id, channel, answers, invitation_id in counted_responses(campaign).values_list(
        "unit_id", "channel", "answers", "invitation_id"
    ):
        answers = answers if isinstance(answers, dict) else {}
        flat[unit_id].append(flat_answers(spec, answers))
        channels[unit_id][channel] += 1
        if invitation_id is not None:
            answered_invitations[unit_id] += 1
        for question in text_questions:
            value = answers.get(question.code)
            if isinstance(value, str) and value.strip():
                texts.append((unit_id, question.code, question.label, value.strip()))
    missing = set(flat) - set(units)
    if missing:  # a response at a unit later removed from the list still counts
        units.update({u.pk: u for u in OrganisationUnit.objects.filter(pk__in=missing)})
    invited = dict(
        Invitation.objects.filter(campaign=campaign)
        .values_list("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )

    by_code = {unit.code: unit for unit in units.values()}
    matrices = {
        unit.code: levels_matrix(flat.get(unit_id, []), columns.items)
        for unit_id, unit in units.items()
    }
    engine_results = {
        r.unit: r
        for r in stats.campaign_results(matrices, columns, config, seed=campaign.seed or 0)
    }
    ranking = stats.rank_units(engine_results.values(), minimum=max(1, campaign.minimum_responses))

    rows = []
    for ranked in ranking:
        result = engine_results[ranked.unit]
        unit = by_code[ranked.unit]
        item_rows = [
            ItemRow(
                code=share.item,
                label=labels[share.item][0],
                question=labels[share.item][1],
                factor=factor,
                share=share.share,
                distribution=share.distribution,
                valid=share.valid,
                excluded=share.excluded,
            )
            for share, factor in zip(result.items, columns.item_factors, strict=True)
        ]
        factors = [
            FactorRow(
                code=f.code,
                name=factor_names.get(f.code, f.code),
                items=len(f.items),
                index=f.index,
                ci_low=f.ci_low,
                ci_high=f.ci_high,
                item_rows=[item for item in item_rows if item.factor == f.code],
            )
            for f in result.factors
        ]
        count_invited = invited.get(unit.pk, 0)
        rate = 100 * answered_invitations[unit.pk] / count_invited if count_invited else None
        rows.append(
            UnitRow(
                unit_id=unit.pk,
                unit=unit.code,
                unit_name=unit.name,
                invited=count_invited,
                responses=result.responses,
                response_rate=rate,
                index=result.index,
                ci_low=result.ci_low,
                ci_high=result.ci_high,
                rank=ranked.rank,
                enough=ranked.status == stats.RANKED,
                overlaps_previous=ranked.overlaps_previous,
                overlaps_next=ranked.overlaps_next,
                factors=factors,
                items=item_rows,
                channels=dict(channels.get(unit.pk, {})),
            )
        )
    open_texts = [
        OpenText(units[unit_id].code, units[unit_id].name, code, label, text)
        for unit_id, code, label, text in texts
    ]
    return CampaignResults(campaign, spec, rows, open_texts, factor_names)


def payload(results: CampaignResults, rows: Iterable[UnitRow] | None = None) -> dict:
    """The public JSON of ``cchc sipas-results --json`` and the API (keys are a contract):
    indices, bounds and response rates in percent rounded half up to two decimals."""
    rows = results.rows if rows is None else rows
    return {
        "campaign": results.campaign.code,
        "units": [
            {
                "unit": row.unit,
                "unit_name": row.unit_name,
                "invited": row.invited,
                "responses": row.responses,
                "response_rate": percent(row.response_rate),
                "index": percent(row.index),
                "ci_low": percent(row.ci_low),
                "ci_high": percent(row.ci_high),
                "rank": row.rank,
                "factors": [
                    {
                        "code": factor.code,
                        "name": factor.name,
                        "items": factor.items,
                        "index": percent(factor.index),
                        "ci_low": percent(factor.ci_low),
                        "ci_high": percent(factor.ci_high),
                    }
                    for factor in row.factors
                ],
            }
            for row in rows
        ],
    }


def campaign_index(campaign: Campaign) -> float | None:
    """The campaign's index over all its counted responses taken together (no interval): the
    point of the trend chart."""
    spec = campaign.questionnaire.as_spec()
    columns = item_map(spec)
    rows = [
        flat_answers(spec, a) for a in counted_responses(campaign).values_list("answers", flat=True)
    ]
    config = stats.IndexConfig(
        factor_formula=campaign.formula, overall_formula=campaign.formula, resamples=0
    )
    return stats.unit_result("all", levels_matrix(rows, columns.items), columns, config).index


def trend(campaign: Campaign) -> list[dict]:
    """The index of each closed or published campaign of the same organiser, oldest first, and
    of this one: ``[{"campaign", "name", "index"}]``."""
    campaigns = Campaign.objects.filter(organiser=campaign.organiser_id).filter(
        Q(status__in=[CampaignStatus.CLOSED, CampaignStatus.PUBLISHED]) | Q(pk=campaign.pk)
    )
    return [
        {"campaign": c.code, "name": c.name, "index": percent(campaign_index(c))}
        for c in campaigns.select_related("questionnaire").order_by("period_end", "pk")
    ]


# -- who sees what --------------------------------------------------------------------------------
def is_public(campaign: Campaign) -> bool:
    return campaign.status == CampaignStatus.PUBLISHED


def sees_all_units(user, campaign: Campaign) -> bool:
    """Superusers and the organiser's reform staff, leaders and system administrators (or a unit
    above the organiser)."""
    if sees_everything(user):
        return True
    return has_role(user, RESULT_ROLES, campaign.organiser)


def own_unit_ids(user, campaign: Campaign) -> set[int]:
    """Surveyed units where ``user`` holds a result role (in the unit or above it)."""
    paths = assigned_paths(user, RESULT_ROLES)
    if not paths:
        return set()
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(unit__path__startswith=path)
    return set(
        CampaignUnit.objects.filter(query, campaign=campaign).values_list("unit_id", flat=True)
    )


def visible_unit_ids(user, campaign: Campaign, *, public: bool = True) -> set[int] | None:
    """``None``: every row; else the unit ids whose rows ``user`` may see (maybe none).
    ``public=False`` ignores publication (the staff pages' open texts and raw exports)."""
    if sees_all_units(user, campaign) or (public and is_public(campaign)):
        return None
    return own_unit_ids(user, campaign)


def visible_campaigns(user) -> list[Campaign]:
    """Campaigns whose results page ``user`` may open (drafts have no results)."""
    shown = []
    campaigns = Campaign.objects.exclude(status=CampaignStatus.DRAFT).select_related("organiser")
    for campaign in campaigns.order_by("-period_end", "code"):
        if visible_unit_ids(user, campaign) is None or own_unit_ids(user, campaign):
            shown.append(campaign)
    return shown


def find_visible(code: str, user) -> Campaign | None:
    """The campaign ``code`` if ``user`` may see some of its results, else ``None``."""
    campaign = (
        Campaign.objects.select_related("organiser", "questionnaire").filter(code=code).first()
    )
    if campaign is None:
        return None
    if visible_unit_ids(user, campaign) is None or own_unit_ids(user, campaign):
        return campaign
    return None
