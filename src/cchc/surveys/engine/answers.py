"""One respondent's answers against a questionnaire: the skip logic and the answer checks.

Plain Python (no Django), so the kiosk, the web form, paper double entry and the API all apply the
same rules, and they can be tested without a database.

An answers dict maps a question code to its value:

* choice kinds (``single``, ``likert5``, ``scale4``, ``yes_no``): the choice value (``"4"``; an
  int is read as its text);
* ``multiple``: a list of choice values (a text of values separated by spaces, as XLSForm writes
  them, is read too);
* ``matrix``: ``{item code: choice value}``;
* ``number``: a number, or its text (``"12"``, ``"1,5"``, ``"1.5"``);
* ``date``: ``"dd/mm/yyyy"`` (or a :class:`datetime.date`);
* ``text``: a string. ``note`` takes no answer.

Skip logic (XLSForm ``relevant``): a section or question is shown when *every* condition of its
``show_when`` holds; a question in a hidden section is hidden. Conditions are read in the order of
the form, so a condition can only look back: one on a hidden question, on a question that comes
later, or on an unknown code is false. Chains follow from that (A hides B, B's absence hides C).
A condition on a matrix item names the item's code and reads that item's answer.

How a condition compares (the answer ``a`` of its question, the condition's ``value`` ``v``):

* ``=`` / ``!=``: ``a`` equals ``v`` as text or as a number (``"5"`` = ``"5.0"``; a multiple
  choice: ``v`` is the only one chosen);
  an unanswered question equals nothing, so ``!=`` holds for it, as in XLSForm where an empty
  answer is the empty string;
* ``selected``: ``v`` is among the chosen values (a single choice: ``a`` is ``v``);
* ``>``, ``>=``, ``<``, ``<=``: both read as numbers; false when either is not a number (or the
  question is unanswered).

:func:`validate` checks the answers of the visible questions and drops the others: an answer to a
hidden question is not an error (the respondent may have answered, then changed an earlier
answer), it is simply not kept.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .form import (
    DATE,
    LIKERT5,
    MATRIX,
    MULTIPLE,
    NOTE,
    NUMBER,
    SCALE4,
    TEXT,
    YES_NO,
    YES_NO_LABELS,
    Condition,
    FormSpec,
    Question,
)

#: Messages of :func:`validate` (Vietnamese: shown to respondents as they are).
MESSAGES = {
    "required": "Vui lòng trả lời câu hỏi này.",
    "not_a_choice": "Câu trả lời không nằm trong các lựa chọn.",
    "not_a_number": "Vui lòng nhập một số.",
    "not_a_date": "Vui lòng nhập ngày theo dạng ngày/tháng/năm (dd/mm/yyyy).",
    "not_text": "Câu trả lời không hợp lệ.",
    "items_missing": "Vui lòng trả lời tất cả các ý của câu hỏi này.",
}

_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d+)?|[.,]\d+)$")


@dataclass
class AnswerCheck:
    """What :func:`validate` found: ``errors`` {question code: message}, ``kinds`` {question code:
    kind of error, a key of :data:`MESSAGES`}, ``cleaned`` the answers kept (visible questions,
    valid values only), ``visible`` the codes shown, in order."""

    errors: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    cleaned: dict = field(default_factory=dict)
    visible: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors


def choice_values(question: Question) -> list[str]:
    """The values a choice question accepts: its own choices, else the kind's default scale."""
    if question.choices:
        return [choice.value for choice in question.choices]
    if question.kind == LIKERT5:
        return ["1", "2", "3", "4", "5"]
    if question.kind == SCALE4:
        return ["1", "2", "3", "4"]
    if question.kind == YES_NO:
        return [value for value, _label in YES_NO_LABELS]
    return []


def _is_empty(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, set, dict)):
        return not value
    return False


def _as_text(value) -> str:
    if isinstance(value, bool):  # True is not the choice "1"
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _as_list(value) -> list[str]:
    if isinstance(value, str):
        return value.split()
    if isinstance(value, (list, tuple, set)):
        return [_as_text(item) for item in value if not _is_empty(item)]
    return [_as_text(value)]


def parse_number(value) -> Decimal | None:
    """A number from an answer (``"1,5"`` and ``"1.5"`` alike), or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value)) if value == value and abs(value) != float("inf") else None
    if not isinstance(value, str):
        return None
    text = value.strip().replace(" ", "")
    if not _NUMBER.match(text):
        return None
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
        return None


def parse_date(value) -> datetime.date | None:
    """A date from ``dd/mm/yyyy`` (or a date), or None when it is not a real date."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str):
        return None
    match = _DATE.match(value)
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _same_number(answer, wanted: str) -> bool:
    left, right = parse_number(answer), parse_number(wanted)
    return left is not None and right is not None and left == right


def _answer_of(code: str, answers: dict, shown: set[str], item_owner: dict[str, str]):
    """The answer a condition reads, and whether its question is shown."""
    if code in shown:
        return answers.get(code), True
    owner = item_owner.get(code)
    if owner is not None and owner in shown:
        matrix = answers.get(owner)
        return (matrix.get(code) if isinstance(matrix, dict) else None), True
    return None, False


def holds(condition: Condition, answer) -> bool:
    """Does ``condition`` hold for ``answer`` (the answer of a shown question)?"""
    operator, wanted = condition.operator, _as_text(condition.value)
    if operator in ("=", "!="):
        if _is_empty(answer):
            equal = wanted == ""
        elif isinstance(answer, (list, tuple, set)):
            equal = _as_list(answer) == [wanted]
        else:
            equal = _as_text(answer) == wanted or _same_number(answer, wanted)
        return equal if operator == "=" else not equal
    if operator == "selected":
        return not _is_empty(answer) and wanted in _as_list(answer)
    if operator in (">", ">=", "<", "<="):
        left, right = parse_number(answer), parse_number(condition.value)
        if left is None or right is None:
            return False
        return {
            ">": left > right,
            ">=": left >= right,
            "<": left < right,
            "<=": left <= right,
        }[operator]
    return False  # an unknown operator never shows anything


def _all_hold(conditions: list[Condition], answers, shown, item_owner) -> bool:
    for condition in conditions:
        answer, is_shown = _answer_of(condition.question, answers, shown, item_owner)
        if not is_shown or not holds(condition, answer):
            return False
    return True


def visible(spec: FormSpec, answers: dict) -> list[str]:
    """The codes of the questions shown for ``answers``, in the order of the form."""
    answers = answers or {}
    shown: list[str] = []
    shown_set: set[str] = set()
    item_owner: dict[str, str] = {}
    for section in spec.sections:
        if not _all_hold(section.show_when, answers, shown_set, item_owner):
            continue
        for question in section.questions:
            if _all_hold(question.show_when, answers, shown_set, item_owner):
                shown.append(question.code)
                shown_set.add(question.code)
                for item in question.items:
                    item_owner[item.code] = question.code
    return shown


def _check(question: Question, value):
    """(cleaned value or None, error kind or "") for the answer of a shown question."""
    kind = question.kind
    if kind == NOTE:
        return None, ""
    if kind == MATRIX:
        if not isinstance(value, dict):
            return None, "not_a_choice"
        allowed = set(choice_values(question))
        cleaned, error = {}, ""
        for item in question.items:
            answer = value.get(item.code)
            if _is_empty(answer):
                continue
            if _as_text(answer) in allowed:
                cleaned[item.code] = _as_text(answer)
            else:
                error = "not_a_choice"
        if not error and question.required and len(cleaned) < len(question.items):
            error = "items_missing" if cleaned else "required"
        return (cleaned or None), error
    if kind == MULTIPLE:
        allowed = set(choice_values(question))
        chosen = _as_list(value)
        if any(item not in allowed for item in chosen):
            return None, "not_a_choice"
        return list(dict.fromkeys(chosen)), ""  # each value once, in the order given
    if kind == NUMBER:
        number = parse_number(value)
        # Kept as text (JSON-safe), in one notation: "1,5" and "1.5" are both "1.5".
        return (None, "not_a_number") if number is None else (format(number, "f"), "")
    if kind == DATE:
        date = parse_date(value)
        return (None, "not_a_date") if date is None else (date.strftime("%d/%m/%Y"), "")
    if kind == TEXT:
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            value = _as_text(value)  # a number typed in a text box is still text
        if not isinstance(value, str):
            return None, "not_text"
        return value.strip(), ""
    text = _as_text(value)  # single, likert5, scale4, yes_no
    return (text, "") if text in choice_values(question) else (None, "not_a_choice")


def validate(spec: FormSpec, answers: dict) -> AnswerCheck:
    """Check ``answers`` against ``spec``: see the module's docstring for the rules."""
    answers = answers or {}
    result = AnswerCheck(visible=visible(spec, answers))
    shown = set(result.visible)
    for question in spec.questions():
        if question.code not in shown or question.kind == NOTE:
            continue
        value = answers.get(question.code)
        if _is_empty(value):
            error = "required" if question.required else ""
            cleaned = None
        else:
            cleaned, error = _check(question, value)
        if error:
            result.errors[question.code] = MESSAGES[error]
            result.kinds[question.code] = error
        if cleaned is not None and not _is_empty(cleaned):
            result.cleaned[question.code] = cleaned
    return result
