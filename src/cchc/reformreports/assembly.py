"""The report's figures assembled from the registered sections (``cchc.common.report_sections``).

Each section registered by the app that owns the figures computes a JSON-able dict for the unit's
subtree over the period's data window; the report keeps them all as a snapshot, so its page, its
DOCX and its PDF show the same numbers until the officers refresh the figures of the draft.
"""

from __future__ import annotations

from cchc.common.report_sections import SectionScope, report_sections
from cchc.organisations.models import OrganisationUnit


def scope_for(report) -> SectionScope:
    ids = list(OrganisationUnit.objects.subtree_of(report.unit).values_list("pk", flat=True))
    return SectionScope(
        unit=report.unit,
        ids=ids,
        start=report.period_start,
        end=report.period_end,
        year=report.year,
    )


def assemble(report) -> dict:
    """``{"sections": [{"key", "label", "value"}…]}`` in the registry's order."""
    scope = scope_for(report)
    return {
        "from": report.period_start.isoformat(),
        "to": report.period_end.isoformat(),
        "sections": [
            {"key": section.key, "label": str(section.label), "value": section.compute(scope)}
            for section in report_sections
        ],
    }


def sections(report) -> list[dict]:
    """The snapshot's sections with their registered template and DOCX writer (a section whose
    app is no longer installed is shown with a generic table of its values)."""
    rows = []
    for item in report.snapshot.get("sections", []):
        section = report_sections.get(item["key"])
        rows.append(
            {
                **item,
                "template": section.template if section else "reformreports/section_generic.html",
                "docx": section.docx if section else None,
            }
        )
    return rows


def section_value(report, key: str) -> dict | None:
    for item in report.snapshot.get("sections", []):
        if item["key"] == key:
            return item["value"]
    return None
