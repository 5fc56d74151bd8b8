"""Survey points (điểm điều tra xã hội học): imported per unit, or taken from a survey source.

Survey leaves (method ``survey``) are not self-scored (BNV CV 383/384 of 28/01/2021); their points
come from the sociological survey the organiser runs (điều tra XHH; SIPAS is measured in the same
national round, par-sipas-plan-sources §0.3, §A4.3). A file has one row per unit (and per survey
leaf when the set has several):

* ``unit`` — the assessed unit's code (mã định danh);
* ``criterion`` — the survey leaf's code; may be left out when the set has a single survey leaf;
* either ``points`` — the points on that leaf, 0 … the leaf's maximum — or ``percent`` — a
  satisfaction index, 0 … the round's ``survey_scale`` (100 by default), converted as

      points = percent ÷ survey_scale × the leaf's maximum, rounded half up to two decimals

  (e.g. 86.24 % on a 25-point part → 86.24 ÷ 100 × 25 = 21.56). The conversion is the platform's
  documented default (the published schemes state the survey's share, not the formula); the scale
  is the round's configuration (Yên Bái's survey module weights answers A=100, B=60, C=20, D=0,
  i.e. a 0–100 scale).

Column headings are read in English or Vietnamese ("Mã đơn vị", "Mã tiêu chí", "Điểm", "Tỷ lệ hài
lòng (%)"). The import is all-or-nothing: every line's errors are reported and nothing is written
while one remains. Each change is an ``AssessmentEvent`` ``survey_points`` (criterion, from, to,
source) written under the assessment's row lock. Only the organiser's reform staff import, and
only until the round is published.

``survey_sources`` is the registry where a survey module (SIPAS, later) offers its results: an
entry's ``rows(round)`` returns the same rows as a file (dicts with ``unit``, ``criterion``,
``points`` or ``percent``), imported by :func:`import_from_source` through the same checks.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from cchc.common.importing import RowError
from cchc.common.registry import Registry
from cchc.conf import conf
from cchc.organisations.models import Role
from cchc.organisations.permissions import has_role
from cchc.workflow.history import record_event
from cchc.workflow.locking import locked, save_new_version

from . import engine
from .errors import ActionForbidden, ParIndexError, StaleRecord, TransitionNotAllowed
from .models import Assessment, AssessmentEvent, Criterion, LeafScore, Method, Round, RoundStatus

ACTION = "survey_points"
COLUMNS = {
    "unit": ("unit", "unit code", "ma don vi", "don vi", "ma dinh danh"),
    "criterion": ("criterion", "criterion code", "ma tieu chi", "tieu chi"),
    "points": ("points", "survey points", "diem", "diem dieu tra", "diem dieu tra xhh"),
    "percent": (
        "percent",
        "satisfaction",
        "ty le",
        "ty le hai long",
        "ty le hai long (%)",
        "chi so hai long",
        "chi so hai long (%)",
        "%",
    ),
}


class SurveyImportInvalid(ParIndexError):
    """The rows with their errors (``errors``: list of RowError); nothing was written."""

    def __init__(self, errors: list[RowError]):
        super().__init__(str(errors[0]), "file")
        self.errors = list(errors)


@dataclass(frozen=True)
class SurveySource:
    """A survey module's results offered to PAR INDEX (``rows(round) -> list[dict]``)."""

    key: str
    label: str
    rows: Callable[[Round], list[dict]]
    order: int = 0


survey_sources: Registry[SurveySource] = Registry("PAR INDEX survey sources")


@dataclass
class SurveyImport:
    rows: int = 0
    changed: int = 0
    unchanged: int = 0
    changes: list[dict] = field(default_factory=list)


def convert(percent: Decimal, scale: Decimal, maximum: Decimal) -> Decimal:
    """Satisfaction index → points: percent ÷ scale × maximum, rounded half up to 0.01."""
    return engine.round_half_up(Decimal(percent) / Decimal(scale) * Decimal(maximum))


# -- reading a file ------------------------------------------------------------------------------
def _plain(text) -> str:
    text = unicodedata.normalize("NFD", str(text or "")).replace("đ", "d").replace("Đ", "D")
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(text.lower().replace("_", " ").split())


def _column(heading) -> str:
    plain = _plain(heading)
    for name, aliases in COLUMNS.items():
        if plain in aliases:
            return name
    return ""


def read_file(name: str, content: bytes) -> list[tuple[int, dict]]:
    """``[(line, {column: value})]`` from a CSV (UTF-8, "," or ";") or XLSX file."""
    if len(content) > conf.IMPORT_MAX_BYTES:
        raise SurveyImportInvalid([RowError(0, "", _("The file is larger than the import limit."))])
    lower = (name or "").lower()
    if lower.endswith(".xlsx"):
        if not content.startswith(b"PK\x03\x04"):
            raise SurveyImportInvalid(
                [RowError(0, "", _("The file's content does not match its type."))]
            )
        table = _xlsx(content)
    elif lower.endswith(".csv"):
        table = _csv(content)
    else:
        raise SurveyImportInvalid([RowError(0, "", _("Upload a CSV or XLSX file."))])
    if not table:
        raise SurveyImportInvalid([RowError(0, "", _("The file is empty."))])
    (header_line, header), *body = table
    names = [_column(heading) for heading in header]
    if "unit" not in names or not ({"points", "percent"} & set(names)):
        raise SurveyImportInvalid(
            [
                RowError(
                    header_line,
                    "",
                    _(
                        "The first row must name the columns: unit code, criterion code "
                        "(optional), points or percent."
                    ),
                )
            ]
        )
    rows = []
    for line, values in body:
        row = {}
        for name, value in zip(names, values, strict=False):
            if name and value not in (None, ""):
                row[name] = value
        if row:
            rows.append((line, row))
    return rows


def _csv(content: bytes) -> list[tuple[int, list]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SurveyImportInvalid(
            [RowError(0, "", _("The CSV file must be encoded in UTF-8."))]
        ) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [
            (reader.line_num, [value.strip() for value in values])
            for values in reader
            if any(value.strip() for value in values)
        ]
    except csv.Error as error:
        raise SurveyImportInvalid([RowError(reader.line_num, "", str(error))]) from None


def _xlsx(content: bytes) -> list[tuple[int, list]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a broken file
        raise SurveyImportInvalid([RowError(0, "", _("The Excel file cannot be read."))]) from None
    rows = []
    for line, values in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
        if any(value not in (None, "") for value in values):
            rows.append((line, [("" if v is None else v) for v in values]))
    workbook.close()
    return rows


# -- checking the rows ---------------------------------------------------------------------------
def _number(value, line: int, column: str, errors: list) -> Decimal | None:
    if isinstance(value, float):
        value = repr(value)
    try:
        return engine.to_decimal(value, field=column)
    except engine.ScoringError:
        errors.append(RowError(line, column, _("Enter a number, for example 86,24.")))
        return None


def check_rows(round_: Round, rows: list[tuple[int, dict]]) -> tuple[list, list[RowError]]:
    """``[(assessment id, Criterion, points, percent or None)]`` and every error, by line."""
    leaves = {
        c.code: c
        for c in Criterion.objects.filter(criteria_set=round_.criteria_set_id, method=Method.SURVEY)
    }
    assessments = dict(Assessment.objects.filter(round=round_).values_list("unit__code", "pk"))
    errors: list[RowError] = []
    planned: list = []
    seen: dict[tuple[int, str], int] = {}
    if not leaves:
        return [], [RowError(0, "", _("This criteria set has no survey criterion."))]
    for line, row in rows:
        code = str(row.get("unit", "")).strip()
        assessment_id = assessments.get(code)
        if not code:
            errors.append(RowError(line, "unit", _("The unit code is missing.")))
        elif assessment_id is None:
            errors.append(
                RowError(
                    line,
                    "unit",
                    _("No unit with the code “%(code)s” in this round.") % {"code": code[:64]},
                )
            )
        criterion_code = str(row.get("criterion", "")).strip()
        if isinstance(row.get("criterion"), float) and row["criterion"].is_integer():
            criterion_code = str(int(row["criterion"]))
        if not criterion_code:
            if len(leaves) == 1:
                leaf = next(iter(leaves.values()))
            else:
                leaf = None
                errors.append(
                    RowError(
                        line, "criterion", _("Name the survey criterion: this set has several.")
                    )
                )
        else:
            leaf = leaves.get(criterion_code)
            if leaf is None:
                errors.append(
                    RowError(
                        line,
                        "criterion",
                        _("“%(code)s” is not a survey criterion of this set.")
                        % {"code": criterion_code[:30]},
                    )
                )
        has_points, has_percent = "points" in row, "percent" in row
        if has_points == has_percent:
            errors.append(
                RowError(line, "", _("Give either the points or the percentage, not both."))
            )
            continue
        column = "points" if has_points else "percent"
        value = _number(row[column], line, column, errors)
        if value is None or leaf is None or assessment_id is None:
            continue
        if has_percent:
            if not 0 <= value <= round_.survey_scale:
                errors.append(
                    RowError(
                        line,
                        column,
                        _("A satisfaction index is between 0 and %(scale)s.")
                        % {"scale": engine.round_half_up(round_.survey_scale)},
                    )
                )
                continue
            points = convert(value, round_.survey_scale, leaf.max_points)
        else:
            if not 0 <= value <= leaf.max_points:
                errors.append(
                    RowError(
                        line,
                        column,
                        _("Points are between 0 and %(maximum)s.") % {"maximum": leaf.max_points},
                    )
                )
                continue
            points = engine.round_half_up(value)
        key = (assessment_id, leaf.code)
        if key in seen:
            errors.append(
                RowError(
                    line,
                    "unit",
                    _("This unit and criterion are already on line %(line)d.")
                    % {"line": seen[key]},
                )
            )
            continue
        seen[key] = line
        planned.append((assessment_id, leaf, points, value if has_percent else None))
    return planned, errors


# -- the service ---------------------------------------------------------------------------------
def can_import(actor, round_: Round) -> bool:
    return has_role(actor, [Role.REFORM_STAFF], round_.organiser)


def _guard(actor, round_: Round) -> None:
    if not can_import(actor, round_):
        raise ActionForbidden(_("Only the organiser's reform staff enter survey points."))
    if round_.status == RoundStatus.PUBLISHED:
        raise TransitionNotAllowed(
            _("The results are published: survey points can no longer change.")
        )


@transaction.atomic
def import_rows(round_id: int, rows: list[tuple[int, dict]], actor, source: str) -> SurveyImport:
    """Check every row, then write them all (or nothing): see the module docstring."""
    round_ = Round.objects.select_related("criteria_set", "organiser").filter(pk=round_id).first()
    if round_ is None:
        raise ParIndexError(_("This assessment round does not exist."))
    _guard(actor, round_)
    planned, errors = check_rows(round_, rows)
    if errors:
        raise SurveyImportInvalid(errors)
    outcome = SurveyImport(rows=len(rows))
    by_assessment: dict[int, list] = {}
    for assessment_id, leaf, points, percent in planned:
        by_assessment.setdefault(assessment_id, []).append((leaf, points, percent))
    source = (source or "")[:255]
    for assessment_id in sorted(by_assessment):  # one lock order: no deadlock between imports
        assessment = locked(
            Assessment.objects.all(),
            assessment_id,
            None,
            stale_error=StaleRecord(_("Someone else has just updated this assessment.")),
        )
        changed = False
        for leaf, points, percent in by_assessment[assessment_id]:
            score, _created = LeafScore.objects.select_for_update().get_or_create(
                assessment=assessment, criterion=leaf
            )
            before = score.survey_score
            if before == points and score.survey_source == source:
                outcome.unchanged += 1
                continue
            score.survey_score = points
            score.survey_source = source
            score.version += 1
            score.save()
            data = {
                "from": None if before is None else str(before),
                "to": str(points),
                "source": source,
            }
            if percent is not None:
                data["percent"] = str(percent)
                data["scale"] = str(round_.survey_scale)
            record_event(
                assessment,
                AssessmentEvent(action=ACTION, criterion_code=leaf.code),
                actor,
                status_before=assessment.status,
                data=data,
            )
            outcome.changed += 1
            outcome.changes.append({"assessment": assessment_id, "criterion": leaf.code, **data})
            changed = True
        if changed:
            save_new_version(assessment)
    return outcome


def import_file(round_id: int, name: str, content: bytes, actor) -> SurveyImport:
    """A CSV/XLSX file of survey points (see the module docstring)."""
    round_ = Round.objects.select_related("organiser").filter(pk=round_id).first()
    if round_ is None:
        raise ParIndexError(_("This assessment round does not exist."))
    _guard(actor, round_)  # refuse before reading the file
    return import_rows(round_id, read_file(name, content), actor, source=name)


def import_from_source(round_id: int, key: str, actor, criterion: str = "") -> SurveyImport:
    """The rows a registered survey source (e.g. SIPAS) offers for the round, through the same
    checks as a file, on the survey leaf ``criterion`` (needed when the set has several).

    The actor's right is checked before the source computes anything. A survey usually covers
    more units than one round (a provincial SIPAS campaign surveys departments and communes):
    rows of units the round does not assess are left out, not errors. A source with nothing for
    the round's units is a refusal, not an empty import."""
    round_ = Round.objects.select_related("organiser").filter(pk=round_id).first()
    if round_ is None:
        raise ParIndexError(_("This assessment round does not exist."))
    _guard(actor, round_)
    source = survey_sources.get(key or "")
    if source is None:
        raise ParIndexError(_("There is no such survey source."), "source")
    assessed = set(Assessment.objects.filter(round=round_).values_list("unit__code", flat=True))
    offered = [row for row in source.rows(round_) if str(row.get("unit", "")).strip() in assessed]
    if not offered:
        raise ParIndexError(
            _("%(source)s has no results for the units of this round in %(year)s.")
            % {"source": source.label, "year": round_.year},
            "source",
        )
    criterion = (criterion or "").strip()
    rows = [
        (number, {**row, "criterion": criterion} if criterion else dict(row))
        for number, row in enumerate(offered, start=1)
    ]
    return import_rows(round_id, rows, actor, source=str(source.label))
