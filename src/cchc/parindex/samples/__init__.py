"""Sample criteria sets shipped as demo data, clearly marked as samples (``is_sample``, names
starting "Mẫu minh hoạ –"): one for provincial departments (sở, ban, ngành), one for communes
(xã, phường). They are readable JSON files in this folder; each node says in ``source`` what a
published document confirms and what is the platform's default (docs/parindex.md, "Sample
criteria sets").

Each leaf's ``rule`` is the officers' "cách chấm" text, read by :mod:`..engine.notation`, so the
files also exercise the notation.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from .. import criteria, engine
from ..engine.notation import method_from_text
from ..engine.notation import parse as parse_notation
from ..models import CriteriaSet

FOLDER = Path(__file__).resolve().parent
FILES = ("department.json", "commune.json")
SAMPLE_PREFIX = "Mẫu minh hoạ –"


def sample_data(filename: str) -> dict:
    return json.loads((FOLDER / filename).read_text(encoding="utf-8"))


def tree_from_data(items: list[dict]) -> tuple[list[engine.Node], dict[str, criteria.Details]]:
    """Engine nodes and the officers' texts from a sample file's ``criteria`` list."""
    details: dict[str, criteria.Details] = {}

    def build(item: dict, block: str) -> engine.Node:
        maximum = Decimal(item["max"])
        node = engine.Node(
            code=item["code"],
            name=item["name"],
            max_points=maximum,
            block=block,
            aggregation=item.get("aggregation", engine.SUM),
            may_be_not_applicable=bool(item.get("not_applicable")),
        )
        node.children = [build(child, block) for child in item.get("children", [])]
        if not node.children:
            method = method_from_text(item.get("method", ""))
            node.method, node.spec = parse_notation(item.get("rule", ""), method, maximum)
        details[node.code] = criteria.Details(
            method_text=item.get("rule", "") if not node.children else "",
            evidence_required=item.get("evidence", ""),
            responsible_hint=item.get("responsible", ""),
        )
        return node

    roots = [build(item, item.get("block", engine.MAIN)) for item in items]
    return roots, details


def load_sample_sets(years) -> list[CriteriaSet]:
    """The sample sets for each of ``years`` (idempotent: a (year, level) that already has any
    criteria set, sample or not, is left alone). Returns the sets created."""
    created = []
    for year in years:
        for filename in FILES:
            data = sample_data(filename)
            if CriteriaSet.objects.filter(year=year, level=data["level"]).exists():
                continue
            roots, details = tree_from_data(data["criteria"])
            created.append(
                criteria.save_set(
                    name=data["name"],
                    year=year,
                    level=data["level"],
                    roots=roots,
                    details=details,
                    declared_total=data.get("declared_total", 100),
                    legal_basis=data.get("legal_basis", ""),
                    notes=data.get("notes", ""),
                    is_sample=True,
                    new_version=True,
                )
            )
    return created
