"""Implausibility flags on survey responses, and the rate limit on public QR submissions.

A flagged response is stored like any other, with ``review = flagged`` and the reasons in
``Response.flags``; it is never dropped. Reform staff of the organiser review it
(:mod:`.views_answers`, review pages): accepted, it counts; rejected, it does not
(``Response.counted``). The rules follow the quality checks of the SIPAS method (QĐ 1001/QĐ-BNV
2023–2026, par-sipas-plan-sources §B: answers must come from real users of the service, one form
per person) and common survey practice:

* **too fast** — completed in fewer than :data:`MIN_SECONDS` seconds (default 20: the SIPAS form
  has about 25 questions, nobody reads them in less);
* **straight-lining** — the same answer on every scale item, when the respondent answered at least
  :data:`STRAIGHT_LINE_MIN_ITEMS` of them (default 10);
* **burst** — more than :data:`BURST_LIMIT` responses (default 30) from one campaign × unit × QR
  code within :data:`BURST_WINDOW` (default 10 minutes); a kiosk is counted per tablet (its
  ``kiosk id``, the part of the client key before ``:``), at most :data:`KIOSK_BURST_LIMIT`
  (default 10) in the same window: one respondent at a counter takes a few minutes.

The values are module constants (documented defaults, docs/surveys.md); tests and a
deployment may patch them. Separately from the flags, public QR submissions are limited per client
address (:func:`qr_post_allowed`): at most :data:`QR_POSTS_PER_ADDRESS` posts (default 20) within
:data:`QR_POSTS_WINDOW_SECONDS` (default 600), counted in the shared cache under a hash of the
address (``cchc.common.client_address``), never stored with the response.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from .engine.form import LIKERT5, MATRIX, SCALE4, FormSpec
from .models import Response, ResponseChannel

#: Completed in fewer seconds than this: flagged ``too_fast``.
MIN_SECONDS = 20
#: The same value on every scale item, with at least this many items answered: ``straight_line``.
STRAIGHT_LINE_MIN_ITEMS = 10
#: More than this many QR responses of one campaign × unit within :data:`BURST_WINDOW`: ``burst``.
BURST_LIMIT = 30
#: More than this many responses from one kiosk tablet within :data:`BURST_WINDOW`: ``burst``.
KIOSK_BURST_LIMIT = 10
BURST_WINDOW = timedelta(minutes=10)
#: Public QR posts allowed per client address within :data:`QR_POSTS_WINDOW_SECONDS`.
QR_POSTS_PER_ADDRESS = 20
QR_POSTS_WINDOW_SECONDS = 600

TOO_FAST = "too_fast"
STRAIGHT_LINE = "straight_line"
BURST = "burst"

REASONS = {
    TOO_FAST: _("Completed too fast"),
    STRAIGHT_LINE: _("Same answer on every scale item"),
    BURST: _("Too many responses from one place in a short time"),
}


def reason_label(code: str) -> str:
    return str(REASONS.get(code, code))


def kiosk_of(client_key: str) -> str:
    """The tablet a kiosk client key comes from (``<kiosk id>:<answer id>``); "" when none."""
    kiosk, separator, _rest = client_key.partition(":")
    return kiosk if separator else ""


def scale_values(spec: FormSpec, answers: dict) -> list[str]:
    """The answers to every scale item (likert / 4-level questions and matrix items)."""
    values: list[str] = []
    for question in spec.questions():
        answer = answers.get(question.code)
        if answer in (None, "", {}):
            continue
        if question.kind == MATRIX and isinstance(answer, dict):
            values.extend(str(answer[item.code]) for item in question.items if item.code in answer)
        elif question.kind in (LIKERT5, SCALE4):
            values.append(str(answer))
    return values


def is_too_fast(seconds: int | None) -> bool:
    return seconds is not None and seconds < MIN_SECONDS


def is_straight_line(spec: FormSpec, answers: dict) -> bool:
    values = scale_values(spec, answers)
    return len(values) >= STRAIGHT_LINE_MIN_ITEMS and len(set(values)) == 1


def is_burst(campaign, unit, channel: str, client_key: str, submitted_at: datetime) -> bool:
    """Are there already more responses than allowed in the window before ``submitted_at``?"""
    if channel not in (ResponseChannel.QR, ResponseChannel.KIOSK):
        return False
    recent = Response.objects.filter(
        campaign=campaign,
        unit=unit,
        channel=channel,
        submitted_at__gt=submitted_at - BURST_WINDOW,
        submitted_at__lte=submitted_at,
    )
    limit = BURST_LIMIT
    if channel == ResponseChannel.KIOSK:
        kiosk = kiosk_of(client_key)
        if not kiosk:
            return False
        recent = recent.filter(client_key__startswith=f"{kiosk}:")
        limit = KIOSK_BURST_LIMIT
    # This response is the (count + 1)-th in the window.
    return recent.count() + 1 > limit


def reasons(
    spec: FormSpec,
    answers: dict,
    *,
    seconds: int | None,
    campaign,
    unit,
    channel: str,
    client_key: str,
    submitted_at: datetime,
) -> list[str]:
    """Why this response is implausible (reason codes), or an empty list."""
    found = []
    if is_too_fast(seconds):
        found.append(TOO_FAST)
    if is_straight_line(spec, answers):
        found.append(STRAIGHT_LINE)
    if is_burst(campaign, unit, channel, client_key, submitted_at):
        found.append(BURST)
    return found


# -- the per-address limit of public QR posts ---------------------------------------------------
def _address_key(address: str) -> str:
    digest = hashlib.sha256((address or "unknown").encode()).hexdigest()[:32]
    return f"cchc:survey-qr-posts:{digest}"


def qr_post_allowed(address: str) -> bool:
    return (cache.get(_address_key(address)) or 0) < QR_POSTS_PER_ADDRESS


def record_qr_post(address: str) -> None:
    key = _address_key(address)
    if cache.add(key, 1, timeout=QR_POSTS_WINDOW_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=QR_POSTS_WINDOW_SECONDS)
