"""What the file importers share (procedures, dossiers of another system, the organisation tree):
errors, the report, and reading a CSV or XLSX table.

An import checks every row; the report names the line, the column and the reason of each refused
row, and counts what was written. Each importer words its own summary, since what it counts
differs. The texts go through Django's translation: operators read them in Vietnamese.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong type, broken, too large, no header)."""


@dataclass
class RowError:
    """A refused row: its line in the file, the column at fault ("" for none) and the reason."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("Line %(line)d, column “%(column)s”: %(message)s") % {
                "line": self.line,
                "column": self.column,
                "message": self.message,
            }
        return _("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class ImportReport:
    """Rows read, records created and updated, the refused rows, and whether anything was written
    (an all-or-nothing import writes nothing once a row is refused)."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = False

    @property
    def invalid_lines(self) -> list[int]:
        """The lines with at least one error, each once, in file order."""
        return sorted({error.line for error in self.errors})


TABLE_SUFFIXES = (".csv", ".xlsx")


def read_table(content: bytes, filename: str) -> tuple[list[str], list[tuple[int, dict]]]:
    """The header and the data rows of a ``.csv`` (UTF-8 with or without BOM, comma or semicolon)
    or ``.xlsx`` file (first sheet, header in row 1): ``(header, [(line, {column: value})])``.

    Blank rows are skipped; the line is the file's own (the header is line 1), so a report points
    at the line the operator sees in a spreadsheet or editor.
    """
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if f".{suffix}" not in TABLE_SUFFIXES:
        raise ImportFileError(_("Unsupported file type: use .csv or .xlsx."))
    if suffix == "csv":
        return read_csv_table(content)
    return read_xlsx_table(content)


def cell_text(value) -> str:
    """A cell as trimmed text: nothing for an empty cell, ``12`` for the float 12.0 a
    spreadsheet gives for a code typed as a number."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_csv_table(content: bytes) -> tuple[list[str], list[tuple[int, dict]]]:
    """A UTF-8 CSV (with or without BOM, comma or semicolon) as ``read_table`` gives it."""
    import csv
    import io

    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(_("The CSV file must be encoded in UTF-8.")) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip() for name in next(reader)]
        rows = []
        for values in reader:
            if any(value.strip() for value in values):
                rows.append((reader.line_num, dict(zip(header, values, strict=False))))
    except StopIteration:
        raise ImportFileError(_("The file is empty.")) from None
    except csv.Error as error:
        raise ImportFileError(
            _("The CSV file cannot be read: %(error)s") % {"error": error}
        ) from None
    return header, rows


def read_xlsx_table(content: bytes) -> tuple[list[str], list[tuple[int, dict]]]:
    """The first sheet of an XLSX workbook as ``read_table`` gives it."""
    import io

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        rows_iter = workbook.worksheets[0].iter_rows(values_only=True)
        first = next(rows_iter, None)
        if first is None:
            raise ImportFileError(_("The file is empty."))
        header = [str(value).strip() if value is not None else "" for value in first]
        rows = []
        for number, values in enumerate(rows_iter, start=2):
            if any(value not in (None, "") for value in values):
                rows.append((number, dict(zip(header, values, strict=False))))
        workbook.close()
    except ImportFileError:
        raise
    except Exception as error:  # openpyxl raises many types for a broken file
        raise ImportFileError(
            _("The Excel file cannot be read: %(error)s") % {"error": error}
        ) from None
    return header, rows
