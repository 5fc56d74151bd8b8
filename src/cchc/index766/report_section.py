"""The Decision 766 section of the periodic reform report (``cchc.common.report_sections``).

The reporting unit's 766 service index over the report's data window
(:func:`cchc.index766.scores.compute_index`, the index page's compute; Quyết định 766/QĐ-TTg):
the score out of 100, its rating and the points of each indicator group.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.common.report_docx import add_figures
from cchc.common.report_sections import ReportSection, SectionScope, report_sections
from cchc.reports.parsing import BadPeriod

from . import scores


def compute(scope: SectionScope) -> dict:
    try:
        data = scores.compute_index(scope.unit, scope.start, scope.end)
    except BadPeriod:
        return {"score": None, "rating": "", "groups": []}
    return {
        "score": data.get("score"),
        "max_points": data.get("max_points"),
        "rating": (data.get("rating") or {}).get("name", ""),
        "groups": [
            {"name": group["name"], "points": group["points"], "max_points": group["max_points"]}
            for group in data.get("groups", [])
        ],
    }


def write_docx(document, value: dict) -> None:
    rows: list[tuple[str, object]] = [(_("Score (out of 100)"), value.get("score"))]
    if value.get("rating"):
        rows.append((_("Rating"), value["rating"]))
    rows.extend((group["name"], group["points"]) for group in value.get("groups", []))
    add_figures(document, _("Decision 766 service index"), rows)


if "index766" not in report_sections:
    report_sections.register(
        ReportSection(
            key="index766",
            label=gettext_lazy("Decision 766 service index"),
            compute=compute,
            template="index766/report_section.html",
            order=20,
            docx=write_docx,
        )
    )
