"""A campaign's exports: the raw responses (XLSX, CSV) for SPSS/R, the results (XLSX) and the PDF
report (WeasyPrint, the project's embedded Vietnamese font, as ``cchc.documents``).

**Raw responses** — one row per counted response (review ``valid`` or ``accepted``), columns:

* ``unit`` — the surveyed unit's code; ``channel`` — sms, email, zalo, qr, kiosk or paper;
  ``submitted`` — the day only (ISO ``yyyy-mm-dd`` in the CSV, a date cell shown dd/mm/yyyy in
  the XLSX; the time of day is left out, it could help tie a row to a visit);
* then one column per question in the questionnaire's order, named by its code: a single
  choice, scale, yes/no, number or date question holds the answer's code; a matrix gives one
  column per item (the item's code); a multiple choice one 0/1 column per choice
  (``question__choice``, blank when the question was not shown).

Open-text questions are **not** exported: free text may hold a name or a phone number, which a
raw file must never carry (Decree 13/2023 on personal data). Nothing else in a Response is
personal (``models.campaigns``), and the invitation (contact, dossier) is never read.

Codes and labels: the XLSX has a second sheet ``labels`` (variable, variable label, value, value
label — the codebook SPSS ``VALUE LABELS`` / R ``factor(levels, labels)`` need); the CSV gives the
codes, or the labels with ``labels=True`` (the page's "with labels" link). CSV files are UTF-8
with a BOM so that Excel reads Vietnamese; the separator is a comma.
"""

from __future__ import annotations

import csv
import io

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from . import results as results_module
from .engine import form

RAW_FIXED = ("unit", "channel", "submitted")
NO_EXPORT = (form.TEXT, form.NOTE)


def vn(value, places: int = 2) -> str:
    """86.24 → "86,24" (Vietnamese separators); None → "–"."""
    if value is None:
        return "–"
    text = f"{value:,.{places}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def filename(campaign, suffix: str, extension: str) -> str:
    return f"{campaign.code}-{suffix}.{extension}"


# -- raw responses ---------------------------------------------------------------------------------
def _choices(question: form.Question) -> list[tuple[str, str]]:
    if question.choices:
        return [(c.value, c.label) for c in question.choices]
    if question.kind in (form.LIKERT5, form.MATRIX):
        return [(str(n), label) for n, label in enumerate(form.LIKERT5_LABELS, start=1)]
    if question.kind == form.YES_NO:
        return list(form.YES_NO_LABELS)
    return []


def variables(spec: form.FormSpec) -> list[dict]:
    """The columns after the fixed ones: ``{"name", "label", "question", "item", "choice",
    "values"}`` (values: ``[(code, label)]`` of the codebook)."""
    found = []
    for question in spec.questions():
        if question.kind in NO_EXPORT:
            continue
        values = _choices(question)
        if question.kind == form.MATRIX:
            for item in question.items:
                found.append(
                    {
                        "name": item.code,
                        "label": f"{question.label} — {item.label}",
                        "question": question.code,
                        "item": item.code,
                        "choice": None,
                        "values": values,
                    }
                )
        elif question.kind == form.MULTIPLE:
            for value, label in values:
                found.append(
                    {
                        "name": f"{question.code}__{value}",
                        "label": f"{question.label} — {label}",
                        "question": question.code,
                        "item": None,
                        "choice": value,
                        "values": [("1", "Có chọn"), ("0", "Không chọn")],
                    }
                )
        else:
            found.append(
                {
                    "name": question.code,
                    "label": question.label,
                    "question": question.code,
                    "item": None,
                    "choice": None,
                    "values": values,
                }
            )
    return found


def _cell(variable: dict, answers: dict):
    value = answers.get(variable["question"])
    if variable["item"] is not None:
        return value.get(variable["item"]) if isinstance(value, dict) else None
    if variable["choice"] is not None:
        if not isinstance(value, list):
            return None
        return "1" if variable["choice"] in [str(v) for v in value] else "0"
    if isinstance(value, list | dict):
        return None
    return value


def raw_rows(campaign, *, labels: bool = False, spec=None):
    """``(header, rows)`` of the raw responses; ``labels`` writes each answer's label."""
    spec = spec or campaign.questionnaire.as_spec()
    columns = variables(spec)
    header = [*RAW_FIXED, *[c["name"] for c in columns]]
    responses = results_module.counted_responses(campaign).select_related("unit")
    rows = []
    for response in responses.order_by("unit__code", "pk"):
        answers = response.answers if isinstance(response.answers, dict) else {}
        submitted = timezone.localtime(response.submitted_at).date()
        row = [response.unit.code, response.channel, submitted]
        for column in columns:
            value = _cell(column, answers)
            if labels and value not in (None, ""):
                value = dict(column["values"]).get(str(value), value)
            row.append("" if value is None else value)
        rows.append(row)
    return header, rows, columns


def raw_csv(campaign, *, labels: bool = False) -> bytes:
    header, rows, _columns = raw_rows(campaign, labels=labels)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row[0], row[1], row[2].isoformat(), *row[3:]])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def raw_xlsx(campaign) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    header, rows, columns = raw_rows(campaign)
    book = Workbook()
    sheet = book.active
    sheet.title = "responses"
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
        sheet.cell(row=sheet.max_row, column=3).number_format = "dd/mm/yyyy"
    sheet.freeze_panes = "D2"
    codebook = book.create_sheet("labels")
    codebook.append(["variable", "variable_label", "value", "value_label"])
    for cell in codebook[1]:
        cell.font = Font(bold=True)
    codebook.append(["unit", "Mã đơn vị được khảo sát", "", ""])
    codebook.append(["channel", "Kênh trả lời", "", ""])
    codebook.append(["submitted", "Ngày gửi phiếu", "", ""])
    for column in columns:
        if not column["values"]:
            codebook.append([column["name"], column["label"], "", ""])
        for value, label in column["values"]:
            codebook.append([column["name"], column["label"], value, label])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# -- results ---------------------------------------------------------------------------------------
RESULT_COLUMNS = (
    "Hạng",
    "Mã đơn vị",
    "Đơn vị",
    "Số phiếu mời",
    "Số phiếu hợp lệ",
    "Tỷ lệ phản hồi (%)",
    "Chỉ số hài lòng (%)",
    "KTC 95% – cận dưới",
    "KTC 95% – cận trên",
)
FACTOR_COLUMNS = (
    "Mã đơn vị",
    "Đơn vị",
    "Mã yếu tố",
    "Yếu tố",
    "Số tiêu chí",
    "Chỉ số (%)",
    "KTC 95% – cận dưới",
    "KTC 95% – cận trên",
)
NOT_ENOUGH = "Chưa đủ phiếu"


def results_xlsx(results: results_module.CampaignResults, rows) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    pct = results_module.percent
    book = Workbook()
    ranking = book.active
    ranking.title = "Xếp hạng"
    ranking.append([f"KẾT QUẢ KHẢO SÁT SỰ HÀI LÒNG — {results.campaign.name}"])
    ranking["A1"].font = Font(bold=True, size=13)
    ranking.append([results.campaign.organiser.name])
    ranking.append([])
    ranking.append(list(RESULT_COLUMNS))
    for cell in ranking[4]:
        cell.font = Font(bold=True)
    for row in rows:
        ranking.append(
            [
                row.rank if row.rank is not None else NOT_ENOUGH,
                row.unit,
                row.unit_name,
                row.invited,
                row.responses,
                pct(row.response_rate),
                pct(row.index),
                pct(row.ci_low),
                pct(row.ci_high),
            ]
        )
    factors = book.create_sheet("Yếu tố")
    factors.append(list(FACTOR_COLUMNS))
    for cell in factors[1]:
        cell.font = Font(bold=True)
    for row in rows:
        for factor in row.factors:
            factors.append(
                [
                    row.unit,
                    row.unit_name,
                    factor.code,
                    factor.name,
                    factor.items,
                    pct(factor.index),
                    pct(factor.ci_low),
                    pct(factor.ci_high),
                ]
            )
    for sheet in (ranking, factors):
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, float):
                    cell.number_format = "0.00"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def report_html(results: results_module.CampaignResults, rows) -> str:
    from cchc.documents import formatting
    from cchc.documents.fonts import document_font

    font = document_font()
    campaign = results.campaign
    context = {
        "campaign": campaign,
        "agency": campaign.organiser,
        "period": " – ".join(
            formatting.dmy(day) for day in (campaign.period_start, campaign.period_end)
        ),
        "issued_on": formatting.date_words(timezone.localdate()),
        "rows": [
            {
                "rank": row.rank,
                "name": row.unit_name,
                "responses": row.responses,
                "rate": vn(results_module.percent(row.response_rate)),
                "index": vn(results_module.percent(row.index)),
                "interval": (
                    f"{vn(results_module.percent(row.ci_low))} – "
                    f"{vn(results_module.percent(row.ci_high))}"
                    if row.ci_low is not None
                    else "–"
                ),
                "overlaps": row.overlaps,
                "factors": [
                    {"name": f.name, "index": vn(results_module.percent(f.index))}
                    for f in row.factors
                ],
            }
            for row in rows
        ],
        "factor_names": [factor.name for factor in rows[0].factors] if rows else [],
        "minimum": campaign.minimum_responses,
        "font_css": mark_safe(font.css()),
        "font_stack": mark_safe(font.stack),
    }
    return render_to_string("surveys/results_report_pdf.html", context)


def report_pdf(results: results_module.CampaignResults, rows) -> bytes:
    from cchc.documents.rendering import html_to_pdf

    return html_to_pdf(report_html(results, rows))
