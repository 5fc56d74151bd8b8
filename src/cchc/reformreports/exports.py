"""The report as the official document: DOCX (the file officers edit and sign) and PDF.

Layout of an administrative document (Nghị định 30/2020/NĐ-CP, Phụ lục I, mẫu 1.4 "Báo cáo"): at
the top left the managing authority (tên cơ quan chủ quản, upper case) and the issuing unit (bold),
the number and symbol (Số: …/BC-…); at the top right the national title "CỘNG HÒA XÃ HỘI CHỦ
NGHĨA VIỆT NAM" and the motto "Độc lập - Tự do - Hạnh phúc" (bold), then the place and date
(italic); the title "BÁO CÁO" with its summary; the body; at the bottom left the recipients
(Nơi nhận) and at the bottom right the signer's title and name. The body has the four narrative
parts and, under the results, the figures of every section as the report's snapshot holds them,
so the document holds the very numbers of the page.
"""

from __future__ import annotations

import io
from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import assembly
from .models import ReformReport

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
PARTS = (
    ("achievements", "I. KẾT QUẢ ĐẠT ĐƯỢC"),
    ("shortcomings", "II. TỒN TẠI, HẠN CHẾ"),
    ("causes", "III. NGUYÊN NHÂN"),
    ("next_tasks", "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI"),
)
PERIODS_VI = {
    "q1": "quý I năm {year}",
    "h1": "6 tháng đầu năm {year}",
    "q3": "quý III năm {year}",
    "year": "năm {year}",
}
PREFIXES = ("UBND tỉnh ", "Ủy ban nhân dân tỉnh ", "UBND thành phố ", "UBND ")


def summary(report: ReformReport) -> str:
    """ "Kết quả thực hiện công tác cải cách hành chính quý I năm 2026"."""
    period = PERIODS_VI[report.kind].format(year=report.year)
    return f"Kết quả thực hiện công tác cải cách hành chính {period}"


def _root(unit):
    while unit.parent_id is not None:
        unit = unit.parent
    return unit


def place(report: ReformReport) -> str:
    if report.place:
        return report.place
    name = _root(report.unit).name
    for prefix in PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def dated(report: ReformReport) -> date:
    moment = report.approved_at or report.submitted_at or timezone.now()
    return timezone.localdate(moment)


def heading(report: ReformReport) -> dict:
    """The parts of the document's heading, as the DOCX and the PDF print them."""
    day = dated(report)
    parent = report.unit.parent
    return {
        "authority": parent.name.upper() if parent is not None else "",
        "unit": report.unit.name.upper(),
        "number": f"Số: {report.document_number or '      /BC-'}",
        "national_title": NATIONAL_TITLE,
        "motto": MOTTO,
        "place_date": f"{place(report)}, ngày {day.day} tháng {day.month} năm {day.year}",
        "title": "BÁO CÁO",
        "summary": summary(report),
        "recipients": [line for line in report.recipients.splitlines() if line.strip()],
        "signer_title": report.signer_title or "THỦ TRƯỞNG ĐƠN VỊ",
        "signer_name": report.signer_name,
    }


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _cell_lines(cell, lines: list[tuple[str, bool, bool]], alignment) -> None:
    cell.paragraphs[0].text = ""
    for index, (text, bold, italic) in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph.alignment = alignment
        run = paragraph.add_run(text)
        run.bold = bold
        run.italic = italic


def docx_bytes(report: ReformReport) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    center = WD_ALIGN_PARAGRAPH.CENTER
    head = heading(report)
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)

    top = document.add_table(rows=1, cols=2)
    left, right = top.rows[0].cells
    _cell_lines(
        left,
        [
            (head["authority"], False, False),
            (head["unit"], True, False),
            (head["number"], False, False),
        ],
        center,
    )
    _cell_lines(
        right,
        [
            (head["national_title"], True, False),
            (head["motto"], True, False),
            (head["place_date"], False, True),
        ],
        center,
    )
    for text in (head["title"], head["summary"]):
        paragraph = document.add_paragraph()
        paragraph.alignment = center
        paragraph.add_run(text).bold = True

    with translation.override("vi"):
        sections = assembly.sections(report)
        for field, title in PARTS:
            document.add_heading(title, level=1)
            for text in _paragraphs(getattr(report, field)):
                document.add_paragraph(text)
            if field == "achievements":
                for section in sections:
                    if section["docx"] is not None:
                        section["docx"](document, section["value"])
                    else:
                        document.add_heading(section["label"], level=2)
                        document.add_paragraph(str(section["value"]))

    bottom = document.add_table(rows=1, cols=2)
    left, right = bottom.rows[0].cells
    _cell_lines(
        left,
        [("Nơi nhận:", True, True), *((f"- {line}", False, False) for line in head["recipients"])],
        WD_ALIGN_PARAGRAPH.LEFT,
    )
    _cell_lines(
        right,
        [
            (head["signer_title"], True, False),
            ("", False, False),
            (head["signer_name"], True, False),
        ],
        center,
    )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_bytes(report: ReformReport) -> bytes:
    from django.utils.safestring import mark_safe

    from cchc.documents.fonts import document_font
    from cchc.documents.rendering import html_to_pdf

    font = document_font()
    with translation.override("vi"):
        html = render_to_string(
            "reformreports/report_pdf.html",
            {
                "report": report,
                "head": heading(report),
                "parts": [(title, _paragraphs(getattr(report, f))) for f, title in PARTS],
                "sections": assembly.sections(report),
                "font_css": mark_safe(font.css()),
                "font_stack": mark_safe(font.stack),
            },
        )
    return html_to_pdf(html)


def filename(report: ReformReport, extension: str) -> str:
    return f"bao-cao-cchc-{report.unit.code}-{report.year}-{report.kind}.{extension}"
