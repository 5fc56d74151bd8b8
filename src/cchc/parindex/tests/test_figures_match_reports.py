"""Computed criteria match the report (and the 766 index) for the same unit and year."""

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import resolve

from cchc.demo import province as demo
from cchc.demo.generate import generate
from cchc.dossiers.models import ApologyStatus
from cchc.feedback.selectors import index_counts
from cchc.index766 import scores
from cchc.organisations.models import OrganisationUnit
from cchc.parindex import figures
from cchc.parindex.metrics import metrics
from cchc.reports.models import DossierStat
from cchc.reports.selectors import ReportRequest, build_report, drill

pytestmark = pytest.mark.django_db


@pytest.fixture
def history():
    units = demo.load_units()
    demo.load_catalog(units)
    generate(500, units=3, years=1.5, events=False, seed=11)
    year = date.today().year
    unit_id = (
        DossierStat.objects.filter(received_on__year=year).values_list("unit_id", flat=True).first()
    )
    unit = OrganisationUnit.objects.get(pk=unit_id)
    return unit, year


def test_every_figure_is_registered():
    assert {
        "dossiers.on_time_rate",
        "dossiers.online_share",
        "dossiers.apology_rate",
        "feedback.on_time_rate",
        "index766.score",
    } <= set(metrics.keys())


def _report(unit, year):
    request = ReportRequest(start=date(year, 1, 1), end=date(year, 12, 31), unit=unit)
    return request, build_report(request, with_findings=False)


@pytest.mark.parametrize("whole_province", [False, True])
def test_dossier_figures_equal_the_report(history, whole_province):
    unit, year = history
    if whole_province:
        unit = OrganisationUnit.objects.filter(parent__isnull=True).first()
    request, report = _report(unit, year)
    rates = report.total.rates
    on_time = metrics["dossiers.on_time_rate"].compute(unit, year)
    assert (on_time.numerator, on_time.denominator) == (
        rates["resolved_in_time"].numerator,
        rates["resolved_in_time"].denominator,
    )
    assert on_time.denominator > 0
    assert float(on_time.percent) == pytest.approx(
        rates["resolved_in_time"].to_dict()["percent"], abs=0.01
    )
    online = metrics["dossiers.online_share"].compute(unit, year)
    assert (online.numerator, online.denominator) == (
        report.total.counts["received_online"],
        report.total.counts["received"],
    )
    apology = metrics["dossiers.apology_rate"].compute(unit, year)
    assert apology.denominator == report.total.counts["late_total"]
    expected = (
        drill(request, "late_total")
        .filter(apologies__status=ApologyStatus.SENT)
        .values("pk")
        .distinct()
        .count()
    )
    assert apology.numerator == expected <= apology.denominator


def test_feedback_and_766_figures_equal_their_pages(history):
    unit, year = history
    counts = index_counts(scores.unit_ids_of(unit), date(year, 1, 1), date(year, 12, 31))
    feedback = metrics["feedback.on_time_rate"].compute(unit, year)
    assert (feedback.numerator, feedback.denominator) == (
        counts["handled_on_time"],
        counts["in_competence"],
    )
    score = metrics["index766.score"].compute(unit, year)
    data = scores.compute_index(unit, date(year, 1, 1), date(year, 12, 31))
    assert float(score.percent) == pytest.approx(data["score"], abs=0.005)


def test_drilldown_urls_open_the_report_filtered_for_unit_and_year(history):
    unit, year = history
    figure = metrics["dossiers.on_time_rate"].compute(unit, year)
    parts = urlsplit(figure.drilldown_url)
    assert resolve(parts.path).view_name == "reports:drill"
    query = parse_qs(parts.query)
    assert query == {"don_vi": [unit.code], "ky": ["nam"], "nam": [str(year)], "cot": ["resolved"]}
    url = metrics["feedback.on_time_rate"].compute(unit, year).drilldown_url
    assert resolve(urlsplit(url).path).view_name == "index766:index"


def test_nothing_to_measure_is_no_figure_not_zero(db):
    units = demo.load_units()
    unit = next(iter(units.values()))
    figure = figures.on_time_rate(unit, 2019)
    assert figure.percent is None and figure.denominator == 0
    assert figures.index766_score(unit, 2019).percent is None  # before 1/8/2022
