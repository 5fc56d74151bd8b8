"""``cchc load-demo``: the PAR INDEX rounds of the 14 provincial departments (issue 11).

Last year's round is finished and published (not-applicable criteria, appraisal adjustments with
reasons, survey points, answered explanation requests); this year's is open for self-assessment.
Both are made through the real services, so their sealed histories verify, and loading again
makes nothing new. The loader reads today's date: the clock is fixed (early December 2026, while
this year's self-assessment is open) so the test gives the same rounds on any day.
The synthetic history is kept small by the test settings (``CCHC_DEMO_HISTORY_DOSSIERS``).
"""

import json
from datetime import datetime
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from cchc.organisations.models import OrganisationUnit, UnitKind
from cchc.parindex import engine
from cchc.parindex.models import (
    AppraisalState,
    Assessment,
    AssessmentEvent,
    AssessmentStatus,
    Evidence,
    ExplanationRequest,
    LeafScore,
    Round,
    RoundEvent,
    RoundStatus,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 10, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
THIS_YEAR = NOW.year
LAST_YEAR = THIS_YEAR - 1
DEPARTMENTS = 14
UNIT_KEYS = {
    "unit", "unit_name", "max_points", "self_score", "appraised_score", "survey_score", "bonus",
    "total", "index", "rank", "grade", "rank_change", "fields",
}  # fmt: skip
FIELD_KEYS = {"code", "name", "max", "score", "index"}


def _counts() -> dict[str, int]:
    models = (Round, Assessment, LeafScore, Evidence, ExplanationRequest)
    counts = {model.__name__: model.objects.count() for model in models}
    counts["RoundEvent"] = RoundEvent.objects.count()
    counts["AssessmentEvent"] = AssessmentEvent.objects.count()
    return counts


def _results(year: int) -> dict:
    out = StringIO()
    call_command("par-results", "--year", str(year), "--level", "department", "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def demo():
    with time_machine.travel(NOW, tick=True):
        call_command("load-demo", stdout=StringIO())
        yield


def test_last_year_round_is_published_with_the_issue_s_features(demo):
    round_ = Round.objects.get(year=LAST_YEAR)
    assert round_.status == RoundStatus.PUBLISHED
    assert round_.published_at is not None and round_.decision_number
    assert round_.criteria_set.is_sample  # demo data is marked as a sample
    departments = OrganisationUnit.objects.filter(kind=UnitKind.DEPARTMENT)
    assessments = Assessment.objects.filter(round=round_)
    assert assessments.count() == DEPARTMENTS >= 12
    units = set(assessments.values_list("unit", flat=True))
    assert units <= set(departments.values_list("pk", flat=True))
    assert set(assessments.values_list("status", flat=True)) == {AssessmentStatus.PUBLISHED}
    leaves = LeafScore.objects.filter(assessment__round=round_)

    # Some criteria do not apply to some units (and not to all units alike).
    not_applicable = leaves.filter(not_applicable=True)
    assert not_applicable.exists()
    per_unit: dict[int, set[str]] = {assessment.unit_id: set() for assessment in assessments}
    for unit, code in not_applicable.values_list("assessment__unit", "criterion__code"):
        per_unit[unit].add(code)
    assert len({frozenset(codes) for codes in per_unit.values()}) > 1, per_unit
    assert all(leaf.criterion.may_be_not_applicable for leaf in not_applicable)

    # The council adjusted scores, each with its reason, kept in the sealed history.
    adjusted = leaves.filter(appraisal_state=AppraisalState.ADJUSTED)
    assert adjusted.count() >= 3
    assert not adjusted.filter(appraisal_reason="").exists()
    assert not adjusted.filter(appraised_by__isnull=True).exists()
    assert adjusted.exclude(self_score__isnull=True).exclude(self_score=0).exists()
    events = AssessmentEvent.objects.filter(assessment__round=round_, action="appraised")
    reasons = {event.data["reason"] for event in events if event.data.get("state") == "adjusted"}
    assert set(adjusted.values_list("appraisal_reason", flat=True)) <= reasons
    assert all(reasons)

    # Survey points on every unit.
    survey = leaves.filter(criterion__method=engine.SURVEY)
    assert survey.exists()
    assert not survey.filter(survey_score__isnull=True).exists()
    for assessment in assessments:
        assert survey.filter(assessment=assessment, survey_score__gt=0).exists(), assessment

    # Explanation requests were asked and answered.
    requests = ExplanationRequest.objects.filter(leaf__assessment__round=round_)
    assert requests.exists()
    assert not requests.filter(answered_at__isnull=True).exists()
    assert not requests.filter(answer="").exists()

    # Self-assessment came with evidence: documents issued during the assessment year.
    evidence = Evidence.objects.filter(leaf__assessment__round=round_)
    assert evidence.count() > DEPARTMENTS
    assert not evidence.filter(outside_year=True).exists()


def test_this_year_round_is_open_for_self_assessment(demo):
    round_ = Round.objects.get(year=THIS_YEAR)
    assert round_.status == RoundStatus.SELF_ASSESSMENT
    assessments = Assessment.objects.filter(round=round_)
    assert assessments.count() == DEPARTMENTS
    assert set(assessments.values_list("status", flat=True)) == {AssessmentStatus.DRAFT}
    # Sở Tư pháp has started; the others have not scored anything themselves yet (computed
    # criteria are scored from the platform's data when the round opens).
    scored = LeafScore.objects.filter(
        assessment__round=round_,
        self_score__isnull=False,
        criterion__method__in=engine.SELF_SCORED,
        not_applicable=False,
    )
    assert set(scored.values_list("assessment__unit__code", flat=True)) == {"000.00.15.H99"}
    assert round_.self_assessment_opens <= NOW.date() <= round_.self_assessment_closes
    assert not ExplanationRequest.objects.filter(leaf__assessment__round=round_).exists()


def test_parindex_histories_verify(demo):
    out, err = StringIO(), StringIO()
    call_command(
        "verify-history",
        "--chain",
        "parindex-rounds",
        "--chain",
        "parindex-assessments",
        stdout=out,
        stderr=err,
    )  # exits 1 on any break
    text = out.getvalue()
    assert err.getvalue() == ""
    assert "Đã kiểm tra 2 kỳ đánh giá" in text
    assert f"Đã kiểm tra {2 * DEPARTMENTS} bản tự đánh giá" in text
    assert "0 kỳ đánh giá có lịch sử bị phá vỡ" in text
    assert "0 bản tự đánh giá có lịch sử bị phá vỡ" in text


def test_par_results_json_ranks_the_fourteen_departments(demo):
    payload = _results(LAST_YEAR)
    assert set(payload) == {"year", "level", "criteria_set", "units"}
    assert payload["year"] == LAST_YEAR and payload["level"] == "department"
    units = payload["units"]
    assert len(units) == DEPARTMENTS
    for row in units:
        assert set(row) == UNIT_KEYS, row
        assert row["fields"] and all(set(field) == FIELD_KEYS for field in row["fields"])
    ranks = [row["rank"] for row in units]
    assert ranks == sorted(ranks) and ranks[0] == 1 and max(ranks) <= DEPARTMENTS
    # Competition ranking: a unit's rank is one more than the number of units ahead of it.
    for row in units:
        assert row["rank"] == 1 + sum(other["index"] > row["index"] for other in units)
    # Not-applicable criteria leave the maximum: the units' applicable maxima differ.
    maxima = {Decimal(str(row["max_points"])) for row in units}
    assert len(maxima) > 1 and max(maxima) <= 100
    for row in units:
        expected = engine.round_half_up(
            Decimal(str(row["total"])) / Decimal(str(row["max_points"])) * 100
        )
        assert abs(Decimal(str(row["index"])) - expected) <= Decimal("0.01"), row
        assert row["grade"]
        assert Decimal(str(row["survey_score"])) > 0
    assert any(row["appraised_score"] != row["self_score"] for row in units)


def test_api_shows_published_results_to_anyone_not_the_open_round(demo, client):
    url = reverse("parindex-results-api")
    response = client.get(url, {"year": LAST_YEAR, "level": "department"})
    assert response.status_code == 200
    assert response.json() == _results(LAST_YEAR)
    assert client.get(url, {"year": THIS_YEAR, "level": "department"}).status_code == 403


def test_a_council_member_sees_no_other_unit_s_draft_scores_during_self_assessment(demo, client):
    """The council reads the assessments from the appraisal on (docs/parindex.md, scopes): while
    the units self-assess, a council member sees the open round's results of their own unit only
    (hoidong.thanhvien works at Sở Nội vụ, itself assessed), like any unit's staff."""
    open_round = Round.objects.get(year=THIS_YEAR)
    client.force_login(get_user_model().objects.get(username="hoidong.thanhvien"))
    response = client.get(reverse("parindex-results-api"), {"year": THIS_YEAR})
    assert response.status_code == 200
    assert [row["unit"] for row in response.json()["units"]] == ["000.00.10.H99"]
    page = f"/chi-so-cchc/ket-qua/{open_round.pk}/"
    assert "Sở Tư pháp" not in client.get(page).content.decode()
    assert client.get(f"{page}don-vi/000.00.15.H99/").status_code == 404
    assert client.get(f"{page}tieu-chi-mat-diem/").status_code == 404
    # Last year's, published, is open to every reader.
    published = Round.objects.get(year=LAST_YEAR)
    assert (
        client.get(f"/chi-so-cchc/ket-qua/{published.pk}/don-vi/000.00.15.H99/").status_code == 200
    )


def test_loading_twice_makes_nothing_new(demo):
    before = _counts()
    results = _results(LAST_YEAR)
    call_command("load-demo", stdout=StringIO())
    assert _counts() == before
    assert _results(LAST_YEAR) == results
