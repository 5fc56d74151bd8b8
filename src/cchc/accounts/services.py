"""Login rate limiting: failed attempts are counted per username and per client address.

After ``CCHC_LOGIN_MAX_FAILURES`` failures within ``CCHC_LOGIN_WINDOW_SECONDS`` further attempts are
refused, with or without the right password, until the window passes. Counting per address stops
one client trying many usernames; counting per username stops many clients trying one account.
The counters live in the cache (Redis in production), so every server process shares them.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"cchc:login-failures:{kind}:{digest}"


def _keys(username: str, address: str) -> list[str]:
    keys = [_key("address", address or "unknown")]
    if username:
        keys.append(_key("user", username))
    return keys


def login_blocked(username: str, address: str) -> bool:
    limit = settings.CCHC_LOGIN_MAX_FAILURES
    return any((cache.get(key) or 0) >= limit for key in _keys(username, address))


def record_failure(username: str, address: str) -> None:
    window = settings.CCHC_LOGIN_WINDOW_SECONDS
    for key in _keys(username, address):
        if cache.add(key, 1, timeout=window):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)


def record_success(username: str, address: str) -> None:
    cache.delete(_key("user", username))


def client_address(request) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by clients and would let them dodge the limit.
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""
