"""The conclusion notice (thông báo kết luận kiểm tra CCHC) as DOCX and PDF.

Official heading layout (Nghị định 30/2020/NĐ-CP, Phụ lục I): the issuing body and its parent on
the left, the national motto (Quốc hiệu – Tiêu ngữ) on the right; the number and the place and
date; the title; the body (what was inspected, the checklist, ưu điểm; tồn tại, hạn chế;
nguyên nhân; the recommendations table with responsible units and deadlines); "Nơi nhận" and the
signer. Both documents are written from :func:`cchc.inspections.selectors.conclusion`, the same
content as the page.
"""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from . import selectors

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"
TITLE = "THÔNG BÁO"
SUBTITLE = "Kết luận kiểm tra công tác cải cách hành chính"
HEADINGS = {
    "strengths": "1. Ưu điểm",
    "weaknesses": "2. Tồn tại, hạn chế",
    "causes": "3. Nguyên nhân",
}


def dmy(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _date_line(inspection) -> str:
    from cchc.documents import formatting

    place = formatting.place_name(inspection.plan.organiser)
    return f"{place}, {formatting.date_words(inspection.conclusion_date)}"


def filename(inspection, extension: str) -> str:
    return (
        f"thong-bao-ket-luan-kiem-tra-{inspection.target.code}-{inspection.plan.year}.{extension}"
    )


def _recipients(inspection) -> list[str]:
    units = [inspection.target.name]
    for item in inspection.recommendations.select_related("responsible_unit"):
        if item.responsible_unit.name not in units:
            units.append(item.responsible_unit.name)
    return [f"- {name};" for name in units] + ["- Lưu: VT."]


def checklist_result(row) -> str:
    return {"ok": "Đạt", "not_ok": "Chưa đạt"}.get(row.result, "")


def render_docx(inspection) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    data = selectors.conclusion(inspection)
    organiser = inspection.plan.organiser
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)

    heading = document.add_table(rows=2, cols=2)
    left, right = heading.rows[0].cells
    left.text = (organiser.parent.name.upper() if organiser.parent else "") + "\n"
    left.add_paragraph(organiser.name.upper()).runs[0].bold = True
    right.text = MOTTO
    right.paragraphs[0].runs[0].bold = True
    right.add_paragraph(MOTTO_2).runs[0].bold = True
    number, place = heading.rows[1].cells
    number.text = f"Số: {inspection.conclusion_number}"
    place.text = _date_line(inspection)
    place.paragraphs[0].runs[0].italic = True
    for cell in (left, right, number, place):
        for paragraph in cell.paragraphs:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(TITLE).bold = True
    subtitle = document.add_paragraph()
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle.add_run(f"{SUBTITLE} tại {inspection.target.name}").bold = True

    intro = (
        f"Thực hiện {inspection.plan.name}"
        + (f" ({inspection.plan.document_number})" if inspection.plan.document_number else "")
        + f", ngày {dmy(inspection.inspected_on)} Đoàn kiểm tra"
        + (f" ({inspection.team.name})" if inspection.team_id else "")
        + f" đã kiểm tra công tác cải cách hành chính năm {inspection.plan.year}"
        + f" tại {inspection.target.name}. Kết luận như sau:"
    )
    document.add_paragraph(intro)

    document.add_paragraph().add_run(
        f"Kết quả kiểm tra theo lĩnh vực: {data['checked_ok']}/{len(data['checklist'])} đạt"
    ).bold = True
    if data["checklist"]:
        table = document.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells, ("Mã", "Lĩnh vực", "Kết quả", "Ghi chú"), strict=True
        ):
            cell.text = text
        for row in data["checklist"]:
            cells = table.add_row().cells
            cells[0].text = row.code
            cells[1].text = row.name
            cells[2].text = checklist_result(row)
            cells[3].text = row.notes
    if data["figures"] or data["sipas"]:
        document.add_paragraph().add_run("Số liệu của hệ thống").bold = True
        for figure in data["figures"]:
            document.add_paragraph(f"- {figure['label']}: {figure['value']}")
        if data["sipas"]:
            index = (data["sipas"].get("index") or "–").replace(".", ",")
            document.add_paragraph(f"- SIPAS ({data['sipas']['name']}): {index}%")

    for key, label in HEADINGS.items():
        document.add_paragraph().add_run(label).bold = True
        for finding in data[key]:
            codes = (
                f" (tiêu chí {', '.join(finding.criteria_codes)})" if finding.criteria_codes else ""
            )
            document.add_paragraph(f"- {finding.text}{codes}")

    document.add_paragraph().add_run("4. Kiến nghị").bold = True
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, ("STT", "Kiến nghị", "Đơn vị thực hiện", "Thời hạn"), strict=True
    ):
        cell.text = text
    for number_, item in enumerate(data["recommendations"], start=1):
        cells = table.add_row().cells
        cells[0].text = str(number_)
        cells[1].text = item.text
        cells[2].text = item.responsible_unit.name
        cells[3].text = dmy(item.deadline)
    document.add_paragraph(
        f"{inspection.target.name} báo cáo kết quả khắc phục trước ngày "
        f"{dmy(inspection.remediation_due)}."
    )

    closing = document.add_table(rows=1, cols=2)
    receivers, signer = closing.rows[0].cells
    receivers.text = "Nơi nhận:"
    receivers.paragraphs[0].runs[0].bold = True
    for line in _recipients(inspection):
        receivers.add_paragraph(line)
    signer.text = "TRƯỞNG ĐOÀN KIỂM TRA"
    signer.paragraphs[0].runs[0].bold = True
    signer.add_paragraph("\n\n")
    signer.add_paragraph(inspection.conclusion_signer).runs[0].bold = True
    for paragraph in signer.paragraphs:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_html(inspection) -> str:
    from cchc.documents.fonts import document_font

    font = document_font()
    organiser = inspection.plan.organiser
    context = {
        **selectors.conclusion(inspection),
        "agency": organiser,
        "agency_parent": organiser.parent,
        "date_line": _date_line(inspection),
        "motto": MOTTO,
        "motto_2": MOTTO_2,
        "title": TITLE,
        "subtitle": f"{SUBTITLE} tại {inspection.target.name}",
        "headings": HEADINGS,
        "recipients": _recipients(inspection),
        "font_css": mark_safe(font.css()),
        "font_stack": mark_safe(font.stack),
    }
    return render_to_string("inspections/conclusion_pdf.html", context)


def render_pdf(inspection) -> bytes:
    from cchc.documents.rendering import html_to_pdf

    return html_to_pdf(render_html(inspection))
