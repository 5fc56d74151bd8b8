"""Criteria sets as XLSX, in the layout officers already use (docs/parindex.md, "Criteria sheet").

Columns (the header row is found among the first 20 rows; names are matched without case or
accents, a few usual variants accepted):

==========================  ========  ===========================================================
column                      needed    what it holds
==========================  ========  ===========================================================
STT                         yes       the code: "1", "1.1", "1.1.2" (parent = the code without
                                      its last part); Roman numerals "I", "II" for top-level
                                      rows (children "II.1"). Write it as text: Excel turns
                                      "1.10" typed as a number into 1.1.
Tiêu chí                    yes       the name of the field / criterion / sub-criterion
Điểm tối đa                 yes       maximum points ("0,5" or 0.5)
Cách chấm                   leaves    the scoring rule in words (:mod:`.engine.notation`)
Tài liệu kiểm chứng         no        the evidence required (yêu cầu, TLKC)
Phương pháp                 no        the method key or name (levels / Chọn mức, bands / Tỷ lệ,
                                      deduction / Trừ điểm, number / Nhập điểm, computed / Tự
                                      động, survey / Điều tra XHH); empty: read from Cách chấm
Không áp dụng được          no        "Có" when a unit may declare the leaf not applicable
Đơn vị chủ trì              no        the office that usually answers for the criterion
Khối                        no        top-level rows: "Chính" (main), "Điểm thưởng" (bonus),
                                      "Điểm trừ" (penalty)
Cộng dồn                    no        "Cộng" (sum: parts add up to the maximum, the default) or
                                      "Tối đa" (cap: the parts may exceed, points are capped)
==========================  ========  ===========================================================

Blocks: a top-level row belongs to the block its Khối cell names; without one, a top-level row
whose name starts with "Điểm thưởng" or "Điểm cộng" is the bonus block, "Điểm trừ" the penalty
block, anything else the main block; rows below inherit their top-level row's block. A row with no
STT whose name is "Tổng", "Tổng cộng" or "Tổng điểm" declares the set's total (otherwise 100);
any other row with a name but no STT is an error. Empty rows are skipped.

Import is all or nothing: every problem of every line is reported at once (in Vietnamese, with
the sheet's line number) and nothing is saved unless there is none.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from . import criteria, engine
from .engine.notation import METHOD_NAMES, NotationError, format_spec, method_from_text
from .engine.notation import fold as _fold
from .engine.notation import parse as parse_notation
from .errors import CriteriaSetInvalid
from .models import CriteriaSet

MAX_ROWS = 3000
HEADER_SCAN = 20

COLUMNS = {
    # key: (header written on export, accepted headers folded)
    "code": ("STT", ("stt", "ma", "ma so", "so thu tu", "tt")),
    "name": (
        "Tiêu chí",
        (
            "tieu chi",
            "ten tieu chi",
            "noi dung",
            "linh vuc/tc/tctp",
            "linh vuc, tieu chi, tieu chi thanh phan",
            "tc, tctp",
            "linh vuc/tieu chi/tieu chi thanh phan",
        ),
    ),
    "max": ("Điểm tối đa", ("diem toi da", "diem", "thang diem")),
    "rule": ("Cách chấm", ("cach cham", "cach cham diem", "cach tinh diem", "phuong phap cham")),
    "evidence": (
        "Tài liệu kiểm chứng",
        (
            "tai lieu kiem chung",
            "tlkc",
            "cac yeu cau va tlkc",
            "yeu cau, tai lieu kiem chung",
            "yeu cau va tai lieu kiem chung",
        ),
    ),
    "method": ("Phương pháp", ("phuong phap", "method")),
    "not_applicable": (
        "Không áp dụng được",
        ("khong ap dung duoc", "khong ap dung", "co the khong ap dung"),
    ),
    "responsible": ("Đơn vị chủ trì", ("don vi chu tri", "don vi phu trach", "chu tri")),
    "block": ("Khối", ("khoi", "block")),
    "aggregation": ("Cộng dồn", ("cong don", "cach cong")),
}
REQUIRED = ("code", "name", "max")
TOTAL_WORDS = ("tong", "tong cong", "tong diem", "tong so diem", "cong")
YES = ("co", "x", "yes", "true", "1", "duoc")
NO = ("", "khong", "no", "false", "0")
BLOCK_WORDS = {
    "": engine.MAIN,
    "chinh": engine.MAIN,
    "main": engine.MAIN,
    "chi so": engine.MAIN,
    "bonus": engine.BONUS,
    "thuong": engine.BONUS,
    "diem thuong": engine.BONUS,
    "cong": engine.BONUS,
    "diem cong": engine.BONUS,
    "penalty": engine.PENALTY,
    "tru": engine.PENALTY,
    "diem tru": engine.PENALTY,
}
BLOCK_NAMES = {engine.MAIN: "Chính", engine.BONUS: "Điểm thưởng", engine.PENALTY: "Điểm trừ"}
AGGREGATION_WORDS = {
    "": engine.SUM,
    "sum": engine.SUM,
    "cong": engine.SUM,
    "cap": engine.CAP,
    "toi da": engine.CAP,
    "gioi han": engine.CAP,
}
AGGREGATION_NAMES = {engine.SUM: "Cộng", engine.CAP: "Tối đa"}
ARABIC_CODE = re.compile(r"^\d+(\.\d+)*$")
ROMAN_CODE = re.compile(r"^[IVXLC]+(\.\d+)*$")


@dataclass
class ParsedSheet:
    roots: list[engine.Node]
    details: dict[str, criteria.Details]
    declared_total: Decimal
    title: str = ""


@dataclass
class _Row:
    line: int
    code: str
    name: str
    max_points: Decimal | None
    values: dict = field(default_factory=dict)


# -- reading -----------------------------------------------------------------------------------
def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _header_map(values) -> dict[str, int]:
    found = {}
    for index, value in enumerate(values):
        folded = re.sub(r"\s+", " ", _fold(_cell_text(value)))
        for key, (_label, accepted) in COLUMNS.items():
            if key not in found and folded in accepted:
                found[key] = index
    return found


def _points(value, line: int, problems: list, code: str = "") -> Decimal | None:
    text = _cell_text(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = repr(value) if isinstance(value, float) else str(value)
    not_a_number = _("Line %(line)s: the maximum “%(value)s” is not a number.")
    bare = re.sub(r"(?i)\s*(điểm|đ)\.?$", "", text.strip())  # "0,5 điểm"
    try:
        number = Decimal(bare.replace(" ", "").replace(",", "."))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number < 0 or number >= 100000:
        problems.append((line, code, not_a_number % {"line": line, "value": text}))
        return None
    if number != number.quantize(Decimal("0.01")):
        message = _("Line %(line)s: points have at most two decimals (%(value)s).")
        problems.append((line, code, message % {"line": line, "value": text}))
        return None
    return number.quantize(Decimal("0.01"))


def _workbook_rows(content: bytes):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a broken file
        raise CriteriaSetInvalid(
            [(None, "", _("The file is not an Excel workbook (.xlsx) that can be read."))]
        ) from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if all(value is None or str(value).strip() == "" for value in values):
                continue  # formatted but empty rows (Excel keeps them) are not counted
            rows.append((number, list(values)))
            if len(rows) > MAX_ROWS + HEADER_SCAN:
                raise CriteriaSetInvalid(
                    [(None, "", _("The sheet has more than %(rows)s rows.") % {"rows": MAX_ROWS})]
                )
        return rows
    finally:
        workbook.close()


def read_sheet(content: bytes, declared_total=None) -> ParsedSheet:
    """The tree of an XLSX criteria sheet; :class:`CriteriaSetInvalid` with every line's problem
    (the tree is also validated by the engine, so sums and totals are checked)."""
    rows = _workbook_rows(content)
    header_line, columns = None, {}
    title = ""
    for number, values in rows[:HEADER_SCAN]:
        found = _header_map(values)
        if all(key in found for key in REQUIRED):
            header_line, columns = number, found
            break
        if not title and any(_cell_text(v) for v in values):
            title = next(_cell_text(v) for v in values if _cell_text(v))
    if header_line is None:
        raise CriteriaSetInvalid(
            [
                (
                    None,
                    "",
                    _(
                        "No header row found: the sheet needs the columns STT, Tiêu chí and "
                        "Điểm tối đa (then Cách chấm, Tài liệu kiểm chứng) in its first "
                        "%(rows)s rows."
                    )
                    % {"rows": HEADER_SCAN},
                )
            ]
        )
    problems: list[tuple] = []
    parsed: list[_Row] = []
    sheet_total = None
    for number, values in rows:
        if number <= header_line:
            continue

        def cell(key, values=values):
            index = columns.get(key)
            return values[index] if index is not None and index < len(values) else None

        texts = {key: _cell_text(cell(key)) for key in columns}
        if not any(texts.values()):
            continue
        code = texts.get("code", "").rstrip(".").replace(" ", "").upper()
        name = texts.get("name", "")
        if not code:
            if _fold(name).rstrip(":") in TOTAL_WORDS:
                sheet_total = _points(cell("max"), number, problems)
                continue
            problems.append(
                (number, "", _("Line %(line)s: the row has no STT (code).") % {"line": number})
            )
            continue
        if not (ARABIC_CODE.match(code) or ROMAN_CODE.match(code)):
            problems.append(
                (
                    number,
                    code,
                    (
                        _(
                            "Line %(line)s: Excel turned the code into a date; format the STT "
                            "column as text."
                        )
                        if isinstance(cell("code"), date | datetime)
                        else _("Line %(line)s: “%(code)s” is not a code like 1, 1.1, 1.1.2 or II.")
                    )
                    % {"line": number, "code": code},
                )
            )
            continue
        if len(code) > 30:
            message = _("%(what)s is longer than %(limit)s characters.") % {
                "what": _("The code"),
                "limit": 30,
            }
            problems.append(
                (
                    number,
                    code[:30],
                    _("Line %(line)s: %(message)s") % {"line": number, "message": message},
                )
            )
            continue
        if not name:
            problems.append(
                (
                    number,
                    code,
                    _("Line %(line)s: criterion %(code)s has no name.")
                    % {"line": number, "code": code},
                )
            )
        if not texts.get("max"):
            problems.append(
                (
                    number,
                    code,
                    _("Line %(line)s: criterion %(code)s has no maximum points.")
                    % {"line": number, "code": code},
                )
            )
            max_points = None
        else:
            max_points = _points(cell("max"), number, problems, code)
        parsed.append(_Row(number, code, name, max_points, texts))
    if len(parsed) > MAX_ROWS:
        problems.append(
            (None, "", _("The sheet has more than %(rows)s rows.") % {"rows": MAX_ROWS})
        )
    if not parsed and not problems:
        problems.append((None, "", _("The sheet lists no criteria under its header.")))
    roots, details = _build(parsed, problems)
    total = Decimal(declared_total) if declared_total is not None else sheet_total or Decimal(100)
    if not problems:
        problems.extend(criteria.check(roots, total))
    else:
        # Also every node problem that is not a consequence of a line already in error.
        broken = {row[1] for row in problems if row[1]}
        for row in criteria.check(roots, total):
            related = any(
                row[1] == code or row[1].startswith(code + ".") or code.startswith(row[1] + ".")
                for code in broken
            )
            if row[1] and not related:
                problems.append(row)
    if problems:
        problems.sort(key=lambda row: (row[0] is None, row[0] or 0))
        raise CriteriaSetInvalid(_with_lines(problems))
    return ParsedSheet(roots, details, total, title)


def _with_lines(problems: list[tuple]) -> list[tuple]:
    """Engine problems carry their line apart; put it in front of the message too."""
    result = []
    for line, code, message in problems:
        if line is not None and not message.startswith(_("Line %(line)s") % {"line": line}):
            message = _("Line %(line)s: %(message)s") % {"line": line, "message": message}
        result.append((line, code, message))
    return result


def _build(rows: list[_Row], problems: list) -> tuple[list[engine.Node], dict]:
    nodes: dict[str, engine.Node] = {}
    lines: dict[str, int] = {}
    roots: list[engine.Node] = []
    details: dict[str, criteria.Details] = {}
    parents: set[str] = set()
    for row in rows:
        if "." in row.code:
            parents.add(row.code.rsplit(".", 1)[0])
    for row in rows:
        values = row.values
        if row.code in nodes:
            problems.append(
                (
                    row.line,
                    row.code,
                    _("Line %(line)s: the code %(code)s is already used on line %(other)s.")
                    % {"line": row.line, "code": row.code, "other": lines[row.code]},
                )
            )
            continue
        node = engine.Node(
            code=row.code,
            name=row.name,
            max_points=row.max_points if row.max_points is not None else Decimal(0),
            line=row.line,
        )
        fold = _fold(values.get("not_applicable", ""))
        if fold in YES:
            node.may_be_not_applicable = True
        elif fold not in NO:
            problems.append(
                (
                    row.line,
                    row.code,
                    _("Line %(line)s: write “Có” or “Không” under “Không áp dụng được”.")
                    % {"line": row.line},
                )
            )
        aggregation = _fold(values.get("aggregation", ""))
        if aggregation in AGGREGATION_WORDS:
            node.aggregation = AGGREGATION_WORDS[aggregation]
        else:
            problems.append(
                (
                    row.line,
                    row.code,
                    _("Line %(line)s: write “Cộng” or “Tối đa” under “Cộng dồn”.")
                    % {"line": row.line},
                )
            )
        is_leaf = row.code not in parents
        if is_leaf:
            _read_rule(row, node, problems)
        details[row.code] = criteria.Details(
            method_text=values.get("rule", "") if is_leaf else "",
            evidence_required=values.get("evidence", ""),
            responsible_hint=values.get("responsible", ""),
        )
        block_text = _fold(values.get("block", ""))
        if "." not in row.code:
            block = BLOCK_WORDS.get(block_text)
            if block is None:
                problems.append(
                    (
                        row.line,
                        row.code,
                        _("Line %(line)s: write “Chính”, “Điểm thưởng” or “Điểm trừ” under “Khối”.")
                        % {"line": row.line},
                    )
                )
                block = engine.MAIN
            if not block_text:
                block = _block_from_name(row.name)
                if block is None:
                    problems.append(
                        (
                            row.line,
                            row.code,
                            _(
                                "Line %(line)s: “%(name)s” mixes bonus and penalty points: put "
                                "them in two top-level rows, or fill “Khối”."
                            )
                            % {"line": row.line, "name": row.name},
                        )
                    )
                    block = engine.MAIN
            node.block = block
            roots.append(node)
        else:
            parent_code = row.code.rsplit(".", 1)[0]
            parent = nodes.get(parent_code)
            if parent is None:
                problems.append(
                    (
                        row.line,
                        row.code,
                        _(
                            "Line %(line)s: criterion %(code)s comes before its parent %(parent)s "
                            "(or the parent is missing)."
                        )
                        % {"line": row.line, "code": row.code, "parent": parent_code},
                    )
                )
                continue
            node.block = parent.block
            if block_text and BLOCK_WORDS.get(block_text) != parent.block:
                problems.append(
                    (
                        row.line,
                        row.code,
                        _(
                            "Line %(line)s: a criterion belongs to the block of its field; leave "
                            "“Khối” empty below the top-level rows."
                        )
                        % {"line": row.line},
                    )
                )
            parent.children.append(node)
        nodes[row.code] = node
        lines[row.code] = row.line
    return roots, details


def _block_from_name(name: str) -> str | None:
    """The block a top-level row's name implies (None: it names both bonus and penalty)."""
    folded = _fold(name)
    if folded.startswith(("diem thuong", "diem cong")):
        return None if "tru" in re.findall(r"[a-z]+", folded) else engine.BONUS
    if folded.startswith("diem tru"):
        return engine.PENALTY
    return engine.MAIN


def _read_rule(row: _Row, node: engine.Node, problems: list) -> None:
    values = row.values
    try:
        method = method_from_text(values.get("method", ""))
        text = values.get("rule", "")
        if not method and not text:
            problems.append(
                (
                    row.line,
                    row.code,
                    _("Line %(line)s: criterion %(code)s has no scoring rule (Cách chấm).")
                    % {"line": row.line, "code": row.code},
                )
            )
            return
        node.method, node.spec = parse_notation(text, method, row.max_points)
    except NotationError as error:
        problems.append(
            (
                row.line,
                row.code,
                _("Line %(line)s, criterion %(code)s: %(error)s")
                % {"line": row.line, "code": row.code, "error": criteria.notation_message(error)},
            )
        )


# -- importing ---------------------------------------------------------------------------------
def import_sheet(
    content: bytes,
    *,
    year: int,
    level: str,
    name: str = "",
    legal_basis: str = "",
    notes: str = "",
    is_sample: bool = False,
    declared_total=None,
) -> CriteriaSet:
    """Read the sheet and save it (:func:`criteria.save_set`); all or nothing."""
    sheet = read_sheet(content, declared_total)
    return criteria.save_set(
        name=name or sheet.title or _("Criteria set %(year)s") % {"year": year},
        year=year,
        level=level,
        roots=sheet.roots,
        details=sheet.details,
        declared_total=sheet.declared_total,
        legal_basis=legal_basis,
        notes=notes,
        is_sample=is_sample,
    )


# -- exporting ---------------------------------------------------------------------------------
def _rule_text(row) -> str:
    """The officer's text when it still reads as the stored rule, else the platform's wording."""
    if row.method_text:
        try:
            if parse_notation(row.method_text, row.method, row.max_points) == (
                row.method,
                row.method_spec or {},
            ):
                return row.method_text
        except NotationError:
            pass
    return format_spec(row.method, row.method_spec or {})


def export_sheet(criteria_set: CriteriaSet) -> bytes:
    """The set as XLSX in the import layout (title rows, header, one row per node, total)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Bo tieu chi"
    sheet.append([criteria_set.name])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(
        [
            f"Năm {criteria_set.year} · {criteria_set.get_level_display()} · phiên bản "
            f"{criteria_set.version}"
            + (f" · {criteria_set.legal_basis}" if criteria_set.legal_basis else "")
        ]
    )
    sheet.append([])
    sheet.append([label for label, _accepted in COLUMNS.values()])
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for row in criteria_set.criteria.order_by("position"):
        leaf = bool(row.method)
        sheet.append(
            [
                row.code,
                row.name,
                float(row.max_points),
                _rule_text(row) if leaf else "",
                row.evidence_required,
                METHOD_NAMES.get(row.method, "") if leaf else "",
                "Có" if row.may_be_not_applicable else "",
                row.responsible_hint,
                BLOCK_NAMES[row.block] if row.parent_id is None else "",
                AGGREGATION_NAMES.get(row.aggregation, "") if not leaf else "",
            ]
        )
        line = sheet.max_row
        sheet.cell(line, 1).number_format = "@"
        sheet.cell(line, 3).number_format = "0.##"
        if not leaf:
            sheet.cell(line, 2).font = Font(bold=row.parent_id is None)
    sheet.append(["", "Tổng cộng", float(criteria_set.declared_total)])
    sheet.cell(sheet.max_row, 2).font = Font(bold=True)
    for letter, width in zip("ABCDEFGHIJ", (9, 60, 11, 50, 40, 14, 12, 22, 13, 10), strict=True):
        sheet.column_dimensions[letter].width = width
    for cells in sheet.iter_rows(min_row=5):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def export_filename(criteria_set: CriteriaSet) -> str:
    return f"bo-tieu-chi-{criteria_set.level}-{criteria_set.year}-v{criteria_set.version}.xlsx"
