"""Feedback codes (mã phản ánh): ``PA-YYMMDD-NNNN``, the local day of receipt and its number.

One format everywhere: ``services.allocate_code`` (one submission) and ``services.allocate_codes``
(a block, for generators) draw the number from the same daily counter and format it here. Codes
of the older 7-digit form (``PA-260718-0000047``, written by the synthetic-history generator before
it used the counter) stay valid where they could not be rewritten (docs/feedback.md, "Codes").

What people type is normalised before a lookup (``normalise``): lower case, spaces, other dashes,
full-width characters and missing hyphens (``pa 261013 0001``, ``PA2610130001``) all give the
stored form.
"""

from __future__ import annotations

import re
from datetime import date

from django.utils.translation import gettext as _

from cchc.dossiers.lookup import ascii_text

CODE_FORMAT = "PA-{date:%y%m%d}-{seq:04d}"
EXAMPLE = "PA-261013-0001"
# The day and the number, hyphens optional; 4 digits (5 or 6 past 9,999 a day), or the old 7.
SHAPE = re.compile(r"^PA-?(?P<day>[0-9]{6})-?(?P<seq>[0-9]{4,7})$")
OLD_SEQUENCE_DIGITS = 7


def format_code(day: date, seq: int) -> str:
    return CODE_FORMAT.format(date=day, seq=seq)


def normalise(value: str) -> str:
    """The code as stored: ``" pa – 261013 – 0001 "`` → ``"PA-261013-0001"``."""
    text = "".join(ascii_text(value).split()).upper()
    match = SHAPE.match(text)
    return f"PA-{match['day']}-{match['seq']}" if match else text


def problem(code: str) -> str | None:
    """A hint when ``code`` (normalised) cannot be a feedback code; ``None`` when it can."""
    if SHAPE.match(code or ""):
        return None
    return _(
        "This is not a feedback code. The code was given to you when you sent the feedback, "
        "for example %(example)s."
    ) % {"example": EXAMPLE}


def is_old_format(code: str) -> bool:
    match = SHAPE.match(code or "")
    return bool(match) and len(match["seq"]) == OLD_SEQUENCE_DIGITS
