"""Survey points: the conversion (86.24 % × 25 → 21.56), line errors, all-or-nothing, the sealed
event, who may import and until when; the CLI."""

import io
from decimal import Decimal
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.history import registry
from cchc.history import services as history
from cchc.organisations.models import Role
from cchc.parindex import survey
from cchc.parindex.errors import ActionForbidden, ParIndexError, TransitionNotAllowed
from cchc.parindex.models import AssessmentEvent, LeafScore, RoundStatus
from cchc.parindex.tests import results_factories as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(django_user_model):
    province = make.province()
    home = make.unit("Sở Nội vụ", province, code="000.00.10.H99")
    a = make.unit("Sở Xây dựng", province, code="000.00.11.H99")
    b = make.unit("Sở Tư pháp", province, code="000.00.12.H99")
    round_obj = make.round_(make.criteria_set(), home, status=RoundStatus.APPRAISAL)
    make.assess(round_obj, a, {"1.1": 10})
    make.assess(round_obj, b, {"1.1": 12})
    staff = make.staff(django_user_model, "noivu", Role.REFORM_STAFF, home)
    return {"round": round_obj, "a": a, "b": b, "staff": staff, "home": home}


def csv_bytes(text: str) -> bytes:
    return text.encode("utf-8")


def test_conversion_rounds_half_up():
    assert survey.convert(D("86.24"), D(100), D(25)) == D("21.56")
    assert survey.convert(D("86.22"), D(100), D(25)) == D("21.56")  # 21.555 → 21.56
    assert survey.convert(D("4.5"), D(5), D(10)) == D("9.00")


def test_percent_and_points_are_written_with_a_sealed_event(setup):
    content = csv_bytes("Mã đơn vị;Tỷ lệ hài lòng (%)\n000.00.11.H99;86,24\n000.00.12.H99;90\n")
    outcome = survey.import_file(setup["round"].pk, "xhh-2025.csv", content, setup["staff"])
    assert (outcome.rows, outcome.changed) == (2, 2)
    leaf = LeafScore.objects.get(assessment__unit=setup["a"], criterion__code="2.2")
    assert leaf.survey_score == D("21.56") and leaf.survey_source == "xhh-2025.csv"
    event = AssessmentEvent.objects.get(assessment=leaf.assessment, action="survey_points")
    assert event.criterion_code == "2.2"
    assert event.data["from"] is None and event.data["to"] == "21.56"
    assert event.data["source"] == "xhh-2025.csv" and event.data["percent"] == "86.24"
    assert event.actor == setup["staff"]
    spec = registry.get("parindex-assessments")
    assert history.verify_owner(spec, leaf.assessment) is None  # the chain is sealed and whole
    # a second import with points: from → to recorded, unchanged rows skipped
    again = csv_bytes("unit,criterion,points\n000.00.11.H99,2.2,22\n")
    outcome = survey.import_file(setup["round"].pk, "sua.csv", again, setup["staff"])
    assert outcome.changed == 1
    last = AssessmentEvent.objects.filter(assessment=leaf.assessment).order_by("sequence").last()
    assert (last.data["from"], last.data["to"]) == ("21.56", "22.00")


def test_every_line_error_is_reported_and_nothing_is_written(setup):
    content = csv_bytes(
        "unit,criterion,points,percent\n"
        "000.00.11.H99,2.2,26,\n"  # above the 25-point maximum
        "999.99.99.H99,,10,\n"  # unknown unit
        "000.00.12.H99,1.1,10,\n"  # not a survey criterion
        "000.00.12.H99,,abc,\n"  # not a number
        "000.00.12.H99,,10,80\n"  # both
        "000.00.12.H99,,,101\n"  # above the scale
    )
    with pytest.raises(survey.SurveyImportInvalid) as error:
        survey.import_file(setup["round"].pk, "xhh.csv", content, setup["staff"])
    lines = sorted({row_error.line for row_error in error.value.errors})
    assert lines == [2, 3, 4, 5, 6, 7]
    assert not LeafScore.objects.filter(survey_score__isnull=False).exists()
    assert not AssessmentEvent.objects.filter(action="survey_points").exists()


def test_duplicate_rows_are_refused(setup):
    content = csv_bytes("unit,points\n000.00.11.H99,10\n000.00.11.H99,11\n")
    with pytest.raises(survey.SurveyImportInvalid) as error:
        survey.import_file(setup["round"].pk, "xhh.csv", content, setup["staff"])
    assert error.value.errors[0].line == 3


def test_xlsx_is_read(setup):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Mã đơn vị", "Mã tiêu chí", "Điểm"])
    sheet.append(["000.00.11.H99", "2.2", 21.56])
    buffer = io.BytesIO()
    book.save(buffer)
    outcome = survey.import_file(setup["round"].pk, "xhh.xlsx", buffer.getvalue(), setup["staff"])
    assert outcome.changed == 1
    assert LeafScore.objects.get(
        criterion__code="2.2", assessment__unit=setup["a"]
    ).survey_score == D("21.56")


def test_wrong_file_types_are_refused(setup):
    with pytest.raises(survey.SurveyImportInvalid):
        survey.import_file(setup["round"].pk, "xhh.pdf", b"%PDF-1.4", setup["staff"])
    with pytest.raises(survey.SurveyImportInvalid):
        survey.import_file(setup["round"].pk, "xhh.xlsx", b"not a workbook", setup["staff"])
    with pytest.raises(survey.SurveyImportInvalid):
        survey.import_file(setup["round"].pk, "xhh.csv", "a\n".encode("utf-16"), setup["staff"])


def test_only_the_organisers_reform_staff_and_only_before_publication(setup, django_user_model):
    content = csv_bytes("unit,points\n000.00.11.H99,10\n")
    leader = make.staff(django_user_model, "lanhdao", Role.LEADER, setup["a"])
    with pytest.raises(ActionForbidden):
        survey.import_file(setup["round"].pk, "xhh.csv", content, leader)
    setup["round"].status = RoundStatus.PUBLISHED
    setup["round"].save()
    with pytest.raises(TransitionNotAllowed):
        survey.import_file(setup["round"].pk, "xhh.csv", content, setup["staff"])


def test_a_registered_survey_source_goes_through_the_same_checks(setup):
    source = survey.SurveySource(
        "sipas-test",
        "SIPAS 2025",
        lambda round_obj: [{"unit": "000.00.12.H99", "percent": "86.24"}],
    )
    with survey.survey_sources.temporarily(source):
        outcome = survey.import_from_source(setup["round"].pk, "sipas-test", setup["staff"])
    assert outcome.changed == 1
    leaf = LeafScore.objects.get(criterion__code="2.2", assessment__unit=setup["b"])
    assert leaf.survey_score == D("21.56") and leaf.survey_source == "SIPAS 2025"


def test_cli(setup, tmp_path):
    good = tmp_path / "xhh.csv"
    good.write_text("unit,percent\n000.00.11.H99,86.24\n", encoding="utf-8")
    out = StringIO()
    call_command("par-import-survey", str(good), "--round", str(setup["round"].pk), stdout=out)
    assert "1 điểm được ghi" in out.getvalue()
    bad = tmp_path / "sai.csv"
    bad.write_text("unit,percent\nXX,86.24\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("par-import-survey", str(bad), "--round", str(setup["round"].pk), stderr=err)
    assert exit_info.value.code == 2
    assert "Dòng 2" in err.getvalue() or "Line 2" in err.getvalue()


@settings(max_examples=200, deadline=None)
@given(
    percent=st.decimals(min_value=0, max_value=100, places=2),
    maximum=st.decimals(min_value=Decimal("0.25"), max_value=40, places=2),
)
def test_converted_points_stay_within_the_leaf_and_keep_two_decimals(percent, maximum):
    points = survey.convert(percent, D(100), maximum)
    assert D(0) <= points <= maximum
    assert points == points.quantize(D("0.01"))
    assert abs(points - percent / 100 * maximum) <= D("0.005")


def _source(rows, calls=None):
    def offered(round_obj):
        if calls is not None:
            calls.append(round_obj.pk)
        return rows

    return survey.SurveySource("sipas-test", "SIPAS 2025", offered)


def test_a_source_leaves_out_units_the_round_does_not_assess(setup):
    rows = [
        {"unit": "000.00.11.H99", "percent": "86.24"},
        {"unit": "000.00.99.H99", "percent": "70"},  # a commune of the same campaign
    ]
    with survey.survey_sources.temporarily(_source(rows)):
        outcome = survey.import_from_source(setup["round"].pk, "sipas-test", setup["staff"])
    assert (outcome.rows, outcome.changed) == (1, 1)
    leaf = LeafScore.objects.get(criterion__code="2.2", assessment__unit=setup["a"])
    assert leaf.survey_score == D("21.56")


def test_a_source_with_nothing_for_the_round_or_unknown_is_refused_on_the_field(setup):
    outside = _source([{"unit": "000.00.99.H99", "percent": "70"}])
    with survey.survey_sources.temporarily(outside), pytest.raises(ParIndexError) as nothing:
        survey.import_from_source(setup["round"].pk, "sipas-test", setup["staff"])
    assert nothing.value.field == "source" and "SIPAS 2025" in nothing.value.message
    with pytest.raises(ParIndexError) as unknown:
        survey.import_from_source(setup["round"].pk, "khong-co", setup["staff"])
    assert unknown.value.field == "source"


def test_a_source_is_not_read_for_someone_without_the_right(setup, django_user_model):
    leader = make.staff(django_user_model, "lanhdao", Role.LEADER, setup["a"])
    calls: list = []
    with survey.survey_sources.temporarily(_source([], calls)), pytest.raises(ActionForbidden):
        survey.import_from_source(setup["round"].pk, "sipas-test", leader)
    assert calls == []


def test_a_source_on_the_chosen_survey_criterion_when_there_are_several(django_user_model):
    rows = [*make.SMALL_SET[:5], ("2.2", "Người dân", "15", "survey", False)]
    rows += [("2.3", "Tổ chức", "10", "survey", False)]
    province = make.province()
    home = make.unit("Sở Nội vụ", province)
    unit = make.unit("Sở Xây dựng", province, code="000.00.11.H99")
    round_obj = make.round_(make.criteria_set(rows), home, status=RoundStatus.APPRAISAL)
    make.assess(round_obj, unit, {"1.1": 10})
    staff = make.staff(django_user_model, "noivu", Role.REFORM_STAFF, home)
    offered = [{"unit": "000.00.11.H99", "percent": "80"}]
    with survey.survey_sources.temporarily(_source(offered)):
        with pytest.raises(survey.SurveyImportInvalid):  # which criterion? the rows do not say
            survey.import_from_source(round_obj.pk, "sipas-test", staff)
        survey.import_from_source(round_obj.pk, "sipas-test", staff, criterion="2.3")
    leaf = LeafScore.objects.get(criterion__code="2.3", assessment__unit=unit)
    assert leaf.survey_score == D("8.00")  # 80 % of 10 points


def test_cli_from_a_source(setup):
    offered = [{"unit": "000.00.12.H99", "percent": "86.24"}]
    out, err = StringIO(), StringIO()
    with survey.survey_sources.temporarily(_source(offered)):
        call_command(
            "par-import-survey",
            "--round",
            str(setup["round"].pk),
            "--source",
            "sipas-test",
            stdout=out,
        )
        assert "1 điểm được ghi" in out.getvalue()
        with pytest.raises(SystemExit) as neither:
            call_command("par-import-survey", "--round", str(setup["round"].pk), stderr=err)
    assert neither.value.code == 2 and "--source" in err.getvalue()
    leaf = LeafScore.objects.get(criterion__code="2.2", assessment__unit=setup["b"])
    assert leaf.survey_source == "SIPAS 2025"
