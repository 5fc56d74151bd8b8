"""Every write of the PAR INDEX yearly round, each checking state, actor and input first.

Round (kỳ đánh giá)::

    draft ──open──▶ self_assessment ──start_appraisal──▶ appraisal ──decide──▶ decided
          ──publish──▶ published

Unit's assessment (bản tự đánh giá)::

    draft ──submit (leader)──▶ submitted ──decide (round)──▶ appraised ──publish (round)──▶ …
      ▲                           │
      └──reopen (organiser)───────┘  (only while the round is still in self-assessment)

Process (docs/parindex.md, "Workflow"): units self-score each sub-criterion against its scoring
rule, attach evidence (tài liệu kiểm chứng) or write an explanation (giải trình) where they have
none, and the unit's leadership approves and sends the self-assessment (BNV CV 383/BNV-CCHC and
384/BNV-CCHC of 28/01/2021); survey criteria are not self-scored (same letters); an appraisal
council with a chair and a secretary reviews each criterion, fixes the appraised score and may ask
for explanations (Hà Nội QĐ 4762/QĐ-UBND 2024; Cần Thơ software "phản hồi giải trình"); the
results are approved by a decision and published. Self score and appraised score are both kept.

Every action runs in one transaction: the record's row locked (``cchc.workflow.locking``), the
state checked with the transition tables (``transitions``), the actor and the input checked, the
change saved as a new version, a sealed event appended (``record_event``: who, when, from, to,
why) and the topic of ``events`` published. A refusal raises a :class:`~.errors.ParIndexError`
before anything is written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cchc.common.uploads import UploadRefused, check_upload_bytes
from cchc.notifications import services as outbox
from cchc.organisations.models import OrganisationUnit, Role, RoleAssignment
from cchc.organisations.permissions import has_role
from cchc.workdays import services as workdays
from cchc.workdays.engine import Rule, TimeLimit
from cchc.workflow.history import record_event
from cchc.workflow.locking import locked, save_new_version

from . import engine
from .errors import ActionForbidden, ParIndexError, StaleRecord, TransitionNotAllowed
from .events import assessment_changed, round_changed
from .metrics import metrics
from .models import (
    AppraisalState,
    Assessment,
    AssessmentEvent,
    AssessmentStatus,
    CouncilMember,
    CouncilRole,
    CriteriaSet,
    Criterion,
    Evidence,
    EvidenceKind,
    ExplanationRequest,
    LeafScore,
    ReminderSent,
    Round,
    RoundEvent,
    RoundStatus,
)
from .transitions import (
    ASSESSMENT_TRANSITIONS,
    ORGANISER_ROLES,
    ROUND_TRANSITIONS,
    SCORING_ROLES,
    council_seat,
)

TEXT_MAX = 5000
NAME_MAX = 255
# Evidence files: scanned or signed PDF, photos, office documents (BNV CV 383/384: TLKC are the
# documents issued; Cần Thơ's software takes them as attachments). Judged by the file's own bytes.
OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # .doc, .xls (Office 97–2003)
ZIP = (b"PK\x03\x04",)  # .docx, .xlsx, .odt, .ods
EVIDENCE_TYPES = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".doc": OLE,
    ".xls": OLE,
    ".docx": ZIP,
    ".xlsx": ZIP,
    ".odt": ZIP,
    ".ods": ZIP,
}
RECORD_URL_PREFIXES = ("/", "https://", "http://")


# -- reading under lock ---------------------------------------------------------------------------
def _stale() -> StaleRecord:
    return StaleRecord(_("Someone else has just changed this record. Reload the page and check."))


def _lock_round(round_id, expected_version=None) -> Round:
    return locked(
        Round.objects.select_related("organiser", "criteria_set"),
        round_id,
        expected_version,
        stale_error=_stale(),
        missing_error=ParIndexError(_("This assessment round does not exist.")),
    )


def _lock_assessment(assessment_id, expected_version=None) -> Assessment:
    return locked(
        Assessment.objects.select_related("round", "unit", "round__organiser"),
        assessment_id,
        expected_version,
        stale_error=_stale(),
        missing_error=ParIndexError(_("This self-assessment does not exist.")),
    )


def _lock_leaf(leaf_id, expected_version=None) -> tuple[Assessment, LeafScore]:
    """The leaf's assessment (the owner of the history) and then the leaf, both locked."""
    assessment_id = (
        LeafScore.objects.filter(pk=leaf_id).values_list("assessment_id", flat=True).first()
    )
    if assessment_id is None:
        raise ParIndexError(_("This criterion does not exist in the self-assessment."))
    assessment = _lock_assessment(assessment_id)
    leaf = locked(
        LeafScore.objects.select_related("criterion", "responsible_unit"),
        leaf_id,
        expected_version,
        stale_error=_stale(),
    )
    return assessment, leaf


# -- history and events ---------------------------------------------------------------------------
def _round_event(round_: Round, actor, action: str, *, status_before: str, note="", data=None):
    event = RoundEvent(round=round_, action=action, unit=round_.organiser.name)
    record_event(round_, event, actor, status_before=status_before, note=note, data=data)
    round_changed.publish(round=round_, action=action)
    return event


def _assessment_event(
    assessment: Assessment,
    actor,
    action: str,
    *,
    status_before: str | None = None,
    criterion_code: str = "",
    note: str = "",
    data: dict | None = None,
):
    event = AssessmentEvent(
        assessment=assessment,
        action=action,
        unit=assessment.unit.name,
        criterion_code=criterion_code,
    )
    before = assessment.status if status_before is None else status_before
    record_event(assessment, event, actor, status_before=before, note=note, data=data)
    assessment_changed.publish(assessment=assessment, action=action, criterion_code=criterion_code)
    return event


def _points(value) -> str | None:
    return None if value is None else str(value)


# -- small checks ---------------------------------------------------------------------------------
def _text(value, field: str, *, required_message: str | None = None, maximum=TEXT_MAX) -> str:
    value = (value or "").strip()
    if required_message and not value:
        raise ParIndexError(required_message, field)
    if len(value) > maximum:
        raise ParIndexError(
            _("This text is too long (at most %(n)d characters).") % {"n": maximum}, field
        )
    return value


def _require_round_status(round_: Round, statuses, label: str) -> None:
    if round_.status not in statuses:
        raise TransitionNotAllowed(
            _("Cannot %(action)s: the round is “%(status)s”.")
            % {"action": label, "status": round_.get_status_display()}
        )


def is_organiser(actor, round_: Round) -> bool:
    """Reform staff (cán bộ CCHC, Sở Nội vụ) of the unit running the round."""
    return has_role(actor, list(ORGANISER_ROLES), round_.organiser)


def _require_organiser(actor, round_: Round) -> None:
    if not is_organiser(actor, round_):
        raise ActionForbidden(_("Only the reform staff of the organising unit may do this."))


def responsible_unit(leaf: LeafScore, assessment: Assessment) -> OrganisationUnit:
    return leaf.responsible_unit or assessment.unit


def may_score(actor, leaf: LeafScore, assessment: Assessment) -> bool:
    """A scoring role held in the leaf's responsible office (or a unit above it)."""
    return has_role(actor, list(SCORING_ROLES), responsible_unit(leaf, assessment))


def field_of(criterion: Criterion) -> Criterion:
    """The top-level criterion (lĩnh vực) a node belongs to."""
    node = criterion
    while node.parent_id is not None:
        node = node.parent
    return node


def may_appraise(actor, round_: Round, criterion: Criterion, memo: dict | None = None) -> bool:
    """A council seat on the round: the chair and the secretary appraise every field, a member
    the fields assigned to them (Hà Nội QĐ 4762/2024: members are assigned to fields)."""
    seat = council_seat(actor, round_, memo)
    if seat is None:
        return False
    if seat.role in (CouncilRole.CHAIR, CouncilRole.SECRETARY):
        return True
    return seat.fields.filter(pk=field_of(criterion).pk).exists()


def scoring_message(error: engine.ScoringError, criterion: Criterion) -> str:
    """The engine's refusal in Vietnamese, for the field "value"."""
    if error.code == "not_a_number":
        return _("Enter a number.")
    if error.code == "unknown_level":
        return _("Choose one of the listed levels.")
    if error.code == "percent_range":
        return _("A percentage is between 0 and 100.")
    if error.code == "points_range":
        return _("Points are between 0 and %(maximum)s.") % {
            "maximum": formats.localize(criterion.max_points)
        }
    return _("The scoring rule of this criterion is incomplete; ask the organiser to correct it.")


# -- rounds ---------------------------------------------------------------------------------------
GRADE_PRESET_CHOICES = tuple(engine.GRADE_PRESETS)


def grade_bands_data(bands) -> list[dict]:
    """Grade bands as stored on the round: a preset name of ``engine.GRADE_PRESETS`` or a list of
    ``{"label", "minimum"}`` highest first, the last one without a minimum."""
    if isinstance(bands, str):
        if bands not in engine.GRADE_PRESETS:
            raise ParIndexError(_("Unknown grade band preset."), "grade_bands")
        bands = [
            {"label": band.label, "minimum": None if band.minimum is None else str(band.minimum)}
            for band in engine.GRADE_PRESETS[bands]
        ]
    cleaned = []
    previous = None
    for position, band in enumerate(bands or []):
        label = str(band.get("label") or "").strip()
        minimum = band.get("minimum")
        last = position == len(bands) - 1
        if not label:
            raise ParIndexError(_("Each grade band needs a label."), "grade_bands")
        if minimum in (None, ""):
            if not last:
                raise ParIndexError(_("Only the last grade band has no minimum."), "grade_bands")
            cleaned.append({"label": label, "minimum": None})
            continue
        try:
            value = engine.to_decimal(minimum)
        except engine.ScoringError:
            raise ParIndexError(_("A grade band's minimum is a number."), "grade_bands") from None
        if not 0 <= value <= 100 or (previous is not None and value >= previous):
            raise ParIndexError(
                _("Grade band minimums go down from the highest, between 0 and 100."),
                "grade_bands",
            )
        previous = value
        cleaned.append({"label": label, "minimum": str(value)})
    return cleaned


@dataclass
class RoundSetup:
    """What the organiser sets before the round opens."""

    name: str
    year: int
    criteria_set: CriteriaSet
    organiser: OrganisationUnit
    units: list
    self_assessment_opens: date
    self_assessment_closes: date
    appraisal_closes: date
    explanation_days: int = 5
    publication_date: date | None = None
    grade_bands: object = "abc"  # a preset name or a list of bands
    survey_scale: Decimal = Decimal(100)


def _validate_setup(setup: RoundSetup) -> None:
    _text(setup.name, "name", required_message=_("Enter the round's name."), maximum=NAME_MAX)
    if setup.criteria_set is None:
        raise ParIndexError(_("Choose the criteria set."), "criteria_set")
    if not 2000 <= int(setup.year) <= 2100:
        raise ParIndexError(_("Enter a valid year."), "year")
    if setup.criteria_set.year != int(setup.year):
        raise ParIndexError(
            _("The criteria set is for %(year)s.") % {"year": setup.criteria_set.year},
            "criteria_set",
        )
    if not setup.units:
        raise ParIndexError(_("Choose at least one unit to assess."), "units")
    if setup.organiser in setup.units:
        raise ParIndexError(_("The organising unit does not assess itself here."), "units")
    if not (setup.self_assessment_opens <= setup.self_assessment_closes <= setup.appraisal_closes):
        raise ParIndexError(
            _("The dates go in order: self-assessment opens, closes, then the appraisal closes."),
            "self_assessment_closes",
        )
    if setup.publication_date and setup.publication_date < setup.appraisal_closes:
        raise ParIndexError(_("Publication comes after the appraisal closes."), "publication_date")
    if not 1 <= int(setup.explanation_days) <= 60:
        raise ParIndexError(_("Between 1 and 60 working days."), "explanation_days")
    if not Decimal(0) < Decimal(setup.survey_scale) <= Decimal(1000):
        raise ParIndexError(_("Enter a positive number."), "survey_scale")


def _apply_setup(round_: Round, setup: RoundSetup) -> None:
    round_.name = setup.name.strip()
    round_.year = int(setup.year)
    round_.criteria_set = setup.criteria_set
    round_.organiser = setup.organiser
    round_.self_assessment_opens = setup.self_assessment_opens
    round_.self_assessment_closes = setup.self_assessment_closes
    round_.appraisal_closes = setup.appraisal_closes
    round_.explanation_days = int(setup.explanation_days)
    round_.publication_date = setup.publication_date
    round_.grade_bands = grade_bands_data(setup.grade_bands)
    round_.survey_scale = Decimal(setup.survey_scale)


def _set_units(round_: Round, units) -> None:
    """The assessed units are the round's assessments (created here, scored from ``open``)."""
    wanted = {unit.pk for unit in units}
    round_.assessments.exclude(unit_id__in=wanted).delete()  # draft: no history yet
    known = set(round_.assessments.values_list("unit_id", flat=True))
    Assessment.objects.bulk_create(
        [Assessment(round=round_, unit_id=pk) for pk in sorted(wanted - known)]
    )


@transaction.atomic
def create_round(actor, setup: RoundSetup) -> Round:
    """A new round in draft, set up by the reform staff of the organising unit."""
    if setup.organiser is None or not has_role(actor, list(ORGANISER_ROLES), setup.organiser):
        raise ActionForbidden(_("Only the reform staff of the organising unit may do this."))
    _validate_setup(setup)
    if Round.objects.filter(
        year=setup.year, criteria_set=setup.criteria_set, organiser=setup.organiser
    ).exists():
        raise ParIndexError(
            _("This unit already runs a round with this criteria set for this year."), "name"
        )
    round_ = Round(status=RoundStatus.DRAFT)
    _apply_setup(round_, setup)
    round_.save()
    _set_units(round_, setup.units)
    _round_event(round_, actor, "created", status_before="", data={"units": len(setup.units)})
    return round_


@transaction.atomic
def update_round(round_id, actor, setup: RoundSetup, expected_version=None) -> Round:
    """Change the setup of a round still being prepared."""
    round_ = _lock_round(round_id, expected_version)
    _require_organiser(actor, round_)
    _require_round_status(round_, [RoundStatus.DRAFT], _("change the round's setup"))
    if setup.organiser != round_.organiser:
        raise ParIndexError(_("The organising unit of a round does not change."), "organiser")
    _validate_setup(setup)
    clash = Round.objects.filter(
        year=setup.year, criteria_set=setup.criteria_set, organiser=round_.organiser
    ).exclude(pk=round_.pk)
    if clash.exists():
        raise ParIndexError(
            _("This unit already runs a round with this criteria set for this year."), "name"
        )
    _apply_setup(round_, setup)
    save_new_version(round_)
    _set_units(round_, setup.units)
    _round_event(round_, actor, "updated", status_before=round_.status)
    return round_


@transaction.atomic
def set_council_member(round_id, actor, user, role: str, fields=(), expected_version=None):
    """Seat ``user`` on the round's appraisal council (or change their role and fields).

    One chair; the fields are top-level criteria of the round's set. Possible until the appraisal
    starts.
    """
    round_ = _lock_round(round_id, expected_version)
    _require_organiser(actor, round_)
    _require_round_status(
        round_, [RoundStatus.DRAFT, RoundStatus.SELF_ASSESSMENT], _("change the council")
    )
    if user is None or not user.is_active:
        raise ParIndexError(_("Choose an active user."), "user")
    if role not in CouncilRole.values:
        raise ParIndexError(_("Choose a role on the council."), "role")
    fields = list(fields or [])
    for item in fields:
        if item.criteria_set_id != round_.criteria_set_id or item.parent_id is not None:
            raise ParIndexError(_("Assign fields of the round's criteria set."), "fields")
    if role == CouncilRole.MEMBER and not fields:
        raise ParIndexError(_("Assign at least one field to a member."), "fields")
    if (
        role == CouncilRole.CHAIR
        and round_.council.filter(role=CouncilRole.CHAIR).exclude(user=user).exists()
    ):
        raise ParIndexError(_("The council already has a chair."), "role")
    seat, _created = CouncilMember.objects.update_or_create(
        round=round_, user=user, defaults={"role": role}
    )
    seat.fields.set(fields)
    save_new_version(round_)
    _round_event(
        round_,
        actor,
        "council_changed",
        status_before=round_.status,
        data={
            "user": user.pk,
            "name": user.get_full_name(),
            "role": role,
            "fields": [item.code for item in fields],
        },
    )
    return seat


@transaction.atomic
def remove_council_member(round_id, actor, member_id, expected_version=None) -> None:
    round_ = _lock_round(round_id, expected_version)
    _require_organiser(actor, round_)
    _require_round_status(
        round_, [RoundStatus.DRAFT, RoundStatus.SELF_ASSESSMENT], _("change the council")
    )
    seat = round_.council.select_related("user").filter(pk=member_id).first()
    if seat is None:
        raise ParIndexError(_("This person is not on the council."))
    data = {"user": seat.user_id, "name": seat.user.get_full_name(), "removed": True}
    seat.delete()
    save_new_version(round_)
    _round_event(round_, actor, "council_changed", status_before=round_.status, data=data)


def _fill_computed(leaf: LeafScore, unit: OrganisationUnit, year: int) -> None:
    """Score a "from platform data" leaf from the registered figure (``metrics``); an unknown
    figure or a year with nothing to measure leaves it empty."""
    criterion = leaf.criterion
    metric = metrics.get((criterion.method_spec or {}).get("metric", ""))
    if metric is None:
        return
    figure = metric.compute(unit, year)
    leaf.computed_detail = {
        "metric": metric.key,
        "label": str(metric.label),
        "numerator": figure.numerator,
        "denominator": figure.denominator,
        "drilldown_url": figure.drilldown_url,
        **{key: value for key, value in (figure.detail or {}).items() if key != "metric"},
    }
    if figure.percent is None:
        leaf.computed_value = None
        leaf.self_score = None
        # Nothing to measure this year (no dossier, no feedback): a criterion that may not apply
        # does not apply, so it leaves both the score and the maximum (docs/parindex.md).
        leaf.not_applicable = criterion.may_be_not_applicable
        return
    leaf.not_applicable = False
    try:
        score = engine.score_leaf(
            criterion.method, criterion.method_spec, criterion.max_points, figure.percent
        )
    except engine.ScoringError as error:  # a figure the rule cannot score: left for the council
        leaf.computed_detail["error"] = error.code
        return
    leaf.computed_value = Decimal(figure.percent)
    leaf.value = str(figure.percent)
    leaf.self_score = score


@transaction.atomic
def open_round(round_id, actor, expected_version=None) -> Round:
    """Open the self-assessment: one leaf score per leaf in each assessed unit, the computed ones
    filled from the platform's figures."""
    round_ = _lock_round(round_id, expected_version)
    ROUND_TRANSITIONS.require(actor, round_, "open")
    ROUND_TRANSITIONS.check(round_, "open")
    problems = engine.validate(round_.criteria_set.tree(), round_.criteria_set.declared_total)
    if problems:
        raise ParIndexError(
            _("The criteria set has errors (%(codes)s); correct them before opening.")
            % {"codes": ", ".join(sorted({p.code or "∑" for p in problems}))},
            "criteria_set",
        )
    leaves = [c for c in round_.criteria_set.criteria.order_by("position") if c.is_leaf]
    if not leaves:
        raise ParIndexError(_("The criteria set has no criteria to score."), "criteria_set")
    assessments = list(round_.assessments.select_related("unit"))
    if not assessments:
        raise ParIndexError(_("Choose at least one unit to assess."), "units")
    before = round_.status
    round_.status = RoundStatus.SELF_ASSESSMENT
    save_new_version(round_)
    for assessment in assessments:
        scores = []
        for criterion in leaves:
            leaf = LeafScore(
                assessment=assessment, criterion=criterion, responsible_unit=assessment.unit
            )
            if criterion.method == engine.COMPUTED:
                _fill_computed(leaf, assessment.unit, round_.year)
            scores.append(leaf)
        LeafScore.objects.bulk_create(scores)
        _assessment_event(assessment, actor, "opened", status_before="")
    _round_event(round_, actor, "opened", status_before=before)
    return round_


# -- self-assessment ------------------------------------------------------------------------------
def _guard_self_assessment(actor, assessment: Assessment, leaf: LeafScore | None, label: str):
    """Round in self-assessment, assessment in draft, actor in the leaf's responsible office."""
    _require_round_status(assessment.round, [RoundStatus.SELF_ASSESSMENT], label)
    ASSESSMENT_TRANSITIONS.check(assessment, "score")
    if leaf is not None and not may_score(actor, leaf, assessment):
        raise ActionForbidden(_("Only the office responsible for this criterion may change it."))


@transaction.atomic
def score_leaf(
    leaf_id,
    actor,
    *,
    value=None,
    explanation: str | None = None,
    not_applicable: bool = False,
    expected_version=None,
) -> LeafScore:
    """The responsible office enters a leaf's value (a level key, a percentage, points) and its
    explanation; the points come from the leaf's scoring rule (``engine.score_leaf``)."""
    assessment, leaf = _lock_leaf(leaf_id, expected_version)
    _guard_self_assessment(actor, assessment, leaf, _("change the self-assessment"))
    criterion = leaf.criterion
    if criterion.method == engine.SURVEY:
        raise ParIndexError(_("This criterion is scored by the survey, not by the unit."), "value")
    if criterion.method == engine.COMPUTED:
        raise ParIndexError(
            _("This criterion is computed from the platform's data; contest it instead."),
            "value",
        )
    explanation = leaf.explanation if explanation is None else _text(explanation, "explanation")
    if not_applicable:
        if not criterion.may_be_not_applicable:
            raise ParIndexError(
                _("This criterion cannot be marked not applicable."), "not_applicable"
            )
        new_value, new_score = None, None
    else:
        if value is None or (isinstance(value, str) and not value.strip()):
            raise ParIndexError(_("Enter the value for this criterion."), "value")
        if isinstance(value, str):
            value = value.strip()
        try:
            new_score = engine.score_leaf(
                criterion.method, criterion.method_spec, criterion.max_points, value
            )
        except engine.ScoringError as error:
            raise ParIndexError(scoring_message(error, criterion), "value") from None
        new_value = value if criterion.method in (engine.LEVELS, engine.DEDUCTION) else str(value)
    old_score, old_na = leaf.self_score, leaf.not_applicable
    changed = (
        old_score != new_score
        or old_na != bool(not_applicable)
        or leaf.value != new_value
        or leaf.explanation != explanation
    )
    if not changed:
        return leaf
    leaf.value = new_value
    leaf.self_score = new_score
    leaf.not_applicable = bool(not_applicable)
    leaf.explanation = explanation
    save_new_version(leaf)
    _assessment_event(
        assessment,
        actor,
        "scored",
        criterion_code=criterion.code,
        data={
            "from": _points(old_score),
            "to": _points(new_score),
            "reason": explanation,
            "value": new_value,
            "not_applicable": bool(not_applicable),
            "was_not_applicable": old_na,
        },
    )
    return leaf


@transaction.atomic
def contest_computed(leaf_id, actor, explanation: str, expected_version=None) -> LeafScore:
    """The unit disagrees with a figure computed from the platform: it keeps the computed score
    and says why, for the council to judge."""
    assessment, leaf = _lock_leaf(leaf_id, expected_version)
    _guard_self_assessment(actor, assessment, leaf, _("change the self-assessment"))
    if leaf.criterion.method != engine.COMPUTED:
        raise ParIndexError(_("Only a computed criterion can be contested."), "explanation")
    explanation = _text(
        explanation, "explanation", required_message=_("Say why the figure is wrong.")
    )
    leaf.contested = True
    leaf.explanation = explanation
    save_new_version(leaf)
    _assessment_event(
        assessment,
        actor,
        "contested",
        criterion_code=leaf.criterion.code,
        data={
            "from": _points(leaf.self_score),
            "to": _points(leaf.self_score),
            "reason": explanation,
            "computed_value": _points(leaf.computed_value),
        },
    )
    return leaf


@transaction.atomic
def assign_responsible(leaf_id, actor, unit: OrganisationUnit, expected_version=None) -> LeafScore:
    """The organiser or the unit's leader gives a leaf to a division or office of the unit."""
    assessment, leaf = _lock_leaf(leaf_id, expected_version)
    _require_round_status(
        assessment.round, [RoundStatus.SELF_ASSESSMENT], _("assign the criterion")
    )
    ASSESSMENT_TRANSITIONS.check(assessment, "score")
    allowed = is_organiser(actor, assessment.round) or has_role(
        actor, [Role.LEADER], assessment.unit
    )
    if not allowed:
        raise ActionForbidden(_("Only the unit's leader or the organiser may assign a criterion."))
    if unit is None or not unit.path.startswith(assessment.unit.path):
        raise ParIndexError(_("Choose the unit itself or one of its offices."), "unit")
    before = responsible_unit(leaf, assessment)
    if before == unit:
        return leaf
    leaf.responsible_unit = unit
    save_new_version(leaf)
    _assessment_event(
        assessment,
        actor,
        "assigned",
        criterion_code=leaf.criterion.code,
        data={"from": before.name, "to": unit.name, "reason": ""},
    )
    return leaf


def check_evidence_file(upload) -> None:
    """PDF, images or office documents up to ``CCHC_UPLOAD_MAX_BYTES``, judged by their bytes
    (``cchc.common.uploads``)."""
    try:
        check_upload_bytes(
            upload,
            EVIDENCE_TYPES,
            _("Only PDF, JPEG, PNG, Word, Excel or OpenDocument files are accepted."),
        )
    except UploadRefused as refusal:
        raise ParIndexError(str(refusal), "file") from None


@dataclass
class EvidenceInput:
    kind: str
    upload: object = None
    document_number: str = ""
    issued_on: date | None = None
    summary: str = ""
    issuer: str = ""
    record_type: str = ""
    record_reference: str = ""
    record_url: str = ""


def _evidence_from(data: EvidenceInput, leaf: LeafScore, actor, year: int) -> Evidence:
    if data.kind not in EvidenceKind.values:
        raise ParIndexError(_("Choose the kind of evidence."), "kind")
    evidence = Evidence(leaf=leaf, kind=data.kind, added_by=actor)
    evidence.summary = _text(data.summary, "summary")
    evidence.issued_on = data.issued_on
    if data.kind == EvidenceKind.FILE:
        if data.upload is None:
            raise ParIndexError(_("Choose the file."), "file")
        check_evidence_file(data.upload)
        evidence.original_name = os.path.basename(data.upload.name)[:NAME_MAX]
        evidence.file = data.upload
    elif data.kind == EvidenceKind.DOCUMENT:
        evidence.document_number = _text(
            data.document_number,
            "document_number",
            required_message=_("Enter the document's number and symbol."),
            maximum=100,
        )
        if data.issued_on is None:
            raise ParIndexError(_("Enter the date the document was issued."), "issued_on")
        evidence.summary = _text(
            data.summary, "summary", required_message=_("Enter the document's summary.")
        )
        evidence.issuer = _text(
            data.issuer,
            "issuer",
            required_message=_("Enter the issuing body."),
            maximum=NAME_MAX,
        )
    else:
        evidence.record_type = _text(
            data.record_type,
            "record_type",
            required_message=_("Choose the record type."),
            maximum=40,
        )
        evidence.record_reference = _text(
            data.record_reference,
            "record_reference",
            required_message=_("Enter the record's code or title."),
            maximum=NAME_MAX,
        )
        url = _text(data.record_url, "record_url", maximum=500)
        if url and not url.startswith(RECORD_URL_PREFIXES):
            raise ParIndexError(_("Enter a link starting with / or https://."), "record_url")
        evidence.record_url = url
    if evidence.issued_on is not None and evidence.issued_on > timezone.localdate():
        raise ParIndexError(_("The date cannot be in the future."), "issued_on")
    # Evidence dated outside the assessment year is flagged for the council (issue 11).
    evidence.outside_year = evidence.issued_on is not None and evidence.issued_on.year != year
    return evidence


@transaction.atomic
def add_evidence(leaf_id, actor, data: EvidenceInput) -> Evidence:
    """Attach evidence (tài liệu kiểm chứng) to a leaf: a file, an issued document's reference or
    a link to a platform record."""
    assessment, leaf = _lock_leaf(leaf_id)
    _guard_self_assessment(actor, assessment, leaf, _("change the self-assessment"))
    if leaf.criterion.method == engine.SURVEY:
        raise ParIndexError(_("This criterion is scored by the survey, not by the unit."), "kind")
    evidence = _evidence_from(data, leaf, actor, assessment.round.year)
    evidence.save()
    save_new_version(leaf)
    _assessment_event(
        assessment,
        actor,
        "evidence_added",
        criterion_code=leaf.criterion.code,
        data={
            "evidence": evidence.pk,
            "kind": evidence.kind,
            "label": str(evidence),
            "outside_year": evidence.outside_year,
        },
    )
    return evidence


@transaction.atomic
def remove_evidence(evidence_id, actor) -> None:
    leaf_id = Evidence.objects.filter(pk=evidence_id).values_list("leaf_id", flat=True).first()
    if leaf_id is None:
        raise ParIndexError(_("This evidence does not exist."))
    assessment, leaf = _lock_leaf(leaf_id)
    _guard_self_assessment(actor, assessment, leaf, _("change the self-assessment"))
    evidence = Evidence.objects.get(pk=evidence_id)
    data = {"evidence": evidence.pk, "kind": evidence.kind, "label": str(evidence)}
    stored = evidence.file.name if evidence.file else ""
    evidence.delete()
    if stored:
        transaction.on_commit(lambda: evidence.file.storage.delete(stored))
    save_new_version(leaf)
    _assessment_event(
        assessment, actor, "evidence_removed", criterion_code=leaf.criterion.code, data=data
    )


@dataclass
class Missing:
    """Why a self-assessment cannot be sent yet: leaf codes without score, without evidence or
    explanation."""

    unscored: list[str]
    unsupported: list[str]

    def __bool__(self) -> bool:
        return bool(self.unscored or self.unsupported)


def missing_for_submission(assessment: Assessment) -> Missing:
    """Applicable self-scored leaves need a score; every leaf the unit answers for (not survey,
    not computed: the platform's figure is its own evidence) needs evidence or an explanation
    (giải trình, BNV CV 383/384: an explanation for every criterion without TLKC)."""
    leaves = (
        assessment.scores.select_related("criterion")
        .order_by("criterion__position")
        .prefetch_related("evidence")
    )
    unscored, unsupported = [], []
    for leaf in leaves:
        method = leaf.criterion.method
        if method in engine.SELF_SCORED and not leaf.not_applicable and leaf.self_score is None:
            unscored.append(leaf.criterion.code)
        answers = method in engine.SELF_SCORED or (method == engine.COMPUTED and leaf.contested)
        if answers and not leaf.evidence.all() and not leaf.explanation.strip():
            unsupported.append(leaf.criterion.code)
    return Missing(unscored, unsupported)


class SubmissionIncomplete(ParIndexError):
    """The self-assessment cannot be sent: ``missing`` lists the leaves."""

    def __init__(self, missing: Missing):
        parts = []
        if missing.unscored:
            parts.append(_("not scored: %(codes)s") % {"codes": ", ".join(missing.unscored)})
        if missing.unsupported:
            parts.append(
                _("neither evidence nor explanation: %(codes)s")
                % {"codes": ", ".join(missing.unsupported)}
            )
        super().__init__(
            _("The self-assessment cannot be submitted yet (%(parts)s).")
            % {"parts": "; ".join(parts)}
        )
        self.missing = missing


def refresh_computed(assessment: Assessment, actor) -> int:
    """Score the uncontested "from platform data" leaves again from the figures as they are now.

    The round opens before the year ends; by the submission (early the next year) the year's
    figures are complete, so they are read again then. Each change is an event (from, to).
    Returns the number of leaves changed.
    """
    changed = 0
    leaves = LeafScore.objects.filter(
        assessment=assessment, criterion__method=engine.COMPUTED, contested=False
    ).select_related("criterion")
    for leaf in leaves:
        before = (leaf.computed_value, leaf.self_score, leaf.not_applicable)
        _fill_computed(leaf, assessment.unit, assessment.round.year)
        if (leaf.computed_value, leaf.self_score, leaf.not_applicable) == before:
            continue
        save_new_version(leaf)
        _assessment_event(
            assessment,
            actor,
            "computed",
            criterion_code=leaf.criterion.code,
            data={
                "from": _points(before[1]),
                "to": _points(leaf.self_score),
                "reason": _("Platform figure read again: %(value)s")
                % {"value": leaf.computed_value if leaf.computed_value is not None else "—"},
                "not_applicable": leaf.not_applicable,
            },
        )
        changed += 1
    return changed


def _submit(assessment: Assessment, actor, summary: str, note: str = "") -> None:
    refresh_computed(assessment, actor)
    before = assessment.status
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.submitted_by = actor if getattr(actor, "pk", None) else None
    assessment.summary = summary
    save_new_version(assessment)
    _assessment_event(assessment, actor, "submitted", status_before=before, note=note)


@transaction.atomic
def submit(assessment_id, actor, summary: str | None = None, expected_version=None) -> Assessment:
    """The unit's leader approves and sends the self-assessment; it locks (BNV CV 383/384)."""
    assessment = _lock_assessment(assessment_id, expected_version)
    ASSESSMENT_TRANSITIONS.require(actor, assessment, "submit")
    ASSESSMENT_TRANSITIONS.check(assessment, "submit")
    _require_round_status(
        assessment.round, [RoundStatus.SELF_ASSESSMENT], _("submit the self-assessment")
    )
    summary = assessment.summary if summary is None else _text(summary, "summary")
    missing = missing_for_submission(assessment)
    if missing:
        raise SubmissionIncomplete(missing)
    _submit(assessment, actor, summary)
    return assessment


@transaction.atomic
def reopen(assessment_id, actor, reason: str, expected_version=None) -> Assessment:
    """The organiser returns a submitted self-assessment while the round is still open."""
    assessment = _lock_assessment(assessment_id, expected_version)
    ASSESSMENT_TRANSITIONS.require(actor, assessment, "reopen")
    ASSESSMENT_TRANSITIONS.check(assessment, "reopen")
    _require_round_status(
        assessment.round,
        [RoundStatus.SELF_ASSESSMENT],
        _("return the self-assessment to the unit"),
    )
    reason = _text(reason, "reason", required_message=_("Say why it is returned."))
    before = assessment.status
    assessment.status = AssessmentStatus.DRAFT
    assessment.submitted_at = None
    assessment.submitted_by = None
    save_new_version(assessment)
    _assessment_event(
        assessment, actor, "reopened", status_before=before, note=reason, data={"reason": reason}
    )
    return assessment


# -- appraisal ------------------------------------------------------------------------------------
@transaction.atomic
def start_appraisal(round_id, actor, expected_version=None) -> Round:
    """Self-assessment closes; what a unit did not send is sent by the system as it stands."""
    round_ = _lock_round(round_id, expected_version)
    ROUND_TRANSITIONS.require(actor, round_, "start_appraisal")
    ROUND_TRANSITIONS.check(round_, "start_appraisal")
    before = round_.status
    round_.status = RoundStatus.APPRAISAL
    save_new_version(round_)
    drafts = round_.assessments.filter(status=AssessmentStatus.DRAFT).values_list("pk", flat=True)
    for pk in list(drafts):
        assessment = _lock_assessment(pk)
        _submit(
            assessment,
            None,
            assessment.summary,
            note=_("Submitted by the system when the appraisal started."),
        )
    _round_event(round_, actor, "appraisal_started", status_before=before)
    return round_


def _guard_appraisal(actor, assessment: Assessment, leaf: LeafScore, action: str, label: str):
    _require_round_status(assessment.round, [RoundStatus.APPRAISAL], label)
    ASSESSMENT_TRANSITIONS.require(actor, assessment, action)
    ASSESSMENT_TRANSITIONS.check(assessment, action)
    if not may_appraise(actor, assessment.round, leaf.criterion):
        raise ActionForbidden(_("This field is not assigned to you on the council."))


@transaction.atomic
def appraise_leaf(
    leaf_id,
    actor,
    *,
    accept: bool = True,
    score=None,
    reason: str = "",
    expected_version=None,
) -> LeafScore:
    """A council member accepts the self score or sets the appraised score with a reason; the
    self score is kept."""
    assessment, leaf = _lock_leaf(leaf_id, expected_version)
    _guard_appraisal(actor, assessment, leaf, "appraise", _("appraise the self-assessment"))
    criterion = leaf.criterion
    if criterion.method == engine.SURVEY:
        raise ParIndexError(_("Survey points are imported, not appraised."), "score")
    before = leaf.appraised_score if leaf.appraisal_state != AppraisalState.PENDING else None
    if accept:
        reason = _text(reason, "reason")
        state, new_score = AppraisalState.ACCEPTED, leaf.self_score
    else:
        if leaf.not_applicable:
            raise ParIndexError(
                _("A criterion marked not applicable can only be accepted."), "score"
            )
        if score is None or (isinstance(score, str) and not score.strip()):
            raise ParIndexError(_("Enter the appraised score."), "score")
        try:
            new_score = engine.score_leaf(engine.NUMBER, {}, criterion.max_points, score)
        except engine.ScoringError as error:
            raise ParIndexError(scoring_message(error, criterion), "score") from None
        reason = _text(
            reason, "reason", required_message=_("Give the reason for the appraised score.")
        )
        state = AppraisalState.ADJUSTED
    leaf.appraisal_state = state
    leaf.appraised_score = new_score
    leaf.appraisal_reason = reason
    leaf.appraised_by = actor
    save_new_version(leaf)
    _assessment_event(
        assessment,
        actor,
        "appraised",
        criterion_code=criterion.code,
        data={
            "from": _points(before),
            "to": _points(new_score),
            "reason": reason,
            "self_score": _points(leaf.self_score),
            "state": state,
        },
    )
    return leaf


def explanation_due(round_: Round, today: date | None = None) -> date:
    """Today plus the round's working days to answer (the working calendar, ``cchc.workdays``)."""
    moment = timezone.now()
    if today is not None:
        moment = workdays.local_midnight(today) + timedelta(hours=12)
    deadline = workdays.compute_deadline(
        moment, TimeLimit(Rule.WORKING_DAYS, round_.explanation_days), round_.organiser
    )
    return timezone.localtime(deadline.due).date()


@transaction.atomic
def request_explanation(leaf_id, actor, message: str, due_on: date | None = None):
    """The council asks the unit to explain a leaf, by a date (yêu cầu giải trình)."""
    assessment, leaf = _lock_leaf(leaf_id)
    _guard_appraisal(actor, assessment, leaf, "appraise", _("ask for an explanation"))
    message = _text(message, "message", required_message=_("Write what needs explaining."))
    if leaf.explanation_requests.filter(answered_at__isnull=True).exists():
        raise ParIndexError(_("An explanation of this criterion is already awaited."), "message")
    today = timezone.localdate()
    due_on = due_on or explanation_due(assessment.round)
    if due_on < today:
        raise ParIndexError(_("The answer date cannot be in the past."), "due_on")
    request = ExplanationRequest.objects.create(
        leaf=leaf,
        message=message,
        due_on=due_on,
        requested_by=actor,
        requested_at=timezone.now(),
    )
    _assessment_event(
        assessment,
        actor,
        "explanation_requested",
        criterion_code=leaf.criterion.code,
        note=message,
        data={"request": request.pk, "due_on": due_on.isoformat()},
    )
    return request


@transaction.atomic
def answer_explanation(request_id, actor, answer: str):
    """The unit answers a request once, before the round is decided."""
    leaf_id = (
        ExplanationRequest.objects.filter(pk=request_id).values_list("leaf_id", flat=True).first()
    )
    if leaf_id is None:
        raise ParIndexError(_("This explanation request does not exist."))
    assessment, leaf = _lock_leaf(leaf_id)
    _require_round_status(
        assessment.round, [RoundStatus.APPRAISAL], _("answer the explanation request")
    )
    ASSESSMENT_TRANSITIONS.require(actor, assessment, "answer")
    ASSESSMENT_TRANSITIONS.check(assessment, "answer")
    request = ExplanationRequest.objects.select_for_update().get(pk=request_id)
    if not request.is_open:
        raise TransitionNotAllowed(_("This request has already been answered."))
    answer = _text(answer, "answer", required_message=_("Write the answer."))
    request.answer = answer
    request.answered_by = actor
    request.answered_at = timezone.now()
    request.save()
    late = timezone.localdate() > request.due_on
    _assessment_event(
        assessment,
        actor,
        "explanation_answered",
        criterion_code=leaf.criterion.code,
        note=answer,
        data={"request": request.pk, "late": late},
    )
    return request


@transaction.atomic
def decide(round_id, actor, decision_number: str, decision_date: date, expected_version=None):
    """The chair or the secretary closes the appraisal with the approving decision; a leaf not
    yet appraised is accepted as self-scored (recorded)."""
    round_ = _lock_round(round_id, expected_version)
    ROUND_TRANSITIONS.require(actor, round_, "decide")
    ROUND_TRANSITIONS.check(round_, "decide")
    number = _text(
        decision_number,
        "decision_number",
        required_message=_("Enter the decision's number."),
        maximum=100,
    )
    if decision_date is None:
        raise ParIndexError(_("Enter the decision's date."), "decision_date")
    if decision_date > timezone.localdate():
        raise ParIndexError(_("The date cannot be in the future."), "decision_date")
    before = round_.status
    round_.status = RoundStatus.DECIDED
    round_.decision_number = number
    round_.decision_date = decision_date
    save_new_version(round_)
    note = _("Accepted as self-scored when the appraisal closed.")
    for pk in list(round_.assessments.values_list("pk", flat=True)):
        assessment = _lock_assessment(pk)
        pending = (
            assessment.scores.select_for_update(of=("self",))
            .select_related("criterion")
            .filter(appraisal_state=AppraisalState.PENDING)
            .exclude(criterion__method=engine.SURVEY)
            .order_by("criterion__position")
        )
        for leaf in pending:
            leaf.appraisal_state = AppraisalState.ACCEPTED
            leaf.appraised_score = leaf.self_score
            save_new_version(leaf)
            _assessment_event(
                assessment,
                actor,
                "appraised",
                criterion_code=leaf.criterion.code,
                note=note,
                data={
                    "from": None,
                    "to": _points(leaf.self_score),
                    "reason": note,
                    "self_score": _points(leaf.self_score),
                    "state": AppraisalState.ACCEPTED,
                },
            )
        previous = assessment.status
        assessment.status = AssessmentStatus.APPRAISED
        save_new_version(assessment)
        _assessment_event(
            assessment,
            actor,
            "decided",
            status_before=previous,
            data={"decision_number": number, "decision_date": decision_date.isoformat()},
        )
    _round_event(
        round_,
        actor,
        "decided",
        status_before=before,
        data={"decision_number": number, "decision_date": decision_date.isoformat()},
    )
    return round_


@transaction.atomic
def publish(round_id, actor, expected_version=None) -> Round:
    """The results are published (công bố): every assessment becomes public to the staff."""
    round_ = _lock_round(round_id, expected_version)
    ROUND_TRANSITIONS.require(actor, round_, "publish")
    ROUND_TRANSITIONS.check(round_, "publish")
    before = round_.status
    round_.status = RoundStatus.PUBLISHED
    round_.published_at = timezone.now()
    save_new_version(round_)
    for pk in list(round_.assessments.values_list("pk", flat=True)):
        assessment = _lock_assessment(pk)
        previous = assessment.status
        assessment.status = AssessmentStatus.PUBLISHED
        save_new_version(assessment)
        _assessment_event(assessment, actor, "published", status_before=previous)
    _round_event(round_, actor, "published", status_before=before)
    return round_


# -- reminders ------------------------------------------------------------------------------------
DEFAULT_REMINDER_DAYS = (3, 1)


def _tightest(days_left: int, days_before) -> int | None:
    """The reminder due today: the smallest configured lead time not shorter than what is left
    (a missed daily run still sends the nearer reminder, never both)."""
    if days_left < 0:
        return None
    fitting = [days for days in days_before if days >= days_left]
    return min(fitting) if fitting else None


def _unit_recipients(unit: OrganisationUnit):
    users = {}
    for assignment in (
        RoleAssignment.objects.filter(
            active=True,
            unit__path__startswith=unit.path,
            role__in=list(SCORING_ROLES),
            user__is_active=True,
        )
        .exclude(user__email="")
        .select_related("user")
    ):
        users[assignment.user.pk] = assignment.user
    return list(users.values())


def _publishers(round_: Round) -> list:
    """Who may publish a round (``transitions._runs_round``), with an email address: the council's
    chair and secretary and the reform staff of the organising unit (a role held in the organiser
    or a unit above it)."""
    users = {
        seat.user.pk: seat.user
        for seat in round_.council.select_related("user").filter(
            role__in=[CouncilRole.CHAIR, CouncilRole.SECRETARY]
        )
        if seat.user.email and seat.user.is_active
    }
    prefixes = [
        round_.organiser.path[: index + 1]
        for index, char in enumerate(round_.organiser.path)
        if char == "/" and index > 0
    ]
    for assignment in (
        RoleAssignment.objects.filter(
            active=True,
            unit__path__in=prefixes,
            role__in=list(ORGANISER_ROLES),
            user__is_active=True,
        )
        .exclude(user__email="")
        .select_related("user")
    ):
        users[assignment.user.pk] = assignment.user
    return list(users.values())


def _remind(round_, unit, deadline, days_before, users, subject, body) -> int:
    _marker, created = ReminderSent.objects.get_or_create(
        round=round_, unit=unit, deadline=deadline, days_before=days_before
    )
    if not created:
        return 0
    sent = 0
    for user in users:
        _message, new = outbox.enqueue(
            channel="email",
            recipient=user.email,
            subject=subject,
            body=body,
            dedup_key=f"par:{round_.pk}:{unit.pk}:{deadline}:{days_before}:{user.pk}"[:200],
        )
        sent += int(new)
    return sent


def _day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


@transaction.atomic
def send_reminders(today: date | None = None, days_before=DEFAULT_REMINDER_DAYS) -> int:
    """Queue the deadline reminders due ``today`` in the notifications outbox; each reminder
    once (``ReminderSent``). Returns the number of messages queued.

    - self-assessment close: to the scoring staff of each unit whose self-assessment is a draft;
    - an explanation's due date: to the scoring staff of the unit asked;
    - appraisal close: to the council members;
    - the publication date, while the round is in appraisal or decided: to those who publish (the
      council's chair and secretary, the organiser's reform staff).
    """
    today = today or timezone.localdate()
    days_before = tuple(sorted({int(days) for days in days_before}))
    queued = 0
    for round_ in Round.objects.select_related("organiser").filter(
        status=RoundStatus.SELF_ASSESSMENT
    ):
        lead = _tightest((round_.self_assessment_closes - today).days, days_before)
        if lead is None:
            continue
        subject = _("Self-assessment closes on %(day)s: %(round)s") % {
            "day": _day(round_.self_assessment_closes),
            "round": round_.name,
        }
        for assessment in round_.assessments.filter(status=AssessmentStatus.DRAFT).select_related(
            "unit"
        ):
            body = _(
                "The self-assessment of %(unit)s for “%(round)s” has not been submitted. "
                "It closes on %(day)s."
            ) % {
                "unit": assessment.unit.name,
                "round": round_.name,
                "day": _day(round_.self_assessment_closes),
            }
            queued += _remind(
                round_,
                assessment.unit,
                "self_assessment_closes",
                lead,
                _unit_recipients(assessment.unit),
                subject,
                body,
            )
    for round_ in Round.objects.select_related("organiser").filter(status=RoundStatus.APPRAISAL):
        lead = _tightest((round_.appraisal_closes - today).days, days_before)
        if lead is not None:
            users = [
                seat.user
                for seat in round_.council.select_related("user")
                if seat.user.email and seat.user.is_active
            ]
            subject = _("Appraisal closes on %(day)s: %(round)s") % {
                "day": _day(round_.appraisal_closes),
                "round": round_.name,
            }
            body = _("The appraisal of “%(round)s” closes on %(day)s.") % {
                "round": round_.name,
                "day": _day(round_.appraisal_closes),
            }
            queued += _remind(
                round_, round_.organiser, "appraisal_closes", lead, users, subject, body
            )
        requests = ExplanationRequest.objects.filter(
            leaf__assessment__round=round_, answered_at__isnull=True
        ).select_related("leaf__assessment__unit", "leaf__criterion")
        for request in requests:
            lead = _tightest((request.due_on - today).days, days_before)
            if lead is None:
                continue
            unit = request.leaf.assessment.unit
            subject = _("Explanation due on %(day)s: criterion %(code)s") % {
                "day": _day(request.due_on),
                "code": request.leaf.criterion.code,
            }
            body = _(
                "The appraisal council of “%(round)s” awaits the explanation of criterion "
                "%(code)s by %(day)s: %(message)s"
            ) % {
                "round": round_.name,
                "code": request.leaf.criterion.code,
                "day": _day(request.due_on),
                "message": request.message,
            }
            queued += _remind(
                round_,
                unit,
                f"explanation:{request.pk}",
                lead,
                _unit_recipients(unit),
                subject,
                body,
            )
    for round_ in Round.objects.select_related("organiser").filter(
        status__in=[RoundStatus.APPRAISAL, RoundStatus.DECIDED], publication_date__isnull=False
    ):
        lead = _tightest((round_.publication_date - today).days, days_before)
        if lead is None:
            continue
        subject = _("Results to be published on %(day)s: %(round)s") % {
            "day": _day(round_.publication_date),
            "round": round_.name,
        }
        body = _(
            "The results of “%(round)s” are to be published on %(day)s: the council closes the "
            "appraisal with its decision, then the results are published."
        ) % {"round": round_.name, "day": _day(round_.publication_date)}
        queued += _remind(
            round_,
            round_.organiser,
            "publication_date",
            lead,
            _publishers(round_),
            subject,
            body,
        )
    return queued
