"""The period report as the official form: XLSX (openpyxl) and PDF (WeasyPrint).

Layout of the report on receiving and resolving administrative procedures as provincial systems
print it (onestop.md §1.8): columns (1) STT, (2) unit / field / procedure, (3) = (4) + (5) dossiers
to process, (5) received in the period split by channel, (6) = (7) + (8) + (9) resolved, (10) =
(11) + (12) in progress, (13) = (9) + (12) late in all, (14) returned, (15) withdrawn, then the
stopped and paused dossiers and the rates. The headings of the exports are the form's Vietnamese
wording (a document, not interface text, like the log book of ``cchc.documents``); the screen uses
the same tree with translated labels.

Every number comes from :meth:`Report.to_dict` — the JSON of ``cchc report`` and of the API — so
the three outputs cannot disagree.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .selectors import Report

TITLE = "BÁO CÁO TÌNH HÌNH TIẾP NHẬN, GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
TOTAL_LABEL = "TỔNG CỘNG"
NO_FINDINGS = "Không phát hiện chênh lệch"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# -- the layout ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Leaf:
    """One column with a number: a counter of ``Report.to_dict()`` or a rate (``rate=True``)."""

    number: str  # "3", "5.1"
    key: str  # JSON key ("received") or rate key ("on_time")
    official: str  # heading in the exported form
    label: Promise  # heading on the screen (msgid)
    formula: str = ""  # identity shown in the column-number row, e.g. "(4)+(5)"
    rate: bool = False

    @property
    def tag(self) -> str:
        """What the column-number row shows: "(3)=(4)+(5)"."""
        return f"({self.number})" + (f"={self.formula}" if self.formula else "")


@dataclass(frozen=True)
class Group:
    official: str
    label: Promise
    children: tuple = field(default_factory=tuple)


HEADER = (
    Group(
        "Số hồ sơ nhận giải quyết",
        _("Dossiers to process"),
        (
            Leaf("3", "to_process", "Tổng số", _("Total"), "(4)+(5)"),
            Leaf("4", "carried_over", "Kỳ trước chuyển qua", _("Carried over")),
            Group(
                "Tiếp nhận trong kỳ",
                _("Received in the period"),
                (
                    Leaf("5", "received", "Tổng số", _("Total"), "(5.1)+(5.2)+(5.3)"),
                    Leaf("5.1", "received_online", "Trực tuyến", _("Online")),
                    Leaf("5.2", "received_counter", "Trực tiếp", _("At the counter")),
                    Leaf(
                        "5.3", "received_postal", "Qua dịch vụ BCCI", _("By public postal service")
                    ),
                ),
            ),
        ),
    ),
    Group(
        "Số hồ sơ đã giải quyết",
        _("Resolved in the period"),
        (
            Leaf("6", "resolved", "Tổng số", _("Total"), "(7)+(8)+(9)"),
            Leaf("7", "resolved_early", "Trước hạn", _("Before the due date")),
            Leaf("8", "resolved_on_time", "Đúng hạn", _("On time")),
            Leaf("9", "resolved_late", "Quá hạn", _("Late")),
        ),
    ),
    Group(
        "Số hồ sơ đang giải quyết",
        _("In progress at the end of the period"),
        (
            Leaf("10", "in_progress", "Tổng số", _("Total"), "(11)+(12)"),
            Leaf("11", "in_progress_on_time", "Trong hạn", _("Within the time limit")),
            Leaf("12", "in_progress_late", "Quá hạn", _("Overdue")),
        ),
    ),
    Leaf("13", "late_total", "Tổng số hồ sơ trễ hạn", _("Late in all"), "(9)+(12)"),
    Leaf("14", "returned", "Hồ sơ trả lại (từ chối)", _("Returned (refused)")),
    Leaf("15", "withdrawn", "Hồ sơ rút (công dân xin rút)", _("Withdrawn")),
    Leaf("16", "stopped", "Hồ sơ dừng xử lý", _("Stopped")),
    Group(
        "Trong số (10), đang tạm dừng tính thời gian",
        _("Of (10), clock stopped"),
        (
            Leaf("17", "waiting_supplement", "Chờ bổ sung hồ sơ", _("Waiting for a supplement")),
            Leaf(
                "18",
                "waiting_financial",
                "Chờ thực hiện nghĩa vụ tài chính",
                _("Waiting for financial obligations"),
            ),
        ),
    ),
    Group(
        "Tỷ lệ (%)",
        _("Rates (%)"),
        (
            Leaf("19", "on_time", "Đúng hạn", _("On time"), "[(3)-(13)]/(3)", rate=True),
            Leaf(
                "20",
                "resolved_in_time",
                "Giải quyết trước hạn, đúng hạn",
                _("Resolved in time"),
                "[(7)+(8)]/(6)",
                rate=True,
            ),
            Leaf(
                "21", "online", "Tiếp nhận trực tuyến", _("Received online"), "(5.1)/(5)", rate=True
            ),
        ),
    ),
)
HEADER_DEPTH = 3


def _leaves(nodes) -> list[Leaf]:
    leaves: list[Leaf] = []
    for node in nodes:
        leaves.extend(_leaves(node.children) if isinstance(node, Group) else [node])
    return leaves


LEAVES: tuple[Leaf, ...] = tuple(_leaves(HEADER))
COUNT_LEAVES: tuple[Leaf, ...] = tuple(leaf for leaf in LEAVES if not leaf.rate)
RATE_LEAVES: tuple[Leaf, ...] = tuple(leaf for leaf in LEAVES if leaf.rate)
NUMBERS = {leaf.key: leaf.number for leaf in COUNT_LEAVES}


@dataclass(frozen=True)
class HeaderCell:
    node: Group | Leaf
    row: int  # 0-based header row
    column: int  # 0-based among the data columns
    rowspan: int
    colspan: int

    @property
    def is_leaf(self) -> bool:
        return isinstance(self.node, Leaf)


def header_cells(nodes=HEADER, depth: int = HEADER_DEPTH) -> list[list[HeaderCell]]:
    """The header as rows of cells with their spans (a leaf fills the rows below it)."""
    rows: list[list[HeaderCell]] = [[] for _ in range(depth)]

    def place(items, level: int, column: int) -> int:
        for node in items:
            if isinstance(node, Group):
                width = len(_leaves(node.children))
                rows[level].append(HeaderCell(node, level, column, 1, width))
                place(node.children, level + 1, column)
                column += width
            else:
                rows[level].append(HeaderCell(node, level, column, depth - level, 1))
                column += 1
        return column

    place(nodes, 0, 0)
    return rows


# Rates with their official names and formulas in column numbers (the notes block).
@dataclass(frozen=True)
class RateSpec:
    key: str
    official: str
    label: Promise
    formula: str  # in column numbers
    numerator_column: str | None  # the drillable column behind the numerator, if any


RATES = (
    RateSpec(
        "on_time",
        "Tỷ lệ hồ sơ đúng hạn",
        _("On-time rate"),
        "[(3) − (13)] / (3)",
        None,
    ),
    RateSpec("late", "Tỷ lệ hồ sơ trễ hạn", _("Late rate"), "(13) / (3)", "late_total"),
    RateSpec(
        "resolved_in_time",
        "Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn",
        _("Resolved before or on the due date"),
        "[(7) + (8)] / (6)",
        None,
    ),
    RateSpec(
        "resolution", "Tỷ lệ hồ sơ đã giải quyết", _("Resolution rate"), "(6) / (3)", "resolved"
    ),
    RateSpec(
        "online",
        "Tỷ lệ hồ sơ tiếp nhận trực tuyến",
        _("Online rate"),
        "(5.1) / (5)",
        "received_online",
    ),
    RateSpec(
        "online_full",
        "Tỷ lệ hồ sơ trực tuyến toàn trình",
        _("Fully online rate"),
        "số hồ sơ trực tuyến toàn trình / (5)",
        "received_online_full",
    ),
    RateSpec(
        "online_of_total",
        "Tỷ lệ hồ sơ trực tuyến trên tổng số hồ sơ nhận giải quyết",
        _("Online share of all dossiers to process"),
        "(5.1) / (3)",
        "received_online",
    ),
)

# The "due in the period" basis (đến hạn giải quyết trong kỳ): its counts and rates, in the order
# of the form's second table. Keys are those of ``Report.to_dict()[…]["due"]``.
DUE_COLUMNS = (
    ("due_in_period", "Số hồ sơ đến hạn giải quyết trong kỳ", _("Due in the period")),
    ("resolved_in_time", "Đã giải quyết đúng hạn", _("Resolved by the due time")),
    ("resolved_late", "Đã giải quyết quá hạn", _("Resolved after the due time")),
    ("overdue_unresolved", "Quá hạn, chưa giải quyết", _("Overdue, not resolved")),
    (
        "returned_or_withdrawn",
        "Trong đó: trả lại, rút, dừng xử lý",
        _("Of which returned, withdrawn or stopped"),
    ),
)
DUE_RATES = (
    ("resolved_in_time", "Tỷ lệ giải quyết đúng hạn", _("Resolved by the due time (%)")),
    ("late", "Tỷ lệ quá hạn", _("Late (%)")),
    ("returned_or_withdrawn", "Tỷ lệ trả lại, rút, dừng xử lý", _("Returned or withdrawn (%)")),
)
DUE_DEFINITIONS = {
    "due_in_period": (
        "Hồ sơ đã tiếp nhận có thời hạn giải quyết (theo quy định, đã cộng thời gian tạm dừng) "
        "rơi vào một ngày trong kỳ, đã giải quyết hay chưa. Hồ sơ đang chờ người nộp (đồng hồ "
        "dừng trước thời hạn, chưa chạy lại) chưa có ngày đến hạn. Bằng tổng ba cột sau."
    ),
    "resolved_in_time": (
        "Kết thúc xử lý không muộn hơn thời hạn: có kết quả, văn bản từ chối (trả lại), hồ sơ "
        "rút hoặc dừng xử lý — các trạng thái kết thúc của Quyết định 766/QĐ-TTg, chỉ số 2.1."
    ),
    "resolved_late": (
        "Kết thúc xử lý sau thời hạn (hoặc quá hạn theo quy định: yêu cầu bổ sung lần thứ hai), "
        "chậm nhất vào ngày cuối kỳ."
    ),
    "overdue_unresolved": "Chưa kết thúc xử lý vào cuối ngày cuối kỳ, đã quá thời hạn.",
    "returned_or_withdrawn": (
        "Trong số hồ sơ đến hạn: đã trả lại (từ chối có lý do), rút theo đề nghị của người nộp "
        "hoặc dừng xử lý, chậm nhất vào ngày cuối kỳ; tỷ lệ tính trên cùng mẫu số."
    ),
}
SOURCE_DUE = (
    "Cách tính theo hồ sơ đến hạn giải quyết trong kỳ của một số tỉnh; đúng hạn theo Quyết "
    "định 766/QĐ-TTg, chỉ số 2.1"
)

# What each column counts (the "Định nghĩa" sheet; docs/reports.md explains the sources).
SOURCE_FORM = (
    "Bố cục chung của báo cáo trên các hệ thống một cửa điện tử: (3) = (4) + (5), (6) = (7) + (8) "
    "+ (9), (10) = (11) + (12), (13) = (9) + (12)"
)
SOURCE_766 = (
    "Quyết định 766/QĐ-TTg ngày 23/6/2022, chỉ số 2.1: đúng hạn khi thời điểm kết thúc xử lý "
    "không muộn hơn thời hạn giải quyết"
)
DEFINITIONS = {
    "to_process": (
        "Tổng số hồ sơ phải giải quyết trong kỳ: (3) = (4) + (5). Cũng bằng (6) + (10) + (14) + "
        "(15) + (16).",
        SOURCE_FORM,
    ),
    "carried_over": (
        "Hồ sơ đã tiếp nhận trước ngày đầu kỳ và còn đang giải quyết vào đầu ngày đầu kỳ (tồn đầu "
        "kỳ).",
        SOURCE_FORM,
    ),
    "received": (
        "Hồ sơ được tiếp nhận trong kỳ, theo thời điểm tiếp nhận: hồ sơ nộp trực tuyến chỉ tính "
        "khi cán bộ tiếp nhận; hồ sơ không được tiếp nhận và bản nháp không tính. Hồ sơ liên "
        "thông giữa các đơn vị chỉ tính một lần, cho đơn vị tiếp nhận (đơn vị trả lời người nộp "
        "và giữ thời hạn giải quyết). (5) = (5.1) + (5.2) + (5.3).",
        SOURCE_FORM,
    ),
    "received_online": ("Trong (5): nộp trực tuyến (kênh thực hiện 2).", SOURCE_FORM),
    "received_counter": (
        "Trong (5): nộp trực tiếp tại Bộ phận Một cửa (kênh thực hiện 1).",
        SOURCE_FORM,
    ),
    "received_postal": (
        "Trong (5): nộp qua dịch vụ bưu chính công ích (kênh thực hiện 3).",
        SOURCE_FORM,
    ),
    "resolved": (
        "Hồ sơ có kết quả giải quyết (đã ký duyệt) trong kỳ: (6) = (7) + (8) + (9). Văn bản từ "
        "chối giải quyết có nêu lý do tính vào (14).",
        SOURCE_FORM,
    ),
    "resolved_early": (
        "Có kết quả vào một ngày trước ngày hết hạn giải quyết theo quy định.",
        SOURCE_766,
    ),
    "resolved_on_time": (
        "Có kết quả trong ngày hết hạn, không muộn hơn thời điểm hết hạn. Hồ sơ không có thời "
        "hạn giải quyết tính là đúng hạn.",
        SOURCE_766,
    ),
    "resolved_late": (
        "Có kết quả sau thời điểm hết hạn (muộn một phút cũng là quá hạn), hoặc bị coi là quá "
        "hạn theo quy định (yêu cầu bổ sung lần thứ hai trong quá trình giải quyết). Thời hạn là "
        "thời hạn theo quy định, đã cộng thời gian tạm dừng; văn bản xin lỗi, hẹn lại không "
        "làm thay đổi thời hạn.",
        SOURCE_766,
    ),
    "in_progress": (
        "Hồ sơ chưa kết thúc vào cuối ngày cuối kỳ (tồn cuối kỳ, chuyển sang kỳ sau), kể cả hồ "
        "sơ đang chờ bổ sung, chờ thực hiện nghĩa vụ tài chính: (10) = (11) + (12).",
        SOURCE_FORM,
    ),
    "in_progress_on_time": ("Trong (10): chưa quá hạn vào cuối kỳ.", SOURCE_766),
    "in_progress_late": (
        "Trong (10): đã quá thời điểm hết hạn vào cuối kỳ. Hồ sơ đang chờ người nộp (đồng hồ đã "
        "dừng trước thời điểm hết hạn và chưa chạy lại) không tính là quá hạn.",
        SOURCE_766,
    ),
    "late_total": ("Tổng số hồ sơ trễ hạn: (13) = (9) + (12).", SOURCE_FORM),
    "returned": (
        "Hồ sơ đã tiếp nhận nhưng có văn bản từ chối giải quyết (nêu rõ lý do) trong kỳ. Hồ sơ "
        "không được tiếp nhận ngay khi kiểm tra (Mẫu 03) không tính vào báo cáo.",
        SOURCE_FORM,
    ),
    "withdrawn": (
        "Hồ sơ đã tiếp nhận, được rút theo đề nghị của tổ chức, cá nhân trong kỳ.",
        SOURCE_FORM,
    ),
    "stopped": ("Hồ sơ đã tiếp nhận, bị dừng xử lý trong kỳ.", SOURCE_FORM),
    "waiting_supplement": (
        "Trong (10): đang chờ tổ chức, cá nhân bổ sung, hoàn thiện hồ sơ vào cuối kỳ.",
        SOURCE_FORM,
    ),
    "waiting_financial": (
        "Trong (10): đang chờ thực hiện nghĩa vụ tài chính vào cuối kỳ.",
        SOURCE_FORM,
    ),
}

ANOMALIES = {
    "no_receipt_time": "Hồ sơ có trạng thái sau tiếp nhận nhưng thiếu thời điểm tiếp nhận",
    "no_end_time": "Hồ sơ đã kết thúc nhưng thiếu thời điểm kết thúc",
    "closed_before_receipt": "Thời điểm kết thúc trước thời điểm tiếp nhận",
    "unknown_channel": "Không rõ kênh tiếp nhận",
    "end_time_while_open": "Hồ sơ đang giải quyết nhưng đã ghi thời điểm kết thúc",
}
_IDENTIFIER = re.compile(r"\b[a-z_]+(?:\.[a-z_]+)?\b")
# Keys of an identity that are not columns of the form, in the form's words.
WORDS = {
    "closed_without_receipt": "[HS đã kết thúc nhưng thiếu thời điểm tiếp nhận]",
    "closed_without_end_time": "[HS đã tiếp nhận, đã kết thúc nhưng thiếu thời điểm kết thúc]",
    "unplaced": "[HS thiếu cả thời điểm tiếp nhận và thời điểm kết thúc]",
    "due.due_in_period": "[HS đến hạn trong kỳ]",
    "due.resolved_in_time": "[đến hạn: giải quyết đúng hạn]",
    "due.resolved_late": "[đến hạn: giải quyết quá hạn]",
    "due.overdue_unresolved": "[đến hạn: quá hạn chưa giải quyết]",
}


def identity_in_columns(identity: str) -> str:
    """ "to_process = resolved + in_progress" → "(3) = (6) + (10)"."""

    def column(match: re.Match) -> str:
        word = match.group(0)
        if word in NUMBERS:
            return f"({NUMBERS[word]})"
        if word in WORDS:
            return WORDS[word]
        return "và" if word == "and" else word

    return _IDENTIFIER.sub(column, identity)


# -- rows from the JSON --------------------------------------------------------------------------
@dataclass
class Row:
    number: int | None  # STT (None for the total)
    name: str
    group_key: object  # None for the total
    values: dict  # a "total" or "groups[i]" object of Report.to_dict()
    total: bool = False

    def count(self, key: str) -> int:
        return self.values[key]

    def rate(self, key: str) -> dict:
        return self.values["rates"][key]


def group_name(group: dict, by: str | None) -> str:
    if by == "procedure" and group.get("code"):
        return f"{group['code']} – {group['name']}"
    return group["name"]


def report_rows(data: dict) -> list[Row]:
    """One row per group (when grouped), then the total."""
    rows = [
        Row(index, group_name(group, data["by"]), group["key"], group)
        for index, group in enumerate(data["groups"], start=1)
    ]
    rows.append(Row(None, TOTAL_LABEL, None, data["total"], total=True))
    return rows


# -- descriptions of the request -----------------------------------------------------------------
def dmy(day: date | str) -> str:
    if isinstance(day, str):
        day = date.fromisoformat(day)
    return day.strftime("%d/%m/%Y")


def period_line(data: dict) -> str:
    return f"Kỳ báo cáo: từ ngày {dmy(data['from'])} đến ngày {dmy(data['to'])}"


BY_NAMES = {"field": "lĩnh vực", "procedure": "thủ tục hành chính", "unit": "đơn vị"}
NAME_HEADINGS = {
    None: "Đơn vị/Lĩnh vực/TTHC",
    "field": "Lĩnh vực",
    "procedure": "Thủ tục hành chính",
    "unit": "Đơn vị",
}
LEVEL_NAMES = {
    "province": "cấp tỉnh",
    "commune": "cấp xã",
    "district": "cấp huyện (trước 1/7/2025)",
}


def scope_lines(report: Report) -> list[str]:
    """Which units, which procedures, grouped how: in the form's words."""
    from cchc.catalog.models import Field, Procedure

    req = report.request
    unit = req.unit
    if unit is None:
        lines = ["Phạm vi: toàn bộ các đơn vị"]
    else:
        lines = [f"Đơn vị báo cáo: {unit.name} (mã {unit.code}) và các đơn vị trực thuộc"]
    filters = []
    if req.field_id is not None:
        name = Field.objects.filter(pk=req.field_id).values_list("name", flat=True).first()
        filters.append(f"lĩnh vực {name or req.field_id}")
    if req.procedure_id is not None:
        procedure = Procedure.objects.filter(pk=req.procedure_id).first()
        filters.append(
            f"thủ tục {procedure.code} – {procedure.name}" if procedure else "thủ tục (không rõ)"
        )
    if req.level:
        filters.append(f"thủ tục {LEVEL_NAMES.get(req.level, req.level)}")
    if filters:
        lines.append("Lọc theo: " + "; ".join(filters))
    if req.by:
        lines.append(f"Chia theo {BY_NAMES.get(req.by, req.by)}")
    return lines


def agency_of(report: Report):
    """The unit whose name heads the form: the requested unit, or the root of the tree."""
    from cchc.organisations.models import OrganisationUnit

    unit = report.request.unit
    if unit is not None:
        return unit
    return OrganisationUnit.objects.filter(parent__isnull=True).order_by("path").first()


# -- XLSX ----------------------------------------------------------------------------------------
COUNT_FORMAT = "#,##0"
RATE_FORMAT = "0.00%"
FIRST_DATA_COLUMN = 3  # A: STT, B: name


def _rate_value(rate: dict) -> float | None:
    if rate["value"] is None:
        return None
    return rate["numerator"] / rate["denominator"]


def render_xlsx(report: Report) -> bytes:
    """The report as an XLSX workbook: the form, the consistency checks, the definitions."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    data = report.to_dict()
    rows = report_rows(data)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Báo cáo"
    width = 2 + len(LEAVES)
    last = get_column_letter(width)
    bold = Font(bold=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    grey = PatternFill("solid", fgColor="F2F2F2")

    def text(cell, value):
        cell.value = value
        cell.data_type = "s"  # never a formula, whatever a name looks like
        return cell

    agency = agency_of(report)
    titles = [
        ((agency.parent.name.upper() if agency and agency.parent else ""), Font()),
        ((agency.name.upper() if agency else ""), bold),
        ("", Font()),
        (TITLE, Font(bold=True, size=14)),
        (period_line(data), Font(italic=True)),
        *[(line, Font(italic=True)) for line in scope_lines(report)],
    ]
    for row, (value, font) in enumerate(titles, start=1):
        sheet.merge_cells(f"A{row}:{last}{row}")
        cell = text(sheet.cell(row=row, column=1), value)
        cell.font = font
        cell.alignment = Alignment(horizontal="center" if row > 2 else "left")

    top = len(titles) + 2
    numbers_row = top + HEADER_DEPTH
    for column, heading in ((1, "STT"), (2, NAME_HEADINGS.get(data["by"], NAME_HEADINGS[None]))):
        sheet.merge_cells(
            start_row=top, start_column=column, end_row=top + HEADER_DEPTH - 1, end_column=column
        )
        text(sheet.cell(row=top, column=column), heading)
    for level in header_cells():
        for item in level:
            row, column = top + item.row, FIRST_DATA_COLUMN + item.column
            if item.rowspan > 1 or item.colspan > 1:
                sheet.merge_cells(
                    start_row=row,
                    start_column=column,
                    end_row=row + item.rowspan - 1,
                    end_column=column + item.colspan - 1,
                )
            text(sheet.cell(row=row, column=column), item.node.official)
    text(sheet.cell(row=numbers_row, column=1), "(1)")
    text(sheet.cell(row=numbers_row, column=2), "(2)")
    for index, leaf in enumerate(LEAVES):
        text(sheet.cell(row=numbers_row, column=FIRST_DATA_COLUMN + index), leaf.tag)
    for row in range(top, numbers_row + 1):
        for column in range(1, width + 1):
            cell = sheet.cell(row=row, column=column)
            cell.font, cell.alignment, cell.border = bold, centre, box
            if row == numbers_row:
                cell.font = Font(italic=True, size=9)
                cell.fill = grey

    first_data = numbers_row + 1
    for offset, item in enumerate(rows):
        row = first_data + offset
        if item.number is not None:
            sheet.cell(row=row, column=1, value=item.number)
        text(sheet.cell(row=row, column=2), item.name)
        for index, leaf in enumerate(LEAVES):
            cell = sheet.cell(row=row, column=FIRST_DATA_COLUMN + index)
            if leaf.rate:
                value = _rate_value(item.rate(leaf.key))
                if value is None:
                    text(cell, "–")
                else:
                    cell.value = value
                    cell.number_format = RATE_FORMAT
            else:
                cell.value = item.count(leaf.key)
                cell.number_format = COUNT_FORMAT
        for column in range(1, width + 1):
            cell = sheet.cell(row=row, column=column)
            cell.border = box
            cell.alignment = (
                left if column == 2 else centre if column == 1 else Alignment(horizontal="right")
            )
            if item.total:
                cell.font = bold

    # Notes: each rate of the total with its numerator and denominator.
    notes = first_data + len(rows) + 1
    text(sheet.cell(row=notes, column=2), "Ghi chú: các tỷ lệ của dòng TỔNG CỘNG").font = bold
    heads = ("Tỷ lệ", "Công thức", "Tử số", "Mẫu số", "Tỷ lệ (%)")
    for offset, head in enumerate(heads):
        cell = text(sheet.cell(row=notes + 1, column=2 + offset), head)
        cell.font, cell.border, cell.alignment = bold, box, centre
    total = data["total"]
    for offset, spec in enumerate(RATES, start=2):
        rate = total["rates"][spec.key]
        row = notes + offset
        text(sheet.cell(row=row, column=2), spec.official)
        text(sheet.cell(row=row, column=3), spec.formula)
        sheet.cell(row=row, column=4, value=rate["numerator"]).number_format = COUNT_FORMAT
        sheet.cell(row=row, column=5, value=rate["denominator"]).number_format = COUNT_FORMAT
        value_cell = sheet.cell(row=row, column=6)
        value = _rate_value(rate)
        if value is None:
            text(value_cell, "– (mẫu số bằng 0)")
        else:
            value_cell.value = value
            value_cell.number_format = RATE_FORMAT
        for column in range(2, 7):
            sheet.cell(row=row, column=column).border = box
            sheet.cell(row=row, column=column).alignment = (
                left if column < 4 else Alignment(horizontal="right")
            )
    checked = notes + len(RATES) + 3
    summary = (
        "Kiểm tra số liệu: các số liệu khớp nhau."
        if not data["findings"]
        else f"Kiểm tra số liệu: {len(data['findings'])} chênh lệch (xem trang “Kiểm tra số liệu”)."
    )
    text(sheet.cell(row=checked, column=2), summary).font = Font(italic=True)

    widths = {1: 6, 2: 38}
    for column in range(1, width + 1):
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = widths.get(column, 10.5)
    sheet.row_dimensions[top + HEADER_DEPTH - 1].height = 45
    sheet.freeze_panes = sheet.cell(row=first_data, column=FIRST_DATA_COLUMN)
    sheet.print_title_rows = f"{top}:{numbers_row}"
    _print_setup(sheet)

    _due_sheet(workbook.create_sheet("Hồ sơ đến hạn"), data, rows, text, bold, box, centre)
    _findings_sheet(workbook.create_sheet("Kiểm tra số liệu"), data, text, bold, box, centre)
    _definitions_sheet(workbook.create_sheet("Định nghĩa"), text, bold, box, centre)
    workbook.properties.title = TITLE
    workbook.properties.creator = "CCHC"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _print_setup(sheet) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5


DUE_TITLE = "SỐ LIỆU THEO HỒ SƠ ĐẾN HẠN GIẢI QUYẾT TRONG KỲ"


def _due_sheet(sheet, data: dict, rows: list[Row], text, bold, box, centre) -> None:
    """The due basis: one line per row of the report, counts then rates with their fractions."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    text(sheet.cell(row=1, column=1), DUE_TITLE).font = Font(bold=True, size=13)
    text(sheet.cell(row=2, column=1), period_line(data)).font = Font(italic=True)
    headings = ["STT", NAME_HEADINGS.get(data["by"], NAME_HEADINGS[None])]
    headings += [official for _key, official, _label in DUE_COLUMNS]
    for _key, official, _label in DUE_RATES:
        headings += [official, "Tử số / mẫu số"]
    for column, heading in enumerate(headings, start=1):
        cell = text(sheet.cell(row=4, column=column), heading)
        cell.font, cell.border, cell.alignment = bold, box, centre
    for offset, item in enumerate(rows, start=5):
        due = item.values["due"]
        values: list = [item.number, item.name]
        values += [due[key] for key, _official, _label in DUE_COLUMNS]
        for key, _official, _label in DUE_RATES:
            rate = due["rates"][key]
            values += [_rate_value(rate), f"{rate['numerator']}/{rate['denominator']}"]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=offset, column=column)
            if isinstance(value, str):
                text(cell, value)
            elif value is None and column > 2:
                text(cell, "–")
            else:
                cell.value = value
                if column > 2:
                    is_rate = column > 2 + len(DUE_COLUMNS)
                    cell.number_format = RATE_FORMAT if is_rate else COUNT_FORMAT
            cell.border = box
            cell.alignment = Alignment(horizontal="left" if column == 2 else "right")
            if item.total:
                cell.font = bold
    for column, value in enumerate([6, 38] + [14] * (len(headings) - 2), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = value
    sheet.row_dimensions[4].height = 45
    sheet.freeze_panes = "C5"
    _print_setup(sheet)


FINDING_HEADINGS = (
    "STT",
    "Dòng báo cáo",
    "Đẳng thức (theo số cột)",
    "Đẳng thức (khóa dữ liệu)",
    "Vế trái",
    "Vế phải",
    "Chênh lệch",
    "Nguyên nhân có thể",
    "Mã hồ sơ liên quan",
)


def finding_row_name(finding: dict) -> str:
    group = finding.get("group")
    if not group:
        return "Tổng cộng"
    return f"{group['code']} – {group['name']}" if group.get("code") else group["name"]


def _findings_sheet(sheet, data: dict, text, bold, box, centre) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    text(sheet.cell(row=1, column=1), "KIỂM TRA TÍNH NHẤT QUÁN CỦA SỐ LIỆU").font = Font(
        bold=True, size=13
    )
    text(sheet.cell(row=2, column=1), period_line(data)).font = Font(italic=True)
    if not data["findings"]:
        text(sheet.cell(row=4, column=1), NO_FINDINGS).font = bold
    else:
        for column, heading in enumerate(FINDING_HEADINGS, start=1):
            cell = text(sheet.cell(row=4, column=column), heading)
            cell.font, cell.border, cell.alignment = bold, box, centre
        wrap = Alignment(vertical="top", wrap_text=True)
        for offset, finding in enumerate(data["findings"], start=1):
            values = (
                offset,
                finding_row_name(finding),
                identity_in_columns(finding["identity"]),
                finding["identity"],
                finding["left"],
                finding["right"],
                finding["gap"],
                "; ".join(ANOMALIES.get(code, code) for code in finding["anomalies"]),
                ", ".join(finding["dossiers"]),
            )
            for column, value in enumerate(values, start=1):
                cell = sheet.cell(row=4 + offset, column=column)
                if isinstance(value, str):
                    text(cell, value)
                else:
                    cell.value = value
                cell.border, cell.alignment = box, wrap
        sheet.freeze_panes = "A5"
    for column, value in enumerate((6, 30, 34, 40, 10, 10, 11, 40, 50), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = value
    _print_setup(sheet)


def _definitions_sheet(sheet, text, bold, box, centre) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    text(sheet.cell(row=1, column=1), "ĐỊNH NGHĨA CÁC CỘT VÀ TỶ LỆ").font = Font(bold=True, size=13)
    headings = ("Cột", "Tên cột", "Khóa dữ liệu (JSON)", "Định nghĩa", "Căn cứ")
    for column, heading in enumerate(headings, start=1):
        cell = text(sheet.cell(row=3, column=column), heading)
        cell.font, cell.border, cell.alignment = bold, box, centre
    parents = _parent_names()
    lines = []
    for leaf in COUNT_LEAVES:
        definition, source = DEFINITIONS[leaf.key]
        lines.append((leaf.tag, parents[leaf.key], leaf.key, definition, source))
    for spec in RATES:
        lines.append(
            (
                next((leaf.tag for leaf in RATE_LEAVES if leaf.key == spec.key), ""),
                spec.official,
                f"rates.{spec.key}",
                f"{spec.official} = {spec.formula}; mẫu số bằng 0 thì không tính tỷ lệ.",
                SOURCE_766 if spec.key in ("on_time", "late") else SOURCE_FORM,
            )
        )
    for key, official, _label in DUE_COLUMNS:
        lines.append(("", official, f"due.{key}", DUE_DEFINITIONS[key], SOURCE_DUE))
    for key, official, _label in DUE_RATES:
        formula = {
            "resolved_in_time": "đã giải quyết đúng hạn / số hồ sơ đến hạn",
            "late": "(đã giải quyết quá hạn + quá hạn chưa giải quyết) / số hồ sơ đến hạn",
            "returned_or_withdrawn": "trả lại, rút, dừng xử lý / số hồ sơ đến hạn",
        }[key]
        lines.append(("", official, f"due.rates.{key}", f"{official} = {formula}.", SOURCE_DUE))
    wrap = Alignment(vertical="top", wrap_text=True)
    for offset, values in enumerate(lines, start=4):
        for column, value in enumerate(values, start=1):
            cell = text(sheet.cell(row=offset, column=column), value)
            cell.border, cell.alignment = box, wrap
    for column, value in enumerate((14, 40, 22, 80, 40), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = value
    sheet.freeze_panes = "A4"
    _print_setup(sheet)


def _parent_names(attribute: str = "official") -> dict[str, str]:
    """ "Số hồ sơ đã giải quyết – Quá hạn" for each column (``label``: the screen's words)."""
    names: dict[str, str] = {}

    def walk(nodes, trail):
        for node in nodes:
            name = str(getattr(node, attribute))
            if isinstance(node, Group):
                walk(node.children, [*trail, name])
            else:
                names[node.key] = " – ".join([*trail, name])

    walk(HEADER, [])
    return names


def screen_name(key: str) -> str:
    """The column's heading path on the screen, in the active language."""
    return _parent_names("label").get(key, "")


# -- PDF -----------------------------------------------------------------------------------------
def pdf_number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def pdf_percent(rate: dict) -> str:
    if rate["value"] is None:
        return "–"
    return f"{rate['numerator'] / rate['denominator'] * 100:.2f}".replace(".", ",")


def render_html(report: Report) -> str:
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    from cchc.documents import formatting
    from cchc.documents.fonts import document_font

    data = report.to_dict()
    agency = agency_of(report)
    font = document_font()
    rows = []
    for row in report_rows(data):
        cells = []
        for leaf in LEAVES:
            if leaf.rate:
                cells.append(pdf_percent(row.rate(leaf.key)))
            else:
                cells.append(pdf_number(row.count(leaf.key)))
        rows.append({"row": row, "cells": cells})
    total = data["total"]
    rates = [
        {
            "spec": spec,
            "numerator": pdf_number(total["rates"][spec.key]["numerator"]),
            "denominator": pdf_number(total["rates"][spec.key]["denominator"]),
            "percent": pdf_percent(total["rates"][spec.key]),
        }
        for spec in RATES
    ]
    due_rows = [
        {
            "row": row,
            "counts": [pdf_number(row.values["due"][key]) for key, _o, _l in DUE_COLUMNS],
            "rates": [
                (
                    pdf_percent(rate),
                    f"{pdf_number(rate['numerator'])}/{pdf_number(rate['denominator'])}",
                )
                for rate in (row.values["due"]["rates"][key] for key, _o, _l in DUE_RATES)
            ],
        }
        for row in report_rows(data)
    ]
    findings = [
        {
            "row": finding_row_name(finding),
            "identity": identity_in_columns(finding["identity"]),
            "left": pdf_number(finding["left"]),
            "right": pdf_number(finding["right"]),
            "gap": pdf_number(finding["gap"]),
            "anomalies": [ANOMALIES.get(code, code) for code in finding["anomalies"]],
            "dossiers": finding["dossiers"],
        }
        for finding in data["findings"]
    ]
    context = {
        "title": TITLE,
        "agency": agency,
        "agency_parent": agency.parent if agency else None,
        "place": formatting.place_name(agency),
        "issued_on": formatting.date_words(timezone.localdate()),
        "period": period_line(data),
        "scope_lines": scope_lines(report),
        "header": header_cells(),
        "header_depth": HEADER_DEPTH,
        "name_heading": NAME_HEADINGS.get(data["by"], NAME_HEADINGS[None]),
        "leaves": LEAVES,
        "rows": rows,
        "rates": rates,
        "due_title": DUE_TITLE,
        "due_columns": DUE_COLUMNS,
        "due_rates": DUE_RATES,
        "due_rows": due_rows,
        "findings": findings,
        "font_css": mark_safe(font.css()),
        "font_stack": mark_safe(font.stack),
    }
    return render_to_string("reports/period_pdf.html", context)


def render_pdf(report: Report) -> bytes:
    """The report as a landscape A4 PDF with the national heading and a signature block."""
    from cchc.documents.rendering import html_to_pdf

    return html_to_pdf(render_html(report))


def filename(report: Report, extension: str) -> str:
    req = report.request
    unit = req.unit.code if req.unit is not None else "toan-bo"
    return f"bao-cao-tthc-{unit}-{req.start:%Y%m%d}-{req.end:%Y%m%d}.{extension}"
