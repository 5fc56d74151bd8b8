"""What the file importers share (procedures, dossiers of another system): errors and the report.

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
