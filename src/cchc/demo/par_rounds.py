"""Demo data: PAR INDEX rounds of the demo province's departments (sở, ban, ngành), made through
the real services with the clock moved to each step (:mod:`.clock`).

* Last year's round, finished and published: 14 departments self-assess every criterion with
  evidence (or an explanation where they have none), criteria that may not apply are marked "không
  áp dụng" for some, the leaders submit, the council adjusts some scores with reasons, asks for two
  explanations that the units answer, the survey points are imported, the chair closes the
  appraisal with a decision and the results are published.
* This year's round, open for self-assessment, with a few criteria already scored.

The scores are drawn from a seeded generator, so every load gives the same results. All of it is
built on the sample criteria sets (``cchc.parindex.samples``, marked as samples).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cchc.organisations.models import OrganisationUnit, Role, RoleAssignment, UnitKind
from cchc.parindex import engine, services, survey
from cchc.parindex.models import (
    Assessment,
    CouncilRole,
    CriteriaSet,
    Criterion,
    EvidenceKind,
    LeafScore,
    Level,
    Round,
)

from .clock import travel

# The provincial committee runs the round (its decision publishes the results); Sở Nội vụ, its
# standing body for reform, is itself assessed like every department.
ORGANISER = "000.00.00.H99"
REFORM_OFFICER = "cchc.noivu"
CHAIR = "hoidong.chutich"  # Giám đốc Sở Nội vụ, chair of the appraisal council
MEMBER = "hoidong.thanhvien"  # a council member for fields 1–4
SEED = 2025

# Adjustments the council makes, with the reasons a council writes.
ADJUSTMENT_REASONS = [
    "Tài liệu kiểm chứng chưa thể hiện việc ban hành đúng thời hạn.",
    "Kế hoạch chưa xác định kinh phí thực hiện; không đạt yêu cầu của tiêu chí.",
    "Báo cáo gửi chậm so với thời hạn quy định.",
    "Số liệu tự đánh giá không khớp với tài liệu kiểm chứng.",
]
EXPLANATION_REQUEST = "Đề nghị đơn vị giải trình, bổ sung tài liệu kiểm chứng cho tiêu chí này."
CONTEST_EXPLANATION = (
    "Hồ sơ của đơn vị được tiếp nhận và trả kết quả tại Trung tâm Phục vụ hành chính công tỉnh; "
    "đề nghị Hội đồng chấm theo số liệu báo cáo của Trung tâm."
)
CONTEST_DECISION = "Chấp nhận giải trình; chấm theo số liệu báo cáo của Trung tâm PVHCC tỉnh."
EXPLANATION_ANSWER = (
    "Đơn vị đã ban hành văn bản trong tháng 12; bổ sung bản chụp văn bản kèm theo giải trình này."
)


def _moment(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _history_only_user(username: str, full_name: str, unit: OrganisationUnit, role: str):
    """A user holding ``role`` in ``unit`` who acts in the demo history but cannot sign in."""
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"full_name": full_name}
    )
    if created:
        user.set_unusable_password()
        user.save()
    RoleAssignment.objects.get_or_create(user=user, unit=unit, role=role)
    return user


def _unit_person(unit: OrganisationUnit, role: str):
    """A demo user holding ``role`` in ``unit`` if there is one (lanhdao.tuphap…), else one who
    only acts in the history and cannot sign in."""
    existing = (
        RoleAssignment.objects.filter(unit=unit, role=role, active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if existing:
        return existing.user
    prefix, title = (
        ("lanhdao", "Lãnh đạo") if role == Role.LEADER else ("chuyenvien", "Chuyên viên")
    )
    return _history_only_user(f"par.{prefix}.{unit.code}", f"{title} {unit.name}", unit, role)


def _value_for(criterion: Criterion, rng: random.Random, strength: float):
    """What a unit of the given ``strength`` (0–1) enters for a self-scored leaf."""
    spec = criterion.method_spec or {}
    good = rng.random() < strength
    if criterion.method == engine.LEVELS:
        levels = sorted(spec["levels"], key=lambda level: -engine.to_decimal(level["points"]))
        return levels[0]["key"] if good else rng.choice(levels)["key"]
    if criterion.method == engine.DEDUCTION:
        items = sorted(spec["deductions"], key=lambda item: engine.to_decimal(item["percent"]))
        return items[0]["key"] if good else rng.choice(items)["key"]
    if criterion.method == engine.BANDS:
        low = 88 if good else 65
        return str(rng.randint(low, 100))
    if criterion.method == engine.NUMBER:
        share = Decimal(rng.randint(70 if good else 30, 100)) / 100
        points = criterion.max_points * share
        return str((points * 4).quantize(Decimal(1)) / 4)  # quarter points, as councils give
    raise ValueError(criterion.method)


def _nothing_for(criterion: Criterion):
    """The value that scores no points (no bonus earned, no penalty incurred)."""
    spec = criterion.method_spec or {}
    if criterion.method == engine.LEVELS:
        return min(spec["levels"], key=lambda level: engine.to_decimal(level["points"]))["key"]
    if criterion.method == engine.DEDUCTION:
        return max(spec["deductions"], key=lambda item: engine.to_decimal(item["percent"]))["key"]
    return "0"


def _self_assess(assessment: Assessment, officer, rng: random.Random, strength: float, year: int):
    """Every self-scored leaf: a value, evidence (or an explanation where there is none)."""
    leaves = (
        LeafScore.objects.filter(assessment=assessment)
        .select_related("criterion")
        .order_by("criterion__position")
    )
    for number, leaf in enumerate(leaves, start=1):
        criterion = leaf.criterion
        if criterion.method == engine.COMPUTED:
            if leaf.computed_value is None and not leaf.not_applicable:
                # The department's dossiers are received and counted at the provincial centre:
                # the platform has no figure of its own, so the unit contests the empty score.
                services.contest_computed(leaf.pk, officer, CONTEST_EXPLANATION)
            continue
        if criterion.method not in engine.SELF_SCORED:
            continue
        if criterion.may_be_not_applicable and rng.random() < 0.3:
            services.score_leaf(
                leaf.pk,
                officer,
                not_applicable=True,
                explanation="Đơn vị không có nhiệm vụ này trong năm đánh giá.",
            )
            continue
        if criterion.block != engine.MAIN and rng.random() < 0.7:
            # Most units have no bonus to claim and no penalty incurred.
            services.score_leaf(
                leaf.pk, officer, value=_nothing_for(criterion), explanation="Không phát sinh."
            )
            continue
        has_evidence = rng.random() < 0.9
        services.score_leaf(
            leaf.pk,
            officer,
            value=_value_for(criterion, rng, strength),
            explanation="" if has_evidence else "Văn bản đang trình ký, sẽ bổ sung khi có số hiệu.",
        )
        if has_evidence:
            services.add_evidence(
                leaf.pk,
                officer,
                services.EvidenceInput(
                    kind=EvidenceKind.DOCUMENT,
                    document_number=f"{number * 7 + 3}/KH-{assessment.unit.code[7:9]}",
                    issued_on=date(year, 1 + number % 11, 1 + number % 27),
                    summary=f"Văn bản thực hiện tiêu chí {criterion.code}",
                    issuer=assessment.unit.name,
                ),
            )


def _round_setup(year: int, criteria_set: CriteriaSet, organiser, units, name: str):
    return services.RoundSetup(
        name=name,
        year=year,
        criteria_set=criteria_set,
        organiser=organiser,
        units=list(units),
        self_assessment_opens=date(year, 12, 1),
        self_assessment_closes=date(year + 1, 1, 15),
        appraisal_closes=date(year + 1, 3, 15),
        explanation_days=5,
        publication_date=date(year + 1, 4, 1),
        grade_bands="abc",
    )


def _council(round_, reform_officer, chair, member) -> None:
    fields = list(
        Criterion.objects.filter(
            criteria_set=round_.criteria_set_id, parent__isnull=True, block=engine.MAIN
        ).order_by("position")
    )
    services.set_council_member(round_.pk, reform_officer, chair, CouncilRole.CHAIR)
    services.set_council_member(round_.pk, reform_officer, reform_officer, CouncilRole.SECRETARY)
    services.set_council_member(
        round_.pk, reform_officer, member, CouncilRole.MEMBER, fields=fields[:4]
    )


def _opened_round(year, criteria_set, organiser, departments, people) -> Round:
    """Set up by the organiser on 20/11 with its council, opened for self-assessment on 1/12."""
    reform_officer, chair, member = people
    with travel(_moment(date(year, 11, 20))):
        round_ = services.create_round(
            reform_officer,
            _round_setup(
                year, criteria_set, organiser, departments, f"Chỉ số CCHC các sở, ngành năm {year}"
            ),
        )
        _council(round_, reform_officer, chair, member)
    with travel(_moment(date(year, 12, 1))):
        services.open_round(round_.pk, reform_officer)
    return round_


def _finished_round(year, criteria_set, organiser, departments, people) -> Round:
    reform_officer, chair, _member = people
    rng = random.Random(SEED)
    round_ = _opened_round(year, criteria_set, organiser, departments, people)
    assessments = list(Assessment.objects.filter(round=round_).select_related("unit"))
    for position, assessment in enumerate(sorted(assessments, key=lambda a: a.unit.code)):
        strength = 0.75 + 0.23 * rng.random()
        leader = _unit_person(assessment.unit, Role.LEADER)
        officer = _unit_person(assessment.unit, Role.PROCESSING_OFFICER)
        with travel(_moment(date(year, 12, 10 + position % 15))):
            _self_assess(assessment, officer, rng, strength, year)
        with travel(_moment(date(year + 1, 1, 5 + position % 9), 15)):
            services.submit(assessment.pk, leader, summary="Đơn vị đã hoàn thành tự đánh giá.")
    with travel(_moment(date(year + 1, 1, 16))):
        services.start_appraisal(round_.pk, reform_officer)
    _appraise(round_, assessments, rng, people, year)
    with travel(_moment(date(year + 1, 3, 10))):
        # One row per unit and survey criterion: citizens' satisfaction (SIPAS-style) and the
        # leaders' and deputies' assessment, as percentages converted to points by the service.
        survey_codes = Criterion.objects.filter(
            criteria_set=criteria_set, method=engine.SURVEY
        ).values_list("code", flat=True)
        rows = [
            (line, {"unit": unit_code, "criterion": code, "percent": percent})
            for line, (unit_code, code, percent) in enumerate(
                (
                    (a.unit.code, code, str(rng.randint(7800, 9400) / 100))
                    for a in assessments
                    for code in survey_codes
                ),
                start=2,
            )
        ]
        survey.import_rows(round_.pk, rows, reform_officer, "Điều tra xã hội học năm " + str(year))
    with travel(_moment(date(year + 1, 3, 28))):
        services.decide(round_.pk, chair, f"{year - 1990}/QĐ-UBND", date(year + 1, 3, 28))
    with travel(_moment(date(year + 1, 4, 2))):
        services.publish(round_.pk, chair)
    return round_


def _appraise(round_, assessments, rng, people, year) -> None:
    """The chair adjusts some scores with reasons and asks two units to explain one leaf each."""
    _reform_officer, chair, _member = people
    leaves = list(
        LeafScore.objects.filter(assessment__round=round_, self_score__isnull=False)
        .select_related("criterion", "assessment__unit")
        .order_by("assessment__unit__code", "criterion__position")
    )
    contested = (
        LeafScore.objects.filter(assessment__round=round_, contested=True)
        .select_related("criterion")
        .order_by("assessment__unit__code", "criterion__position")
    )
    for number, leaf in enumerate(contested):
        share = Decimal(rng.randint(3, 4)) / 4
        with travel(_moment(date(year + 1, 2, 2 + number % 20), 11)):
            services.appraise_leaf(
                leaf.pk,
                chair,
                accept=False,
                score=str(engine.round_half_up(leaf.criterion.max_points * share)),
                reason=CONTEST_DECISION,
            )
    asked = 0
    for number, leaf in enumerate(leaves):
        day = date(year + 1, 2, 2 + number % 20)
        if leaf.criterion.method not in engine.SELF_SCORED or leaf.self_score == 0:
            continue
        roll = rng.random()
        if roll < 0.08:
            lowered = engine.round_half_up(leaf.self_score / 2)
            with travel(_moment(day, 10)):
                services.appraise_leaf(
                    leaf.pk,
                    chair,
                    accept=False,
                    score=str(lowered),
                    reason=rng.choice(ADJUSTMENT_REASONS),
                )
        elif roll < 0.10 and asked < 2:
            asked += 1
            with travel(_moment(day, 10)):
                request = services.request_explanation(leaf.pk, chair, EXPLANATION_REQUEST)
            with travel(_moment(day, 16)):
                officer = _unit_person(leaf.assessment.unit, Role.PROCESSING_OFFICER)
                services.answer_explanation(request.pk, officer, EXPLANATION_ANSWER)


def _open_round(year, criteria_set, organiser, departments, people) -> Round:
    round_ = _opened_round(year, criteria_set, organiser, departments, people)
    # The Department of Justice has started: its first field's leaves are scored.
    justice = Assessment.objects.filter(round=round_, unit__code="000.00.15.H99").first()
    if justice is not None:
        rng = random.Random(SEED + 1)
        leaves = LeafScore.objects.filter(
            assessment=justice,
            criterion__method__in=engine.SELF_SCORED,
            criterion__code__startswith="1.",
        ).select_related("criterion")
        officer = _unit_person(justice.unit, Role.PROCESSING_OFFICER)  # chuyenvien.tuphap
        with travel(_moment(date(year, 12, 2))):
            for leaf in leaves[:3]:
                services.score_leaf(leaf.pk, officer, value=_value_for(leaf.criterion, rng, 0.9))
    return round_


def load_par_rounds(today: date | None = None) -> int:
    """Last year's published round and this year's open one (once each); the number made."""
    today = today or timezone.localdate()
    organiser = OrganisationUnit.objects.filter(code=ORGANISER).first()
    if organiser is None:
        return 0
    departments = list(
        OrganisationUnit.objects.filter(
            kind=UnitKind.DEPARTMENT, parent=organiser, active=True
        ).order_by("code")
    )
    User = get_user_model()
    reform_officer = User.objects.filter(username=REFORM_OFFICER).first()
    if reform_officer is None or not departments:
        return 0
    # The council: the Director of Home Affairs chairs it, the reform officer is its secretary,
    # a home-affairs officer appraises fields 1–4 (Cần Thơ, Hà Nội QĐ 4762/2024: docs/parindex.md).
    chair = User.objects.filter(username=CHAIR).first()
    member = User.objects.filter(username=MEMBER).first()
    if chair is None or member is None:
        return 0
    people = (reform_officer, chair, member)
    made = 0
    for year, build in ((today.year - 1, _finished_round), (today.year, _open_round)):
        criteria_set = (
            CriteriaSet.objects.filter(year=year, level=Level.DEPARTMENT)
            .order_by("-version")
            .first()
        )
        if (
            criteria_set is None
            or Round.objects.filter(year=year, criteria_set=criteria_set).exists()
        ):
            continue
        with transaction.atomic():
            build(year, criteria_set, organiser, departments, people)
        made += 1
    return made
