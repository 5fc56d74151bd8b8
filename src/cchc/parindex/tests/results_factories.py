"""Small builders for the results, survey and figures tests: units, a criteria set from a compact
description, a round and unit assessments with their leaf scores (models written directly; the
workflow services are tested elsewhere)."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from cchc.organisations.models import OrganisationUnit, RoleAssignment, UnitKind
from cchc.parindex.models import (
    Assessment,
    AssessmentStatus,
    CouncilMember,
    CouncilRole,
    CriteriaSet,
    Criterion,
    LeafScore,
    Round,
    RoundStatus,
)

_codes = itertools.count(1)

# A small department set: two fields (1: 40 points, 2: 60 with a 25-point survey leaf) and a
# bonus block outside the 100.
SMALL_SET = [
    ("1", "Công tác chỉ đạo, điều hành CCHC", "40", "", False),
    ("1.1", "Kế hoạch CCHC năm", "20", "number", False),
    ("1.2", "Báo cáo CCHC", "20", "number", True),  # may be "không áp dụng"
    ("2", "Tác động của CCHC", "60", "", False),
    ("2.1", "Tỷ lệ hồ sơ đúng hạn", "35", "number", False),
    ("2.2", "Sự hài lòng của người dân", "25", "survey", False),
    ("B", "Điểm thưởng", "5", "", False),
    ("B.1", "Sáng kiến CCHC", "5", "number", False),
]


def _free_code() -> str:
    """The next generated code no unit holds: tests also give units fixed codes in the same
    range ("000.00.11.H99"), which the session-wide counter would otherwise reach."""
    while True:
        code = f"000.00.{next(_codes):02d}.H99"
        if not OrganisationUnit.objects.filter(code=code).exists():
            return code


def unit(name: str, parent: OrganisationUnit | None = None, kind=UnitKind.DEPARTMENT, code=""):
    return OrganisationUnit.objects.create(
        kind=kind, name=name, code=code or _free_code(), parent=parent
    )


def province() -> OrganisationUnit:
    return unit("UBND tỉnh An Bình", kind=UnitKind.PROVINCE_COMMITTEE, code="000.00.00.H99")


def staff(django_user_model, username: str, role: str, where: OrganisationUnit):
    user = django_user_model.objects.create_user(username, password="pw-123456", full_name=username)
    RoleAssignment.objects.create(user=user, unit=where, role=role)
    return user


def criteria_set(
    rows=SMALL_SET, *, year: int = 2025, level: str = "department", name: str = "Bộ tiêu chí sở"
):
    """``rows``: (code, name, max, method, may_be_not_applicable); the parent of "1.2" is "1";
    a top-level code starting with "B" is the bonus block, "P" the penalty block."""
    cset = CriteriaSet.objects.create(name=name, year=year, level=level)
    nodes: dict[str, Criterion] = {}
    for position, (code, title, maximum, method, optional) in enumerate(rows):
        parent = nodes.get(code.rsplit(".", 1)[0]) if "." in code else None
        top = code.split(".")[0]
        block = "bonus" if top.startswith("B") else "penalty" if top.startswith("P") else "main"
        spec = {}
        if method == "bands":
            spec = {
                "bands": [
                    {"above": "90", "inclusive": False, "points": maximum},
                    {"above": "70", "inclusive": True, "points": str(Decimal(maximum) / 2)},
                    {"above": None, "points": "0"},
                ]
            }
        nodes[code] = Criterion.objects.create(
            criteria_set=cset,
            parent=parent,
            position=position,
            code=code,
            name=title,
            max_points=Decimal(maximum),
            block=block,
            method=method,
            method_spec=spec,
            may_be_not_applicable=optional,
        )
    return cset


def round_(cset, organiser, *, year: int | None = None, status=RoundStatus.PUBLISHED, **extra):
    year = year or cset.year
    return Round.objects.create(
        name=f"Chỉ số CCHC năm {year}",
        year=year,
        criteria_set=cset,
        organiser=organiser,
        status=status,
        self_assessment_opens=date(year + 1, 1, 5),
        self_assessment_closes=date(year + 1, 1, 31),
        appraisal_closes=date(year + 1, 3, 15),
        **extra,
    )


def assess(round_obj, assessed, scores: dict, status=AssessmentStatus.APPRAISED):
    """``scores``: {leaf code: self | (self, appraised) | (self, appraised, reason) | "na" |
    {"survey": points}}."""
    assessment = Assessment.objects.create(round=round_obj, unit=assessed, status=status)
    leaves = {c.code: c for c in Criterion.objects.filter(criteria_set=round_obj.criteria_set)}
    for code, value in scores.items():
        leaf = LeafScore(assessment=assessment, criterion=leaves[code])
        if value == "na":
            leaf.not_applicable = True
        elif isinstance(value, dict):
            leaf.survey_score = Decimal(str(value["survey"]))
        elif isinstance(value, tuple):
            leaf.self_score = Decimal(str(value[0]))
            leaf.appraised_score = None if value[1] is None else Decimal(str(value[1]))
            if len(value) > 2:
                leaf.appraisal_reason = value[2]
        else:
            leaf.self_score = Decimal(str(value))
        leaf.save()
    return assessment


def council(round_obj, user, role=CouncilRole.MEMBER):
    return CouncilMember.objects.create(round=round_obj, user=user, role=role)
