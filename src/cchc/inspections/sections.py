"""The inspections' section of the periodic reform report and their dashboard tile.

Section ``inspections``: the inspections whose conclusion notice is dated in the period, of the
reporting unit's subtree (inspected or organised there): each unit with its findings counted by
kind and its recommendations done, open and overdue at the period's end.
"""

from __future__ import annotations

from django.db.models import Q

from cchc.common.report_sections import SectionScope
from cchc.common.tiles import TileScope

from . import selectors
from .models import PUBLISHED_TO_UNIT, FindingKind, Inspection

FINDING_LABELS = {
    FindingKind.STRENGTH: "Ưu điểm",
    FindingKind.WEAKNESS: "Tồn tại, hạn chế",
    FindingKind.CAUSE: "Nguyên nhân",
}


def report_section(scope: SectionScope) -> dict:
    inspections = (
        Inspection.objects.filter(
            Q(target_id__in=scope.ids) | Q(plan__organiser_id__in=scope.ids),
            status__in=PUBLISHED_TO_UNIT,
            conclusion_date__gte=scope.start,
            conclusion_date__lte=scope.end,
        )
        .select_related("target")
        .prefetch_related("findings", "recommendations")
        .order_by("conclusion_date", "target__name", "pk")
    )
    rows = []
    totals = {"strength": 0, "weakness": 0, "cause": 0, "done": 0, "open": 0, "overdue": 0}
    for inspection in inspections:
        findings = {kind: 0 for kind in FindingKind.values}
        for finding in inspection.findings.all():
            findings[finding.kind] += 1
        counts = selectors.recommendation_counts(inspection.recommendations.all(), scope.end)
        row = {
            "unit": inspection.target.code,
            "unit_name": inspection.target.name,
            "conclusion_number": inspection.conclusion_number,
            "conclusion_date": inspection.conclusion_date.isoformat(),
            "findings": findings,
            "recommendations": {
                "done": counts["done"],
                "open": counts["open"],
                "overdue": counts["overdue"],
            },
        }
        rows.append(row)
        for kind in FindingKind.values:
            totals[kind] += findings[kind]
        for key in ("done", "open", "overdue"):
            totals[key] += counts[key]
    return {"inspections": len(rows), "units": rows, "totals": totals}


def write_docx(document, value: dict) -> None:
    document.add_paragraph(
        f"Số cuộc kiểm tra đã ban hành kết luận trong kỳ: {value['inspections']}."
    )
    if not value["units"]:
        return
    table = document.add_table(rows=1, cols=7)
    table.style = "Table Grid"
    heads = (
        "Đơn vị",
        "Ưu điểm",
        "Tồn tại, hạn chế",
        "Nguyên nhân",
        "KN đã xong",
        "KN chưa xong",
        "KN quá hạn",
    )
    for cell, text in zip(table.rows[0].cells, heads, strict=True):
        cell.text = text
    for row in value["units"]:
        cells = table.add_row().cells
        values = (
            row["unit_name"],
            row["findings"]["strength"],
            row["findings"]["weakness"],
            row["findings"]["cause"],
            row["recommendations"]["done"],
            row["recommendations"]["open"],
            row["recommendations"]["overdue"],
        )
        for cell, text in zip(cells, values, strict=True):
            cell.text = str(text)


def tile_data(scope: TileScope) -> dict:
    items = list(selectors.open_recommendations(scope.ids))
    return {
        "open": len(items),
        "overdue": sum(1 for item in items if item.is_overdue(scope.today)),
    }
