"""A questionnaire as plain data: the one shape every other form of it converts to and from.

The database (``cchc.surveys.models``), the built-in SIPAS template (a JSON file) and XLSForm
workbooks (the survey/choices/settings sheets of KoboToolbox and ODK) are all read into and written
from a :class:`FormSpec`, so each conversion is written once and can be tested without a database.

Question kinds (``Question.kind``):

* ``single`` / ``multiple`` — one or several of ``choices``;
* ``likert5`` — the 5-point satisfaction scale of the SIPAS method (QĐ 1001/QĐ-BNV, 2023–2026):
  1 Rất không hài lòng … 5 Rất hài lòng, unless ``choices`` says otherwise;
* ``scale4`` — a 4-level scale (``choices`` hold its labels, 1 … 4, best last);
* ``yes_no``, ``number``, ``date`` (dd/mm/yyyy on screen), ``text``;
* ``matrix`` — several ``items`` answered on one scale (``choices``), e.g. the three items of
  the "access" factor; each item can carry its own ``factor``;
* ``note`` — text shown to the respondent, no answer.

A :class:`Condition` list on a question or section is its skip logic: it is shown only when every
condition holds for the answers given so far (XLSForm ``relevant``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

SINGLE = "single"
MULTIPLE = "multiple"
LIKERT5 = "likert5"
SCALE4 = "scale4"
YES_NO = "yes_no"
NUMBER = "number"
DATE = "date"
TEXT = "text"
MATRIX = "matrix"
NOTE = "note"
KINDS = (SINGLE, MULTIPLE, LIKERT5, SCALE4, YES_NO, NUMBER, DATE, TEXT, MATRIX, NOTE)
#: Kinds whose answers are choices from ``Question.choices`` (matrix: per item).
CHOICE_KINDS = (SINGLE, MULTIPLE, LIKERT5, SCALE4, YES_NO, MATRIX)

#: Default labels of the 5-point scale (value 1 … 5); the two top levels count as satisfied.
LIKERT5_LABELS = (
    "Rất không hài lòng",
    "Không hài lòng",
    "Bình thường",
    "Hài lòng",
    "Rất hài lòng",
)
YES_NO_LABELS = (("yes", "Có"), ("no", "Không"))

#: Operators of a skip condition: equal, not equal, one of the chosen (multiple choice), and
#: numeric comparisons.
OPERATORS = ("=", "!=", "selected", ">", ">=", "<", "<=")


@dataclass
class Choice:
    value: str
    label: str


@dataclass
class Condition:
    """Show when the answer to ``question`` compared by ``operator`` with ``value`` holds."""

    question: str
    operator: str
    value: str


@dataclass
class MatrixItem:
    code: str
    label: str
    factor: str = ""  # the SIPAS factor/criterion the item measures (e.g. "access")


@dataclass
class Question:
    code: str  # unique in the form; XLSForm "name"
    label: str
    kind: str
    required: bool = False
    hint: str = ""
    choices: list[Choice] = field(default_factory=list)
    items: list[MatrixItem] = field(default_factory=list)  # matrix only
    factor: str = ""  # the factor/criterion this question measures, "" when none
    show_when: list[Condition] = field(default_factory=list)


@dataclass
class Section:
    code: str
    title: str
    questions: list[Question] = field(default_factory=list)
    show_when: list[Condition] = field(default_factory=list)


@dataclass
class Factor:
    """A factor (yếu tố) of the index, e.g. "Tiếp cận dịch vụ"; ``order`` fixes its place."""

    code: str
    name: str
    order: int = 0


@dataclass
class FormSpec:
    code: str
    title: str
    version: str = "1"
    language: str = "vi"
    source: str = ""  # the decision the template follows, e.g. "QĐ 1001/QĐ-BNV (11/12/2023)"
    factors: list[Factor] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)

    def questions(self):
        """Every question, in order."""
        for section in self.sections:
            yield from section.questions

    def question(self, code: str) -> Question:
        for question in self.questions():
            if question.code == code:
                return question
        raise KeyError(code)
