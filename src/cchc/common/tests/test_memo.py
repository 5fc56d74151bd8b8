"""Answers kept for one request (cchc.common.memo): computed once inside a request, afresh in the
next one and every time outside a request."""

import pytest

from cchc.common.memo import RequestMemoMiddleware, per_request


def counting():
    """A computation that answers how many times it ran."""
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    return compute


def test_outside_a_request_every_call_computes():
    compute = counting()
    assert [per_request("k", compute) for _ in range(3)] == [1, 2, 3]


def test_inside_a_request_once_per_key_and_afresh_in_the_next_request(rf):
    compute = counting()
    seen = []

    def view(request):
        seen.append((per_request("k", compute), per_request("k", compute)))
        seen.append(per_request("other", lambda: "x"))
        return None

    middleware = RequestMemoMiddleware(view)
    middleware(rf.get("/"))
    middleware(rf.get("/"))
    assert seen == [(1, 1), "x", (2, 2), "x"]
    assert per_request("k", compute) == 3  # the request is over: its memo is gone


def test_an_error_in_the_view_closes_the_memo(rf):
    def view(request):
        per_request("k", lambda: "inside")
        raise RuntimeError

    with pytest.raises(RuntimeError):
        RequestMemoMiddleware(view)(rf.get("/"))
    assert per_request("k", lambda: "outside") == "outside"
