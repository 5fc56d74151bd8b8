"""Public status lookup: dossier code plus a second factor, rate-limited, no personal data.

Dossier codes are guessable (unit code, date, daily number), so the code alone reveals nothing:
the applicant also gives the last 4 digits of the phone number or of the ID number. Two limits
keep those 4 digits from being guessed, with counters in the shared cache (Redis in production):

- per client address (``CCHC_LOOKUP_MAX_FAILURES`` failures within
  ``CCHC_LOOKUP_WINDOW_SECONDS``): past it, every lookup from that address is refused for a while;
- per dossier code, from all addresses together (``CCHC_LOOKUP_CODE_MAX_FAILURES`` within
  ``CCHC_LOOKUP_CODE_WINDOW_SECONDS``, a day by default): past it, the code cannot be looked up
  until the window ends, even with the right digits, so spreading guesses over many addresses
  gains nothing. Failures count for any code, known or not, and a locked code answers exactly as
  a wrong one: the limit never tells whether a code exists.

The client address is ``cchc.common.client_address`` (trusted proxies, docs/security.md).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from .models import Dossier, Status

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


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256((value or "unknown").encode()).hexdigest()[:32]
    return f"cchc:lookup-failures:{kind}:{digest}"


def _address_key(address: str) -> str:
    return _key("address", address)


def _code_key(code: str) -> str:
    # Dossier codes match exactly; folding case here only makes variants share one counter.
    return _key("code", code.strip().upper())


def _bump(key: str, window: int) -> None:
    if not cache.add(key, 1, timeout=window):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)


def blocked(address: str) -> bool:
    """Has this client address failed too often? (Says nothing about any code.)"""
    limit = _setting("CCHC_LOOKUP_MAX_FAILURES", 10)
    return (cache.get(_address_key(address)) or 0) >= limit


def _code_blocked(code: str) -> bool:
    return (cache.get(_code_key(code)) or 0) >= _setting("CCHC_LOOKUP_CODE_MAX_FAILURES", 10)


def _record_failure(code: str, address: str, *, digits_checked: bool) -> None:
    _bump(_address_key(address), _setting("CCHC_LOOKUP_WINDOW_SECONDS", 900))
    if digits_checked:
        _bump(_code_key(code), _setting("CCHC_LOOKUP_CODE_WINDOW_SECONDS", 86400))


def _digits(value: str) -> str:
    return "".join(ch for ch in value or "" if ch.isdigit())


def find(code: str, last_digits: str, address: str) -> Dossier | None:
    """The dossier if ``last_digits`` are the last 4 digits of its phone or ID number.

    None for a wrong code, wrong digits, a blocked address and a locked code alike; each of these
    counts as a failure of ``address``, and a guess at the digits as a failure of ``code``.
    """
    code = (code or "").strip()
    last_digits = _digits(last_digits)
    dossier = None
    checked = False
    if code and len(last_digits) == 4 and not blocked(address) and not _code_blocked(code):
        checked = True
        candidate = Dossier.objects.exclude(status=Status.DRAFT).filter(code=code).first()
        if candidate is not None and last_digits in (
            _digits(candidate.applicant_phone)[-4:],
            _digits(candidate.applicant_id_number)[-4:],
        ):
            dossier = candidate
    if dossier is None:
        _record_failure(code, address, digits_checked=checked)
    return dossier


def public_timeline(dossier: Dossier) -> list[dict]:
    """What happened and when, without names of people or any personal data."""
    return [
        {"label": event.label, "at": event.at, "unit": event.unit}
        for event in dossier.events.order_by("sequence")
        if event.action not in ("draft_created",)
    ]
