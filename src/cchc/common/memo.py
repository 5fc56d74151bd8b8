"""Answers kept for the length of one request: what a page asks several times, it computes once.

A queue page asks for the user's counter units three times (its scope, its slices, the counter
queues), each a read of the whole unit tree. Kept on the request, not on the user object or in a
process-wide cache: the next request reads the tree again, so a change an administrator makes is
seen at once, and code outside a request (services, commands, tests) always computes afresh.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_memo: ContextVar[dict | None] = ContextVar("cchc_request_memo", default=None)


def per_request(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, once per request for ``key``; every call outside a request computes."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


class RequestMemoMiddleware:
    """Opens the memo of :func:`per_request` for one request and drops it afterwards."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)
