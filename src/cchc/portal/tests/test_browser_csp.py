"""The browser tests' Content-Security-Policy watch (root conftest.py, ADR 0015) fails a test on a
violation: a real page with its real header, an inline script without the nonce slipped in."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INJECTED = '<script>window.injected = true;</script><button onclick="x()">x</button></body>'


def serve_with_an_injected_script(page, live_server):
    """The home page as the server sends it (header and nonce included), plus an inline script
    and an inline handler that carry no nonce."""

    def inject(route):
        response = route.fetch()
        body = response.text().replace("</body>", INJECTED)
        route.fulfill(response=response, body=body)

    page.route(f"{live_server.url}/", inject)
    page.goto(f"{live_server.url}/")
    page.wait_for_load_state("load")


def test_the_watch_fails_the_test_on_a_violation(live_server, csp_watched_chromium):
    with pytest.raises(pytest.fail.Exception) as failed, csp_watched_chromium() as browser:
        page = browser.new_page()
        serve_with_an_injected_script(page, live_server)
        # The nonce'd scripts of the page ran (bootstrap, htmx); the injected one did not.
        assert page.evaluate("typeof bootstrap === 'object' && typeof htmx === 'object'")
        assert page.evaluate("window.injected") is None
    report = str(failed.value)
    assert report.startswith("Content-Security-Policy violations in the browser:")
    assert f"{live_server.url}/: script-src-elem | inline" in report
    assert f"{live_server.url}/: script-src-attr | inline" in report


def test_pages_of_a_context_are_watched_too_and_bypass_is_refused(live_server, browser):
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    serve_with_an_injected_script(page, live_server)
    page.evaluate("1")
    found = list(browser.csp_watch.violations)
    browser.csp_watch.violations.clear()  # seen here: this test's own teardown must pass
    assert any("script-src-elem | inline" in line for line in found), found
    with pytest.raises(pytest.UsageError, match="bypass_csp"):
        browser.new_context(bypass_csp=True)


def test_a_clean_page_meets_no_violation(live_server, browser):
    page = browser.new_page()
    page.goto(f"{live_server.url}/")
    page.wait_for_load_state("load")
    assert page.evaluate("typeof htmx === 'object' && htmx.config.allowEval") is False
    page.evaluate("1")
    assert browser.csp_watch.violations == []


def test_the_swagger_page_runs_under_the_policy(live_server, browser):
    """drf-spectacular's Swagger UI (sidecar files) starts and shows the schema's operations with
    no allowance beyond the nonce; the fixture fails the test on any violation."""
    page = browser.new_page()
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_load_state("load")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "CCHC API" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock").count() > 10
