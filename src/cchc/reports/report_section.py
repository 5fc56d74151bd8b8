"""The one-stop section of the periodic reform report (``cchc.common.report_sections``).

The figures are the period report's (``cchc.reports.selectors.build_report``, the page of
docs/reports.md) for the reporting unit's subtree over the report's data window: dossiers
received by channel, resolved before, on and after the due date, still in progress and overdue at
the window's end, apology letters sent (Thông tư 01/2018/TT-VPCP art. 16 report columns).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.common.report_docx import add_figures
from cchc.common.report_sections import ReportSection, SectionScope, report_sections

from .selectors import ReportRequest, build_report

KEYS = (
    "carried_over",
    "received",
    "received_online",
    "received_counter",
    "received_postal",
    "resolved",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "in_progress",
    "in_progress_late",
    "apology_sent",
)


def compute(scope: SectionScope) -> dict:
    report = build_report(
        ReportRequest(start=scope.start, end=scope.end, unit=scope.unit), with_findings=False
    )
    counts = report.total.counts
    rates = report.total.rates
    return {
        **{key: int(counts[key]) for key in KEYS},
        "resolved_on_time_percent": rates["resolved_in_time"].to_dict()["percent"],
        "online_percent": rates["online"].to_dict()["percent"],
    }


def labels() -> list[tuple[str, str]]:
    return [
        ("carried_over", _("Carried over from the previous period")),
        ("received", _("Received in the period")),
        ("received_online", _("of which online")),
        ("received_counter", _("of which at the counter")),
        ("received_postal", _("of which by public postal service")),
        ("resolved", _("Resolved: total")),
        ("resolved_early", _("before the due date")),
        ("resolved_on_time", _("on time")),
        ("resolved_late", _("late")),
        ("resolved_on_time_percent", _("Resolved on time or early (%)")),
        ("in_progress", _("In progress: total")),
        ("in_progress_late", _("overdue")),
        ("apology_sent", _("Apology letters sent")),
    ]


def write_docx(document, value: dict) -> None:
    add_figures(
        document,
        _("One-stop shop: administrative procedures"),
        [(label, value.get(key)) for key, label in labels()],
    )


if "one_stop" not in report_sections:
    report_sections.register(
        ReportSection(
            key="one_stop",
            label=gettext_lazy("One-stop shop: administrative procedures"),
            compute=compute,
            template="reports/report_section.html",
            order=10,
            docx=write_docx,
        )
    )
