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


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def browser():
    """Debian's chromium through Playwright (no browser download). Skipped on a developer machine
    without chromium; in CI (``CI`` set) a missing chromium fails, since ``.ci/run`` installs it.
    Create database data in fixtures listed *before* this one: Playwright's greenlets carry their
    own database context."""
    import os
    import shutil

    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: .ci/run must install it (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-sync",
            ],
        )  # fmt: skip
        yield browser
        browser.close()
