"""Services for criteria sets (bộ tiêu chí): save a set from an engine tree, all or nothing.

A set is data, versioned by year and level (Decisions 876/QĐ-BNV 2022, 892/QĐ-BNV 2024,
1187/QĐ-BNV 2025 nationally; provincial decisions such as Hà Nội 5666/QĐ-UBND 2025 for sở and
xã): saving a tree for a (year, level)

* validates it first with :func:`cchc.parindex.engine.validate` (every problem at once, each
  naming the node's code and, from a sheet, its line); nothing is written when any is found;
* replaces the criteria of the latest version when no round uses it yet (a draft being
  corrected);
* otherwise makes a **new version** (``version`` + 1): a set a round uses is frozen, so the
  scores already entered keep the criteria they were entered against.

Messages are Vietnamese (English msgids through Django i18n); :class:`~.errors.CriteriaSetInvalid`
carries them as ``(line, code, message)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from . import engine
from .engine.notation import NotationError, format_spec, vi_number
from .errors import CriteriaSetInvalid
from .models import CriteriaSet, Criterion, Level


@dataclass
class Details:
    """What a node carries besides the engine's fields (shown to officers, not scored)."""

    method_text: str = ""  # cách chấm as written
    evidence_required: str = ""  # tài liệu kiểm chứng
    responsible_hint: str = ""  # the office that usually answers for it


# -- Vietnamese messages ------------------------------------------------------------------------
def _n(value) -> str:
    try:
        return vi_number(value)
    except Exception:  # a message never fails
        return str(value)


def scoring_error_message(code: str, params: dict) -> str:
    """A :class:`~.engine.ScoringError` in Vietnamese (through the msgids below)."""
    messages = {
        "unknown_method": _("Unknown scoring method %(method)s."),
        "level_key": _("Each level needs its own key."),
        "spec_empty": _("The scoring rule lists nothing to choose from."),
        "deduction_percent": _("A deduction is between 0% and 100%."),
        "band_order": _("Bands go from the highest threshold down."),
        "metric_missing": _("A computed criterion names the platform figure it is scored from."),
        "points_range": _("A level gives %(points)s points, outside 0–%(maximum)s."),
        "not_a_number": _("%(field)s is not a number."),
    }
    template = messages.get(code, _("The scoring rule cannot be used."))
    values = {
        key: _n(value) if key in ("points", "maximum") else value for key, value in params.items()
    }
    try:
        return template % values
    except (KeyError, TypeError, ValueError):
        return template


def notation_message(error: NotationError) -> str:
    """A :class:`~.engine.notation.NotationError` in Vietnamese."""
    part = error.part
    params = {**error.params, "part": part}
    messages = {
        "empty": _("No scoring rule is written."),
        "number": _("“%(part)s” is not a number."),
        "label_missing": _("An item has no label: “%(part)s”."),
        "duplicate_key": _("Two items have the key %(key)s."),
        "no_colon": _("“%(part)s”: write the condition, a colon, then the points."),
        "unknown_method": _(
            "Unknown method “%(part)s” (levels, bands, deduction, number, computed, survey)."
        ),
        "metric_missing": _(
            "“%(part)s”: write “Tự động từ dữ liệu: <figure>” then the bands or “tỷ lệ thuận”."
        ),
        "computed_rule": _("“%(part)s”: after the figure, write the bands or “tỷ lệ thuận”."),
        "maximum_unknown": _("“%(part)s”: the maximum points are not known."),
        "points": _("“%(part)s”: the points are not a number."),
        "deduction": _("“%(part)s”: write “trừ 50%%” or “không trừ” (0%%–100%%)."),
        "band": _("“%(part)s”: write “trên 90%%”, “70%%–90%%”, “từ 90%% trở lên” or “dưới 70%%”."),
        "band_range": _("“%(part)s”: the range is upside down."),
        "band_rest": _("“%(part)s”: only one band can catch the rest."),
        "band_twice": _("“%(part)s”: two bands start at the same value."),
        "band_gap": _(
            "“%(part)s”: the band ends at %(upper)s%% but the band above starts at %(lower)s%%."
        ),
    }
    template = messages.get(error.code, _("“%(part)s” cannot be read as a scoring rule."))
    try:
        return template % params
    except (KeyError, TypeError, ValueError):
        return template


def problem_message(problem: engine.Problem, node: engine.Node | None = None) -> str:
    """An engine validation :class:`~.engine.Problem` in Vietnamese, naming the node (``node``:
    the problem's node, to word a scoring-rule error with its own figures)."""
    params = {
        key: _n(value) if isinstance(value, Decimal) else value
        for key, value in problem.params.items()
    }
    code = problem.code
    if problem.kind == "method_invalid":
        error_code, error_params = problem.params.get("error_code", ""), {}
        if node is not None:
            try:
                engine.validate_spec(node.method, node.spec, node.max_points)
            except engine.ScoringError as error:
                error_code, error_params = error.code, error.params
        return _("Criterion %(code)s: %(error)s") % {
            "code": code,
            "error": scoring_error_message(error_code, error_params),
        }
    messages = {
        "block": _("Criterion %(code)s: unknown block %(block)s."),
        "duplicate_code": _("The code %(code)s is used twice."),
        "total_mismatch": _(
            "The fields add up to %(total)s points, the set declares %(declared)s."
        ),
        "code_missing": _("A criterion has no code."),
        "name_missing": _("Criterion %(code)s has no name."),
        "max_invalid": _("Criterion %(code)s needs a maximum of 0 or more."),
        "method_missing": _("Criterion %(code)s has no scoring method."),
        "sum_mismatch": _("The parts of %(code)s add up to %(children)s points, not %(maximum)s."),
        "cap_short": _("The parts of %(code)s add up to %(children)s, below its cap %(maximum)s."),
        "aggregation": _("Unknown way to add up %(code)s."),
    }
    template = messages.get(problem.kind)
    if template is None:
        return problem.message
    try:
        return template % {"code": code, **params}
    except (KeyError, TypeError, ValueError):
        return problem.message


def problems_as_rows(
    problems: list[engine.Problem], roots: list[engine.Node] | None = None
) -> list[tuple]:
    """``(line, code, message)`` for :class:`CriteriaSetInvalid`, in line order."""
    nodes = {node.code: node for root in roots or [] for node in root.walk()}
    rows = [
        (problem.line, problem.code, problem_message(problem, nodes.get(problem.code)))
        for problem in problems
    ]
    return sorted(rows, key=lambda row: (row[0] is None, row[0] or 0))


# -- saving --------------------------------------------------------------------------------------
def check(roots: list[engine.Node], declared_total) -> list[tuple]:
    """Every problem of the tree as ``(line, code, message)`` (empty: the tree is valid)."""
    return problems_as_rows(engine.validate(roots, Decimal(declared_total)), roots)


def latest_set(year: int, level: str) -> CriteriaSet | None:
    return CriteriaSet.objects.filter(year=year, level=level).order_by("-version").first()


def save_set(
    *,
    name: str,
    year: int,
    level: str,
    roots: list[engine.Node],
    details: dict[str, Details] | None = None,
    declared_total=100,
    legal_basis: str = "",
    notes: str = "",
    is_sample: bool = False,
    new_version: bool = False,
) -> CriteriaSet:
    """Save the tree as the criteria set of ``year`` and ``level`` (see the module docstring).

    ``new_version`` forces a new version even when the latest is not used yet. Raises
    :class:`CriteriaSetInvalid` with every problem; nothing is written then.
    """
    problems = []
    if level not in Level.values:
        problems.append((None, "", _("Unknown level %(level)s.") % {"level": level}))
    if not (2000 <= int(year) <= 2100):
        problems.append((None, "", _("The year %(year)s is not plausible.") % {"year": year}))
    if not name.strip():
        problems.append((None, "", _("The criteria set needs a name.")))
    too_long = _("%(what)s is longer than %(limit)s characters.")
    if len(name) > 255:
        problems.append((None, "", too_long % {"what": _("The name"), "limit": 255}))
    if len(legal_basis) > 500:
        problems.append((None, "", too_long % {"what": _("The legal basis"), "limit": 500}))
    for root in roots:
        for node in root.walk():
            hint = (details or {}).get(node.code, Details()).responsible_hint
            if len(node.code) > 30 or len(hint) > 255:
                what = _("The code") if len(node.code) > 30 else _("The responsible office")
                message = too_long % {"what": what, "limit": 30 if len(node.code) > 30 else 255}
                if node.line is not None:
                    message = _("Line %(line)s: %(message)s") % {
                        "line": node.line,
                        "message": message,
                    }
                problems.append((node.line, node.code[:30], message))
    problems.extend(check(roots, declared_total))
    if problems:
        raise CriteriaSetInvalid(problems)
    details = details or {}
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return _write(
                    name=name.strip(),
                    year=int(year),
                    level=level,
                    roots=roots,
                    details=details,
                    declared_total=Decimal(declared_total),
                    legal_basis=legal_basis,
                    notes=notes,
                    is_sample=is_sample,
                    new_version=new_version,
                )
        except IntegrityError:  # another import took the version number meanwhile: next one
            continue
    raise CriteriaSetInvalid([(None, "", _("The criteria set is being changed; try again."))])


def _write(
    *, name, year, level, roots, details, declared_total, legal_basis, notes, is_sample, new_version
) -> CriteriaSet:
    latest = (
        CriteriaSet.objects.select_for_update()
        .filter(year=year, level=level)
        .order_by("-version")
        .first()
    )
    if latest is not None and not new_version and not latest.in_use:
        criteria_set = latest
        criteria_set.criteria.all().delete()  # unused: nothing points at its criteria
    else:
        criteria_set = CriteriaSet(
            year=year, level=level, version=(latest.version + 1) if latest else 1
        )
    criteria_set.name = name
    criteria_set.declared_total = declared_total
    criteria_set.legal_basis = legal_basis
    criteria_set.notes = notes
    criteria_set.is_sample = is_sample
    criteria_set.save()
    position = 0
    for root in roots:
        position = _write_node(criteria_set, root, None, position, details, root.block)
    return criteria_set


def _write_node(criteria_set, node: engine.Node, parent, position, details, block) -> int:
    extra = details.get(node.code) or Details()
    method_text = extra.method_text
    if node.is_leaf and node.method and not method_text:
        method_text = format_spec(node.method, node.spec)
    row = Criterion.objects.create(
        criteria_set=criteria_set,
        parent=parent,
        position=position,
        code=node.code,
        name=node.name,
        max_points=node.max_points,
        block=block,
        aggregation=node.aggregation,
        method=node.method if node.is_leaf else "",
        method_spec=node.spec if node.is_leaf else {},
        method_text=method_text if node.is_leaf else "",
        evidence_required=extra.evidence_required,
        may_be_not_applicable=node.may_be_not_applicable,
        responsible_hint=extra.responsible_hint,
    )
    position += 1
    for child in node.children:
        position = _write_node(criteria_set, child, row, position, details, block)
    return position


def details_of(criteria_set: CriteriaSet) -> dict[str, Details]:
    """The officers' texts of a saved set, by code (for export and copies)."""
    return {
        row.code: Details(row.method_text, row.evidence_required, row.responsible_hint)
        for row in criteria_set.criteria.all()
    }


def copy_set(
    criteria_set: CriteriaSet, *, year: int, name: str | None = None, is_sample: bool | None = None
) -> CriteriaSet:
    """The same criteria for another year (a new set; the original is left as it is)."""
    return save_set(
        name=name or criteria_set.name,
        year=year,
        level=criteria_set.level,
        roots=criteria_set.tree(),
        details=details_of(criteria_set),
        declared_total=criteria_set.declared_total,
        legal_basis=criteria_set.legal_basis,
        notes=criteria_set.notes,
        is_sample=criteria_set.is_sample if is_sample is None else is_sample,
    )
