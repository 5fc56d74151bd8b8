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

import json
import re
from datetime import date, datetime

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


PREFIX_SHAPE = re.compile(r"^PA-?(?P<day>[0-9]{0,6})(?P<dash>-?)(?P<seq>[0-9]*)$")


def search_prefix(text: str) -> str | None:
    """The stored form of (the beginning of) a code typed in a search box, else ``None``.

    ``"pa 2510"`` → ``"PA-2510"``, ``"PA2510130001"`` → ``"PA-251013-0001"``.
    """
    compact = "".join(ascii_text(text).split()).upper()
    match = PREFIX_SHAPE.match(compact)
    if not match or compact in ("PA",):
        return None
    prefix = f"PA-{match['day']}"
    if len(match["day"]) == 6 and (match["seq"] or match["dash"]):
        prefix += f"-{match['seq']}"
    return prefix


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


def rewrite_old_codes(feedback_model, event_model, sequence_model) -> tuple[int, int]:
    """Give old 7-digit codes the allocator's form where that is safe; ``(rewritten, kept)``.

    Works with the migration's historical models as with the real ones. The sealed history
    (``cchc.history``) seals each entry with the feedback's id, never its code, and checkpoints
    digest ids, counts and heads: changing the code column breaks no chain. What a code change could
    break is a code someone holds or an entry that quotes it, so a feedback keeps its old code when:

    - a private rating link was issued (it carries the code), the sender has an account, or the
      sender gave a phone number (the code + 4 digits lookup); or
    - an entry of its sealed history quotes the code in its note or data (sealed text cannot change,
      and it would then name a code that no longer exists).

    Old codes came only from the synthetic-history generator (no sender contact, no token), so in
    practice all are rewritten; any that are kept stay valid (lookups accept both forms). New
    numbers continue the day's counter past every number already issued that day.
    """
    old = list(
        feedback_model.objects.filter(code__regex=r"^PA-[0-9]{6}-[0-9]{7}$")
        .order_by("received_at", "id")
        .values("id", "code", "rating_token_hash", "sender_user_id", "sender_phone")
    )
    if not old:
        return 0, 0
    quoted = set()
    codes_by_id = {row["id"]: row["code"] for row in old}
    events = event_model.objects.filter(feedback_id__in=list(codes_by_id)).values_list(
        "feedback_id", "note", "data"
    )
    for feedback_id, note, data in events.iterator():
        code = codes_by_id[feedback_id]
        if code in (note or "") or code in json.dumps(data or {}, ensure_ascii=False):
            quoted.add(feedback_id)
    rewritten = kept = 0
    counters: dict[date, int] = {}
    for row in old:
        held = row["rating_token_hash"] or row["sender_user_id"] or (row["sender_phone"] or "")
        if held or row["id"] in quoted:
            kept += 1
            continue
        match = SHAPE.match(row["code"])
        day = datetime.strptime(match["day"], "%y%m%d").date()
        if day not in counters:
            counters[day] = _highest_number(feedback_model, sequence_model, day)
        counters[day] += 1
        feedback_model.objects.filter(pk=row["id"]).update(code=format_code(day, counters[day]))
        rewritten += 1
    for day, value in counters.items():
        sequence_model.objects.update_or_create(day=day, defaults={"last_value": value})
    return rewritten, kept


def _highest_number(feedback_model, sequence_model, day: date) -> int:
    """The day's counter, or the highest new-form number in use that day if that is higher."""
    counter = sequence_model.objects.filter(day=day).values_list("last_value", flat=True).first()
    highest = counter or 0
    prefix = f"PA-{day:%y%m%d}-"
    for code in feedback_model.objects.filter(code__startswith=prefix).values_list(
        "code", flat=True
    ):
        match = SHAPE.match(code)
        if match and len(match["seq"]) < OLD_SEQUENCE_DIGITS:
            highest = max(highest, int(match["seq"]))
    return highest
