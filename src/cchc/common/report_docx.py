"""Writing a report section's figures into a python-docx document: a heading and a two-column
table (what, how many), numbers in the project's Vietnamese format (1.234,5)."""

from __future__ import annotations

from decimal import Decimal


def number(value) -> str:
    """1234 → "1.234"; 92.857 → "92,86"; 87.5 → "87,50"; 90.0 → "90"; None → "–" (as the
    pages show them)."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    if isinstance(value, float | Decimal):
        text = f"{float(value):,.2f}".removesuffix(".00")  # as the pages' floatformat:"-2g"
        return text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return str(value)


def add_figures(document, heading: str, rows: list[tuple[str, object]], level: int = 2) -> None:
    """A heading, then a table of ``(label, value)`` rows, each value formatted by
    :func:`number`."""
    document.add_heading(heading, level=level)
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text = str(label)
        cells[1].text = number(value)
