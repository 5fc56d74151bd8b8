"""Structured logs: one JSON object per line, each carrying the request's id, and no personal data.

- :class:`RequestIdMiddleware` gives each request an id: the proxy's ``X-Request-ID`` when it is a
  plausible one (letters, digits, ``-``, ``_``, ``.``, at most 64), a new one otherwise. It is
  returned in the response's ``X-Request-ID`` header, so a citizen's complaint, the proxy's access
  log and the application's log lines meet. Background jobs started during the request are given
  the same id (:func:`current_request_id`), and set it while they run (:func:`bound_request_id`).
- :class:`RequestIdFilter` puts ``request_id`` on every record.
- :class:`PersonalDataFilter` masks citizen ID numbers (CCCD: 12 digits; CMND: 9) and phone numbers
  in the message and its arguments before any handler writes them (Nghị định 13/2023/NĐ-CP on
  personal data: logs are read by operators who have no need for them).

``CCHC_LOG_FORMAT`` chooses ``json`` (production default) or ``text`` (settings.base).
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_request_id: ContextVar[str] = ContextVar("cchc_request_id", default="")
_ACCEPTED_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")

# A phone: 0 or +84 then 9–10 digits, maybe split by spaces, dots or dashes. An ID: 9 or 12 digits.
_PHONE = re.compile(r"(?<![\d])(?:\+?84|0)(?:[\s.-]?\d){8,10}(?![\d])")
_ID_NUMBER = re.compile(r"(?<![\d])(?:\d{12}|\d{9})(?![\d])")
MASK = "***"


def current_request_id() -> str:
    return _request_id.get()


@contextmanager
def bound_request_id(value: str) -> Iterator[str]:
    """Run a block (a background job) under a request id: the one given, or a new one."""
    token = _request_id.set(value or uuid.uuid4().hex)
    try:
        yield _request_id.get()
    finally:
        _request_id.reset(token)


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get("X-Request-ID", "")
        value = offered if _ACCEPTED_ID.fullmatch(offered) else uuid.uuid4().hex
        request.request_id = value
        with bound_request_id(value):
            response = self.get_response(request)
        response["X-Request-ID"] = value
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


def mask_personal_data(text: str) -> str:
    return _ID_NUMBER.sub(MASK, _PHONE.sub(MASK, text))


class PersonalDataFilter(logging.Filter):
    """Masks ID and phone numbers in the rendered message (arguments included) and the traceback
    text; the record is changed in place, so every handler writes the masked text."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: keep the raw message, masked
            message = str(record.msg)
        record.msg = mask_personal_data(message)
        record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal_data(record.exc_text)
            record.exc_info = None  # the formatter prints the masked text, not the live exception
        return True
