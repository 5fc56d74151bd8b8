"""Test helpers for campaigns: a campaign on the built-in SIPAS questionnaire, answers to it, and
stored responses. Shared by the campaign, response and results tests."""

from __future__ import annotations

import random
from datetime import date

from django.utils import timezone

from cchc.surveys import services
from cchc.surveys.models import Campaign, CampaignStatus, CampaignUnit, Response, ResponseChannel

#: The service items of the built-in QĐ 1001 template, by matrix question (factor = its code).
SERVICE_MATRICES = {
    "sv_access": ("access", 3),
    "sv_procedures": ("procedures", 4),
    "sv_officials": ("officials", 3),
    "sv_results": ("results", 3),
    "sv_feedback": ("feedback", 3),
}


def campaign(
    organiser,
    units,
    *,
    code: str = "sipas-thu",
    status: str = CampaignStatus.OPEN,
    questionnaire=None,
    channels=("sms", "qr", "kiosk", "paper"),
    **extra,
) -> Campaign:
    """A campaign stored as it stands after the steps before ``status`` (no history entries)."""
    questionnaire = questionnaire or services.ensure_builtin()
    values = {
        "name": f"Khảo sát {code}",
        "period_start": date(2026, 1, 1),
        "period_end": date(2026, 9, 30),
        "opens_on": date(2026, 10, 1),
        "closes_on": date(2026, 11, 30),
        "seed": 20261001,
    }
    values.update(extra)
    found = Campaign.objects.create(
        code=code,
        questionnaire=questionnaire,
        organiser=organiser,
        status=status,
        channels=list(channels),
        **values,
    )
    for unit in units:
        CampaignUnit.objects.create(campaign=found, unit=unit)
    return found


def sipas_answers(level=None, *, rng: random.Random | None = None, feedback: bool = False) -> dict:
    """Answers to the built-in questionnaire: every service item at ``level`` (1–5), or drawn
    from ``rng`` (mostly satisfied) when no level is given."""
    rng = rng or random.Random(1)

    def pick() -> str:
        if level is not None:
            return str(level)
        return str(rng.choices([1, 2, 3, 4, 5], weights=[2, 4, 10, 44, 40])[0])

    answers = {
        "r_age": "31_45",
        "r_sex": "female",
        "r_education": "university",
        "o_channel": "counter",
        "o_harassment": "none",
        "o_extra_payment": "none",
        "sv_feedback_made": "yes" if feedback else "no",
    }
    for question, (_factor, count) in SERVICE_MATRICES.items():
        if question == "sv_feedback" and not feedback:
            continue
        answers[question] = {f"{question}_{n}": pick() for n in range(1, count + 1)}
    return answers


def response(campaign, unit, answers=None, *, channel=ResponseChannel.QR, **extra) -> Response:
    return Response.objects.create(
        campaign=campaign,
        unit=unit,
        channel=channel,
        answers=answers if answers is not None else sipas_answers(),
        submitted_at=extra.pop("submitted_at", timezone.now()),
        **extra,
    )
