"""A round's results as the official summary spreadsheet and as the PDF annex to the publishing
decision (phụ lục kèm theo quyết định công bố Chỉ số CCHC).

The summary's columns are those of the published provincial tables (Tây Ninh 2729/QĐ-UBND 2023:
Điểm tối đa | Điểm thẩm định | Tỷ lệ đạt | Xếp loại; Cà Mau 1880/QĐ-UBND: Điều tra XHH · Tự đánh
giá · SNV đánh giá | Điểm đạt được | Chỉ số): STT | Đơn vị | Điểm tối đa | Điểm tự đánh giá |
Điểm thẩm định | Điểm điều tra XHH | Điểm thưởng/trừ | Tổng điểm | Chỉ số (%) | Xếp hạng | Xếp loại,
then, per field, its points and its sub-index (%). The PDF is set like the other official documents
(``cchc.documents``: WeasyPrint, the embedded Vietnamese serif font, no network).
"""

from __future__ import annotations

import io
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from . import results as selectors

SUMMARY_COLUMNS = (
    "STT",
    "Đơn vị",
    "Điểm tối đa",
    "Điểm tự đánh giá",
    "Điểm thẩm định",
    "Điểm điều tra XHH",
    "Điểm thưởng/trừ",
    "Tổng điểm",
    "Chỉ số (%)",
    "Xếp hạng",
    "Xếp loại",
)


def vn(value, places: int = 2) -> str:
    """89.15 → "89,15" (Vietnamese separators); None → "–"."""
    if value is None:
        return "–"
    text = f"{Decimal(value):,.{places}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def filename(round_, extension: str) -> str:
    return f"chi-so-cchc-{round_.year}-{round_.criteria_set.level}-{round_.pk}.{extension}"


def title(round_) -> str:
    return f"KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {round_.year}"


def field_heads(results: selectors.RoundResults) -> list[tuple[str, str]]:
    return [(root.code, root.name) for root in results.roots if root.block == selectors.engine.MAIN]


def _float(value) -> float | None:
    return None if value is None else float(selectors.engine.round_half_up(Decimal(value)))


def render_xlsx(results: selectors.RoundResults, rows) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    round_ = results.round
    book = Workbook()
    sheet = book.active
    sheet.title = f"Chỉ số CCHC {round_.year}"
    heads = field_heads(results)
    columns = list(SUMMARY_COLUMNS)
    for code, name in heads:
        columns += [f"{code}. {name}: điểm", f"{code}. {name}: chỉ số (%)"]
    sheet.cell(row=1, column=1, value=title(round_)).font = Font(bold=True, size=13)
    sheet.cell(row=2, column=1, value=f"{round_.criteria_set.name} — {round_.organiser.name}")
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    header_row = 4
    for number, heading in enumerate(columns, start=1):
        cell = sheet.cell(row=header_row, column=number, value=heading)
        cell.font = Font(bold=True)
        cell.border = box
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    for number, result in enumerate(rows, start=1):
        values = [
            number,
            result.extra["unit_name"],
            _float(result.max_points),
            _float(result.self_score),
            _float(result.appraised_score),
            _float(result.survey_score),
            _float(result.bonus),
            _float(result.total),
            _float(result.index),
            result.rank,
            result.grade,
        ]
        by_code = {item.code: item for item in result.fields}
        for code, _name in heads:
            item = by_code.get(code)
            values += [_float(item.score) if item else None, _float(item.index) if item else None]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=header_row + number, column=column, value=value)
            cell.border = box
            if isinstance(value, float):
                cell.number_format = "0.00"
    sheet.column_dimensions["A"].width = 5
    sheet.column_dimensions["B"].width = 40
    for column in range(3, len(columns) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 12
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=3)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def render_html(results: selectors.RoundResults) -> str:
    from cchc.documents import formatting
    from cchc.documents.fonts import document_font

    round_ = results.round
    font = document_font()
    heads = field_heads(results)
    rows = []
    for number, result in enumerate(results.results, start=1):
        by_code = {item.code: item for item in result.fields}
        rows.append(
            {
                "number": number,
                "name": result.extra["unit_name"],
                "cells": [
                    vn(result.max_points),
                    vn(result.self_score),
                    vn(result.appraised_score),
                    vn(result.survey_score),
                    vn(result.bonus),
                    vn(result.total),
                    vn(result.index),
                    "–" if result.rank is None else str(result.rank),
                    result.grade or "–",
                ],
                "fields": [
                    vn(by_code[code].index) if code in by_code else "–" for code, _n in heads
                ],
            }
        )
    context = {
        "title": title(round_),
        "round": round_,
        "agency": round_.organiser,
        "agency_parent": round_.organiser.parent,
        "place": formatting.place_name(round_.organiser),
        "decision_number": round_.decision_number,
        "decision_date": formatting.dmy(round_.decision_date) if round_.decision_date else "",
        "issued_on": formatting.date_words(round_.decision_date or timezone.localdate()),
        "columns": SUMMARY_COLUMNS[2:],
        "heads": heads,
        "rows": rows,
        "count": len(rows),
        "font_css": mark_safe(font.css()),
        "font_stack": mark_safe(font.stack),
    }
    return render_to_string("parindex/results_annex_pdf.html", context)


def render_pdf(results: selectors.RoundResults) -> bytes:
    from cchc.documents.rendering import html_to_pdf

    return html_to_pdf(render_html(results))
