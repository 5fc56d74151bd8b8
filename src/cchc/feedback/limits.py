"""Abuse limits on the public pages, counted per client address in the shared cache.

The same approach as the dossier lookup (``cchc.dossiers.lookup``): counters in the cache (Redis
in production, shared by every process), keyed by a hash of the client address
(``cchc.common.client_address``: ``REMOTE_ADDR``, or the address a trusted proxy names;
docs/security.md).

- Submissions: at most ``CCHC_FEEDBACK_MAX_SUBMISSIONS`` (default 5) per address within
  ``CCHC_FEEDBACK_WINDOW_SECONDS`` (default 3600).
- Look-ups of one's own feedback (code + last 4 digits of the phone): at most
  ``CCHC_FEEDBACK_LOOKUP_MAX_FAILURES`` (default 10) failures per address in the same window, and
  per feedback code from all addresses together the dossier lookup's per-code limit
  (``CCHC_LOOKUP_CODE_MAX_FAILURES`` within ``CCHC_LOOKUP_CODE_WINDOW_SECONDS``): past it the code
  answers as a wrong one, whether it exists or not.
"""

import hashlib

from django.core.cache import cache

from cchc.common.client_address import client_address  # noqa: F401  (the views' one resolver)
from cchc.conf import conf


def _window() -> int:
    return conf.FEEDBACK_WINDOW_SECONDS


def _key(kind: str, address: str) -> str:
    digest = hashlib.sha256((address or "unknown").encode()).hexdigest()[:32]
    return f"cchc:feedback-{kind}:{digest}"


def _count(kind: str, address: str) -> int:
    return cache.get(_key(kind, address)) or 0


def _bump(kind: str, address: str) -> None:
    key = _key(kind, address)
    if cache.add(key, 1, timeout=_window()):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=_window())


def submission_allowed(address: str) -> bool:
    return _count("submissions", address) < conf.FEEDBACK_MAX_SUBMISSIONS


def record_submission(address: str) -> None:
    _bump("submissions", address)


def lookup_blocked(address: str) -> bool:
    return _count("lookup-failures", address) >= conf.FEEDBACK_LOOKUP_MAX_FAILURES


def lookup_code_locked(code: str) -> bool:
    limit = conf.LOOKUP_CODE_MAX_FAILURES
    return (cache.get(_key("lookup-code", code.strip().upper())) or 0) >= limit


def record_lookup_failure(address: str, code: str = "") -> None:
    _bump("lookup-failures", address)
    if code.strip():
        key = _key("lookup-code", code.strip().upper())
        window = conf.LOOKUP_CODE_WINDOW_SECONDS
        if not cache.add(key, 1, timeout=window):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=window)
