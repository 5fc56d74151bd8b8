"""The section "plans" of the periodic reform report (``cchc.common.report_sections``): the
progress of the reporting unit's yearly plan as of the end of the report's data period (the
contract of ``cchc plan-progress --json``) and the tasks overdue on that day (code, content, lead
unit, deadline). The report keeps what ``compute`` returns as a snapshot; the page template and
the DOCX writer show the same numbers. Reporting duty: "thực hiện đầy đủ chế độ báo cáo CCHC định
kỳ" (par-sipas-plan-sources.md §C)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.common.report_sections import ReportSection, SectionScope

from .models import Plan, Task
from .selectors import plan_completion, plan_progress


def vn_percent(value) -> str:
    if value is None:
        return "—"
    return f"{value:.2f}".replace(".", ",") + " %"


def compute(scope: SectionScope) -> dict:
    data = plan_progress(scope.unit, scope.year, scope.end)
    plan = Plan.objects.filter(unit=scope.unit, year=scope.year).first()
    # The overdue tasks of the same computation as ``tasks_overdue`` (as of the period's end, a
    # task finished since then was still overdue that day).
    keys = plan_completion(plan, scope.end).overdue if plan is not None else []
    tasks = Task.objects.select_related("lead_unit").in_bulk(keys)
    data["overdue_tasks"] = [
        {
            "code": task.code,
            "content": task.content,
            "lead_unit": task.lead_unit.name,
            "deadline": (task.deadline.isoformat() if task.deadline and not task.recurring else ""),
        }
        for task in (tasks[key] for key in keys)
    ]
    return data


def _day(iso: str) -> str:
    if not iso:
        return _("Recurring")
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"


def write_docx(document, value: dict) -> None:
    """Paragraphs and tables in a python-docx ``Document`` with the page's numbers."""
    document.add_paragraph(
        _(
            "Yearly reform plan %(year)s, as of %(as_of)s: %(done)s of %(total)s tasks done "
            "(%(percent)s); %(due)s due, %(on_time)s done on time, %(late)s done late, "
            "%(overdue)s overdue."
        )
        % {
            "year": value["year"],
            "as_of": _day(value["as_of"]),
            "done": value["tasks_done"],
            "total": value["tasks_total"],
            "percent": vn_percent(value["completion_percent"]),
            "due": value["tasks_due"],
            "on_time": value["tasks_done_on_time"],
            "late": value["tasks_done_late"],
            "overdue": value["tasks_overdue"],
        }
    )
    if value["fields"]:
        table = document.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells,
            (_("Field"), _("Tasks"), _("Done"), _("Completion")),
            strict=True,
        ):
            cell.text = str(text)
        for row in value["fields"]:
            cells = table.add_row().cells
            cells[0].text = row["name"] or "—"
            cells[1].text = str(row["tasks_total"])
            cells[2].text = str(row["tasks_done"])
            cells[3].text = vn_percent(row["completion_percent"])
    if value.get("overdue_tasks"):
        document.add_paragraph(_("Overdue tasks:"))
        table = document.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells,
            (_("Number"), _("Task"), _("Lead unit"), _("Deadline")),
            strict=True,
        ):
            cell.text = str(text)
        for task in value["overdue_tasks"]:
            cells = table.add_row().cells
            cells[0].text = task["code"]
            cells[1].text = task["content"]
            cells[2].text = task["lead_unit"]
            cells[3].text = _day(task["deadline"])


SECTION = ReportSection(
    "plans",
    gettext_lazy("Yearly reform plan progress"),
    compute,
    "plans/progress/report_section.html",
    order=30,
    docx=write_docx,
)
