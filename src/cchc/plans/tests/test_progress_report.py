"""The "plans" section of the periodic reform report: the plan's progress at the end of the
data period and the overdue tasks, on the page and in the DOCX with the same numbers."""

from datetime import date
from io import BytesIO

import docx
from django.template.loader import render_to_string

from cchc.common.report_sections import SectionScope, report_sections

from . import progress_world

clock = progress_world.clock  # the fixture
pworld = progress_world.pworld  # the fixture


def scope(world, end):
    return SectionScope(
        unit=world.justice, ids=[world.justice.pk], start=date(2026, 1, 1), end=end, year=2026
    )


def test_the_section_is_registered():
    section = report_sections.get("plans")
    assert section.template == "plans/progress/report_section.html"
    assert section.docx is not None


def test_compute_is_the_progress_contract_at_the_period_end_and_the_overdue_tasks(pworld):
    value = report_sections.get("plans").compute(scope(pworld, date(2026, 9, 14)))
    assert value["as_of"] == "2026-09-14"
    assert (value["tasks_total"], value["tasks_done"], value["tasks_overdue"]) == (28, 26, 0)
    assert value["overdue_tasks"] == []
    value = report_sections.get("plans").compute(scope(pworld, date(2026, 12, 14)))
    assert value["completion_percent"] == 92.86
    assert value["overdue_tasks"] == [
        {
            "code": pworld.overdue.code,
            "content": "Rà soát thủ tục hành chính lĩnh vực hộ tịch",
            "lead_unit": "Sở Tư pháp",
            "deadline": "2026-09-30",
        }
    ]


def test_page_and_docx_hold_the_same_numbers(pworld):
    section = report_sections.get("plans")
    value = section.compute(scope(pworld, date(2026, 12, 14)))
    html = render_to_string(section.template, {"section": section, "value": value})
    assert "92,86 %" in html and "30/09/2026" in html
    assert "26 trên 28 nhiệm vụ" in html
    document = docx.Document()
    section.docx(document, value)
    buffer = BytesIO()
    document.save(buffer)
    reopened = docx.Document(BytesIO(buffer.getvalue()))
    text = "\n".join(paragraph.text for paragraph in reopened.paragraphs)
    assert "26 trên 28 nhiệm vụ" in text and "92,86 %" in text
    cells = [cell.text for table in reopened.tables for row in table.rows for cell in row.cells]
    assert "Lĩnh vực 7" in cells and "50,00 %" in cells
    assert "Rà soát thủ tục hành chính lĩnh vực hộ tịch" in cells and "30/09/2026" in cells


def test_a_task_finished_after_the_period_was_overdue_at_its_end(pworld):
    value = report_sections.get("plans").compute(scope(pworld, date(2026, 7, 5)))
    assert value["tasks_overdue"] == 2
    assert [row["code"] for row in value["overdue_tasks"]] == [task.code for task in pworld.late]
