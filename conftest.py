"""Shared test fixtures: a fixed clock and the demo-free database state."""

import pytest


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache (login counters, calendar)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
