"""The platform figures "from platform data" leaves are scored from (★ computed criteria).

Each figure is computed for a unit **and its subtree** over a calendar year (1/1 – 31/12) with
the very selectors of the page it drills down to, so the number a unit sees in its
self-assessment is the number of that page for the same unit and year:

``dossiers.on_time_rate``   resolved dossiers resolved on time or early ÷ resolved dossiers: the
                            period report's rate ``resolved_in_time`` (``cchc.reports.selectors.
                            build_report``; TT 01/2018/TT-VPCP art. 16 report columns "trước hạn",
                            "đúng hạn", "quá hạn"). Drill-down: the report's resolved dossiers.
``dossiers.online_share``   dossiers received online ÷ dossiers received: the report's rate
                            ``online``. Drill-down: the report's online dossiers.
``dossiers.apology_rate``   late dossiers with an apology letter sent (Mẫu 04, NĐ 61/2018 art. 12
                            as replaced by NĐ 118/2025) ÷ late dossiers, the report's ``late_total``
                            (resolved late in the year + still overdue at its end). The numerator
                            is counted on the report's own drill-down of ``late_total``.
``feedback.on_time_rate``   feedback in competence answered (published) by its due time ÷
                            feedback in competence received in the year: Decision 766 indicator 5.2
                            as ``cchc.feedback.selectors.index_counts`` counts it. Drill-down: the
                            766 index page for the unit and year.
``index766.score``          the Decision 766 service index of the unit over the year, 0–100
                            (``cchc.index766.scores.compute_index``); none before 1/8/2022.

A percentage is rounded half up to two decimals; a figure with nothing to measure (no dossier,
no feedback) is ``percent=None``: the leaf is then left to the unit and the council, never
scored 0 by default. Registered in :data:`cchc.parindex.metrics.metrics`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cchc.dossiers.models import ApologyStatus
from cchc.index766 import scores as index766
from cchc.reports.parsing import BadPeriod
from cchc.reports.selectors import ReportRequest, build_report, drill

from . import engine
from .metrics import Figure, Metric, metrics

HUNDRED = Decimal(100)


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def percent(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return engine.round_half_up(Decimal(numerator) * HUNDRED / Decimal(denominator))


def report_query(unit, year: int) -> dict:
    """The report page's query for a unit's calendar year (``cchc.reports.forms``)."""
    query = {"ky": "nam", "nam": str(year)}
    if unit is not None:
        query = {"don_vi": unit.code, **query}
    return query


def report_url(unit, year: int, column: str | None = None) -> str:
    query = report_query(unit, year)
    if column:
        return f"{reverse('reports:drill')}?{urlencode({**query, 'cot': column})}"
    return f"{reverse('reports:report')}?{urlencode(query)}"


def index766_url(unit, year: int) -> str:
    start, end = year_bounds(year)
    query = {"tu_ngay": f"{start:%d/%m/%Y}", "den_ngay": f"{end:%d/%m/%Y}"}
    if unit is not None:
        query = {"don_vi": unit.code, **query}
    return f"{reverse('index766:index')}?{urlencode(query)}"


def _report(unit, year: int):
    start, end = year_bounds(year)
    request = ReportRequest(start=start, end=end, unit=unit)
    return request, build_report(request, with_findings=False)


def _rate_figure(unit, year: int, rate_key: str, column: str) -> Figure:
    _request, report = _report(unit, year)
    rate = report.total.rates[rate_key]
    return Figure(
        percent(rate.numerator, rate.denominator),
        rate.numerator,
        rate.denominator,
        report_url(unit, year, column),
        {"definition": rate.definition, "report_url": report_url(unit, year)},
    )


def on_time_rate(unit, year: int) -> Figure:
    return _rate_figure(unit, year, "resolved_in_time", "resolved")


def online_share(unit, year: int) -> Figure:
    return _rate_figure(unit, year, "online", "received_online")


def apology_rate(unit, year: int) -> Figure:
    request, report = _report(unit, year)
    late = report.total.counts["late_total"]
    late_dossiers = drill(request, "late_total")
    with_letter = (
        late_dossiers.filter(apologies__status=ApologyStatus.SENT).values("pk").distinct().count()
        if late
        else 0
    )
    with_letter = min(with_letter, late)
    return Figure(
        percent(with_letter, late),
        with_letter,
        late,
        report_url(unit, year, "late_total"),
        {
            "definition": "late dossiers with a sent apology letter / late_total",
            "report_url": report_url(unit, year),
        },
    )


def feedback_on_time_rate(unit, year: int) -> Figure:
    from cchc.feedback.selectors import index_counts

    start, end = year_bounds(year)
    counts = index_counts(index766.unit_ids_of(unit), start, end)
    return Figure(
        percent(counts["handled_on_time"], counts["in_competence"]),
        counts["handled_on_time"],
        counts["in_competence"],
        index766_url(unit, year),
        {"definition": "handled_on_time / in_competence (Decision 766, 5.2)"},
    )


def index766_score(unit, year: int) -> Figure:
    start, end = year_bounds(year)
    try:
        data = index766.compute_index(unit, start, end)
    except BadPeriod:
        return Figure(None, drilldown_url=index766_url(unit, year), detail={"reason": "before"})
    score = data.get("score")
    value = None if score is None else engine.round_half_up(Decimal(str(score)))
    return Figure(value, drilldown_url=index766_url(unit, year), detail={"rating": data["rating"]})


for _metric in (
    Metric(
        "dossiers.on_time_rate",
        _("Resolved dossiers resolved on time (%)"),
        on_time_rate,
        _("Resolved early or on time ÷ resolved, from the period report of the year."),
        order=10,
    ),
    Metric(
        "dossiers.online_share",
        _("Dossiers received online (%)"),
        online_share,
        _("Received online ÷ received, from the period report of the year."),
        order=20,
    ),
    Metric(
        "dossiers.apology_rate",
        _("Late dossiers with an apology letter (%)"),
        apology_rate,
        _("Late dossiers whose apology letter was sent ÷ late dossiers of the year."),
        order=30,
    ),
    Metric(
        "feedback.on_time_rate",
        _("Feedback answered on time (%)"),
        feedback_on_time_rate,
        _("Feedback answered by its due time ÷ feedback within competence (766, 5.2)."),
        order=40,
    ),
    Metric(
        "index766.score",
        _("Decision 766 service index (points out of 100)"),
        index766_score,
        _("The unit's Decision 766 index over the calendar year."),
        order=50,
    ),
):
    if _metric.key not in metrics:
        metrics.register(_metric)


def figures_for(unit, year: int, keys=None) -> list[tuple[Metric, Figure]]:
    """Each registered figure (or those of ``keys``) for the unit and year, in order."""
    wanted = None if keys is None else set(keys)
    return [
        (metric, metric.compute(unit, year))
        for metric in metrics
        if wanted is None or metric.key in wanted
    ]
