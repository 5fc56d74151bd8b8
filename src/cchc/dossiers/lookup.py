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

What people type is normalised before anything is looked up or counted (``normalise_code``): a
code copied from a receipt, typed on a phone in lower case, with spaces, an en dash from the
keyboard's auto-correction or the full-width characters of a Vietnamese input method finds its
dossier. A code that cannot be a dossier code at all (``code_problem``) is answered with a hint on
the code's shape and counts as no failure: it never reaches the database, so it reveals nothing.
"""

import hashlib
import re
import unicodedata

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from cchc.conf import conf

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


# Dashes that keyboards and word processors put in place of the hyphen-minus.
DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63"), "-")
# This platform's shape (services.DEFAULT_CODE_FORMAT, Thông tư 01/2018/TT-VPCP Điều 19):
# unit identifier, reception day YYMMDD, daily number; here with any separators between the parts.
SPLIT_SHAPE = re.compile(r"^(?P<unit>\S.*?)[\s\-/_]+(?P<day>\d{6})[\s\-/_]+(?P<seq>\d{4,6})$")
# What a stored code can look like: the platform's codes and those of imported systems, which are
# ASCII without spaces (a code typed in Vietnamese letters or without a digit is not one).
CODE_CHARS = re.compile(r"^[\x21-\x7e]{5,80}$")
CODE_EXAMPLE = "000.00.31.H99-250124-0007"


def ascii_text(value: str) -> str:
    """Full-width letters and digits (Vietnamese input methods) as ASCII, dashes as hyphens."""
    return unicodedata.normalize("NFKC", value or "").translate(DASHES)


def normalise_code(value: str) -> str:
    """The code as stored: trimmed, spaces removed, upper case, the usual separators fixed.

    ``"000.00.31.h99 – 250124 – 0007"``, ``"000.00.31.H99/250124/0007"`` and
    ``"000.00.31.H99 250124 0007"`` all give ``"000.00.31.H99-250124-0007"``.
    """
    text = ascii_text(value).strip()
    match = SPLIT_SHAPE.match(text)
    if match:
        unit = "".join(match["unit"].split()).rstrip("-/_")
        text = f"{unit}-{match['day']}-{match['seq']}"
    return "".join(
        ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Cf"
    ).upper()


def code_problem(code: str):
    """A hint when ``code`` (normalised) cannot be any dossier's code; ``None`` when it can."""
    if CODE_CHARS.match(code or "") and any(ch.isdigit() for ch in code):
        return None
    return _(
        "This is not a dossier code. The code is printed on your receipt, for example "
        "%(example)s (unit code, reception date, number)."
    ) % {"example": CODE_EXAMPLE}


def normalise_digits(value: str) -> str:
    """The 4 digits as ASCII (full-width digits of a Vietnamese keyboard too), spaces removed."""
    return "".join(ascii_text(value).split())


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
    limit = conf.LOOKUP_MAX_FAILURES
    return (cache.get(_address_key(address)) or 0) >= limit


def _code_blocked(code: str) -> bool:
    return (cache.get(_code_key(code)) or 0) >= conf.LOOKUP_CODE_MAX_FAILURES


def _record_failure(code: str, address: str, *, digits_checked: bool) -> None:
    _bump(_address_key(address), conf.LOOKUP_WINDOW_SECONDS)
    if digits_checked:
        _bump(_code_key(code), conf.LOOKUP_CODE_WINDOW_SECONDS)


def _digits(value: str) -> str:
    return "".join(ch for ch in ascii_text(value) if ch in "0123456789")


def find(code: str, last_digits: str, address: str) -> Dossier | None:
    """The dossier if ``last_digits`` are the last 4 digits of its phone or ID number.

    ``code`` is normalised first (``normalise_code``), so case, spaces and separators do not
    matter. None for a wrong code, wrong digits, a blocked address and a locked code alike; each of
    these counts as a failure of ``address``, and a guess at the digits as a failure of ``code``.
    A code that cannot be a dossier code (``code_problem``) is None without counting anything: the
    callers answer it with the hint before calling.
    """
    typed = "".join(ascii_text(code).split())
    code = normalise_code(code)
    if code_problem(code):
        return None
    last_digits = _digits(last_digits)
    dossier = None
    checked = False
    if len(last_digits) == 4 and not blocked(address) and not _code_blocked(code):
        checked = True
        # The stored code as normalised, or exactly as typed (an imported code in lower case).
        candidate = (
            Dossier.objects.exclude(status=Status.DRAFT)
            .filter(code__in={code, typed, typed.upper()})
            .order_by("-code")
            .first()
        )
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
