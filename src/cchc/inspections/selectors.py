"""Reads of the reform inspections: who sees what, the lists, the self-inspection share, the
conclusion notice's content (one source for the page, the DOCX and the PDF).

Who sees an inspection (docs/inspections.md, "Roles"):

* the members of its team (head, members, secretary);
* the reform staff, leaders, auditors and system administrators of the organising unit (or a
  unit above it);
* the inspected unit's staff (any role there or above), once the conclusion is issued;
* the staff of a recommendation's responsible unit, likewise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from cchc.conf import conf
from cchc.organisations.models import OrganisationUnit
from cchc.organisations.permissions import assigned_paths, sees_everything

from .models import (
    DONE_STATUSES,
    PUBLISHED_TO_UNIT,
    FindingKind,
    Inspection,
    InspectionPlan,
    Recommendation,
    RecommendationStatus,
)
from .transitions import INSPECTION_TRANSITIONS, READER_ROLES, team_role


def _under(paths: list[str], field: str) -> Q:
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(**{f"{field}__path__startswith": path})
    return query


def visible_inspections(user) -> QuerySet[Inspection]:
    inspections = Inspection.objects.select_related("plan", "plan__organiser", "target", "team")
    if sees_everything(user):
        return inspections
    if not getattr(user, "is_authenticated", False):
        return inspections.none()
    any_role = assigned_paths(user)
    query = (
        Q(team__members__user=user)
        | _under(assigned_paths(user, READER_ROLES), "plan__organiser")
        | (Q(status__in=PUBLISHED_TO_UNIT) & _under(any_role, "target"))
        | (Q(status__in=PUBLISHED_TO_UNIT) & _under(any_role, "recommendations__responsible_unit"))
    )
    ids = Inspection.objects.filter(query).values("pk")
    return inspections.filter(pk__in=ids)


def visible_plans(user) -> QuerySet[InspectionPlan]:
    plans = InspectionPlan.objects.select_related("organiser")
    if sees_everything(user):
        return plans
    query = _under(assigned_paths(user, READER_ROLES), "organiser") | Q(
        pk__in=visible_inspections(user).values("plan_id")
    )
    return plans.filter(query)


def visible_recommendations(user) -> QuerySet[Recommendation]:
    return Recommendation.objects.filter(
        inspection__in=visible_inspections(user).values("pk"),
        inspection__status__in=PUBLISHED_TO_UNIT,
    ).select_related("inspection", "inspection__target", "responsible_unit")


def is_staff(user) -> bool:
    return bool(assigned_paths(user)) or sees_everything(user)


def actions(inspection: Inspection, user) -> list[str]:
    return INSPECTION_TRANSITIONS.available(inspection, user)


def may_fill(inspection: Inspection, user) -> bool:
    return INSPECTION_TRANSITIONS.allows(inspection, "fill") and INSPECTION_TRANSITIONS[
        "fill"
    ].permits(user, inspection)


def may_report(recommendation: Recommendation, inspection: Inspection, user) -> bool:
    from cchc.organisations.permissions import has_role

    return (
        INSPECTION_TRANSITIONS.allows(inspection, "report")
        and recommendation.status != RecommendationStatus.DONE
        and has_role(
            user, list(INSPECTION_TRANSITIONS["report"].roles), recommendation.responsible_unit
        )
    )


def seat(inspection: Inspection, user) -> str | None:
    return team_role(user, inspection)


# -- figures --------------------------------------------------------------------------------------
def percent(numerator: int, denominator: int) -> Decimal | None:
    """100 × n ÷ d rounded half up to two decimals (None when d is 0)."""
    if not denominator:
        return None
    return (Decimal(100) * numerator / denominator).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass(frozen=True)
class SelfInspection:
    """A unit's inspections of its own sub-units in a year against the required share
    (``CCHC_SELF_INSPECTION_MIN_SHARE``; par-sipas-plan-sources §C3: "tự kiểm tra ít nhất 50%
    số đơn vị trực thuộc")."""

    unit: OrganisationUnit
    year: int
    inspected: int
    total: int
    share: Decimal | None
    required: Decimal

    @property
    def meets(self) -> bool:
        return self.share is not None and self.share >= self.required


def self_inspection(unit: OrganisationUnit, year: int) -> SelfInspection:
    """Distinct direct sub-units inspected (record closed or later) in plans of ``unit`` for
    ``year``, over its active direct sub-units."""
    children = OrganisationUnit.objects.filter(parent=unit).active()
    inspected = (
        Inspection.objects.filter(
            plan__organiser=unit,
            plan__year=year,
            status__in=DONE_STATUSES,
            target__in=children,
        )
        .values("target_id")
        .distinct()
        .count()
    )
    total = children.count()
    return SelfInspection(
        unit,
        year,
        inspected,
        total,
        percent(inspected, total),
        Decimal(str(conf.SELF_INSPECTION_MIN_SHARE)),
    )


def recommendation_rows(recommendations, today: date | None = None) -> list[dict]:
    today = today or timezone.localdate()
    return [
        {
            "recommendation": item,
            "overdue": item.is_overdue(today),
            "late": item.done_late,
        }
        for item in recommendations
    ]


def recommendation_counts(recommendations, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    items = list(recommendations)
    done = sum(1 for item in items if item.status == RecommendationStatus.DONE)
    overdue = sum(1 for item in items if item.is_overdue(today))
    return {
        "total": len(items),
        "done": done,
        "done_late": sum(1 for item in items if item.done_late),
        "open": len(items) - done,
        "overdue": overdue,
    }


def open_recommendations(ids: list[int] | None) -> QuerySet[Recommendation]:
    """Recommendations of issued conclusions not yet remedied, whose responsible or inspected
    unit is among ``ids`` (None: every unit)."""
    items = Recommendation.objects.filter(inspection__status__in=PUBLISHED_TO_UNIT).exclude(
        status=RecommendationStatus.DONE
    )
    if ids is not None:
        items = items.filter(Q(responsible_unit_id__in=ids) | Q(inspection__target_id__in=ids))
    return items


def findings_by_kind(inspection: Inspection) -> dict[str, list]:
    grouped = {kind: [] for kind in FindingKind.values}
    for finding in inspection.findings.all():
        grouped[finding.kind].append(finding)
    return grouped


def figure_value(row: dict) -> str:
    """A frozen figure as written on the page and the notice: "95,50 (191/200)"."""
    value = "–" if row.get("percent") is None else str(row["percent"]).replace(".", ",")
    if row.get("numerator") is not None and row.get("denominator") is not None:
        value += f" ({row['numerator']}/{row['denominator']})"
    return value


def conclusion(inspection: Inspection, today: date | None = None) -> dict:
    """What the conclusion notice says: the page, the DOCX and the PDF all read this."""
    findings = findings_by_kind(inspection)
    recommendations = list(
        inspection.recommendations.select_related("responsible_unit").order_by("pk")
    )
    checklist = list(inspection.checklist.all())
    return {
        "inspection": inspection,
        "organiser": inspection.plan.organiser,
        "strengths": findings[FindingKind.STRENGTH],
        "weaknesses": findings[FindingKind.WEAKNESS],
        "causes": findings[FindingKind.CAUSE],
        "recommendations": recommendations,
        "counts": recommendation_counts(recommendations, today),
        "checklist": checklist,
        "checked_ok": sum(1 for row in checklist if row.result == "ok"),
        "figures": [{**row, "value": figure_value(row)} for row in inspection.figures or []],
        "sipas": inspection.sipas,
    }
