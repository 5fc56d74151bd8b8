"""Paper forms typed twice (double entry): two different officers type the same sheet.

Staff of the unit (one-stop officer or reform staff) type a paper form with its sheet number
(:func:`type_sheet`). A second, different person types the same sheet: when both typings agree a
Response (channel ``paper``) is created and linked to both typings; when they differ, the
questions that differ wait for reform staff, who choose the right value per question
(:func:`resolve`), and then the Response is created. Typing twice by different people is the
usual guard against keying errors in survey data entry; the same person cannot type both
(:class:`SamePerson`).

The paper form's answers are checked by ``engine.answers.validate`` like every channel. A paper
response has no start time (``seconds`` is empty), so only the straight-lining flag can apply.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.organisations.models import Role
from cchc.organisations.permissions import has_role

from . import campaigns
from .answering import AnswerRefused, check, may_run_kiosk, spec_of, store_response
from .engine.form import LIKERT5, MATRIX, MULTIPLE, SCALE4, FormSpec
from .errors import ActionForbidden
from .forms_answers import choices_of
from .models import Campaign, CampaignStatus, PaperEntry, Response, ResponseChannel


class SamePerson(AnswerRefused):
    code = "same_person"


@dataclass
class Difference:
    """One answer the two typings disagree on: ``key`` a question code or a matrix item code."""

    key: str
    label: str
    first: str
    second: str
    first_text: str = ""  # as a person reads it (choice labels)
    second_text: str = ""


@dataclass
class Typed:
    """What a typing did: the entry, the response when both agree, the differences otherwise."""

    entry: PaperEntry
    response: Response | None = None
    differences: list[Difference] = field(default_factory=list)


def may_type(user, unit) -> bool:
    """Reform staff of the unit, or a one-stop officer serving its counter (as the kiosk)."""
    return has_role(user, Role.REFORM_STAFF, unit) or may_run_kiosk(user, unit)


def may_resolve(user, campaign: Campaign, unit) -> bool:
    return has_role(user, Role.REFORM_STAFF, unit) or has_role(
        user, Role.REFORM_STAFF, campaign.organiser
    )


def _flat_value(value) -> str:
    if isinstance(value, list):
        return " ".join(sorted(str(v) for v in value))
    return "" if value is None else str(value)


def flatten(spec: FormSpec, answers: dict) -> dict[str, tuple[str, str]]:
    """{key: (label, value as text)}: a question, or each item of a matrix, on its own."""
    flat = {}
    for question in spec.questions():
        answer = answers.get(question.code)
        if question.kind == MATRIX:
            given = answer if isinstance(answer, dict) else {}
            for item in question.items:
                label = f"{question.label} — {item.label}"
                flat[item.code] = (label, _flat_value(given.get(item.code)))
        else:
            flat[question.code] = (question.label, _flat_value(answer))
    return flat


def readable(spec: FormSpec, key: str, value: str) -> str:
    """An answer as a person reads it: choice labels instead of their values (``"4 – Hài lòng"``
    on a scale), the text itself otherwise."""
    if not value:
        return ""
    question = _question_of(spec, key)
    if question is None:
        return value
    labels = dict(choices_of(question))
    if question.kind == MULTIPLE:
        return "; ".join(labels.get(part, part) for part in value.split())
    label = labels.get(value)
    if label is None or label == value:
        return value
    return f"{value} – {label}" if question.kind in (LIKERT5, SCALE4, MATRIX) else label


def _question_of(spec: FormSpec, key: str):
    for question in spec.questions():
        if question.code == key or any(item.code == key for item in question.items):
            return question
    return None


def readable_answers(spec: FormSpec, answers: dict) -> list[tuple[str, str]]:
    """(question or item label, readable answer) of every answer given, in the form's order."""
    return [
        (label, readable(spec, key, value))
        for key, (label, value) in flatten(spec, answers).items()
        if value
    ]


def differences(spec: FormSpec, first: dict, second: dict) -> list[Difference]:
    left, right = flatten(spec, first), flatten(spec, second)
    return [
        Difference(
            key,
            label,
            value,
            right[key][1],
            first_text=readable(spec, key, value),
            second_text=readable(spec, key, right[key][1]),
        )
        for key, (label, value) in left.items()
        if value != right[key][1]
    ]


def unflatten(spec: FormSpec, flat: dict[str, str]) -> dict:
    """Answers from {key: value as text} (the inverse of :func:`flatten`)."""
    answers: dict = {}
    for question in spec.questions():
        if question.kind == MATRIX:
            items = {i.code: flat[i.code] for i in question.items if flat.get(i.code)}
            if items:
                answers[question.code] = items
        elif flat.get(question.code):
            value = flat[question.code]
            answers[question.code] = value.split() if question.kind == MULTIPLE else value
    return answers


def _refuse_unless_open(campaign: Campaign) -> None:
    # Paper forms collected before the closing day may be typed later, while the campaign is open.
    if campaign.status != CampaignStatus.OPEN:
        raise AnswerRefused(_("This survey is not taking answers now."))
    if "paper" not in (campaign.channels or []):
        raise AnswerRefused(_("This survey does not take answers through this channel."))


def _make_response(campaign, unit, spec, cleaned, entries) -> Response:
    response = store_response(
        campaign,
        unit,
        ResponseChannel.PAPER,
        cleaned,
        spec=spec,
        started_at=None,
        submitted_at=timezone.now(),
    )
    PaperEntry.objects.filter(pk__in=[e.pk for e in entries]).update(response=response)
    for entry in entries:
        entry.response = response
    return response


def type_sheet(campaign: Campaign, unit, sheet: str, answers: dict, user) -> Typed:
    """Store one typing of a sheet; the second typing compares with the first."""
    if not may_type(user, unit):
        raise ActionForbidden(_("Only staff of this unit may type paper forms."))
    _refuse_unless_open(campaign)
    if not campaign.units.filter(unit=unit).exists():
        raise AnswerRefused(_("This unit is not part of the survey."))
    sheet = (sheet or "").strip()
    if not sheet:
        raise AnswerRefused(_("Enter the form number written on the paper."), field="sheet")
    spec = spec_of(campaign)
    cleaned = check(spec, answers)
    try:
        with transaction.atomic():
            Campaign.objects.select_for_update().get(pk=campaign.pk)  # one typing at a time
            typed = list(
                PaperEntry.objects.filter(campaign=campaign, unit=unit, sheet=sheet).order_by(
                    "entry"
                )
            )
            if len(typed) >= 2:
                raise AnswerRefused(
                    _("This form number has already been typed twice."), field="sheet"
                )
            if typed and typed[0].entered_by_id == user.pk:
                raise SamePerson(
                    _(
                        "You typed the first copy of this form: the second typing must be done "
                        "by another person."
                    ),
                    field="sheet",
                )
            entry = PaperEntry.objects.create(
                campaign=campaign,
                unit=unit,
                sheet=sheet,
                entry=len(typed) + 1,
                answers=cleaned,
                entered_by=user,
            )
            if not typed:
                return Typed(entry)
            found = differences(spec, typed[0].answers, cleaned)
            if found:
                return Typed(entry, differences=found)
            response = _make_response(campaign, unit, spec, cleaned, [*typed, entry])
            return Typed(entry, response=response)
    except IntegrityError as error:
        raise AnswerRefused(
            _("This form number was typed at the same moment by someone else: try again."),
            field="sheet",
        ) from error


def pending(campaign: Campaign, units=None):
    """Sheets typed twice whose typings differ (no response yet): (unit, sheet) pairs."""
    entries = PaperEntry.objects.filter(campaign=campaign, entry=2, response__isnull=True)
    if units is not None:
        entries = entries.filter(unit__in=units)
    return entries.select_related("unit").order_by("unit__name", "sheet")


def typings(campaign: Campaign, unit, sheet: str) -> list[PaperEntry]:
    return list(
        PaperEntry.objects.filter(campaign=campaign, unit=unit, sheet=sheet)
        .select_related("entered_by")
        .order_by("entry")
    )


def resolve(campaign: Campaign, unit, sheet: str, chosen: dict[str, str], user) -> Response:
    """Reform staff choose, per differing answer, which typing is right (``"1"`` or ``"2"``)."""
    if not may_resolve(user, campaign, unit):
        raise ActionForbidden(_("Only administrative reform staff may settle differences."))
    spec = spec_of(campaign)
    with transaction.atomic():
        Campaign.objects.select_for_update().get(pk=campaign.pk)
        entries = typings(campaign, unit, sheet)
        if len(entries) != 2:
            raise AnswerRefused(_("This form has not been typed twice yet."))
        if entries[1].response_id:
            raise AnswerRefused(_("This form has already been settled."))
        first, second = entries
        found = differences(spec, first.answers, second.answers)
        missing = [d.key for d in found if chosen.get(d.key) not in ("1", "2")]
        if missing:
            raise AnswerRefused(_("Choose the right value for every difference."))
        flat = {key: value for key, (_label, value) in flatten(spec, first.answers).items()}
        for difference in found:
            if chosen[difference.key] == "2":
                flat[difference.key] = difference.second
        cleaned = check(spec, unflatten(spec, flat))
        response = _make_response(campaign, unit, spec, cleaned, entries)
        campaigns.record_decision(
            campaign,
            user,
            "paper_settled",
            data={"unit": unit.code, "sheet": sheet, "differences": len(found)},
        )
        return response
