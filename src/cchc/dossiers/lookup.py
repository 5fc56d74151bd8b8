"""Public status lookup: dossier code plus a second factor, rate-limited, no personal data.

Dossier codes are guessable (unit code, date, daily number), so the code alone reveals nothing:
the applicant also gives the last 4 digits of the phone number or of the ID number. Failed
attempts are counted per client address; past the limit every attempt is refused for a while, and
a refusal never says whether the code exists.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from .models import Dossier, Status

MAX_FAILURES = getattr(settings, "CCHC_LOOKUP_MAX_FAILURES", 10)
WINDOW_SECONDS = getattr(settings, "CCHC_LOOKUP_WINDOW_SECONDS", 900)

PLAIN_STATUS = {
    Status.SUBMITTED: _("Your dossier was submitted online and is waiting to be checked."),
    Status.RECEIVED: _("Your dossier has been received and is being processed."),
    Status.NOT_RECEIVED: _("Your dossier was not received; see the reason given to you."),
    Status.PROCESSING: _("Your dossier is being processed."),
    Status.SUPPLEMENT_REQUESTED: _(
        "Your dossier needs more documents: please supplement it as you were asked."
    ),
    Status.FINANCIAL_OBLIGATION: _("Please pay the taxes or charges you were asked to pay."),
    Status.WITHDRAWN: _("Your dossier was withdrawn at your request."),
    Status.STOPPED: _("Processing of your dossier has been stopped."),
    Status.RESOLVED: _("The result is ready: you can collect it."),
    Status.RETURNED: _("The result has been returned to you."),
}


def _key(address: str) -> str:
    digest = hashlib.sha256((address or "unknown").encode()).hexdigest()[:32]
    return f"cchc:lookup-failures:{digest}"


def blocked(address: str) -> bool:
    return (cache.get(_key(address)) or 0) >= MAX_FAILURES


def _record_failure(address: str) -> None:
    key = _key(address)
    if not cache.add(key, 1, timeout=WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=WINDOW_SECONDS)


def _digits(value: str) -> str:
    return "".join(ch for ch in value or "" if ch.isdigit())


def find(code: str, last_digits: str, address: str) -> Dossier | None:
    """The dossier if ``last_digits`` are the last 4 digits of its phone or ID number."""
    code = (code or "").strip()
    last_digits = _digits(last_digits)
    dossier = None
    if code and len(last_digits) == 4 and not blocked(address):
        candidate = Dossier.objects.exclude(status=Status.DRAFT).filter(code=code).first()
        if candidate is not None and last_digits in (
            _digits(candidate.applicant_phone)[-4:],
            _digits(candidate.applicant_id_number)[-4:],
        ):
            dossier = candidate
    if dossier is None:
        _record_failure(address)
    return dossier


def public_timeline(dossier: Dossier) -> list[dict]:
    """What happened and when, without names of people or any personal data."""
    return [
        {"label": event.label, "at": event.at, "unit": event.unit}
        for event in dossier.events.order_by("sequence")
        if event.action not in ("draft_created",)
    ]
