"""The yearly round through its services: setup, self-assessment, submission, appraisal,
explanations, decision and publication; each refusal and each recorded change."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc.history import registry
from cchc.history.services import verify_owner
from cchc.parindex import engine, services
from cchc.parindex.errors import ActionForbidden, ParIndexError, StaleRecord, TransitionNotAllowed
from cchc.parindex.events import round_changed
from cchc.parindex.metrics import metrics
from cchc.parindex.models import (
    Assessment,
    AssessmentEvent,
    AssessmentStatus,
    Evidence,
    LeafScore,
    Round,
    RoundStatus,
)

from . import factories
from .factories import on_time_metric

clock, world = factories.clock, factories.world  # fixtures

pytestmark = pytest.mark.django_db


def _assessment(round_, unit) -> Assessment:
    return Assessment.objects.get(round=round_, unit=unit)


def _verify(owner):
    spec = registry.get(
        "parindex-assessments" if isinstance(owner, Assessment) else "parindex-rounds"
    )
    return verify_owner(spec, owner)


# -- setup ----------------------------------------------------------------------------------------
def test_create_round_keeps_the_units_as_draft_assessments(world):
    with round_changed.observe() as seen:
        round_ = services.create_round(world.reform, world.setup())
    assert round_.status == RoundStatus.DRAFT
    assert set(round_.assessments.values_list("unit__name", flat=True)) == {
        "Sở Tư pháp",
        "Sở Xây dựng",
    }
    assert round_.grade_bands[0] == {"label": "A", "minimum": "90"}
    assert seen == [{"round": round_, "action": "created"}]
    assert _verify(round_) is None


def test_only_the_organisers_reform_staff_create_a_round(world):
    with pytest.raises(ActionForbidden):
        services.create_round(world.leader, world.setup())


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": " "}, "name"),
        ({"units": []}, "units"),
        ({"year": 2024}, "criteria_set"),
        ({"self_assessment_closes": date(2026, 1, 1)}, "self_assessment_closes"),
        ({"publication_date": date(2026, 2, 1)}, "publication_date"),
        (
            {"grade_bands": [{"label": "A", "minimum": "80"}, {"label": "B", "minimum": "90"}]},
            "grade_bands",
        ),
        ({"grade_bands": "nope"}, "grade_bands"),
        ({"explanation_days": 0}, "explanation_days"),
    ],
)
def test_setup_errors_name_their_field(world, changes, field):
    with pytest.raises(ParIndexError) as caught:
        services.create_round(world.reform, world.setup(**changes))
    assert caught.value.field == field


def test_custom_grade_bands_and_update_in_draft_only(world):
    round_ = services.create_round(world.reform, world.setup())
    bands = [{"label": "Tốt", "minimum": "80"}, {"label": "Khá", "minimum": "60"}, {"label": "Kém"}]
    round_ = services.update_round(
        round_.pk, world.reform, world.setup(grade_bands=bands, units=[world.justice]), 0
    )
    assert round_.grade_bands[-1] == {"label": "Kém", "minimum": None}
    assert [a.unit for a in round_.assessments.all()] == [world.justice]
    with pytest.raises(StaleRecord):
        services.update_round(round_.pk, world.reform, world.setup(), expected_version=0)
    with metrics.temporarily(on_time_metric()):
        services.open_round(round_.pk, world.reform)
    with pytest.raises(TransitionNotAllowed):
        services.update_round(round_.pk, world.reform, world.setup())


def test_council_member_needs_fields_and_one_chair(world):
    round_ = services.create_round(world.reform, world.setup())
    with pytest.raises(ParIndexError) as caught:
        services.set_council_member(round_.pk, world.reform, world.member, "member", [])
    assert caught.value.field == "fields"
    services.set_council_member(round_.pk, world.reform, world.chair, "chair")
    with pytest.raises(ParIndexError) as caught:
        services.set_council_member(round_.pk, world.reform, world.secretary, "chair")
    assert caught.value.field == "role"
    leaf = world.criteria_set.criteria.get(code="1.1")
    with pytest.raises(ParIndexError):
        services.set_council_member(round_.pk, world.reform, world.member, "member", [leaf])


# -- opening --------------------------------------------------------------------------------------
def test_open_creates_leaves_and_fills_computed_ones(world):
    round_ = world.open_round()
    assert round_.status == RoundStatus.SELF_ASSESSMENT
    leaves = LeafScore.objects.filter(assessment__round=round_)
    assert leaves.count() == 2 * 6
    computed = world.leaf(round_, world.justice, "2.1")
    assert computed.computed_value == Decimal("95.5")
    assert computed.self_score == Decimal("5.00")
    assert computed.computed_detail["numerator"] == 191
    assert computed.computed_detail["drilldown_url"].startswith("/ho-so/")
    assert world.leaf(round_, world.justice, "1.1").responsible_unit == world.justice
    for assessment in round_.assessments.all():
        assert assessment.events.get().action == "opened"


def test_unknown_figure_leaves_the_computed_leaf_empty(world):
    round_ = world.draft_round()
    with metrics.temporarily():
        services.open_round(round_.pk, world.reform)
    leaf = world.leaf(round_, world.justice, "2.1")
    assert leaf.computed_value is None and leaf.self_score is None


# -- scoring --------------------------------------------------------------------------------------
def test_score_each_method_and_record_from_to_why(world):
    round_ = world.open_round()
    officer = world.office_officer  # the department's office, once the leaf is given to it
    leaf = world.leaf(round_, world.justice, "1.1")
    with pytest.raises(ActionForbidden):
        services.score_leaf(leaf.pk, officer, value="kip_thoi")
    services.assign_responsible(leaf.pk, world.leader, world.justice_office)
    services.score_leaf(leaf.pk, officer, value="kip_thoi", explanation="Đã ban hành KH số 12")
    leaf = services.score_leaf(leaf.pk, officer, value="khong_kip_thoi", explanation="Trễ 5 ngày")
    assert leaf.self_score == Decimal("1.00")
    events = AssessmentEvent.objects.filter(criterion_code="1.1", action="scored").order_by(
        "sequence"
    )
    assert [(e.data["from"], e.data["to"], e.data["reason"]) for e in events] == [
        (None, "2.00", "Đã ban hành KH số 12"),
        ("2.00", "1.00", "Trễ 5 ngày"),
    ]
    assert events[1].actor == officer
    officer = world.officer
    assert services.score_leaf(
        world.leaf(round_, world.justice, "1.2").pk, officer, value="90"
    ).self_score == Decimal("1.50")
    assert services.score_leaf(
        world.leaf(round_, world.justice, "1.2").pk, officer, value="90,01"
    ).self_score == Decimal("3.00")
    assert services.score_leaf(
        world.leaf(round_, world.justice, "1.4").pk, officer, value="nhe"
    ).self_score == Decimal("1.50")
    na = services.score_leaf(
        world.leaf(round_, world.justice, "1.3").pk,
        officer,
        not_applicable=True,
        explanation="Không phát sinh",
    )
    assert na.not_applicable and na.self_score is None
    assert _verify(_assessment(round_, world.justice)) is None


@pytest.mark.parametrize(
    ("code", "value", "not_applicable", "field", "needle"),
    [
        ("1.1", "sai", False, "value", "mức"),
        ("1.2", "120", False, "value", "0 đến 100"),
        ("1.2", "abc", False, "value", "số"),
        ("1.3", "2,5", False, "value", "2"),
        ("1.3", "", False, "value", ""),
        ("1.1", None, True, "not_applicable", ""),
        ("2.1", "50", False, "value", ""),
        ("2.2", "80", False, "value", ""),
    ],
)
def test_bad_values_are_refused_in_vietnamese(world, code, value, not_applicable, field, needle):
    round_ = world.open_round()
    with pytest.raises(ParIndexError) as caught:
        services.score_leaf(
            world.leaf(round_, world.justice, code).pk,
            world.officer,
            value=value,
            not_applicable=not_applicable,
        )
    assert caught.value.field == field
    assert needle in caught.value.message


def test_only_the_responsible_office_scores(world):
    round_ = world.open_round()
    leaf = world.leaf(round_, world.justice, "1.1")
    with pytest.raises(ActionForbidden):
        services.score_leaf(leaf.pk, world.building_officer, value="kip_thoi")
    with pytest.raises(ActionForbidden):
        services.score_leaf(leaf.pk, world.chair, value="kip_thoi")
    # given to the office, the department's staff above still may
    services.assign_responsible(leaf.pk, world.reform, world.justice_office)
    services.score_leaf(leaf.pk, world.leader, value="kip_thoi")
    services.score_leaf(leaf.pk, world.office_officer, value="khong")
    with pytest.raises(ActionForbidden):
        services.score_leaf(
            world.leaf(round_, world.justice, "1.2").pk, world.office_officer, value="1"
        )
    with pytest.raises(ParIndexError):
        services.assign_responsible(leaf.pk, world.leader, world.building)
    with pytest.raises(ActionForbidden):
        services.assign_responsible(leaf.pk, world.officer, world.justice)


def test_contest_a_computed_leaf(world):
    round_ = world.open_round()
    leaf = world.leaf(round_, world.justice, "2.1")
    with pytest.raises(ParIndexError):
        services.contest_computed(leaf.pk, world.officer, " ")
    leaf = services.contest_computed(leaf.pk, world.officer, "Có 3 hồ sơ rút, không tính trễ")
    assert leaf.contested and leaf.self_score == Decimal("5.00")
    event = AssessmentEvent.objects.get(action="contested")
    assert event.data["reason"] == "Có 3 hồ sơ rút, không tính trễ"
    with pytest.raises(ParIndexError):
        services.contest_computed(world.leaf(round_, world.justice, "1.1").pk, world.officer, "x")


# -- evidence -------------------------------------------------------------------------------------
def test_evidence_kinds_and_outside_year_flag(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    round_ = world.open_round()
    leaf = world.leaf(round_, world.justice, "1.1")
    scan = services.add_evidence(
        leaf.pk,
        world.officer,
        services.EvidenceInput(kind="file", upload=SimpleUploadedFile("kh.pdf", b"%PDF-1.7 x")),
    )
    assert scan.original_name == "kh.pdf" and not scan.outside_year
    document = services.add_evidence(
        leaf.pk,
        world.officer,
        services.EvidenceInput(
            kind="document",
            document_number="12/KH-STP",
            issued_on=date(2024, 12, 30),
            summary="Kế hoạch CCHC năm 2025",
            issuer="Sở Tư pháp",
        ),
    )
    assert document.outside_year
    record = services.add_evidence(
        leaf.pk,
        world.officer,
        services.EvidenceInput(
            kind="record",
            record_type="report",
            record_reference="BC quý IV",
            record_url="/bao-cao/",
        ),
    )
    assert not record.outside_year
    services.remove_evidence(scan.pk, world.officer)
    assert list(Evidence.objects.filter(leaf=leaf)) == [document, record]
    actions = list(
        AssessmentEvent.objects.filter(criterion_code="1.1").values_list("action", flat=True)
    )
    assert actions == ["evidence_added"] * 3 + ["evidence_removed"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "file", "upload": SimpleUploadedFile("virus.exe", b"MZ")}, "file"),
        ({"kind": "file", "upload": SimpleUploadedFile("fake.pdf", b"<html>")}, "file"),
        ({"kind": "file"}, "file"),
        (
            {"kind": "document", "issued_on": date(2025, 3, 1), "summary": "x", "issuer": "y"},
            "document_number",
        ),
        (
            {"kind": "document", "document_number": "1/QĐ", "summary": "x", "issuer": "y"},
            "issued_on",
        ),
        (
            {
                "kind": "record",
                "record_type": "report",
                "record_reference": "x",
                "record_url": "javascript:alert(1)",
            },
            "record_url",
        ),
        ({"kind": "other"}, "kind"),
    ],
)
def test_bad_evidence_is_refused(world, data, field):
    round_ = world.open_round()
    leaf = world.leaf(round_, world.justice, "1.1")
    with pytest.raises(ParIndexError) as caught:
        services.add_evidence(leaf.pk, world.officer, services.EvidenceInput(**data))
    assert caught.value.field == field


def test_oversized_file_is_refused(world, settings):
    settings.CCHC_UPLOAD_MAX_BYTES = 10
    round_ = world.open_round()
    upload = SimpleUploadedFile("kh.pdf", b"%PDF-1.7 " + b"x" * 20)
    with pytest.raises(ParIndexError) as caught:
        services.add_evidence(
            world.leaf(round_, world.justice, "1.1").pk,
            world.officer,
            services.EvidenceInput(kind="file", upload=upload),
        )
    assert "MB" in caught.value.message


# -- submission -----------------------------------------------------------------------------------
def test_submit_lists_what_is_missing(world):
    round_ = world.open_round()
    assessment = _assessment(round_, world.justice)
    services.score_leaf(
        world.leaf(round_, world.justice, "1.1").pk, world.officer, value="kip_thoi"
    )
    with pytest.raises(ParIndexError) as caught:
        services.submit(assessment.pk, world.leader)
    message = caught.value.message
    assert "1.2, 1.3, 1.4" in message  # not scored
    assert "1.1" in message  # scored but neither evidence nor explanation
    assert "2.1" not in message and "2.2" not in message
    assert caught.value.missing.unsupported == ["1.1", "1.2", "1.3", "1.4"]


def test_only_the_leader_submits_and_it_locks(world):
    round_ = world.open_round()
    world.fill(round_, world.justice, world.officer)
    assessment = _assessment(round_, world.justice)
    with pytest.raises(ActionForbidden):
        services.submit(assessment.pk, world.officer)
    with pytest.raises(ActionForbidden):
        services.submit(assessment.pk, world.building_leader)
    assessment = services.submit(assessment.pk, world.leader, summary="Khó khăn: thiếu biên chế")
    assert assessment.status == AssessmentStatus.SUBMITTED
    assert assessment.submitted_by == world.leader
    leaf = world.leaf(round_, world.justice, "1.1")
    with pytest.raises(TransitionNotAllowed):
        services.score_leaf(leaf.pk, world.officer, value="khong")
    with pytest.raises(TransitionNotAllowed):
        services.add_evidence(
            leaf.pk,
            world.officer,
            services.EvidenceInput(kind="record", record_type="report", record_reference="x"),
        )
    with pytest.raises(TransitionNotAllowed):
        services.submit(assessment.pk, world.leader)
    assert LeafScore.objects.get(pk=leaf.pk).value == "kip_thoi"


def test_reopen_by_the_organiser_while_self_assessment_is_open(world):
    round_ = world.submitted_round()
    assessment = _assessment(round_, world.justice)
    with pytest.raises(ActionForbidden):
        services.reopen(assessment.pk, world.leader, "x")
    with pytest.raises(ParIndexError):
        services.reopen(assessment.pk, world.reform, "")
    assessment = services.reopen(assessment.pk, world.reform, "Thiếu tài liệu tiêu chí 1.2")
    assert assessment.status == AssessmentStatus.DRAFT
    services.score_leaf(world.leaf(round_, world.justice, "1.1").pk, world.officer, value="khong")
    services.submit(assessment.pk, world.leader)
    services.start_appraisal(round_.pk, world.reform)
    with pytest.raises(TransitionNotAllowed):
        services.reopen(assessment.pk, world.reform, "muộn")


def test_start_appraisal_submits_the_drafts_with_a_note(world):
    round_ = world.open_round()
    with pytest.raises(ActionForbidden):
        services.start_appraisal(round_.pk, world.leader)
    services.start_appraisal(round_.pk, world.reform)
    for assessment in Assessment.objects.filter(round=round_):
        assert assessment.status == AssessmentStatus.SUBMITTED
        event = assessment.events.get(action="submitted")
        assert event.actor is None and "Hệ thống" in event.note


# -- properties -----------------------------------------------------------------------------------
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(percent=st.decimals(min_value=0, max_value=100, places=2))
def test_band_scores_match_the_engine_and_stay_within_the_maximum(world, percent):
    """Whatever the percentage, the service stores the engine's points, never above the leaf's
    maximum, and records the change with its from/to."""
    round_ = Round.objects.filter(status=RoundStatus.SELF_ASSESSMENT).first() or world.open_round()
    leaf = world.leaf(round_, world.justice, "1.2")
    criterion = leaf.criterion
    stored = services.score_leaf(leaf.pk, world.officer, value=str(percent))
    expected = engine.score_leaf(
        criterion.method, criterion.method_spec, criterion.max_points, percent
    )
    assert stored.self_score == expected
    assert 0 <= stored.self_score <= criterion.max_points
    last = AssessmentEvent.objects.filter(criterion_code="1.2").order_by("-sequence").first()
    if last is not None and last.action == "scored":
        assert last.data["to"] == str(stored.self_score)
    message = services.scoring_message(engine.ScoringError("points_range", "x"), criterion)
    assert message == "Điểm phải từ 0 đến 3,00."  # the maximum in Vietnamese notation


def test_a_figure_the_rule_cannot_score_is_left_empty(world):
    round_ = world.draft_round()
    with metrics.temporarily(on_time_metric(percent="130")):
        services.open_round(round_.pk, world.reform)
    leaf = world.leaf(round_, world.justice, "2.1")
    assert leaf.self_score is None and leaf.computed_detail["error"] == "percent_range"
