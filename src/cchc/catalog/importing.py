"""Import procedures from XLSX, CSV or JSON with the national database's column names.

The format is documented in ``docs/catalog-import.md``. One row is one procedure; the multi-valued
columns (fees, components, internal workflow, sources) hold one item per line with fields separated
by ``|`` in CSV and XLSX, or lists of objects in JSON.

By default an import is all-or-nothing: any invalid row and nothing is written. With
``skip_invalid`` the valid rows are imported and the others reported. Either way the report names
the line, the column and the reason, in Vietnamese.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cchc.common.importing import (
    ImportFileError,
    RowError,
    cell_text,
    read_csv_table,
    read_xlsx_table,
)
from cchc.common.importing import ImportReport as BaseImportReport
from cchc.common.text import fold
from cchc.organisations.models import OrganisationUnit, Role

from .models import (
    PROCEDURE_CODE_PATTERN,
    Channel,
    Field,
    OnlineLevel,
    Procedure,
    ProcedureComponent,
    ProcedureFee,
    TimeUnit,
)
from .services import WorkflowInUse, check_workflow_total, sync_workflow_steps

COL_CODE = "Mã thủ tục"
COL_NAME = "Tên thủ tục"
COL_FIELD = "Lĩnh vực"
COL_LEVELS = "Cấp thực hiện"
COL_AGENCY = "Cơ quan thực hiện"
COL_UNITS = "Mã đơn vị thực hiện"
COL_LIMIT_TEXT = "Thời hạn giải quyết"
COL_LIMIT_AMOUNT = "Số lượng thời hạn"
COL_LIMIT_UNIT = "Đơn vị thời hạn"
COL_EXTENSION = "Gia hạn"
COL_FEES = "Phí, lệ phí"
COL_COMPONENTS = "Thành phần hồ sơ"
COL_STEPS = "Trình tự thực hiện"
COL_CHANNELS = "Cách thức thực hiện"
COL_ONLINE = "Mức độ trực tuyến"
COL_RESULT = "Kết quả"
COL_APPLICANTS = "Đối tượng thực hiện"
COL_LEGAL = "Căn cứ pháp lý"
COL_CONDITIONS = "Yêu cầu, điều kiện"
COL_DECISION = "Quyết định công bố"
COL_STATUS = "Trạng thái"
COL_WORKFLOW = "Quy trình nội bộ"
COL_SOURCES = "Nguồn"
COL_SOURCE_NOTES = "Ghi chú nguồn"

COLUMNS = (
    COL_CODE, COL_NAME, COL_FIELD, COL_LEVELS, COL_AGENCY, COL_UNITS, COL_LIMIT_TEXT,
    COL_LIMIT_AMOUNT, COL_LIMIT_UNIT, COL_EXTENSION, COL_FEES, COL_COMPONENTS, COL_STEPS,
    COL_CHANNELS, COL_ONLINE, COL_RESULT, COL_APPLICANTS, COL_LEGAL, COL_CONDITIONS, COL_DECISION,
    COL_STATUS, COL_WORKFLOW, COL_SOURCES, COL_SOURCE_NOTES,
)  # fmt: skip
# Other names the national database (CSDLQG về TTHC) and provincial exports use for a column.
ALIASES = {"Kết quả thực hiện": COL_RESULT}
REQUIRED = (COL_CODE, COL_NAME, COL_FIELD, COL_LEVELS, COL_LIMIT_UNIT)
SUPPORTED_SUFFIXES = (".xlsx", ".csv", ".json")

UNIT_WORDS = (  # order matters: the most specific phrase first
    ("ngay lam viec", TimeUnit.WORKING_DAYS),
    ("gio lam viec", TimeUnit.WORKING_HOURS),
    ("buoi lam viec", TimeUnit.HALF_DAYS),
    ("trong ngay", TimeUnit.SAME_DAY),
    ("buoi", TimeUnit.HALF_DAYS),
    ("gio", TimeUnit.WORKING_HOURS),
    ("ngay", TimeUnit.CALENDAR_DAYS),
)
LEVEL_WORDS = (("tinh", "level_province"), ("xa", "level_commune"), ("huyen", "level_district"))
CHANNEL_WORDS = (
    ("truc tiep", "channel_counter"),
    ("truc tuyen", "channel_online"),
    ("buu chinh", "channel_postal"),
)
FEE_CHANNELS = {
    "tat ca": Channel.ALL,
    "truc tiep": Channel.COUNTER,
    "truc tuyen": Channel.ONLINE,
    "buu chinh": Channel.POSTAL,
}
ONLINE_LEVELS = {
    "toan trinh": OnlineLevel.FULL,
    "mot phan": OnlineLevel.PARTIAL,
    "khong": OnlineLevel.NONE,
    "": OnlineLevel.NONE,
}
ROLE_WORDS = {
    "can bo mot cua": Role.ONE_STOP_OFFICER,
    "chuyen vien": Role.PROCESSING_OFFICER,
    "lanh dao": Role.LEADER,
    **{role.value: role for role in Role},
}
YES = {"co", "x", "true", "1", "bat buoc", "yes"}
NO = {"khong", "false", "0", "no", "khong bat buoc", ""}


class ImportReport(BaseImportReport):
    """The report of a procedure import (``cchc.common.importing``), with its own summary."""

    def summary(self) -> str:
        if not self.written:
            return _("Nothing imported: %(invalid)d of %(rows)d rows are invalid.") % {
                "invalid": len(self.invalid_lines),
                "rows": self.rows,
            }
        return _(
            "Imported %(created)d new and %(updated)d updated procedures; "
            "%(invalid)d invalid rows skipped."
        ) % {"created": self.created, "updated": self.updated, "invalid": len(self.invalid_lines)}


# -- reading files -------------------------------------------------------------------------------
def read_rows(content: bytes, filename: str) -> list[tuple[int, dict]]:
    """(line number, {column: value}) for every data row of the file."""
    suffix = Path(filename).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ImportFileError(_("Unsupported file type: use .xlsx, .csv or .json."))
    if suffix == ".json":
        return _read_json(content)
    if suffix == ".csv":
        return _read_csv(content)
    return _read_xlsx(content)


def _read_json(content: bytes) -> list[tuple[int, dict]]:
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ImportFileError(
            _("The JSON file cannot be read: %(error)s") % {"error": error}
        ) from None
    if isinstance(data, dict):
        data = data.get("procedures")
    if not isinstance(data, list):
        raise ImportFileError(_("The JSON file must hold a list “procedures” of objects."))
    rows = []
    for number, record in enumerate(data, start=1):
        rows.append((number, record if isinstance(record, dict) else {"": record}))
    return rows


def _read_csv(content: bytes) -> list[tuple[int, dict]]:
    return read_csv_table(content)[1]


def _read_xlsx(content: bytes) -> list[tuple[int, dict]]:
    return read_xlsx_table(content)[1]


# -- validating rows -----------------------------------------------------------------------------
@dataclass
class ParsedRow:
    line: int
    values: dict = field(default_factory=dict)
    field_name: str = ""
    unit_codes: list[str] = field(default_factory=list)
    fees: list[dict] = field(default_factory=list)
    components: list[dict] = field(default_factory=list)
    workflow: list[dict] = field(default_factory=list)


def _items(value, keys: tuple[str, ...]) -> list[dict]:
    """A multi-valued cell: a JSON list of objects, or lines of ``a | b | c``."""
    if value is None or value == "":
        return []
    if isinstance(value, list):
        items = []
        for item in value:
            if isinstance(item, dict):
                items.append({key: item.get(key) for key in keys})
            else:
                parts = [part.strip() for part in str(item).split("|")]
                items.append(dict(zip(keys, parts, strict=False)))
        return items
    items = []
    for line in str(value).splitlines():
        if line.strip():
            parts = [part.strip() for part in line.split("|")]
            items.append(dict(zip(keys, parts, strict=False)))
    return items


THOUSANDS = re.compile(r"^\d{1,3}([. ]\d{3})+$")


def _integer(value, minimum: int = 0) -> int | None:
    """A whole number; "200.000" (Vietnamese thousands grouping) is 200000, "5.5" is invalid."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not value.is_integer():
            return None
        value = int(value)
    if isinstance(value, int):
        number = value
    else:
        text = cell_text(value)
        if THOUSANDS.match(text):
            text = text.replace(".", "").replace(" ", "")
        try:
            number = int(text)
        except ValueError:
            return None
    return number if number >= minimum else None


def _count(value, default: int) -> int | None:
    """A copy count; missing (empty cell, JSON null, short line) means the usual default."""
    return default if value is None or cell_text(value) == "" else _integer(value)


def _match(words, value: str):
    folded = fold(value)
    for word, result in words:
        if word in folded:
            return result
    return None


def _canonical(raw: dict) -> dict:
    """``raw`` with aliased columns under their canonical name (the canonical value wins)."""
    if not any(alias in raw for alias in ALIASES):
        return raw
    result = {key: value for key, value in raw.items() if key not in ALIASES}
    for alias, column in ALIASES.items():
        if alias in raw and not cell_text(result.get(column)):
            result[column] = raw[alias]
    return result


class RowParser:
    def __init__(self) -> None:
        self.units = {unit.code: unit for unit in OrganisationUnit.objects.all()}
        self.code_re = re.compile(PROCEDURE_CODE_PATTERN)

    def parse(self, line: int, raw: dict, errors: list[RowError]) -> ParsedRow | None:
        start = len(errors)
        row = ParsedRow(line=line)
        raw = _canonical(raw)

        def error(column: str, message: str) -> None:
            errors.append(RowError(line, column, message))

        # An empty header cell (a trailing delimiter) with empty values is not a column.
        unknown = [key for key in raw if key not in COLUMNS and (key or cell_text(raw[key]))]
        if unknown:
            error(unknown[0], _("Unknown column; see the import format."))
        for column in REQUIRED:
            if not cell_text(raw.get(column)):
                error(column, _("This column is required."))
        code = cell_text(raw.get(COL_CODE))
        if code and not self.code_re.match(code):
            error(
                COL_CODE,
                _("Invalid procedure code “%(code)s”: expected d.dddddd.") % {"code": code},
            )
        values = row.values
        values["code"] = code
        values["name"] = cell_text(raw.get(COL_NAME))[:500]
        row.field_name = cell_text(raw.get(COL_FIELD))[:255]

        levels = cell_text(raw.get(COL_LEVELS))
        flags = {flag: word in fold(levels) for word, flag in LEVEL_WORDS}
        if levels and not any(flags.values()):
            error(COL_LEVELS, _("Level must be Cấp tỉnh, Cấp xã or Cấp huyện."))
        values.update(flags)

        unit_text = cell_text(raw.get(COL_LIMIT_UNIT))
        unit = _match(UNIT_WORDS, unit_text) if unit_text else None
        if unit_text and unit is None:
            error(
                COL_LIMIT_UNIT,
                _(
                    "Unknown unit “%(unit)s”: use Ngày làm việc, Giờ làm việc, Buổi làm việc, "
                    "Trong ngày or Ngày."
                )
                % {"unit": unit_text},
            )
        amount = _integer(raw.get(COL_LIMIT_AMOUNT) or 0)
        if amount is None:
            error(COL_LIMIT_AMOUNT, _("The time limit must be a whole number ≥ 0."))
        elif unit is not None and unit != TimeUnit.SAME_DAY and amount == 0:
            error(COL_LIMIT_AMOUNT, _("The time limit must be greater than 0."))
        values["time_limit_unit"] = unit or ""
        values["time_limit_amount"] = 0 if unit == TimeUnit.SAME_DAY else (amount or 0)
        extension = raw.get(COL_EXTENSION)
        values["extension_amount"] = None
        if cell_text(extension):
            values["extension_amount"] = _integer(extension, minimum=1)
            if values["extension_amount"] is None:
                error(COL_EXTENSION, _("The extension must be a whole number > 0."))

        channels = cell_text(raw.get(COL_CHANNELS))
        for word, flag in CHANNEL_WORDS:
            values[flag] = word in fold(channels) if channels else flag == "channel_counter"
        online = fold(cell_text(raw.get(COL_ONLINE)))
        if online not in ONLINE_LEVELS:
            error(COL_ONLINE, _("Online level must be Toàn trình, Một phần or Không."))
        values["online_level"] = ONLINE_LEVELS.get(online, OnlineLevel.NONE)
        status = fold(cell_text(raw.get(COL_STATUS)))
        values["active"] = not status or not any(
            word in status for word in ("het hieu luc", "ngung", "bai bo", "khong ap dung")
        )
        for column, key in (
            (COL_AGENCY, "implementing_agency"),
            (COL_LIMIT_TEXT, "time_limit_text"),
            (COL_STEPS, "steps"),
            (COL_RESULT, "result"),
            (COL_APPLICANTS, "applicants"),
            (COL_LEGAL, "legal_basis"),
            (COL_CONDITIONS, "conditions"),
        ):
            values[key] = cell_text(raw.get(column))
        values["publishing_decision"] = cell_text(raw.get(COL_DECISION))[:500]
        sources = raw.get(COL_SOURCES)
        source_lines = sources if isinstance(sources, list) else cell_text(sources).splitlines()
        notes = cell_text(raw.get(COL_SOURCE_NOTES))
        values["sources"] = "\n".join([*map(cell_text, source_lines), *([notes] if notes else [])])

        row.unit_codes = [c.strip() for c in cell_text(raw.get(COL_UNITS)).split(",") if c.strip()]
        for unit_code in row.unit_codes:
            if unit_code not in self.units:
                error(COL_UNITS, _("Unknown unit code “%(code)s”.") % {"code": unit_code})

        self._fees(raw.get(COL_FEES), row, error)
        self._components(raw.get(COL_COMPONENTS), row, error)
        self._workflow(raw.get(COL_WORKFLOW), row, values, error)
        return row if len(errors) == start else None

    def _fees(self, value, row: ParsedRow, error) -> None:
        for item in _items(value, ("Kênh", "Số tiền", "Mô tả")):
            channel = FEE_CHANNELS.get(fold(cell_text(item.get("Kênh"))))
            amount = _integer(item.get("Số tiền"))
            if channel is None:
                error(
                    COL_FEES, _("Fee channel must be Tất cả, Trực tiếp, Trực tuyến or Bưu chính.")
                )
            if amount is None:
                error(COL_FEES, _("Fee amount must be a whole number of đồng ≥ 0."))
            row.fees.append(
                {"channel": channel, "amount": amount, "description": cell_text(item.get("Mô tả"))}
            )

    def _components(self, value, row: ParsedRow, error) -> None:
        keys = ("Tên", "Bản chính", "Bản sao", "Bắt buộc", "Mẫu đơn")
        for item in _items(value, keys):
            name = cell_text(item.get("Tên"))
            originals = _count(item.get("Bản chính"), default=1)
            copies = _count(item.get("Bản sao"), default=0)
            mandatory_raw = item.get("Bắt buộc")
            mandatory = (
                mandatory_raw
                if isinstance(mandatory_raw, bool)
                else fold(cell_text(mandatory_raw if mandatory_raw is not None else "có"))
            )
            if not name:
                error(COL_COMPONENTS, _("Every component needs a name."))
            if originals is None or copies is None:
                error(COL_COMPONENTS, _("Original and copy counts must be whole numbers ≥ 0."))
            if not isinstance(mandatory, bool):
                if mandatory not in YES | NO:
                    error(COL_COMPONENTS, _("“Bắt buộc” must be Có or Không."))
                mandatory = mandatory in YES
            row.components.append(
                {
                    "name": name,
                    "originals": originals or 0,
                    "copies": copies or 0,
                    "mandatory": mandatory,
                    "form_template": cell_text(item.get("Mẫu đơn"))[:500],
                }
            )

    def _workflow(self, value, row: ParsedRow, values: dict, error) -> None:
        keys = ("Bước", "Vai trò", "Thời gian (giờ)", "Mã đơn vị")
        for item in _items(value, keys):
            name = cell_text(item.get("Bước"))
            role = ROLE_WORDS.get(fold(cell_text(item.get("Vai trò"))))
            try:
                hours = Decimal(cell_text(item.get("Thời gian (giờ)")).replace(",", "."))
            except InvalidOperation:
                hours = None
            if hours is not None and not hours.is_finite():  # NaN, sNaN, Infinity
                hours = None
            unit_code = cell_text(item.get("Mã đơn vị"))
            if not name:
                error(COL_WORKFLOW, _("Every workflow step needs a name."))
            if role is None:
                error(
                    COL_WORKFLOW,
                    _("Role must be Cán bộ một cửa, Chuyên viên or Lãnh đạo."),
                )
            if hours is None or hours <= 0:
                error(COL_WORKFLOW, _("Step time must be a number of hours > 0."))
            if unit_code and unit_code not in self.units:
                error(COL_WORKFLOW, _("Unknown unit code “%(code)s”.") % {"code": unit_code})
            row.workflow.append(
                {"name": name[:500], "role": role, "hours": hours, "unit_code": unit_code}
            )
        if row.workflow and values.get("time_limit_unit"):
            hours = [step["hours"] for step in row.workflow if step["hours"] is not None]
            try:
                check_workflow_total(hours, values["time_limit_unit"], values["time_limit_amount"])
            except ValidationError as problem:
                error(COL_WORKFLOW, problem.messages[0])


# -- writing -------------------------------------------------------------------------------------
def import_rows(rows: list[tuple[int, dict]], skip_invalid: bool = False) -> ImportReport:
    report = ImportReport(rows=len(rows))
    parser = RowParser()
    valid: list[ParsedRow] = []
    seen: dict[str, int] = {}
    for line, raw in rows:
        parsed = parser.parse(line, raw, report.errors)
        code = cell_text(raw.get(COL_CODE)) if isinstance(raw, dict) else ""
        if code in seen:
            report.errors.append(
                RowError(
                    line, COL_CODE, _("Code repeated from line %(line)d.") % {"line": seen[code]}
                )
            )
            continue
        if code:
            seen[code] = line
        if parsed is not None:
            valid.append(parsed)
    if report.errors and not skip_invalid:
        return report
    try:
        with transaction.atomic():
            for parsed in valid:
                current = parsed
                created = _write(parsed, parser.units)
                report.created += int(created)
                report.updated += int(not created)
    except WorkflowInUse as problem:
        report.errors.append(RowError(current.line, COL_WORKFLOW, problem.messages[0]))
        report.created = report.updated = 0
        return report
    report.written = True
    return report


def _write(row: ParsedRow, units: dict[str, OrganisationUnit]) -> bool:
    field_obj, _created = Field.objects.get_or_create(name=row.field_name)
    procedure, created = Procedure.objects.update_or_create(
        code=row.values["code"], defaults={**row.values, "field": field_obj}
    )
    procedure.implementing_units.set([units[code] for code in row.unit_codes])
    procedure.fees.all().delete()
    ProcedureFee.objects.bulk_create(
        ProcedureFee(procedure=procedure, order=i, **fee) for i, fee in enumerate(row.fees)
    )
    procedure.components.all().delete()
    ProcedureComponent.objects.bulk_create(
        ProcedureComponent(procedure=procedure, order=i, **component)
        for i, component in enumerate(row.components)
    )
    sync_workflow_steps(
        procedure,
        [
            {
                "name": step["name"],
                "role": step["role"],
                "hours": step["hours"],
                "unit": units.get(step["unit_code"]) if step["unit_code"] else None,
            }
            for step in row.workflow
        ],
    )
    return created


def import_file(content: bytes, filename: str, skip_invalid: bool = False) -> ImportReport:
    return import_rows(read_rows(content, filename), skip_invalid=skip_invalid)
