"""Read and check an organisation tree file (CSV or XLSX): one row per unit, matched by its code.

The format is documented in ``docs/organisation-import.md``. This module only reads: it parses the
rows, checks each of them against the file and the units already in the database, and plans what an
import would do (create, update, leave alone). :func:`cchc.organisations.services.import_units`
writes the plan, all or nothing, as the other importers do (``cchc.common.importing``): one
refused row and nothing is written, and every problem is reported at once, line by line.

Rows may come in any order: a unit's parent (``Mã đơn vị cấp trên``) and its one-stop unit (``Mã
bộ phận một cửa``, who receives for whom: ADR 0007, Nghị định 118/2025/NĐ-CP Điều 15 and 17) are
found in the file or among the units already here. Units of the database that the file does not
name are reported, never deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _

from cchc.common.importing import (
    ImportFileError,
    ImportReport,
    RowError,
    cell_text,
    read_table,
)
from cchc.common.text import fold

from .models import OrganisationUnit, UnitKind

COL_CODE = "Mã đơn vị"
COL_NAME = "Tên đơn vị"
COL_PARENT = "Mã đơn vị cấp trên"
COL_KIND = "Loại đơn vị"
COL_ONE_STOP = "Mã bộ phận một cửa"
COL_ADDRESS = "Địa chỉ"
COL_PHONE = "Điện thoại"
COL_EMAIL = "Thư điện tử"
COL_ACTIVE = "Đang hoạt động"

COLUMNS = (
    COL_CODE, COL_NAME, COL_PARENT, COL_KIND, COL_ONE_STOP, COL_ADDRESS, COL_PHONE, COL_EMAIL,
    COL_ACTIVE,
)  # fmt: skip
REQUIRED = (COL_CODE, COL_NAME, COL_PARENT, COL_KIND)
# Other names accepted in the header (compared without accents, case or underscores).
ALIASES = {
    "code": COL_CODE,
    "ma dinh danh": COL_CODE,
    "name": COL_NAME,
    "parent": COL_PARENT,
    "parent code": COL_PARENT,
    "kind": COL_KIND,
    "one stop unit": COL_ONE_STOP,
    "one stop unit code": COL_ONE_STOP,
    "address": COL_ADDRESS,
    "phone": COL_PHONE,
    "so dien thoai": COL_PHONE,
    "email": COL_EMAIL,
    "active": COL_ACTIVE,
}
# The optional columns that are plain fields of the unit.
FIELD_COLUMNS = {COL_ADDRESS: "address", COL_PHONE: "phone", COL_EMAIL: "email"}
MAX_BYTES = 2 * 1024 * 1024  # a province has hundreds of units: a few tens of kilobytes

# Words operators use for a kind, besides the model's codes and labels (compared folded).
KIND_WORDS = {
    UnitKind.PROVINCE_COMMITTEE: ("ubnd tinh", "uy ban nhan dan tinh", "ubnd cap tinh"),
    UnitKind.DEPARTMENT: ("so", "so, ban, nganh", "co quan chuyen mon", "ban", "nganh"),
    UnitKind.SERVICE_CENTRE: (
        "trung tam phuc vu hanh chinh cong",
        "ttpvhcc",
        "bo phan mot cua",
        "bo phan tiep nhan va tra ket qua",
    ),
    UnitKind.DISTRICT_COMMITTEE: ("ubnd huyen", "uy ban nhan dan huyen", "ubnd cap huyen"),
    UnitKind.COMMUNE_COMMITTEE: (
        "ubnd xa",
        "ubnd phuong",
        "ubnd dac khu",
        "ubnd cap xa",
        "uy ban nhan dan xa",
        "uy ban nhan dan phuong",
        "uy ban nhan dan dac khu",
    ),
    UnitKind.DIVISION: ("phong", "phong, don vi", "don vi truc thuoc"),
}
YES = {"", "co", "x", "1", "true", "yes", "dang hoat dong"}
NO = {"khong", "0", "false", "no", "ngung hoat dong"}


def _key(name: str) -> str:
    return fold(name.replace("_", " "))


HEADER_NAMES = {_key(column): column for column in COLUMNS} | ALIASES


def kind_words() -> dict[str, str]:
    """Folded word → kind: the codes, the labels in Vietnamese and English, the usual words."""
    words: dict[str, str] = {}
    for kind in UnitKind:
        words[_key(kind.value)] = kind.value
        words[fold(str(kind.label))] = kind.value
        for language in ("vi", "en"):
            with translation.override(language):
                words[fold(str(kind.label))] = kind.value
        for word in KIND_WORDS[kind]:
            words[word] = kind.value
    return words


@dataclass
class UnitRow:
    """One row of the file, read: the columns present and their parsed values."""

    line: int
    code: str = ""
    name: str = ""
    kind: str = ""
    parent_code: str = ""
    one_stop_code: str | None = None  # None: the column is not in the file (left as it is)
    fields: dict = field(default_factory=dict)  # address, phone, email, active when present


@dataclass
class PlannedUnit:
    row: UnitRow
    existing: OrganisationUnit | None
    changes: list[str] = field(default_factory=list)  # the fields an update changes


@dataclass
class OrganisationImportReport(ImportReport):
    """Counts of an organisation import (created, updated, unchanged, deactivated), the refused
    rows, and the codes of the units here that the file does not name."""

    unchanged: int = 0
    deactivated: int = 0
    missing: list[str] = field(default_factory=list)
    dry_run: bool = False

    def summary(self) -> str:
        if self.errors:
            return _("Nothing imported: %(invalid)d of %(rows)d rows are invalid.") % {
                "invalid": len(self.invalid_lines),
                "rows": self.rows,
            }
        counts = {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deactivated": self.deactivated,
        }
        if self.dry_run:
            text = _(
                "Check only, nothing written: %(created)d units would be created, %(updated)d "
                "updated, %(unchanged)d unchanged, %(deactivated)d deactivated."
            )
        else:
            text = _(
                "Organisation units: %(created)d created, %(updated)d updated, %(unchanged)d "
                "unchanged, %(deactivated)d deactivated."
            )
        return text % counts

    def missing_summary(self) -> str:
        if not self.missing:
            return ""
        return _("%(count)d units here are not in the file (kept): %(codes)s") % {
            "count": len(self.missing),
            "codes": ", ".join(self.missing),
        }

    def as_dict(self) -> dict:
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deactivated": self.deactivated,
            "missing": self.missing,
            "errors": [
                {"line": error.line, "column": error.column, "message": error.message}
                for error in self.errors
            ],
            "dry_run": self.dry_run,
            "written": self.written,
        }


@dataclass
class Plan:
    report: OrganisationImportReport
    units: list[PlannedUnit] = field(default_factory=list)  # parents before children
    parents: dict[str, str] = field(default_factory=dict)  # code → parent code, after the import
    to_deactivate: list[str] = field(default_factory=list)


# -- reading -------------------------------------------------------------------------------------
def read_rows(content: bytes, filename: str) -> tuple[list[UnitRow], list[RowError], set[str]]:
    """The rows of the file, the errors found while reading them, and the columns present.

    A header without a required column, with a column it does not know or with a column given
    twice is a line-1 error: a misspelt column would otherwise lose its values silently.
    """
    if len(content) > MAX_BYTES:
        raise ImportFileError(_("The file is too large (at most 2 MB)."))
    header, raw_rows = read_table(content, filename)
    errors: list[RowError] = []
    mapping: dict[str, str] = {}
    for name in header:
        if not name:
            continue
        column = HEADER_NAMES.get(_key(name))
        if column is None:
            errors.append(RowError(1, name, _("Unknown column.")))
        elif column in mapping.values():
            errors.append(RowError(1, name, _("The column is given twice.")))
        else:
            mapping[name] = column
    present = set(mapping.values())
    for column in REQUIRED:
        if column not in present:
            errors.append(RowError(1, column, _("The column is missing.")))
    if errors:
        return [], errors, present
    words = kind_words()
    rows = []
    for line, raw in raw_rows:
        values = {mapping[name]: cell_text(value) for name, value in raw.items() if name in mapping}
        row, row_errors = _parse(line, values, present, words)
        rows.append(row)
        errors.extend(row_errors)
    return rows, errors, present


def _parse(line: int, values: dict, present: set[str], words: dict) -> tuple[UnitRow, list]:
    errors = []

    def error(column: str, message: str) -> None:
        errors.append(RowError(line, column, message))

    row = UnitRow(line=line)
    row.code = values.get(COL_CODE, "")
    if not row.code:
        error(COL_CODE, _("The unit's code is required."))
    elif len(row.code) > 64 or any(ch.isspace() for ch in row.code):
        error(COL_CODE, _("A code has at most 64 characters and no spaces."))
    row.name = values.get(COL_NAME, "")
    if not row.name:
        error(COL_NAME, _("The unit's name is required."))
    elif len(row.name) > 255:
        error(COL_NAME, _("A name has at most 255 characters."))
    kind_text = values.get(COL_KIND, "")
    row.kind = words.get(_key(kind_text), "")
    if not row.kind:
        error(
            COL_KIND,
            _("Unknown kind “%(value)s”; use one of: %(kinds)s.")
            % {"value": kind_text, "kinds": "; ".join(str(k.label) for k in UnitKind)},
        )
    row.parent_code = values.get(COL_PARENT, "")
    if row.code and row.parent_code == row.code:
        error(COL_PARENT, _("A unit cannot be its own parent."))
    if COL_ONE_STOP in present:
        row.one_stop_code = values.get(COL_ONE_STOP, "")
        if row.code and row.one_stop_code == row.code:
            error(COL_ONE_STOP, _("Leave this empty for a unit that receives its own dossiers."))
    for column, name in FIELD_COLUMNS.items():
        if column in present:
            row.fields[name] = values.get(column, "")
    limits = {"address": 500, "phone": 50, "email": 254}
    for column, name in FIELD_COLUMNS.items():
        value = row.fields.get(name, "")
        if len(value) > limits[name]:
            error(column, _("At most %(count)d characters.") % {"count": limits[name]})
    if row.fields.get("email"):
        try:
            validate_email(row.fields["email"])
        except ValidationError:
            error(COL_EMAIL, _("Not a valid e-mail address."))
    if COL_ACTIVE in present:
        active = fold(values.get(COL_ACTIVE, ""))
        if active in YES:
            row.fields["active"] = True
        elif active in NO:
            row.fields["active"] = False
        else:
            error(COL_ACTIVE, _("Write “Có” (active) or “Không” (no longer active)."))
    return row, errors


# -- checking against the database and planning --------------------------------------------------
def plan_import(
    rows: list[UnitRow], errors: list[RowError], *, deactivate_missing: bool = False
) -> Plan:
    """Check the rows against each other and the units here; plan the writes when all are right."""
    report = OrganisationImportReport(rows=len(rows), errors=list(errors))
    plan = Plan(report=report)
    existing = {unit.code: unit for unit in OrganisationUnit.objects.all()}
    code_of = {unit.pk: code for code, unit in existing.items()}

    def error(row: UnitRow, column: str, message: str) -> None:
        report.errors.append(RowError(row.line, column, message))

    in_file: dict[str, UnitRow] = {}
    for row in rows:
        if not row.code:
            continue
        if row.code in in_file:
            error(
                row,
                COL_CODE,
                _("The code %(code)s is already on line %(line)d.")
                % {"code": row.code, "line": in_file[row.code].line},
            )
            continue
        in_file[row.code] = row
    known = set(in_file) | set(existing)
    for row in in_file.values():
        if row.parent_code and row.parent_code != row.code and row.parent_code not in known:
            error(
                row,
                COL_PARENT,
                _("No unit has the code %(code)s, in the file or here.")
                % {"code": row.parent_code},
            )
        target = row.one_stop_code
        if target and target != row.code and target not in known:
            error(
                row,
                COL_ONE_STOP,
                _("No unit has the code %(code)s, in the file or here.") % {"code": target},
            )

    # The tree after the import: the parents here, replaced by the file's.
    parents = {
        code: code_of.get(unit.parent_id, "") if unit.parent_id else ""
        for code, unit in existing.items()
    }
    for code, row in in_file.items():
        if not row.parent_code or (row.parent_code in known and row.parent_code != code):
            parents[code] = row.parent_code
    cycle_reported: set[str] = set()
    for code, row in in_file.items():
        chain = [code]
        current = parents.get(code, "")
        while current and current not in chain:
            chain.append(current)
            current = parents.get(current, "")
        if current == code and code not in cycle_reported:
            cycle_reported.add(code)
            error(
                row,
                COL_PARENT,
                _("The units form a cycle: %(chain)s.") % {"chain": " → ".join([*chain, code])},
            )

    missing = sorted(set(existing) - set(in_file))
    report.missing = missing
    active = {code: unit.active for code, unit in existing.items()}
    for code, row in in_file.items():
        active[code] = row.fields.get("active", active.get(code, True))
    if deactivate_missing:
        plan.to_deactivate = [code for code in missing if existing[code].active]
        for code in plan.to_deactivate:
            active[code] = False
    for row in in_file.values():
        target = row.one_stop_code
        if target and target != row.code and target in known and not active.get(target, True):
            error(row, COL_ONE_STOP, _("The one-stop unit must be active."))

    if report.errors:
        report.errors.sort(key=lambda e: e.line)
        return plan

    plan.parents = parents
    report.deactivated = len(plan.to_deactivate)

    def depth(code: str) -> int:
        steps, current = 0, parents.get(code, "")
        while current:
            steps, current = steps + 1, parents.get(current, "")
        return steps

    for code in sorted(in_file, key=lambda c: (depth(c), in_file[c].line)):
        row = in_file[code]
        unit = existing.get(code)
        planned = PlannedUnit(row=row, existing=unit)
        if unit is None:
            report.created += 1
        else:
            planned.changes = _changes(row, unit, code_of)
            if planned.changes:
                report.updated += 1
            else:
                report.unchanged += 1
        plan.units.append(planned)
    return plan


def _changes(row: UnitRow, unit: OrganisationUnit, code_of: dict[int, str]) -> list[str]:
    changes = []
    if unit.name != row.name:
        changes.append("name")
    if unit.kind != row.kind:
        changes.append("kind")
    if (code_of.get(unit.parent_id, "") if unit.parent_id else "") != row.parent_code:
        changes.append("parent")
    if row.one_stop_code is not None:
        current = code_of.get(unit.one_stop_unit_id, "") if unit.one_stop_unit_id else ""
        if current != row.one_stop_code:
            changes.append("one_stop_unit")
    for name, value in row.fields.items():
        if getattr(unit, name) != value:
            changes.append(name)
    return changes


def check_file(content: bytes, filename: str, *, deactivate_missing: bool = False) -> Plan:
    """Read and check a file; :class:`ImportFileError` when it cannot be read at all."""
    rows, errors, _present = read_rows(content, filename)
    if not rows and not errors:
        raise ImportFileError(_("The file has no unit: only a header."))
    if errors and not rows:
        report = OrganisationImportReport(rows=0, errors=errors)
        return Plan(report=report)
    return plan_import(rows, errors, deactivate_missing=deactivate_missing)


# -- the template --------------------------------------------------------------------------------
EXAMPLE = (
    "000.00.00.H99",
    "Ủy ban nhân dân tỉnh An Bình",
    "",
    "Ủy ban nhân dân tỉnh",
    "",
    "Số 1 đường Trần Hưng Đạo, tỉnh An Bình",
    "0200 3812 345",
    "ubnd@anbinh.gov.vn",
    "Có",
)


def template_rows() -> list[tuple[str, ...]]:
    """The header and one example row, for the downloadable template."""
    return [COLUMNS, EXAMPLE]
