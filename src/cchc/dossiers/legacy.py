"""Import dossiers exported by another one-stop system (XLSX, CSV): a province keeps its history.

The format is documented in ``docs/dossier-import.md``: one row is one dossier, columns named as
the national synchronisation names them (``ma_ho_so``, ``trang_thai``, …), times as
``dd/mm/yyyy HH:MM`` or ISO 8601 in Vietnamese local time, an empty cell meaning "unknown".

Like the procedure importer (``cchc.catalog.importing``) an import is all-or-nothing by default:
any invalid row and nothing is written; with ``skip_invalid`` the valid rows are imported and the
others reported. The report names the line, the column and the reason; no input gives a traceback.
Files are streamed in chunks and written in bulk (``import_source``), in constant memory.

A code of this platform's shape for a unit here must be one the platform could issue (a real day,
a daily number up to ``services.MAX_DAILY_SEQUENCE``) and moves that unit's daily counter past it;
any other code is kept as the old system wrote it.

Imported dossiers are written directly (not through ``services``: their history happened
elsewhere), flagged ``imported``, and get exactly one ``imported`` event on their hash chain per
import that created or changed them. Re-importing the same file changes nothing. A code that belongs
to a dossier created in this system is never overwritten, and neither is an imported dossier that
has since been worked on here. The statistics hear of new dossiers through the
``dossiers_imported`` event and of updated ones through ``dossier_changed`` (``events``), inside the
import's transaction.

The report's frame (each error's line and column, the summary) is the shared one of
``cchc.common.importing``, translated through Django's i18n; the messages about a row's content are
Vietnamese literals: operators read them in Vietnamese, and English msgids would print in English
until someone translated them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import BinaryIO
from zoneinfo import ZoneInfo

import numpy as np
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.catalog.models import Procedure
from cchc.common import bulk
from cchc.common.importing import ImportFileError, RowError
from cchc.common.importing import ImportReport as BaseImportReport
from cchc.conf import conf
from cchc.history import registry
from cchc.history import services as history
from cchc.organisations.models import OrganisationUnit
from cchc.workdays import services as workdays
from cchc.workdays.engine import DeadlineError, Pause
from cchc.workdays.engine.parsing import parse_instant

from . import lateness
from .events import ImportedDossier, ImportRun, dossiers_imported
from .models import (
    OPEN_STATUSES,
    ApologyLetter,
    ApologyStatus,
    ApplicantKind,
    Channel,
    DailySequence,
    Dossier,
    DossierEvent,
    DossierPause,
    IdType,
    OnlineMode,
    Outcome,
    PauseKind,
    PaymentGateway,
    Status,
)
from .services import MAX_DAILY_SEQUENCE, append_event

LOCAL_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # .xlsx; override with CCHC_DOSSIER_IMPORT_MAX_BYTES
SUPPORTED_SUFFIXES = (".xlsx", ".csv")
EVENT_ACTION = "imported"
IMPORT_REASON = "Nhập từ hệ thống cũ"

# Placeholders for an applicant the file does not describe (see docs/dossier-import.md).
UNKNOWN_APPLICANT = "(không rõ)"

COL_CODE = "ma_ho_so"
COL_PROCEDURE = "ma_tthc"
COL_UNIT = "ma_don_vi"
COL_CHANNEL = "kenh"
COL_FULL_ONLINE = "toan_trinh"
COL_SUBMITTED = "ngay_nop"
COL_RECEIVED = "ngay_tiep_nhan"
COL_DUE = "ngay_hen_tra"
COL_FINISHED = "ngay_ket_thuc_xu_ly"
COL_RETURNED = "ngay_tra_ket_qua"
COL_STATUS = "trang_thai"
COL_OUTCOME = "ket_qua"
COL_SUPPLEMENTS = "so_lan_bo_sung"
COL_SUPPLEMENT_ASKED = "ngay_yeu_cau_bo_sung"
COL_SUPPLEMENT_DONE = "ngay_hoan_thanh_bo_sung"
COL_APOLOGY = "co_van_ban_xin_loi"
COL_NEW_DUE = "ngay_hen_tra_moi"
COL_PAYMENT = "thanh_toan_truc_tuyen"
COL_DIGITISED = "da_so_hoa"
COL_E_RESULT = "co_ket_qua_dien_tu"
COL_FINANCIAL_ASKED = "ngay_yeu_cau_nghia_vu_tai_chinh"
COL_FINANCIAL_DONE = "ngay_hoan_thanh_nghia_vu_tai_chinh"
COL_FEE = "le_phi"
COL_FEE_PAID = "ngay_thanh_toan"
COL_NAME = "ten_nguoi_nop"
COL_ID_NUMBER = "so_giay_to"
COL_PHONE = "so_dien_thoai"
COL_EMAIL = "email"
COL_ADDRESS = "dia_chi"

DOSSIER_COLUMNS = (
    COL_CODE, COL_PROCEDURE, COL_UNIT, COL_CHANNEL, COL_FULL_ONLINE, COL_SUBMITTED, COL_RECEIVED,
    COL_DUE, COL_FINISHED, COL_RETURNED, COL_STATUS, COL_SUPPLEMENTS, COL_SUPPLEMENT_ASKED,
    COL_SUPPLEMENT_DONE, COL_APOLOGY, COL_NEW_DUE, COL_PAYMENT, COL_DIGITISED, COL_E_RESULT,
    COL_OUTCOME, COL_FINANCIAL_ASKED, COL_FINANCIAL_DONE, COL_FEE, COL_FEE_PAID,
)  # fmt: skip
# Personal data: written to the dossier, never to its append-only history.
APPLICANT_COLUMNS = (COL_NAME, COL_ID_NUMBER, COL_PHONE, COL_EMAIL, COL_ADDRESS)
COLUMNS = DOSSIER_COLUMNS + APPLICANT_COLUMNS
REQUIRED_COLUMNS = (COL_CODE, COL_PROCEDURE, COL_UNIT, COL_CHANNEL, COL_STATUS)
TIME_COLUMNS = (
    COL_SUBMITTED, COL_RECEIVED, COL_DUE, COL_FINISHED, COL_RETURNED, COL_SUPPLEMENT_ASKED,
    COL_SUPPLEMENT_DONE, COL_NEW_DUE, COL_FINANCIAL_ASKED, COL_FINANCIAL_DONE, COL_FEE_PAID,
)  # fmt: skip
PAST_COLUMNS = (  # things that have happened; appointments may lie ahead
    COL_SUBMITTED, COL_RECEIVED, COL_FINISHED, COL_RETURNED, COL_SUPPLEMENT_ASKED,
    COL_SUPPLEMENT_DONE, COL_FINANCIAL_ASKED, COL_FINANCIAL_DONE, COL_FEE_PAID,
)  # fmt: skip
# Deadlines: a date without a time means the end of that working day (the unit's afternoon close),
# not 00:00 — a dossier resolved at 10:00 on its due day is on time.
DEADLINE_COLUMNS = (COL_DUE, COL_NEW_DUE)
DATE_ONLY = re.compile(r"[0-9]{1,2}[/-][0-9]{1,2}[/-][0-9]{4}|[0-9]{4}-[0-9]{2}-[0-9]{2}")
# trang_thai as text (the status names of the national synchronisation and of common exports),
# compared without case, accents or extra spaces: text → (status code, outcome or None).
STATUS_TEXTS = {
    "moi dang ky": (1, None),
    "cho tiep nhan": (1, None),
    "duoc tiep nhan": (2, None),
    "da tiep nhan": (2, None),
    "khong duoc tiep nhan": (3, None),
    "tu choi tiep nhan": (3, None),
    "dang xu ly": (4, None),
    "dang giai quyet": (4, None),
    "yeu cau bo sung": (5, None),
    "yeu cau bo sung giay to": (5, None),
    "cho bo sung": (5, None),
    "yeu cau nghia vu tai chinh": (6, None),
    "yeu cau thuc hien nghia vu tai chinh": (6, None),
    "cho thuc hien nghia vu tai chinh": (6, None),
    "cong dan yeu cau rut ho so": (7, None),
    "rut ho so": (7, None),
    "da rut ho so": (7, None),
    "dung xu ly": (8, None),
    "da xu ly xong": (9, None),
    "da giai quyet": (9, None),
    "da tra ket qua": (10, None),
    # a reasoned refusal after receipt, handed back to the applicant (hồ sơ trả lại)
    "tra lai ho so": (10, "refused"),
    "ho so tra lai": (10, "refused"),
    "da tra lai ho so": (10, "refused"),
    "tu choi giai quyet": (10, "refused"),
}
# ket_qua for a dossier in status 9 or 10: 1 a result, 2 returned (refused with reasons).
OUTCOME_CODES = {1: "approved", 2: "refused"}
MAX_FEE = 10**12  # đồng: far above any fee, below the column's limit
FEE_AMOUNT = re.compile(r"[0-9]{1,3}(?:[. ][0-9]{3})+|[0-9]{1,13}")
FLAG_COLUMNS = (COL_APOLOGY, COL_DIGITISED, COL_E_RESULT)
EXTRA = ""  # key of a row's values found under no header name
CHUNK = 2000  # rows checked, planned and written together
WRITE_BATCH = 1000  # rows per INSERT
RESULT_STATUSES = (Status.RESOLVED, Status.RETURNED)
CLOSED_WITHOUT_RESULT = (Status.NOT_RECEIVED, Status.WITHDRAWN, Status.STOPPED)
# This platform's code shape (services.DEFAULT_CODE_FORMAT): unit-YYMMDD-NNNN, 4 to 6 digits.
CODE_SHAPE = re.compile(r"^(?P<unit>.+)-(?P<day>[0-9]{6})-(?P<seq>[0-9]+)$")
SEQUENCE_DIGITS = (4, len(str(MAX_DAILY_SEQUENCE)))
# Characters a cell may not hold: C0/C1 controls other than tab and line breaks (PostgreSQL refuses
# NUL outright; the others only corrupt screens and exports), and lone surrogates.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# Times outside these years are typing errors (and beyond the calendar and the database's range).
FIRST_YEAR, LAST_YEAR = 1990, 2099
MAX_SUPPLEMENTS = 99
QUICK_TIME = re.compile(r"([0-9]{2})/([0-9]{2})/([0-9]{4}) ([0-9]{2}):([0-9]{2})")


def max_bytes(suffix: str = ".xlsx") -> int | None:
    """The size limit of an import file, None for none.

    ``CCHC_DOSSIER_IMPORT_MAX_BYTES`` when set; otherwise 20 MB for a workbook (the spreadsheet
    reader holds its shared strings in memory) and no limit for CSV, which is streamed.
    """
    limit = conf.DOSSIER_IMPORT_MAX_BYTES
    if limit is not None:
        return int(limit)
    return DEFAULT_MAX_BYTES if suffix == ".xlsx" else None


@dataclass
class ImportReport(BaseImportReport):
    """The report of a dossier import (``cchc.common.importing``): also the unchanged rows, and
    whether the header itself was refused."""

    unchanged: int = 0
    header_invalid: bool = False

    def summary(self) -> str:
        counts = {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "invalid": len(self.invalid_lines),
            "rows": self.rows,
        }
        if not self.written:
            if self.header_invalid:
                return _("No dossier imported: the header row (column names) is invalid.")
            return _("No dossier imported: %(invalid)d/%(rows)d rows are invalid.") % counts
        if self.errors:
            return (
                _(
                    "Imported: %(created)d new dossiers, %(updated)d updated, %(unchanged)d "
                    "unchanged; %(invalid)d invalid rows skipped."
                )
                % counts
            )
        return (
            _("Imported: %(created)d new dossiers, %(updated)d updated, %(unchanged)d unchanged.")
            % counts
        )


# -- reading files -------------------------------------------------------------------------------
class Source:
    """An import file, read as a stream as often as needed: a check pass, then a write pass.

    Rows are never all held in memory, so a file of millions of rows takes constant memory.
    """

    def __init__(self, filename: str, opener: Callable[[], BinaryIO], size: int) -> None:
        self.name = Path(filename).name
        self.suffix = Path(filename).suffix.lower()
        self.opener = opener
        self.size = size
        if self.suffix not in SUPPORTED_SUFFIXES:
            raise ImportFileError("Loại tệp không được hỗ trợ: dùng .xlsx hoặc .csv.")
        limit = max_bytes(self.suffix)
        if limit is not None and size > limit:
            raise ImportFileError(f"Tệp quá lớn (tối đa {limit // (1024 * 1024)} MB).")

    @classmethod
    def from_bytes(cls, content: bytes, filename: str) -> Source:
        return cls(filename, lambda: io.BytesIO(content), len(content))

    @classmethod
    def from_path(cls, path: Path) -> Source:
        """Raises ``OSError`` when the file cannot be read."""
        size = path.stat().st_size
        if not path.is_file():
            raise IsADirectoryError(21, "Is a directory", str(path))
        return cls(path.name, lambda: path.open("rb"), size)

    @contextmanager
    def read(self) -> Iterator[Reader]:
        stream = self.opener()
        try:
            if self.suffix == ".csv":
                yield _csv_reader(stream)
            else:
                yield from _xlsx_reader(stream)
        finally:
            stream.close()


@dataclass
class Reader:
    header: list[str]
    records: Iterator[tuple[int, dict]]  # (line number, {column: value}) of non-blank rows


def _as_row(header: list[str], values) -> dict:
    row: dict = {}
    extra = []
    for index, value in enumerate(values):
        name = header[index] if index < len(header) else ""
        if name and name not in row:
            row[name] = value
        elif _text(value):
            extra.append(_text(value))
    if extra:
        row[EXTRA] = extra
    return row


def _csv_reader(stream: BinaryIO) -> Reader:
    first_line = stream.readline()
    try:
        first_line = first_line.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError("Tệp CSV phải mã hóa UTF-8.") from None
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    stream.seek(0)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    reader = csv.reader(text, delimiter=delimiter)
    try:
        header = next(reader, None)
    except (csv.Error, UnicodeDecodeError) as error:
        raise ImportFileError(_csv_problem(error)) from None
    if header is None or not any(name.strip() for name in header):
        raise ImportFileError("Tệp trống hoặc thiếu dòng tiêu đề.")
    header = [name.strip() for name in header]

    def records() -> Iterator[tuple[int, dict]]:
        try:
            while True:
                start = reader.line_num + 1  # a quoted value may span lines: report the first
                values = next(reader, None)
                if values is None:
                    return
                if any(value.strip() for value in values):
                    yield start, _as_row(header, values)
        except (csv.Error, UnicodeDecodeError) as error:
            raise ImportFileError(_csv_problem(error)) from None

    return Reader(header, records())


def _csv_problem(error: Exception) -> str:
    if isinstance(error, UnicodeDecodeError):
        return "Tệp CSV phải mã hóa UTF-8."
    return f"Không đọc được tệp CSV: {error}"


def _xlsx_reader(stream: BinaryIO) -> Iterator[Reader]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a broken file
        raise ImportFileError(f"Không đọc được tệp Excel: {error}") from None
    try:
        try:
            sheet = workbook.worksheets[0]
            rows_iter = sheet.iter_rows(values_only=True)
            first = next(rows_iter, None)
        except Exception as error:
            raise ImportFileError(f"Không đọc được tệp Excel: {error}") from None
        if first is None or not any(_text(value) for value in first):
            raise ImportFileError("Tệp trống hoặc thiếu dòng tiêu đề.")
        header = [_text(value) for value in first]

        def records() -> Iterator[tuple[int, dict]]:
            try:
                for number, values in enumerate(rows_iter, start=2):
                    if any(_text(value) for value in values):
                        yield number, _as_row(header, values)
            except Exception as error:  # a broken sheet part, found while streaming
                raise ImportFileError(f"Không đọc được tệp Excel: {error}") from None

        # Outside the conversions above: an error of the caller's must pass through unchanged.
        yield Reader(header, records())
    finally:
        workbook.close()


def check_header(header: list[str]) -> list[RowError]:
    """Problems with the column names, reported on line 1: they make the whole file suspect."""
    errors = []
    seen = set()
    for name in header:
        if not name:
            continue
        if name in seen:
            errors.append(RowError(1, name, "Tên cột bị lặp lại."))
        elif name not in COLUMNS:
            errors.append(
                RowError(1, name, "Cột không xác định; xem định dạng trong docs/dossier-import.md.")
            )
        seen.add(name)
    for name in REQUIRED_COLUMNS:
        if name not in seen:
            errors.append(RowError(1, name, "Thiếu cột bắt buộc."))
    return errors


# -- validating rows -----------------------------------------------------------------------------
def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _integer(value) -> int | None:
    """A whole number from a cell ("2", 2, 2.0); None when it is not one."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, int):
        return value
    text = _text(value)
    # A bounded length: int() of thousands of digits is slow, and refused past 4300.
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def _plain(text: str) -> str:
    """Lower case, no accents (đ → d), single spaces: how a status name is compared."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


def _status(value) -> tuple[int | None, str | None]:
    """``trang_thai``: a national code 1–10 or a status name → (code, outcome the name implies)."""
    code = _integer(value)
    if code is not None:
        return (code, None) if 1 <= code <= 10 else (None, None)
    return STATUS_TEXTS.get(_plain(_text(value)), (None, None))


def _amount(value) -> int | None:
    """A fee in đồng: a whole number, thousands optionally grouped by dots or spaces."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = _integer(value)
    else:
        text = _text(value)
        number = int(re.sub(r"[. ]", "", text)) if FEE_AMOUNT.fullmatch(text) else None
    return number if number is not None and 0 <= number <= MAX_FEE else None


def _quick_time(text: str) -> datetime | None:
    """``dd/mm/yyyy HH:MM``, the usual form, without strptime's cost; None for anything else."""
    match = QUICK_TIME.fullmatch(text)
    if match is None:
        return None
    day, month, year, hour, minute = map(int, match.groups())
    try:
        return datetime(year, month, day, hour, minute)
    except ValueError:
        return None  # parse_instant names the problem


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


@dataclass
class LegacyRow:
    line: int
    code: str
    procedure: Procedure
    unit: OrganisationUnit
    values: dict  # every dossier column, normalised and JSON-ready: what "unchanged" compares
    raw: dict  # the dossier columns as written in the file (no personal data)
    times: dict  # column → aware datetime or None
    applicant: dict  # Dossier field → value

    @property
    def status(self) -> int:
        return self.values[COL_STATUS]


class RowParser:
    def __init__(self) -> None:
        self.procedures = {procedure.code: procedure for procedure in Procedure.objects.all()}
        self.units = {unit.code: unit for unit in OrganisationUnit.objects.all()}
        self.now = timezone.now()

    def parse(self, line: int, raw: dict, errors: list[RowError]) -> LegacyRow | None:
        start = len(errors)

        def error(column: str, message: str) -> None:
            errors.append(RowError(line, column, message))

        if raw.get(EXTRA):
            error("", "Có giá trị nằm ngoài các cột có tên trong dòng tiêu đề.")
        for column, value in raw.items():
            if column != EXTRA and isinstance(value, str) and CONTROL.search(value):
                error(column, "Ô có ký tự điều khiển (không in được): hãy xóa ký tự đó.")
        values: dict = {}

        code = _text(raw.get(COL_CODE))
        if not code:
            error(COL_CODE, "Thiếu mã hồ sơ.")
        elif len(code) > 80 or any(ch.isspace() for ch in code):
            error(COL_CODE, "Mã hồ sơ tối đa 80 ký tự và không có khoảng trắng.")
        elif problem := self._code_problem(code):
            error(COL_CODE, problem)
        values[COL_CODE] = code

        procedure_code = _text(raw.get(COL_PROCEDURE))
        procedure = self.procedures.get(procedure_code)
        if not procedure_code:
            error(COL_PROCEDURE, "Thiếu mã thủ tục.")
        elif procedure is None:
            error(COL_PROCEDURE, f"Không có thủ tục mã “{procedure_code}” trong danh mục.")
        values[COL_PROCEDURE] = procedure_code

        unit_code = _text(raw.get(COL_UNIT))
        unit = self.units.get(unit_code)
        if not unit_code:
            error(COL_UNIT, "Thiếu mã đơn vị.")
        elif unit is None:
            error(COL_UNIT, f"Không có đơn vị mã “{unit_code}”.")
        values[COL_UNIT] = unit_code

        channel = _integer(raw.get(COL_CHANNEL))
        if channel not in Channel.values:
            error(COL_CHANNEL, "Kênh phải là 1 (trực tiếp), 2 (trực tuyến) hoặc 3 (bưu chính).")
        values[COL_CHANNEL] = channel

        status, text_outcome = _status(raw.get(COL_STATUS))
        if status is None:
            error(
                COL_STATUS,
                "Trạng thái phải là mã quốc gia từ 1 đến 10 hoặc tên trạng thái "
                "(ví dụ “Đã trả kết quả”, “Trả lại hồ sơ”).",
            )
        values[COL_STATUS] = status
        outcome = None
        if _text(raw.get(COL_OUTCOME)):
            outcome = OUTCOME_CODES.get(_integer(raw.get(COL_OUTCOME)))
            if outcome is None:
                error(
                    COL_OUTCOME, "Kết quả phải là 1 (có kết quả giải quyết) hoặc 2 (trả lại hồ sơ)."
                )
            elif status is not None and status not in RESULT_STATUSES:
                error(COL_OUTCOME, "Chỉ hồ sơ ở trạng thái 9 hoặc 10 mới có kết quả (ket_qua).")
            elif text_outcome and outcome != text_outcome:
                error(COL_OUTCOME, "Kết quả không khớp với tên trạng thái trong cột trang_thai.")
        # None when neither the column nor the status name says: a result, as before
        values[COL_OUTCOME] = (outcome or text_outcome) if status in RESULT_STATUSES else None

        full_online = self._choice(raw, COL_FULL_ONLINE, (0, 1), error, default=None)
        if full_online == 1 and channel in Channel.values and channel != Channel.ONLINE:
            error(COL_FULL_ONLINE, "Chỉ hồ sơ trực tuyến (kenh = 2) mới có thể toàn trình.")
        values[COL_FULL_ONLINE] = full_online if channel == Channel.ONLINE else None
        for column in FLAG_COLUMNS:
            values[column] = self._choice(raw, column, (0, 1), error, default=0)
        values[COL_PAYMENT] = self._choice(
            raw, COL_PAYMENT, tuple(PaymentGateway.values), error, default=0
        )
        fee_text = _text(raw.get(COL_FEE))
        fee = None
        if fee_text:
            fee = _amount(raw.get(COL_FEE))
            if fee is None:
                error(
                    COL_FEE,
                    "Lệ phí phải là số tiền nguyên (đồng) ≥ 0, ví dụ 50000 hoặc 50.000, "
                    f"tối đa {MAX_FEE:,}.".replace(",", "."),
                )
        values[COL_FEE] = fee

        close = (unit.afternoon_end if unit is not None else None) or time(17, 0)
        times = {column: self._time(raw, column, error, close) for column in TIME_COLUMNS}
        for column, moment in times.items():
            values[column] = _iso(moment)

        supplements_text = _text(raw.get(COL_SUPPLEMENTS))
        supplements = _integer(raw.get(COL_SUPPLEMENTS)) if supplements_text else None
        if supplements_text and (supplements is None or not 0 <= supplements <= MAX_SUPPLEMENTS):
            error(
                COL_SUPPLEMENTS, f"Số lần bổ sung phải là số nguyên ≥ 0 (tối đa {MAX_SUPPLEMENTS})."
            )
            supplements = None
        elif supplements is None:  # unknown: at least one when a supplement date is given
            supplements = 1 if times[COL_SUPPLEMENT_ASKED] else 0
        values[COL_SUPPLEMENTS] = supplements

        if len(errors) == start:
            self._check_logic(values, times, error)
        applicant = self._applicant(raw, error)
        if len(errors) > start:
            return None
        return LegacyRow(
            line=line,
            code=code,
            procedure=procedure,
            unit=unit,
            values=values,
            raw={column: _text(raw[column]) for column in DOSSIER_COLUMNS if column in raw},
            times=times,
            applicant=applicant,
        )

    def _code_problem(self, code: str) -> str | None:
        """A code of this platform's shape for a unit here must be one this platform could issue.

        Its daily number then moves the unit's counter (``_reserve_codes``), so it must be a real
        day and a number of 4 to 6 digits (1 to ``MAX_DAILY_SEQUENCE``). Any other code (another
        system's numbering) is kept as it is and leaves the counters alone.
        """
        match = CODE_SHAPE.match(code)
        if match is None or match["unit"] not in self.units:
            return None
        shape = "có dạng mã hồ sơ của đơn vị trong hệ thống này (mã đơn vị-YYMMDD-số thứ tự)"
        try:
            datetime.strptime(match["day"], "%y%m%d")
        except ValueError:
            return f"Mã hồ sơ {shape} nhưng “{match['day']}” không phải ngày có thật (YYMMDD)."
        digits = match["seq"]
        low, high = SEQUENCE_DIGITS
        if not low <= len(digits) <= high or int(digits) == 0:
            return (
                f"Mã hồ sơ {shape} nhưng số thứ tự trong ngày “{digits}” không hợp lệ: "
                f"{low} đến {high} chữ số, từ {1:0{low}d} đến {MAX_DAILY_SEQUENCE}."
            )
        return None

    @staticmethod
    def _choice(raw: dict, column: str, allowed: tuple, error, default):
        if not _text(raw.get(column)):
            return default
        value = _integer(raw.get(column))
        if value not in allowed:
            choices = ", ".join(map(str, allowed[:-1]))
            error(column, f"Giá trị phải là {choices} hoặc {allowed[-1]}.")
            return default
        return value

    def _time(self, raw: dict, column: str, error, close: time = time(17, 0)) -> datetime | None:
        """The cell's instant. A date alone is 00:00, except in a deadline column, where it means
        the end of that working day: ``close``, the unit's afternoon closing time."""
        value = raw.get(column)
        deadline = column in DEADLINE_COLUMNS
        if isinstance(value, datetime):  # an Excel date cell
            naive = value.astimezone(LOCAL_ZONE).replace(tzinfo=None) if value.tzinfo else value
            if deadline and naive.time() == time(0, 0):  # a date cell without a time
                naive = datetime.combine(naive.date(), close)
        elif isinstance(value, date):
            naive = datetime.combine(value, close if deadline else time(0, 0))
        elif not _text(value):
            return None
        elif isinstance(value, int | float):
            error(column, "Thời điểm phải ghi dạng dd/mm/yyyy HH:MM hoặc ISO 8601, không phải số.")
            return None
        else:
            try:
                naive = _quick_time(_text(value)) or parse_instant(_text(value), column)
                if deadline and DATE_ONLY.fullmatch(_text(value)):
                    naive = datetime.combine(naive.date(), close)
            except DeadlineError as problem:
                error(column, str(problem))
                return None
            except (ValueError, OverflowError):  # an offset that takes the year out of range
                error(column, f"Năm phải từ {FIRST_YEAR} đến {LAST_YEAR}.")
                return None
        moment = workdays.to_aware(naive)
        if column in PAST_COLUMNS and moment > self.now:
            error(column, "Thời điểm này chưa đến: hồ sơ nhập từ hệ thống cũ chỉ có quá khứ.")
        elif not FIRST_YEAR <= naive.year <= LAST_YEAR:
            error(column, f"Năm phải từ {FIRST_YEAR} đến {LAST_YEAR}.")
            return None
        return moment

    @staticmethod
    def _check_logic(values: dict, times: dict, error) -> None:
        status = values[COL_STATUS]
        submitted, received = times[COL_SUBMITTED], times[COL_RECEIVED]
        due, new_due = times[COL_DUE], times[COL_NEW_DUE]
        finished, returned = times[COL_FINISHED], times[COL_RETURNED]
        asked, done = times[COL_SUPPLEMENT_ASKED], times[COL_SUPPLEMENT_DONE]
        if submitted and received and received < submitted:
            error(COL_RECEIVED, "Ngày tiếp nhận sớm hơn ngày nộp.")
        if received and due and due < received:
            error(COL_DUE, "Ngày hẹn trả sớm hơn ngày tiếp nhận.")
        if received and status == Status.SUBMITTED:
            error(
                COL_RECEIVED,
                "Hồ sơ mới đăng ký (trạng thái 1) chưa được tiếp nhận: để trống ngày tiếp nhận.",
            )
        start = received or submitted
        if finished and start and finished < start:
            error(COL_FINISHED, "Ngày kết thúc xử lý sớm hơn ngày tiếp nhận (hoặc ngày nộp).")
        if status in RESULT_STATUSES and not finished:
            error(COL_FINISHED, f"Hồ sơ ở trạng thái {status} phải có ngày kết thúc xử lý.")
        if finished and status in OPEN_STATUSES:
            error(
                COL_FINISHED,
                f"Hồ sơ ở trạng thái {status} (chưa kết thúc) không thể có ngày kết thúc xử lý.",
            )
        if returned and not finished and status != Status.RETURNED:
            error(
                COL_RETURNED,
                "Có ngày trả kết quả thì phải có ngày kết thúc xử lý hoặc trạng thái 10.",
            )
        if returned and (finished or start) and returned < (finished or start):
            error(COL_RETURNED, "Ngày trả kết quả sớm hơn ngày kết thúc xử lý (hoặc tiếp nhận).")
        if new_due and values[COL_APOLOGY] != 1:
            error(
                COL_NEW_DUE,
                "Có ngày hẹn trả mới thì phải có văn bản xin lỗi (co_van_ban_xin_loi = 1).",
            )
        if values[COL_APOLOGY] == 1 and not due:
            error(COL_DUE, "Hồ sơ có văn bản xin lỗi phải có ngày hẹn trả ban đầu.")
        if new_due and due and new_due <= due:
            error(COL_NEW_DUE, "Ngày hẹn trả mới phải sau ngày hẹn trả ban đầu.")
        if done and not asked:
            error(
                COL_SUPPLEMENT_DONE,
                "Có ngày hoàn thành bổ sung thì phải có ngày yêu cầu bổ sung.",
            )
        if asked and done and done < asked:
            error(COL_SUPPLEMENT_DONE, "Ngày hoàn thành bổ sung sớm hơn ngày yêu cầu bổ sung.")
        if asked and submitted and asked < submitted:
            error(COL_SUPPLEMENT_ASKED, "Ngày yêu cầu bổ sung sớm hơn ngày nộp.")
        if asked and values[COL_SUPPLEMENTS] == 0:
            error(COL_SUPPLEMENTS, "Có ngày yêu cầu bổ sung nhưng số lần bổ sung là 0.")
        fin_asked, fin_done = times[COL_FINANCIAL_ASKED], times[COL_FINANCIAL_DONE]
        if fin_done and not fin_asked:
            error(
                COL_FINANCIAL_DONE,
                "Có ngày hoàn thành nghĩa vụ tài chính thì phải có ngày yêu cầu "
                "nghĩa vụ tài chính.",
            )
        if fin_asked and fin_done and fin_done < fin_asked:
            error(
                COL_FINANCIAL_DONE,
                "Ngày hoàn thành nghĩa vụ tài chính sớm hơn ngày yêu cầu nghĩa vụ tài chính.",
            )
        if fin_asked and start and fin_asked < start:
            error(
                COL_FINANCIAL_ASKED,
                "Ngày yêu cầu nghĩa vụ tài chính sớm hơn ngày tiếp nhận (hoặc ngày nộp).",
            )
        fee, paid = values[COL_FEE], times[COL_FEE_PAID]
        if fee == 0 and values[COL_PAYMENT]:
            error(
                COL_FEE, "Hồ sơ đã thanh toán trực tuyến (thanh_toan_truc_tuyen) nhưng lệ phí là 0."
            )
        if paid and not fee:
            error(COL_FEE_PAID, "Có ngày thanh toán thì phải có lệ phí lớn hơn 0 (cột le_phi).")
        if paid and submitted and paid < submitted:
            error(COL_FEE_PAID, "Ngày thanh toán sớm hơn ngày nộp.")
        if values[COL_E_RESULT] == 1 and status not in RESULT_STATUSES:
            error(
                COL_E_RESULT,
                "Chỉ hồ sơ đã xử lý xong (trạng thái 9 hoặc 10) mới có kết quả điện tử.",
            )

    @staticmethod
    def _applicant(raw: dict, error) -> dict:
        name = _text(raw.get(COL_NAME))
        number = _text(raw.get(COL_ID_NUMBER))
        phone = _text(raw.get(COL_PHONE))
        email = _text(raw.get(COL_EMAIL))
        address = _text(raw.get(COL_ADDRESS))
        for column, value, limit in (
            (COL_NAME, name, 255),
            (COL_ID_NUMBER, number, 30),
            (COL_PHONE, phone, 20),
            (COL_ADDRESS, address, 500),
        ):
            if len(value) > limit:
                error(column, f"Tối đa {limit} ký tự.")
        digits = phone.replace(" ", "").replace(".", "").lstrip("+")
        if phone and not (digits.isdigit() and 9 <= len(digits) <= 12):
            error(COL_PHONE, "Số điện thoại không hợp lệ.")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                error(COL_EMAIL, "Địa chỉ email không hợp lệ.")
        return {
            "applicant_kind": ApplicantKind.INDIVIDUAL,
            "applicant_name": name or UNKNOWN_APPLICANT,
            "applicant_id_type": (
                IdType.CITIZEN_ID if number.isdigit() and len(number) == 12 else IdType.OTHER
            ),
            "applicant_id_number": number,  # "" = unknown; never a made-up number (public lookup)
            "applicant_phone": phone,
            "applicant_email": email,
            "applicant_address": address,
        }


# -- planning: new, update, unchanged or refused -------------------------------------------------
NEW, UPDATE, UNCHANGED = "new", "update", "unchanged"


@dataclass
class Plan:
    row: LegacyRow
    action: str
    dossier: Dossier | None = None
    changes: list[str] = field(default_factory=list)


def _chunks(items: list, size: int = 500):
    for index in range(0, len(items), size):
        yield items[index : index + size]


def _plan(rows: list[LegacyRow], errors: list[RowError]) -> list[Plan]:
    existing: dict[str, Dossier] = {}
    for chunk in _chunks([row.code for row in rows]):
        existing.update(
            (dossier.code, dossier) for dossier in Dossier.objects.filter(code__in=chunk)
        )
    history: dict[int, list[DossierEvent]] = defaultdict(list)
    imported_ids = [dossier.pk for dossier in existing.values() if dossier.imported]
    for chunk in _chunks(imported_ids):
        for event in DossierEvent.objects.filter(dossier_id__in=chunk).order_by("sequence"):
            history[event.dossier_id].append(event)

    plans = []
    for row in rows:
        dossier = existing.get(row.code)
        if dossier is None:
            plans.append(Plan(row, NEW))
            continue
        if not dossier.imported:
            errors.append(
                RowError(
                    row.line,
                    COL_CODE,
                    f"Mã hồ sơ “{row.code}” thuộc một hồ sơ tiếp nhận trong hệ thống này: "
                    "không ghi đè.",
                )
            )
            continue
        events = history[dossier.pk]
        last = next((e for e in reversed(events) if e.action == EVENT_ACTION), None)
        before = (last.data.get("values") if last else None) or {}
        changes = [column for column in DOSSIER_COLUMNS if before.get(column) != row.values[column]]
        changes += [
            column
            for column, name in zip(APPLICANT_COLUMNS, _APPLICANT_FIELDS, strict=True)
            if getattr(dossier, name) != row.applicant[name]
        ]
        if not changes:
            plans.append(Plan(row, UNCHANGED, dossier))
        elif any(event.action != EVENT_ACTION for event in events):
            errors.append(
                RowError(
                    row.line,
                    COL_CODE,
                    f"Hồ sơ “{row.code}” đã được xử lý tiếp trong hệ thống này sau khi nhập: "
                    "không cập nhật từ tệp.",
                )
            )
        else:
            plans.append(Plan(row, UPDATE, dossier, changes))
    return plans


_APPLICANT_FIELDS = (
    "applicant_name",
    "applicant_id_number",
    "applicant_phone",
    "applicant_email",
    "applicant_address",
)


# -- writing -------------------------------------------------------------------------------------
def _engine_deadline(row: LegacyRow):
    """This system's own computation from the receipt time, with the supplement stop if closed."""
    received = row.times[COL_RECEIVED]
    if received is None:
        return None
    asked, done = row.times[COL_SUPPLEMENT_ASKED], row.times[COL_SUPPLEMENT_DONE]
    pauses = [Pause(asked, done, IMPORT_REASON)] if asked and done else []
    try:
        return workdays.compute_deadline(received, row.procedure.time_limit(), row.unit, pauses)
    except ValueError:  # DeadlineError included: a procedure without a usable time limit
        return None


def _dossier_fields(row: LegacyRow) -> dict:
    times, values = row.times, row.values
    status = row.status
    finished, returned = times[COL_FINISHED], times[COL_RETURNED]
    if status == Status.RETURNED:
        closed = returned or finished
    elif status in CLOSED_WITHOUT_RESULT:
        closed = finished or returned
    else:
        closed = None
    deadline = _engine_deadline(row)
    online_mode = ""
    if values[COL_CHANNEL] == Channel.ONLINE and values[COL_FULL_ONLINE] is not None:
        online_mode = OnlineMode.FULL if values[COL_FULL_ONLINE] else OnlineMode.PARTIAL
    return {
        "receiving_unit": row.unit,
        "current_unit": row.unit,
        "procedure": row.procedure,
        "status": status,
        "channel": values[COL_CHANNEL],
        "online_mode": online_mode,
        **row.applicant,
        "submitted_at": times[COL_SUBMITTED] or times[COL_RECEIVED],
        "received_at": times[COL_RECEIVED],
        "effective_received_at": (deadline.effective_received if deadline else times[COL_RECEIVED]),
        "due_at": times[COL_DUE],
        "appointment_at": times[COL_NEW_DUE] or times[COL_DUE],
        "engine_due_at": deadline.due if deadline else None,
        "resolved_at": finished if status in RESULT_STATUSES else None,
        "returned_at": returned,
        "closed_at": closed,
        "current_step": None,
        "current_handler": None,
        "step_due_at": None,
        # 9/10: ket_qua, or the outcome the status name implies ("Trả lại hồ sơ": refused);
        # a result when neither says (the old system's 9/10 without an outcome)
        "outcome": (values[COL_OUTCOME] or Outcome.APPROVED) if status in RESULT_STATUSES else "",
        "result_electronic": values[COL_E_RESULT] == 1,
        "payment_gateway": values[COL_PAYMENT],
        "fee_paid_online": values[COL_PAYMENT] > 0,
        "fee_amount": values[COL_FEE] or 0,
        "fee_paid_at": times[COL_FEE_PAID],
        "digitised": values[COL_DIGITISED] == 1,
        "supplement_count": values[COL_SUPPLEMENTS],
        "pause_count": int(_supplement_pause(row) is not None)
        + int(_financial_pause(row) is not None),
        # a second request makes it late (NĐ 118/2025 Điều 11)
        "late_by_rule": values[COL_SUPPLEMENTS] >= lateness.LATE_BY_RULE_REQUEST,
        "imported": True,
    }


def _supplement_pause(row: LegacyRow) -> tuple[datetime, datetime | None] | None:
    """The supplement clock stop: closed when both dates are known, open while in status 5."""
    asked, done = row.times[COL_SUPPLEMENT_ASKED], row.times[COL_SUPPLEMENT_DONE]
    if asked and (done or row.status == Status.SUPPLEMENT_REQUESTED):
        return asked, done
    return None


def _financial_pause(row: LegacyRow) -> tuple[datetime, datetime | None] | None:
    """The financial-obligation clock stop: closed when both dates are known, open in status 6."""
    asked, done = row.times[COL_FINANCIAL_ASKED], row.times[COL_FINANCIAL_DONE]
    if asked and (done or row.status == Status.FINANCIAL_OBLIGATION):
        return asked, done
    return None


def _parts(dossier: Dossier, row: LegacyRow, now: datetime) -> list:
    """The supplement clock stop and the apology letter, as the file describes them (unsaved)."""
    times = row.times
    parts: list = []
    stops = [
        (pause, kind)
        for pause, kind in (
            (_supplement_pause(row), PauseKind.SUPPLEMENT),
            (_financial_pause(row), PauseKind.FINANCIAL),
        )
        if pause is not None
    ]
    for pause, kind in sorted(stops, key=lambda item: item[0][0]):  # in start order (facts_from)
        parts.append(
            DossierPause(
                dossier=dossier,
                kind=kind,
                started_at=pause[0],
                ended_at=pause[1],
                reason=IMPORT_REASON,
            )
        )
    if row.values[COL_APOLOGY] == 1:
        due = times[COL_DUE]
        sent = min(due, now)  # the latest it can have been sent
        parts.append(
            ApologyLetter(
                dossier=dossier,
                status=ApologyStatus.SENT,
                reason=IMPORT_REASON,
                original_appointment_at=due,
                new_appointment_at=times[COL_NEW_DUE] or due,
                created_at=sent,
                sent_at=sent,
            )
        )
    return parts


def _write_parts(dossier: Dossier, row: LegacyRow) -> None:
    for part in _parts(dossier, row, timezone.now()):
        part.save(force_insert=True)


def _create_many(rows: list[LegacyRow], filename: str, ring, run: ImportRun) -> None:
    """New dossiers in bulk: a few statements per chunk instead of about eighteen per row.

    The same rows as one by one: the dossier, its clock stop and apology letter, and one sealed
    ``imported`` event with the chain head on the dossier. COPY on PostgreSQL. Then
    ``dossiers_imported`` tells the subscribers (the statistics) about them, with the parts just
    built, in this transaction.
    """
    postgres = connection.vendor == "postgresql"
    now = timezone.now()
    dossiers = [Dossier(code=row.code, version=1, **_dossier_fields(row)) for row in rows]
    if postgres:  # ids first, so each row goes in once, with its chain head
        for dossier, pk in zip(dossiers, _next_ids(Dossier, len(dossiers)), strict=True):
            dossier.pk = pk
    else:
        Dossier.objects.bulk_create(dossiers, batch_size=WRITE_BATCH)
    pauses, letters, events, heads, imported = [], [], [], [], []
    spec = registry.get("dossiers")
    for dossier, row in zip(dossiers, rows, strict=True):
        parts = _parts(dossier, row, now)
        own_pauses = [part for part in parts if isinstance(part, DossierPause)]
        own_letters = [part for part in parts if isinstance(part, ApologyLetter)]
        pauses += own_pauses
        letters += own_letters
        event = DossierEvent(
            action=EVENT_ACTION,
            actor=None,
            actor_name="",
            at=now,
            status_before=None,
            status_after=dossier.status,
            step_before="",
            step_after="",
            unit=row.unit.name,
            note=f"Nhập từ tệp {filename}, dòng {row.line}",
            data={"file": filename, "line": row.line, "row": row.raw, "values": row.values},
        )
        dossier.history_count, dossier.history_head = history.seal_sequence(
            spec, dossier.pk, [event], ring
        )
        events.append(event)
        heads.append((dossier.pk, dossier.history_count, dossier.history_head))
        imported.append(ImportedDossier(dossier, own_pauses, own_letters))
    if postgres:
        bulk.copy_many(Dossier, dossiers, with_pk=True)
    bulk.insert_many(DossierPause, pauses, batch_size=WRITE_BATCH)
    bulk.insert_many(ApologyLetter, letters, batch_size=WRITE_BATCH)
    bulk.insert_many(DossierEvent, events, batch_size=WRITE_BATCH)
    if not postgres:
        _store_heads(heads)
    dossiers_imported.publish(imported=imported, run=run)


def _next_ids(model, count: int) -> list[int]:
    """``count`` ids from the table's own sequence (PostgreSQL): safe beside concurrent inserts."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [pk for (pk,) in cursor.fetchall()]


def _store_heads(heads: list[tuple[int, int, str]]) -> None:
    """Each new dossier's chain head (SQLite: the ids come from the insert), one UPDATE a batch."""
    table = Dossier._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(heads), WRITE_BATCH):
            batch = heads[start : start + WRITE_BATCH]
            values = ", ".join(["(%s, %s, %s)"] * len(batch))
            cursor.execute(
                f"UPDATE {table} SET history_count = v.column2, history_head = v.column3 "
                f"FROM (VALUES {values}) AS v WHERE {table}.id = v.column1",
                [value for head in batch for value in head],
            )


def _update(plan: Plan, filename: str) -> Dossier:
    row = plan.row
    dossier = Dossier.objects.select_for_update(of=("self",)).get(pk=plan.dossier.pk)
    status_before = dossier.status
    for name, value in _dossier_fields(row).items():
        setattr(dossier, name, value)
    dossier.version += 1
    dossier.save()
    # Only the import wrote these (an imported dossier worked on here is never updated).
    dossier.pauses.all().delete()
    dossier.apologies.all().delete()
    _write_parts(dossier, row)
    append_event(
        dossier,
        None,
        EVENT_ACTION,
        status_before=status_before,
        note=f"Cập nhật từ tệp {filename}, dòng {row.line}; thay đổi: {', '.join(plan.changes)}",
        data={
            "file": filename,
            "line": row.line,
            "row": row.raw,
            "values": row.values,
            "changes": plan.changes,
        },
    )
    return dossier


def _reserve_codes(rows: list[LegacyRow], units: dict[str, OrganisationUnit]) -> None:
    """Keep each unit's daily counter past the numbers of imported codes of this system's shape.

    Old and new systems use the same national format (unit-YYMMDD-NNNN): without this, a dossier
    received here later on a day the old system also numbered would be given a code already taken
    (``allocate_code`` would skip it, but the counter is moved here once rather than probed).
    The numbers were checked when the row was parsed (``RowParser._code_problem``).
    """
    highest: dict[tuple[int, date], int] = {}
    for row in rows:
        match = CODE_SHAPE.match(row.code)
        unit = units.get(match["unit"]) if match else None
        if unit is None:
            continue
        day = datetime.strptime(match["day"], "%y%m%d").date()
        key = (unit.pk, day)
        highest[key] = max(highest.get(key, 0), int(match["seq"]))
    if not highest:
        return
    table = DailySequence._meta.db_table
    items = sorted(highest.items())  # key order: two imports never wait for each other in a cycle
    with connection.cursor() as cursor:
        for start in range(0, len(items), WRITE_BATCH):
            batch = items[start : start + WRITE_BATCH]
            cursor.execute(
                f"INSERT INTO {table} (unit_id, day, last_value) "
                f"VALUES {', '.join(['(%s, %s, %s)'] * len(batch))} "
                f"ON CONFLICT (unit_id, day) DO UPDATE SET last_value = CASE "
                f"WHEN excluded.last_value > {table}.last_value THEN excluded.last_value "
                f"ELSE {table}.last_value END",
                [value for (unit_id, day), number in batch for value in (unit_id, day, number)],
            )


# -- the import ----------------------------------------------------------------------------------
class _Abort(Exception):
    """A row was refused (all or nothing) or could not be written: roll the import back."""


def _batches(records: Iterator, size: int) -> Iterator[list]:
    batch = []
    for record in records:
        batch.append(record)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _code_key(code: str) -> int:
    """64 bits of the code: the check pass keeps 8 bytes per row to find repeated codes."""
    digest = hashlib.blake2b(code.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def import_source(
    source: Source,
    skip_invalid: bool = False,
    progress: Callable[[int, float | None], None] | None = None,
) -> ImportReport:
    """Import a file in constant memory: a quick reading of the codes, then one streaming pass.

    The first reading keeps 8 bytes per row to find codes given twice (a code-only re-reading names
    their lines when there are any). The second parses, checks and plans each chunk of rows and
    writes it, all inside one transaction: once a row is refused (without ``skip_invalid``)
    nothing more is written but every row is still checked, and the transaction is rolled back,
    so the report is complete and nothing is written. ``progress(rows, fraction)`` is called
    after each chunk.
    """
    report = ImportReport()
    with source.read() as reader:
        report.errors.extend(check_header(reader.header))
        if report.errors:  # a misnamed column would silently lose data: refuse the whole file
            report.header_invalid = True
            return report
        keys = array("q")
        for _line, raw in reader.records:
            code = _text(raw.get(COL_CODE))
            keys.append(_code_key(code) if code else 0)
    total = len(keys)
    duplicates: list[RowError] = []
    repeated = _repeated_codes(source, keys, duplicates)
    del keys
    parser = RowParser()
    try:
        with transaction.atomic():
            _import_rows(source, parser, repeated, bool(duplicates), skip_invalid, report, total,
                         progress)  # fmt: skip
            if (report.errors or duplicates) and not skip_invalid:
                raise _Abort
    except _Abort:
        report.created = report.updated = report.unchanged = 0
    else:
        report.written = True
    report.errors.extend(duplicates)
    report.errors.sort(key=lambda error: error.line)
    return report


def _repeated_codes(source: Source, keys: array, errors: list[RowError]) -> set[str]:
    """Codes given on more than one line; every occurrence is reported."""
    if len(keys) < 2:
        return set()
    ordered = np.sort(np.frombuffer(keys, dtype=np.int64))
    same = ordered[1:][(ordered[1:] == ordered[:-1]) & (ordered[1:] != 0)]
    if not len(same):
        return set()
    suspects = set(same.tolist())
    lines_by_code: dict[str, list[int]] = defaultdict(list)
    with source.read() as reader:
        for line, raw in reader.records:
            code = _text(raw.get(COL_CODE))
            if code and _code_key(code) in suspects:
                lines_by_code[code].append(line)
    repeated = set()
    for code, lines in lines_by_code.items():
        if len(lines) > 1:
            repeated.add(code)
            for line in lines:
                others = ", ".join(str(other) for other in lines if other != line)
                message = f"Mã hồ sơ “{code}” lặp lại ở dòng {others}."
                errors.append(RowError(line, COL_CODE, message))
    return repeated


def _import_rows(source, parser, repeated, refused, skip_invalid, report, total, progress) -> None:
    from cchc.history.keys import ring as key_ring

    ring = key_ring()  # read once: every event of this import is sealed with it
    run = ImportRun()  # what the subscribers of dossiers_imported gather over the chunks
    with source.read() as reader:
        for batch in _batches(reader.records, CHUNK):
            rows = []
            before = len(report.errors)
            for line, raw in batch:
                report.rows += 1
                row = parser.parse(line, raw, report.errors)
                if row is not None and row.code not in repeated:
                    rows.append(row)
            plans = _plan(rows, report.errors)
            refused = refused or len(report.errors) > before
            if not refused or skip_invalid:  # all or nothing: after a refusal, only check
                refused_lines = {error.line for error in report.errors[before:]}
                plans = [plan for plan in plans if plan.row.line not in refused_lines]
                try:
                    with transaction.atomic():
                        _write_plans(plans, source.name, ring, report, parser.units, run)
                except DatabaseError as problem:  # e.g. the same code created meanwhile elsewhere
                    first = plans[0].row.line if plans else 0
                    report.errors.append(RowError(first, COL_CODE, f"Không ghi được: {problem}"))
                    raise _Abort from None
            if progress:
                progress(report.rows, report.rows / total if total else None)
    run.final = True
    dossiers_imported.publish(imported=[], run=run)


def _write_plans(plans: list[Plan], filename: str, ring, report, units, run: ImportRun) -> None:
    new = []
    for plan in plans:
        if plan.action == NEW:
            new.append(plan.row)
        elif plan.action == UPDATE:
            _update(plan, filename)  # rare (a changed row): the one-by-one path
            report.updated += 1
        else:
            report.unchanged += 1
    if new:
        _create_many(new, filename, ring, run)
        report.created += len(new)
    _reserve_codes([plan.row for plan in plans], units)


def import_file(content: bytes, filename: str, skip_invalid: bool = False) -> ImportReport:
    return import_source(Source.from_bytes(content, filename), skip_invalid=skip_invalid)


def import_path(path: Path, skip_invalid: bool = False, progress=None) -> ImportReport:
    return import_source(Source.from_path(path), skip_invalid=skip_invalid, progress=progress)
