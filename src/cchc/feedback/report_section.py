"""The feedback section of the periodic reform report (``cchc.common.report_sections``).

Feedback (phản ánh, kiến nghị) received in the report's data window by the units of the reporting
subtree, counted as the Decision 766 indicators count it (:func:`cchc.feedback.selectors.
index_counts`): received, within competence, answered (answer published), answered on time.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.common.report_docx import add_figures
from cchc.common.report_sections import ReportSection, SectionScope, report_sections

from .selectors import index_counts


def compute(scope: SectionScope) -> dict:
    counts = index_counts(scope.ids, scope.start, scope.end)
    return {
        "received": counts["total"],
        "in_competence": counts["in_competence"],
        "answered": counts["handled"],
        "answered_on_time": counts["handled_on_time"],
        "overdue": counts["overdue"],
    }


def labels() -> list[tuple[str, str]]:
    return [
        ("received", _("Feedback received")),
        ("in_competence", _("within competence")),
        ("answered", _("Answered")),
        ("answered_on_time", _("Answered on time")),
        ("overdue", _("overdue")),
    ]


def write_docx(document, value: dict) -> None:
    add_figures(
        document,
        _("Feedback and recommendations"),
        [(label, value.get(key)) for key, label in labels()],
    )


if "feedback" not in report_sections:
    report_sections.register(
        ReportSection(
            key="feedback",
            label=gettext_lazy("Feedback and recommendations"),
            compute=compute,
            template="feedback/report_section.html",
            order=60,
            docx=write_docx,
        )
    )
