"""Shared test fixtures: a fixed clock and the demo-free database state."""

import pytest


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache (login counters) and re-reads the calendar."""
    from django.core.cache import cache

    from cchc.workdays.services import invalidate_calendar

    cache.clear()
    invalidate_calendar()  # a rolled-back test fires no signal: look at the tables again
    yield
    cache.clear()
