"""The answer form: a questionnaire (FormSpec) read from a posted HTML form, and laid out for the
templates (every channel — link, QR, kiosk, paper typing — uses the same fields).

Field names: a question's code; a matrix item ``<question code>__<item code>``; a multiple choice
sends its code once per value chosen. The skip conditions are written on the page as data
attributes (``data-show-when``, JSON) for ``static/surveys/answer.js``; the server re-checks with
``engine.answers.validate``.
"""

from __future__ import annotations

import json
from datetime import datetime

from django.core import signing
from django.utils import timezone

from .engine.answers import choice_values
from .engine.form import (
    LIKERT5,
    LIKERT5_LABELS,
    MATRIX,
    MULTIPLE,
    SCALE4,
    YES_NO,
    YES_NO_LABELS,
    FormSpec,
    Question,
)

ITEM_SEPARATOR = "__"
STARTED_SALT = "cchc.surveys.started"


def choices_of(question: Question) -> list[tuple[str, str]]:
    """(value, label) of a choice question: its own, else the kind's default scale."""
    if question.choices:
        return [(choice.value, choice.label) for choice in question.choices]
    if question.kind == LIKERT5:
        return [(str(n), label) for n, label in enumerate(LIKERT5_LABELS, 1)]
    if question.kind == YES_NO:
        return list(YES_NO_LABELS)
    return [(value, value) for value in choice_values(question)]


def answers_from_post(spec: FormSpec, data) -> dict:
    """The answers dict of a posted form (a QueryDict, or a plain dict of lists/strings)."""

    def get_list(name: str) -> list[str]:
        if hasattr(data, "getlist"):
            return [value for value in data.getlist(name) if value != ""]
        value = data.get(name)
        if value in (None, ""):
            return []
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]

    answers: dict = {}
    for question in spec.questions():
        if question.kind == MATRIX:
            items = {}
            for item in question.items:
                values = get_list(f"{question.code}{ITEM_SEPARATOR}{item.code}")
                if values:
                    items[item.code] = values[0]
            if items:
                answers[question.code] = items
        elif question.kind == MULTIPLE:
            values = get_list(question.code)
            if values:
                answers[question.code] = values
        else:
            values = get_list(question.code)
            if values and values[0].strip():
                answers[question.code] = values[0]
    return answers


def _conditions(conditions) -> str:
    return json.dumps(
        [{"q": c.question, "op": c.operator, "v": c.value} for c in conditions],
        ensure_ascii=False,
    )


def layout(spec: FormSpec, answers: dict | None = None, errors: dict | None = None) -> list[dict]:
    """Sections and questions as the templates draw them, with the answers given so far (kept on
    an error) and each question's error message."""
    answers = answers or {}
    errors = errors or {}
    sections = []
    for section in spec.sections:
        questions = []
        for question in section.questions:
            answer = answers.get(question.code)
            entry = {
                "q": question,
                "show_when": _conditions(question.show_when),
                "error": errors.get(question.code, ""),
                "scale": question.kind in (LIKERT5, SCALE4),
                "choices": [],
                "items": [],
                "value": answer if isinstance(answer, str) else "",
            }
            choices = choices_of(question)
            if question.kind == MATRIX:
                given = answer if isinstance(answer, dict) else {}
                entry["items"] = [
                    {
                        "item": item,
                        "name": f"{question.code}{ITEM_SEPARATOR}{item.code}",
                        "choices": [
                            {"value": v, "label": label, "checked": str(given.get(item.code)) == v}
                            for v, label in choices
                        ],
                    }
                    for item in question.items
                ]
                entry["scale"] = True
            else:
                chosen = (
                    {str(v) for v in answer}
                    if isinstance(answer, list)
                    else ({str(answer)} if answer is not None else set())
                )
                entry["choices"] = [
                    {"value": v, "label": label, "checked": v in chosen} for v, label in choices
                ]
            questions.append(entry)
        sections.append(
            {"s": section, "show_when": _conditions(section.show_when), "questions": questions}
        )
    return sections


def sign_started(moment: datetime | None = None) -> str:
    """A tamper-proof note of when the form was shown (the respondent cannot shorten it)."""
    return signing.dumps((moment or timezone.now()).isoformat(), salt=STARTED_SALT)


def read_started(value: str) -> datetime | None:
    try:
        text = signing.loads(value or "", salt=STARTED_SALT, max_age=60 * 60 * 24)
        return datetime.fromisoformat(text)
    except (signing.BadSignature, ValueError, TypeError):
        return None


def read_client_time(value) -> datetime | None:
    """An ISO time sent by the kiosk (``2026-10-05T08:30:00.000Z``), or None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else None
