"""Shared test fixtures: a fixed clock and the demo-free database state; the browser."""

import os
import shutil
from contextlib import contextmanager

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


CHROMIUM = os.environ.get("CCHC_CHROMIUM", "/usr/bin/chromium")  # Debian's by default
SKIP_BROWSER = "CCHC_SKIP_BROWSER_TESTS"
INSTALL_HINT = (
    "run `sudo bash scripts/system-deps.sh --with-browser` (apt-get install chromium); "
    f"on a developer's machine only, {SKIP_BROWSER}=1 skips the browser tests, loudly"
)


def _browser_opt_out() -> bool:
    """The developer asked to skip the browser tests (never in CI: see pytest_configure)."""
    return os.environ.get(SKIP_BROWSER, "").strip() == "1"


def pytest_configure(config):
    if _browser_opt_out() and os.environ.get("CI"):
        raise pytest.UsageError(f"{SKIP_BROWSER}=1 is refused in CI: CI runs every browser test.")


def pytest_sessionstart(session):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if _browser_opt_out() and reporter is not None:
        reporter.write_line(
            f"!!! {SKIP_BROWSER}=1: the browser tests are SKIPPED; this run proves less !!!",
            red=True,
            bold=True,
        )


def pytest_collection_modifyitems(config, items):
    if not _browser_opt_out():
        return
    skip = pytest.mark.skip(reason=f"{SKIP_BROWSER}=1 (browser tests not run)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not _browser_opt_out():
        return
    skipped = sum(
        1
        for report in terminalreporter.stats.get("skipped", [])
        if SKIP_BROWSER in str(getattr(report, "longrepr", ""))
    )
    terminalreporter.write_sep(
        "!",
        f"{skipped} BROWSER TESTS SKIPPED ({SKIP_BROWSER}=1): this is not a full, green run",
        red=True,
        bold=True,
    )


# Every page of the browser tests records the Content-Security-Policy violations it meets (ADR
# 0015): the browser's securitypolicyviolation event, reported through a binding so it survives
# navigation, and the console's "Refused to …" lines. Init scripts and bindings run outside the
# page's policy, so the watch itself needs no allowance.
CSP_BINDING = "__cchcCspViolation"
CSP_WATCH_SCRIPT = (
    "document.addEventListener('securitypolicyviolation', (e) => {"
    f"  window.{CSP_BINDING}([e.effectiveDirective || e.violatedDirective, e.blockedURI,"
    "    e.sourceFile + ':' + e.lineNumber, (e.sample || '').slice(0, 80)].join(' | '));"
    "}, true);"
)


class CspWatch:
    """Wraps ``browser.new_context`` and ``browser.new_page`` so no page escapes the watch, and
    refuses ``bypass_csp``: a browser test cannot run without the policy by accident."""

    def __init__(self, browser):
        self.violations: list[str] = []
        self.contexts: list = []
        self._new_context = browser.new_context
        browser.new_context = self.new_context
        browser.new_page = self.new_page

    def new_context(self, **options):
        if options.get("bypass_csp"):
            raise pytest.UsageError("bypass_csp is refused: browser tests run under the CSP.")
        context = self._new_context(**options)
        context.expose_binding(
            CSP_BINDING, lambda source, text: self.record(source["page"].url, text)
        )
        context.add_init_script(script=CSP_WATCH_SCRIPT)
        context.on("page", self.watch_console)
        self.contexts.append(context)
        return context

    def new_page(self, **options):
        return self.new_context(**options).new_page()

    def watch_console(self, page):
        def on_console(message):
            text = message.text
            if "Content Security Policy" in text or "Content-Security-Policy" in text:
                self.record(page.url, f"console: {text}")

        page.on("console", on_console)

    def record(self, url: str, text: str) -> None:
        self.violations.append(f"{url}: {text}")

    def flush(self) -> None:
        """Let Playwright deliver the events still on their way from open pages."""
        for context in self.contexts:
            try:
                for page in context.pages:
                    page.evaluate("1")
            except Exception:  # a closed page or context has nothing more to tell
                continue

    def report(self) -> str:
        return "Content-Security-Policy violations in the browser:\n" + "\n".join(
            dict.fromkeys(self.violations)
        )


@contextmanager
def watched_chromium():
    """Debian's chromium through Playwright, every page under :class:`CspWatch`; fails (at the
    end of the ``with``) listing each Content-Security-Policy violation met."""
    if not shutil.which(CHROMIUM):
        pytest.fail(f"chromium is missing ({CHROMIUM}): {INSTALL_HINT}", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-sync",
            ],
        )  # fmt: skip
        watch = CspWatch(browser)
        browser.csp_watch = watch
        try:
            yield browser
        finally:
            watch.flush()
            browser.close()
        if watch.violations:
            pytest.fail(watch.report(), pytrace=False)


@pytest.fixture
def csp_watched_chromium():
    """The factory behind :func:`browser`, for the test proving the watch fails a test."""
    return watched_chromium


@pytest.fixture
def browser():
    """Debian's chromium through Playwright (no browser download). A missing chromium fails the
    test with the way to install it: ``make test`` never reports green without the browser tests
    (``CCHC_SKIP_BROWSER_TESTS=1`` skips them on purpose, loudly, and is refused in CI).
    Create database data in fixtures listed *before* this one: Playwright's greenlets carry their
    own database context.

    Every context and page made from it records Content-Security-Policy violations, and the test
    fails at teardown listing each one (:class:`CspWatch`)."""
    with watched_chromium() as browser:
        yield browser


@pytest.fixture
def bucket(settings, monkeypatch, tmp_path):
    """Uploaded files in a private S3 bucket (moto's S3 inside this process), with the storage
    settings production builds from ``CCHC_MEDIA_STORAGE=s3``. Yields the S3 client to look into
    the bucket. Create files in fixtures listed *after* this one."""
    import boto3
    from moto import mock_aws

    from cchc.common.tests.settings_probe import load_base_settings

    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "cchc-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "cchc-test-secret")
    production = load_base_settings(
        monkeypatch, tmp_path, CCHC_MEDIA_STORAGE="s3", CCHC_S3_BUCKET="cchc-media",
        CCHC_S3_REGION="ap-southeast-1", CCHC_S3_PREFIX="tep",
    )  # fmt: skip
    with mock_aws():
        client = boto3.client("s3", region_name="ap-southeast-1")
        client.create_bucket(
            Bucket="cchc-media",
            CreateBucketConfiguration={"LocationConstraint": "ap-southeast-1"},
        )
        settings.STORAGES = {**settings.STORAGES, "default": production.STORAGES["default"]}
        settings.CCHC_MEDIA_STORAGE = "s3"
        yield client
