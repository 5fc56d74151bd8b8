"""XLSForm import and export of questionnaires: the workbook KoboToolbox and ODK Collect use.

An XLSForm (https://xlsform.org) is an .xlsx workbook with a ``survey`` sheet (one row per question,
``begin_group``/``end_group`` rows around groups), a ``choices`` sheet (the answer lists) and a
``settings`` sheet. :func:`write_xlsform` turns a :class:`~cchc.surveys.engine.form.FormSpec` into
such a workbook and :func:`read_xlsform` reads one back: ours, or an ordinary form made in Kobo or
ODK, so a province's existing survey comes in and ours go out. docs/surveys.md ("XLSForm import
and export") has the mapping table.

What XLSForm has no place for travels in columns and sheets that pyxform, Kobo and ODK ignore:
``factor`` and ``kind`` columns on the survey sheet, a ``source`` column on the settings sheet and
a ``factors`` sheet (code, name, order). pyxform 4.5 passes unknown columns and sheets over without
a warning (checked by the tests), so the workbook we write is still a valid XLSForm.

Reading is all or nothing: every problem of the workbook is collected, with its sheet, line and
column, and :class:`XLSFormError` carries them all at once. A workbook our own checks accept is
then converted by pyxform (its own checks only: ``validate=False`` never starts the Java ODK
Validate), and a form pyxform refuses is refused with pyxform's reason.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from cchc.common.importing import ImportFileError, RowError
from cchc.common.uploads import UploadRefused, check_upload_bytes

from .engine.form import (
    DATE,
    LIKERT5,
    LIKERT5_LABELS,
    MATRIX,
    MULTIPLE,
    NOTE,
    NUMBER,
    OPERATORS,
    SCALE4,
    SINGLE,
    TEXT,
    YES_NO,
    YES_NO_LABELS,
    Choice,
    Condition,
    Factor,
    FormSpec,
    MatrixItem,
    Question,
    Section,
)

SURVEY = "survey"
CHOICES = "choices"
SETTINGS = "settings"
FACTORS = "factors"

SURVEY_COLUMNS = (
    "type",
    "name",
    "label",
    "hint",
    "required",
    "relevant",
    "appearance",
    "factor",
    "kind",
)
CHOICES_COLUMNS = ("list_name", "name", "label")
SETTINGS_COLUMNS = ("form_title", "form_id", "version", "default_language", "source")
FACTORS_COLUMNS = ("code", "name", "order")

#: An .xlsx file is a zip archive: its first bytes are a zip local file header.
XLSX_SIGNATURES = {".xlsx": (b"PK\x03\x04",)}

#: ``number`` is written as ``decimal``: the kind does not say whether fractions are allowed, and
#: a decimal field accepts every answer an integer field would.
_SIMPLE_TYPE_OF_KIND = {NUMBER: "decimal", DATE: "date", TEXT: "text", NOTE: "note"}
_KIND_OF_SIMPLE_TYPE = {
    "integer": NUMBER,
    "int": NUMBER,
    "decimal": NUMBER,
    "date": DATE,
    "text": TEXT,
    "string": TEXT,
    "note": NOTE,
}
#: Kinds a ``kind`` column may give each XLSForm type (the first one is what the type means alone).
_KINDS_OF_TYPE = {
    "select_one": (SINGLE, LIKERT5, SCALE4, YES_NO),
    "select_multiple": (MULTIPLE,),
    NUMBER: (NUMBER,),
    DATE: (DATE,),
    TEXT: (TEXT,),
    NOTE: (NOTE,),
}
#: Rows that record data about the interview, not answers: left out without a word.
_SKIPPED_TYPES = frozenset(
    {
        "calculate",
        "start",
        "end",
        "today",
        "deviceid",
        "imei",
        "subscriberid",
        "simserial",
        "phonenumber",
        "username",
        "email",
        "audit",
        "start-geopoint",
    }
)
_SELECT_ONE_PREFIXES = ("select_one ", "select one ", "select1 ")
_SELECT_MULTIPLE_PREFIXES = ("select_multiple ", "select all that apply ", "select multiple ")
_BEGIN_GROUP = ("begin_group", "begin group")
_END_GROUP = ("end_group", "end group")
_BEGIN_REPEAT = ("begin_repeat", "begin repeat")
_END_REPEAT = ("end_repeat", "end repeat")
_YES = frozenset({"yes", "true", "true()", "1"})
_NO = frozenset({"", "no", "false", "false()", "0"})

_DEFAULT_LIST_NAMES = {LIKERT5: "likert5", YES_NO: "yes_no", SCALE4: "scale4"}
_LANGUAGE_NAMES = {"vi": "Vietnamese", "en": "English"}
#: The satisfaction scale as Kobo forms in English word it: read as ``likert5`` too.
_LIKERT5_ENGLISH = (
    "very dissatisfied",
    "dissatisfied",
    "neutral",
    "satisfied",
    "very satisfied",
)


# -- errors -----------------------------------------------------------------------------------
@dataclass
class SheetRowError(RowError):
    """A refused row of a workbook: :class:`RowError` with the sheet it is on.

    ``line`` 0 means the workbook or the sheet as a whole."""

    sheet: str = SURVEY

    def __str__(self) -> str:
        values = {
            "sheet": self.sheet,
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }
        if not self.line:
            if self.sheet:
                return _("Sheet “%(sheet)s”: %(message)s") % values
            return self.message
        if self.column:
            return _("Sheet “%(sheet)s”, line %(line)d, column “%(column)s”: %(message)s") % values
        return _("Sheet “%(sheet)s”, line %(line)d: %(message)s") % values


class XLSFormError(ImportFileError):
    """The workbook is refused; ``errors`` lists every reason found (sheet, line, column)."""

    def __init__(self, errors: list[SheetRowError]):
        self.errors = list(errors)
        super().__init__("\n".join(str(error) for error in self.errors))


def _file_error(message: str) -> XLSFormError:
    return XLSFormError([SheetRowError(0, "", message, sheet="")])


# -- skip logic: the relevant column ----------------------------------------------------------
_NUMBER_RE = re.compile(r"-?\d+(?:\.\d+)?")
_REFERENCE = r"\$\{(?P<question>[^}\s]+)\}"
_LITERAL = r"(?:'(?P<single>[^']*)'|\"(?P<double>[^\"]*)\"|(?P<number>-?\d+(?:\.\d+)?))"
_COMPARISON_RE = re.compile(rf"\s*{_REFERENCE}\s*(?P<operator>!=|>=|<=|=|>|<)\s*{_LITERAL}\s*")
_SELECTED_RE = re.compile(rf"\s*selected\s*\(\s*{_REFERENCE}\s*,\s*{_LITERAL}\s*\)\s*")
_AND_RE = re.compile(r"and\b\s*")
_NUMERIC_OPERATORS = (">", ">=", "<", "<=")


class RelevantExpressionError(ValueError):
    """A ``relevant`` expression outside the simple forms a :class:`Condition` can hold."""


def _quote(value: str) -> str:
    if "'" not in value:
        return f"'{value}'"
    if '"' not in value:
        return f'"{value}"'
    raise ValueError(f"a condition value cannot hold both quote marks: {value!r}")


def condition_expression(condition: Condition) -> str:
    """The XPath of one condition: ``${q} = 'v'``, ``selected(${q}, 'v')``, ``${q} > 3`` …"""
    reference = "${" + condition.question + "}"
    if condition.operator == "selected":
        return f"selected({reference}, {_quote(condition.value)})"
    if condition.operator in ("=", "!="):
        return f"{reference} {condition.operator} {_quote(condition.value)}"
    if condition.operator in _NUMERIC_OPERATORS:
        if not _NUMBER_RE.fullmatch(condition.value):
            raise ValueError(f"{condition.operator} compares with a number: {condition.value!r}")
        return f"{reference} {condition.operator} {condition.value}"
    raise ValueError(f"unknown operator {condition.operator!r}; one of {OPERATORS}")


def relevant_expression(conditions: list[Condition]) -> str:
    """The XLSForm ``relevant`` of a condition list: every condition holds (joined by ``and``)."""
    return " and ".join(condition_expression(condition) for condition in conditions)


def parse_relevant(expression: str) -> list[Condition]:
    """The conditions of a ``relevant`` expression written as :func:`relevant_expression` does.

    ``=`` and ``!=`` take a quoted text or a number, ``selected(…)`` a quoted value or a number,
    ``>``, ``>=``, ``<``, ``<=`` a number (quoted or not); conditions join with ``and`` only.
    Anything else (``or``, ``not()``, brackets, functions) raises :class:`RelevantExpressionError`.
    """
    conditions: list[Condition] = []
    position = 0
    text = expression.strip()
    if not text:
        return conditions
    while True:
        match = _SELECTED_RE.match(text, position) or _COMPARISON_RE.match(text, position)
        if match is None:
            raise RelevantExpressionError(expression)
        value = next(
            group
            for group in (match.group("single"), match.group("double"), match.group("number"))
            if group is not None
        )
        operator = match.groupdict().get("operator") or "selected"
        if operator in _NUMERIC_OPERATORS and not _NUMBER_RE.fullmatch(value):
            raise RelevantExpressionError(expression)
        conditions.append(Condition(match.group("question"), operator, value))
        position = match.end()
        if position == len(text):
            return conditions
        joiner = _AND_RE.match(text, position)
        if joiner is None:
            raise RelevantExpressionError(expression)
        position = joiner.end()


# -- writing ----------------------------------------------------------------------------------
def default_choices(kind: str) -> list[Choice]:
    """The scale a ``likert5`` or ``yes_no`` question without choices is written with."""
    if kind == LIKERT5:
        return [Choice(str(value), label) for value, label in enumerate(LIKERT5_LABELS, start=1)]
    if kind == YES_NO:
        return [Choice(value, label) for value, label in YES_NO_LABELS]
    return []


class _ChoiceLists:
    """The choices sheet being written: one list per distinct set of choices, shared by every
    question that uses it (the 5-point scale of all the SIPAS items is one list)."""

    def __init__(self):
        self.names_by_content: dict[tuple, str] = {}
        self.rows: list[tuple[str, str, str]] = []

    def name_for(self, question: Question) -> str:
        choices = question.choices or default_choices(question.kind)
        if not choices:
            raise ValueError(f"question {question.code!r} ({question.kind}) has no choices")
        content = tuple((choice.value, choice.label) for choice in choices)
        if content in self.names_by_content:
            return self.names_by_content[content]
        base = _DEFAULT_LIST_NAMES.get(question.kind, question.code)
        name, number = base, 2
        while name in self.names_by_content.values():
            name, number = f"{base}_{number}", number + 1
        self.names_by_content[content] = name
        self.rows.extend((name, choice.value, choice.label) for choice in choices)
        return name


def _language_setting(code: str) -> str:
    name = _LANGUAGE_NAMES.get(code)
    return f"{name} ({code})" if name else code


def _question_rows(question: Question, lists: _ChoiceLists) -> list[dict]:
    required = "yes" if question.required and question.kind != NOTE else ""
    common = {
        "name": question.code,
        "label": question.label,
        "hint": question.hint,
        "relevant": relevant_expression(question.show_when),
        "factor": question.factor,
        "kind": question.kind,
    }
    if question.kind == MATRIX:
        # The ODK "table" layout: a field-list group, a header row showing only the choice
        # labels, then one row per item without them (https://docs.getodk.org/form-question-types
        # /#grid-style-or-table-layout). Kobo's own begin_kobomatrix is not XLSForm and pyxform
        # refuses it.
        list_name = lists.name_for(question)
        item_codes = {item.code for item in question.items}
        header = f"{question.code}_header"
        while header in item_codes:
            header += "_"
        rows = [{**common, "type": "begin_group", "appearance": "field-list"}]
        rows.append({"type": f"select_one {list_name}", "name": header, "appearance": "label"})
        rows.extend(
            {
                "type": f"select_one {list_name}",
                "name": item.code,
                "label": item.label,
                "required": required,
                "appearance": "list-nolabel",
                "factor": item.factor,
            }
            for item in question.items
        )
        rows.append({"type": "end_group"})
        return rows
    if question.kind in (SINGLE, LIKERT5, SCALE4, YES_NO):
        type_ = f"select_one {lists.name_for(question)}"
    elif question.kind == MULTIPLE:
        type_ = f"select_multiple {lists.name_for(question)}"
    elif question.kind in _SIMPLE_TYPE_OF_KIND:
        type_ = _SIMPLE_TYPE_OF_KIND[question.kind]
    else:
        raise ValueError(f"question {question.code!r} has an unknown kind {question.kind!r}")
    return [{**common, "type": type_, "required": required}]


#: Characters XML 1.0, so a worksheet, cannot hold: control characters and the non-characters
#: U+FFFE, U+FFFF. A vertical tab is Word's line break: it becomes one.
_NOT_XML_RE = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _append(sheet, values) -> None:
    """Append a row whose texts stay texts: openpyxl would store one starting with "=" as a
    formula, which Excel would run and pyxform would read as empty. Characters a worksheet
    cannot hold are left out."""
    sheet.append(
        [
            _NOT_XML_RE.sub("", value.replace("\v", "\n")) if isinstance(value, str) else value
            for value in values
        ]
    )
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"


def write_xlsform(spec: FormSpec) -> bytes:
    """The questionnaire as an XLSForm workbook (.xlsx): one group per section, in order.

    Raises ``ValueError`` for what no XLSForm can hold (a choice question without choices, an
    unknown kind or operator, a numeric comparison with text)."""
    from openpyxl import Workbook

    lists = _ChoiceLists()
    survey_rows: list[dict] = []
    for section in spec.sections:
        survey_rows.append(
            {
                "type": "begin_group",
                "name": section.code,
                "label": section.title,
                "relevant": relevant_expression(section.show_when),
            }
        )
        for question in section.questions:
            survey_rows.extend(_question_rows(question, lists))
        survey_rows.append({"type": "end_group"})

    workbook = Workbook()
    survey = workbook.active
    survey.title = SURVEY
    _append(survey, SURVEY_COLUMNS)
    for row in survey_rows:
        _append(survey, [row.get(column, "") for column in SURVEY_COLUMNS])
    choices = workbook.create_sheet(CHOICES)
    _append(choices, CHOICES_COLUMNS)
    for row in lists.rows:
        _append(choices, row)
    settings = workbook.create_sheet(SETTINGS)
    _append(settings, SETTINGS_COLUMNS)
    _append(
        settings,
        (spec.title, spec.code, spec.version, _language_setting(spec.language), spec.source),
    )
    factors = workbook.create_sheet(FACTORS)
    _append(factors, FACTORS_COLUMNS)
    for factor in spec.factors:
        _append(factors, (factor.code, factor.name, factor.order))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# -- pyxform ----------------------------------------------------------------------------------
def validate_with_pyxform(content: bytes) -> list[str]:
    """pyxform's reasons to refuse the workbook, [] when it converts it to an XForm.

    pyxform reads the bytes in memory and, with ``validate=False``, writes no file and runs no
    external validator."""
    from pyxform.xls2xform import convert

    try:
        convert(content, warnings=[], validate=False, file_type=".xlsx")
    except Exception as error:  # pyxform raises PyXFormError, and KeyError & co. on odd input
        return [str(error) or error.__class__.__name__]
    return []


# -- reading ----------------------------------------------------------------------------------
def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass
class _Row:
    line: int
    cells: dict[tuple[str, str], str]  # (column, language or "") -> text

    def get(self, *columns: str) -> str:
        for column in columns:
            value = self.cells.get((column, ""), "")
            if value:
                return value
        return ""

    def translated(self, column: str, languages: list[str]) -> str:
        for language in languages:
            value = self.cells.get((column, language), "")
            if value:
                return value
        return ""


def _header_key(header) -> tuple[str, str]:
    text = _cell_text(header)
    column, _separator, language = text.partition("::")
    return column.strip().lower(), language.strip()


def _sheet_rows(worksheet) -> tuple[list[tuple[str, str]], list[_Row]]:
    values = worksheet.iter_rows(values_only=True)
    try:
        header = [_header_key(cell) for cell in next(values)]
    except StopIteration:
        return [], []
    rows = []
    for line, cells in enumerate(values, start=2):
        texts = {}
        for key, cell in zip(header, cells, strict=False):
            text = _cell_text(cell)
            if key[0] and text and not texts.get(key):
                texts[key] = text
        if texts:
            rows.append(_Row(line, texts))
    return header, rows


def _is_vietnamese(language: str) -> bool:
    lowered = language.lower()
    return lowered in ("vi", "vietnamese", "tiếng việt") or lowered.endswith("(vi)")


def _language_code(language: str) -> str:
    match = re.search(r"\(([A-Za-z-]+)\)\s*$", language)
    if match:
        return match.group(1)
    lowered = language.strip().lower()
    for code, name in _LANGUAGE_NAMES.items():
        if lowered == name.lower():
            return code
    return language.strip()


def _norm_label(label: str) -> str:
    return " ".join(label.split()).casefold()


@dataclass
class _Group:
    row: _Row | None  # None for the survey itself
    children: list = field(default_factory=list)  # _Group and _Row, in order
    repeat: bool = False


class _Reader:
    def __init__(self, sheets: dict[str, tuple[list, list[_Row]]], filename: str):
        self.sheets = sheets
        self.filename = filename
        self.errors: list[SheetRowError] = []
        self.languages: list[str] = []
        self.language = "vi"
        self.lists: dict[str, list[Choice]] = {}
        self.names: dict[str, int] = {}  # question and item names -> their line
        self.conditions_to_check: list[tuple[_Row, list[Condition]]] = []
        self.factor_codes: set[str] | None = None
        self.factor_uses: list[tuple[_Row, str]] = []
        self.sections: list[Section] = []

    def error(self, row: _Row | None, column: str, message: str, sheet: str = SURVEY) -> None:
        self.errors.append(SheetRowError(row.line if row else 0, column, message, sheet=sheet))

    # settings, languages, lists, factors
    def read(self) -> FormSpec:
        settings_rows = self.sheets.get(SETTINGS, ([], []))[1]
        settings = settings_rows[0] if settings_rows else _Row(2, {})
        default_language = settings.get("default_language")
        self.choose_languages(default_language)
        self.read_choices()
        factors = self.read_factors()
        code = settings.get("form_id", "set_form_id") or Path(self.filename).stem or "form"
        title = self.text(settings, "form_title") or settings.get("set_form_title") or code
        survey_header, survey_rows = self.sheets[SURVEY]
        if not any(column == "type" for column, _language in survey_header):
            self.error(None, "", _("The survey sheet has no “type” column."))
            return FormSpec(code=code, title=title)
        root = self.build_tree(survey_rows)
        self.visit(root, [], "main", title)
        survey_refused = any(error.sheet == SURVEY for error in self.errors)
        if not any(section.questions for section in self.sections) and not survey_refused:
            self.error(None, "", _("The survey sheet has no questions."))
        self.check_references()
        return FormSpec(
            code=code,
            title=title,
            version=settings.get("version") or "1",
            language=self.language,
            source=settings.get("source"),
            factors=factors,
            sections=self.sections,
        )

    def choose_languages(self, default_language: str) -> None:
        """Label columns in order of preference: Vietnamese, the form's default language, the
        column without a language (which XLSForm gives the default language), then the others as
        they come; an empty cell falls back to the next."""
        found: list[str] = []
        for sheet in (SURVEY, CHOICES):
            for column, language in self.sheets.get(sheet, ([], []))[0]:
                if column in ("label", "hint") and language not in found:
                    found.append(language)
        named = [language for language in found if language]
        ordered = [language for language in named if _is_vietnamese(language)]
        if default_language in named:
            ordered.append(default_language)
        ordered.append("")
        ordered.extend(named)
        self.languages = list(dict.fromkeys(ordered))
        first = next((language for language in self.languages if language in found), "")
        if first:
            self.language = _language_code(first)
        elif default_language:
            self.language = _language_code(default_language)

    def text(self, row: _Row, column: str) -> str:
        return row.translated(column, self.languages)

    def read_choices(self) -> None:
        lines: dict[tuple[str, str], int] = {}
        for row in self.sheets.get(CHOICES, ([], []))[1]:
            list_name = row.get("list_name", "list name")
            name = row.get("name", "value")
            if not list_name:
                self.error(row, "list_name", _("The choice has no list name."), CHOICES)
                continue
            if not name:
                self.error(row, "name", _("The choice has no name."), CHOICES)
                continue
            if (list_name, name) in lines:
                self.error(
                    row,
                    "name",
                    _("The choice “%(name)s” is already in the list “%(list)s” (line %(line)d).")
                    % {"name": name, "list": list_name, "line": lines[list_name, name]},
                    CHOICES,
                )
                continue
            lines[list_name, name] = row.line
            self.lists.setdefault(list_name, []).append(Choice(name, self.text(row, "label")))

    def read_factors(self) -> list[Factor]:
        if FACTORS not in self.sheets:
            return []
        factors = []
        self.factor_codes = set()
        for row in self.sheets[FACTORS][1]:
            code = row.get("code")
            if not code:
                self.error(row, "code", _("The factor has no code."), FACTORS)
                continue
            if code in self.factor_codes:
                self.error(
                    row,
                    "code",
                    _("The factor “%(code)s” is listed twice.") % {"code": code},
                    FACTORS,
                )
                continue
            order_text = row.get("order") or "0"
            try:
                order = int(order_text)
            except ValueError:
                self.error(row, "order", _("The order must be a whole number."), FACTORS)
                continue
            self.factor_codes.add(code)
            factors.append(Factor(code, self.text(row, "name") or row.get("name"), order))
        return factors

    # the survey sheet
    def build_tree(self, rows: list[_Row]) -> _Group:
        root = _Group(None)
        stack = [root]
        for row in rows:
            type_ = " ".join(row.get("type").split())
            lowered = type_.lower()
            if not type_:
                self.error(row, "type", _("The row has no type."))
            elif lowered in _BEGIN_GROUP or lowered in _BEGIN_REPEAT:
                repeat = lowered in _BEGIN_REPEAT
                if repeat:
                    self.unsupported(row, type_)
                group = _Group(row, repeat=repeat)
                if not row.get("name"):
                    self.error(row, "name", _("The group has no name."))
                stack[-1].children.append(group)
                stack.append(group)
            elif lowered in _END_GROUP or lowered in _END_REPEAT:
                if len(stack) == 1 or stack[-1].repeat != (lowered in _END_REPEAT):
                    self.error(row, "type", _("“%(type)s” closes no open group.") % {"type": type_})
                else:
                    stack.pop()
            else:
                stack[-1].children.append(row)
        for group in stack[1:]:
            self.error(group.row, "type", _("The group is not closed."))
        return root

    def unsupported(self, row: _Row, type_: str) -> None:
        self.error(
            row, "type", _("The question type “%(type)s” is not supported.") % {"type": type_}
        )

    def new_section(self, code: str, title: str, conditions: list[Condition]) -> Section:
        used = {section.code for section in self.sections}
        unique, number = code, 2
        while unique in used:
            unique, number = f"{code}_{number}", number + 1
        section = Section(unique, title, show_when=list(conditions))
        self.sections.append(section)
        return section

    def visit(self, group: _Group, conditions: list[Condition], code: str, title: str) -> None:
        """Groups become sections: each group holding questions is one, named and titled by the
        group and shown under its own ``relevant`` and those of the groups around it. Questions
        outside any group form the section "main" titled by the form; questions of a group that
        follow a nested group go into a new section (code ``<group>_2``), so the order is kept.
        A field-list group in the table layout is one matrix question, not a section."""
        current: Section | None = None
        for child in group.children:
            if isinstance(child, _Group):
                matrix = self.matrix(child)
                if matrix is not None:
                    current = current or self.new_section(code, title, conditions)
                    current.questions.append(matrix)
                    continue
                own = self.relevant(child.row)
                name = child.row.get("name")
                self.visit(child, conditions + own, name, self.text(child.row, "label") or name)
                current = None
                continue
            question = self.question(child)
            if question is None:
                continue
            current = current or self.new_section(code, title, conditions)
            current.questions.append(question)
        if group.row is not None and not group.children:
            self.new_section(code, title, conditions)

    def relevant(self, row: _Row) -> list[Condition]:
        expression = row.get("relevant", "bind::relevant", "relevance")
        try:
            conditions = parse_relevant(expression)
        except RelevantExpressionError:
            self.error(
                row,
                "relevant",
                _(
                    "The relevant expression “%(expression)s” is not supported: use conditions "
                    "like ${q} = 'v', ${q} != 'v', selected(${q}, 'v') or ${q} > 3 joined with "
                    "“and”."
                )
                % {"expression": expression},
            )
            return []
        self.conditions_to_check.append((row, conditions))
        return conditions

    def required(self, row: _Row) -> bool:
        value = row.get("required", "bind::required").lower()
        if value in _YES:
            return True
        if value not in _NO:
            self.error(row, "required", _("Only yes or no is supported in “required”."))
        return False

    def claim_name(self, row: _Row) -> str:
        name = row.get("name")
        if not name:
            self.error(row, "name", _("The question has no name."))
        elif name in self.names:
            self.error(
                row,
                "name",
                _("The name “%(name)s” is already used on line %(line)d.")
                % {"name": name, "line": self.names[name]},
            )
        else:
            self.names[name] = row.line
        return name

    def factor(self, row: _Row) -> str:
        code = row.get("factor")
        if code:
            self.factor_uses.append((row, code))
        return code

    def select(self, row: _Row) -> tuple[str, str] | None:
        """("select_one" or "select_multiple", list name) of a select row, else None."""
        type_ = " ".join(row.get("type").split())
        lowered = type_.lower()
        for base, prefixes in (
            ("select_one", _SELECT_ONE_PREFIXES),
            ("select_multiple", _SELECT_MULTIPLE_PREFIXES),
        ):
            for prefix in prefixes:
                if lowered.startswith(prefix):
                    rest = type_[len(prefix) :].split()
                    return (base, rest[0]) if len(rest) == 1 else None
        return None

    def choices_of(self, row: _Row, list_name: str) -> list[Choice] | None:
        if list_name not in self.lists:
            self.error(
                row,
                "type",
                _("The list “%(list)s” is not in the choices sheet.") % {"list": list_name},
            )
            return None
        return [Choice(choice.value, choice.label) for choice in self.lists[list_name]]

    def question(self, row: _Row) -> Question | None:
        type_ = " ".join(row.get("type").split())
        lowered = type_.lower()
        if lowered in _SKIPPED_TYPES:
            return None
        select = self.select(row)
        if select is not None:
            base, list_name = select
        elif lowered in _KIND_OF_SIMPLE_TYPE:
            base, list_name = _KIND_OF_SIMPLE_TYPE[lowered], ""
        else:
            self.unsupported(row, type_)
            return None
        code = self.claim_name(row)
        choices = self.choices_of(row, list_name) if list_name else []
        kind = self.kind(row, base, type_, choices or [])
        if kind in (LIKERT5, YES_NO) and choices == default_choices(kind):
            choices = []  # the kind's own scale: the form module's default
        return Question(
            code=code,
            label=self.text(row, "label"),
            kind=kind,
            required=self.required(row) and kind != NOTE,  # a note takes no answer
            hint=self.text(row, "hint"),
            choices=choices or [],
            factor=self.factor(row),
            show_when=self.relevant(row),
        )

    def kind(self, row: _Row, base: str, type_: str, choices: list[Choice]) -> str:
        allowed = _KINDS_OF_TYPE[base]
        given = row.get("kind")
        if given:
            if given not in allowed:
                self.error(
                    row,
                    "kind",
                    _("The kind “%(kind)s” does not fit the type “%(type)s”.")
                    % {"kind": given, "type": type_},
                )
            return given
        if base != "select_one":
            return allowed[0]
        if [choice.value for choice in choices] == ["yes", "no"]:
            return YES_NO
        labels = [_norm_label(choice.label) for choice in choices]
        if labels in ([_norm_label(label) for label in LIKERT5_LABELS], list(_LIKERT5_ENGLISH)):
            return LIKERT5
        return SINGLE

    def matrix(self, group: _Group) -> Question | None:
        """The matrix question a field-list group in the table layout is (a header row with
        appearance "label", then select_one rows on the same list with "list-nolabel"), or None.
        A group our export marked ``kind`` matrix must have that shape."""
        row = group.row
        marked = row.get("kind") == MATRIX
        rows = group.children
        shape = (
            "field-list" in row.get("appearance", "control::appearance").split()
            and not group.repeat
            and len(rows) >= 2
            and all(isinstance(child, _Row) for child in rows)
        )
        if shape:
            selects = [self.select(child) for child in rows]
            appearances = [child.get("appearance", "control::appearance").split() for child in rows]
            shape = (
                all(select is not None and select[0] == "select_one" for select in selects)
                and len({select[1] for select in selects}) == 1
                and "label" in appearances[0]
                and all("list-nolabel" in appearance for appearance in appearances[1:])
                and not any(child.get("relevant", "bind::relevant") for child in rows)
            )
        if not shape:
            if marked:
                self.error(
                    row,
                    "kind",
                    _(
                        "A matrix must be a field-list group of a header row (appearance "
                        "“label”) and select_one rows on the same list (appearance "
                        "“list-nolabel”)."
                    ),
                )
            return None
        items_rows = rows[1:]
        code = self.claim_name(row)
        choices = self.choices_of(rows[0], selects[0][1])
        items = [
            MatrixItem(self.claim_name(item), self.text(item, "label"), self.factor(item))
            for item in items_rows
        ]
        required = [self.required(item) for item in items_rows]
        return Question(
            code=code,
            label=self.text(row, "label"),
            kind=MATRIX,
            required=all(required),
            hint=self.text(row, "hint") or self.text(rows[0], "hint"),
            choices=choices or [],
            items=items,
            factor=self.factor(row),
            show_when=self.relevant(row),
        )

    def check_references(self) -> None:
        for row, conditions in self.conditions_to_check:
            for condition in conditions:
                if condition.question not in self.names:
                    self.error(
                        row,
                        "relevant",
                        _("The condition refers to “%(name)s”, not a question of the form.")
                        % {"name": condition.question},
                    )
        if self.factor_codes is not None:
            for row, code in self.factor_uses:
                if code not in self.factor_codes:
                    self.error(
                        row,
                        "factor",
                        _("The factor “%(factor)s” is not in the factors sheet.")
                        % {"factor": code},
                    )


def _load_sheets(content: bytes) -> dict[str, tuple[list, list[_Row]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a broken file
        raise _file_error(
            _("The Excel file cannot be read: %(error)s") % {"error": error}
        ) from None
    try:
        sheets = {}
        for worksheet in workbook.worksheets:
            name = worksheet.title.strip().lower()
            if name not in sheets:
                sheets[name] = _sheet_rows(worksheet)
    finally:
        workbook.close()
    return sheets


def read_xlsform(content: bytes, *, filename: str = "") -> FormSpec:
    """The questionnaire of an XLSForm workbook, ours or one made in Kobo or ODK.

    Raises :class:`XLSFormError` with every problem found (sheet, line, column), or with
    pyxform's reason when pyxform refuses a workbook our checks accepted."""
    upload = ContentFile(content, name=filename or "form.xlsx")
    try:
        check_upload_bytes(upload, XLSX_SIGNATURES, _("Only .xlsx XLSForm files are accepted."))
    except UploadRefused as refusal:
        raise _file_error(str(refusal)) from None
    sheets = _load_sheets(content)
    if SURVEY not in sheets:
        raise _file_error(_("The workbook has no “survey” sheet."))
    reader = _Reader(sheets, filename)
    spec = reader.read()
    if reader.errors:
        raise XLSFormError(reader.errors)
    refusals = validate_with_pyxform(content)
    if refusals:
        raise XLSFormError(
            [
                SheetRowError(
                    0, "", _("pyxform refuses the form: %(error)s") % {"error": refusal}, sheet=""
                )
                for refusal in refusals
            ]
        )
    return spec
