"""The built-in questionnaire templates, shipped as data (``templates_builtin/*.json``).

A template file is a :class:`~.engine.form.FormSpec` written as JSON plus what the spec has no
field for: ``official`` on a section (a section of the official method, locked for agencies),
``source_url`` and ``provenance`` (where the structure comes from), and on each question and
matrix item ``wording`` (``platform_default`` when the wording is ours, ``source`` when a source
gives it) and ``topic`` (``confirmed`` when a source gives what the item asks). Reading one is
pure: :func:`cchc.surveys.services.ensure_builtin` stores it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .engine import form

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates_builtin"
#: The SIPAS template of QĐ 1001/QĐ-BNV (11/12/2023), method for 2023–2026.
SIPAS_1001_2023 = "sipas-1001-2023"


@dataclass
class BuiltinTemplate:
    spec: form.FormSpec
    official_sections: set[str] = field(default_factory=set)
    #: {question or item code: "platform_default" | "source"}
    wording: dict[str, str] = field(default_factory=dict)
    source_url: str = ""
    provenance: dict = field(default_factory=dict)


def _conditions(data) -> list[form.Condition]:
    return [
        form.Condition(str(c["question"]), str(c["operator"]), str(c["value"])) for c in data or []
    ]


def spec_from_dict(data: dict) -> form.FormSpec:
    """A spec from its JSON shape (the dataclasses' field names); unknown keys are ignored."""
    return form.FormSpec(
        code=data["code"],
        title=data["title"],
        version=str(data.get("version", "1")),
        language=data.get("language", "vi"),
        source=data.get("source", ""),
        factors=[
            form.Factor(code=f["code"], name=f["name"], order=int(f.get("order", 0)))
            for f in data.get("factors", [])
        ],
        sections=[
            form.Section(
                code=s["code"],
                title=s["title"],
                show_when=_conditions(s.get("show_when")),
                questions=[
                    form.Question(
                        code=q["code"],
                        label=q["label"],
                        kind=q["kind"],
                        required=bool(q.get("required", False)),
                        hint=q.get("hint", ""),
                        choices=[
                            form.Choice(value=str(c["value"]), label=c["label"])
                            for c in q.get("choices", [])
                        ],
                        items=[
                            form.MatrixItem(
                                code=i["code"], label=i["label"], factor=i.get("factor", "")
                            )
                            for i in q.get("items", [])
                        ],
                        factor=q.get("factor", ""),
                        show_when=_conditions(q.get("show_when")),
                    )
                    for q in s.get("questions", [])
                ],
            )
            for s in data.get("sections", [])
        ],
    )


def load(code: str = SIPAS_1001_2023) -> BuiltinTemplate:
    """The built-in template ``code`` read from its JSON file."""
    data = json.loads((TEMPLATES_DIR / f"{code}.json").read_text(encoding="utf-8"))
    wording = {}
    for section in data.get("sections", []):
        for question in section.get("questions", []):
            wording[question["code"]] = question.get("wording", "platform_default")
            for item in question.get("items", []):
                wording[item["code"]] = item.get("wording", question.get("wording", ""))
    return BuiltinTemplate(
        spec=spec_from_dict(data),
        official_sections={s["code"] for s in data.get("sections", []) if s.get("official")},
        wording=wording,
        source_url=data.get("source_url", ""),
        provenance=data.get("provenance", {}),
    )


def codes() -> list[str]:
    """The codes of every built-in template shipped."""
    return sorted(path.stem for path in TEMPLATES_DIR.glob("*.json"))
