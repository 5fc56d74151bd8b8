"""Content-Security-Policy (issue 14, ADR 0015): on in every settings module, strict, with a
fresh nonce per response that the page's own scripts carry; no template runs inline code."""

import re
from pathlib import Path

import pytest

from cchc.common.tests.test_hardening import run_production

pytestmark = pytest.mark.django_db

PACKAGE = Path(__file__).resolve().parents[2]
NONCE = re.compile(r"'nonce-([A-Za-z0-9+/=]+)'")


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


def test_every_page_carries_the_policy_with_a_fresh_nonce(client):
    first = client.get("/")
    second = client.get("/")
    assert first.status_code == second.status_code == 200
    nonces = [NONCE.search(r["Content-Security-Policy"]).group(1) for r in (first, second)]
    assert nonces[0] != nonces[1]
    assert len(nonces[0]) >= 22  # 16 random bytes, base64


def test_the_scripts_of_the_page_carry_the_nonce_of_its_header(client):
    response = client.get("/")
    nonce = NONCE.search(response["Content-Security-Policy"]).group(1)
    scripts = re.findall(r"<script\b[^>]*>", response.content.decode())
    assert len(scripts) >= 3  # bootstrap, htmx, the platform's own
    assert all(f'nonce="{nonce}"' in tag for tag in scripts), scripts


def test_the_policy_is_strict():
    from django.conf import settings

    assert settings.CONTENT_SECURITY_POLICY_REPORT_ONLY is None
    response_header = directives(_header())
    script = response_header["script-src"]
    assert script[0] == "'self'" and script[1].startswith("'nonce-") and len(script) == 2
    assert "'unsafe-inline'" not in response_header["style-src"]
    for directive, sources in response_header.items():
        assert "'unsafe-eval'" not in sources, directive
        if directive != "style-src-attr":
            assert "'unsafe-inline'" not in sources, directive
    assert response_header["default-src"] == ["'self'"]
    assert response_header["object-src"] == ["'none'"]
    assert response_header["base-uri"] == ["'self'"]
    assert response_header["frame-ancestors"] == ["'none'"]
    assert response_header["form-action"] == ["'self'"]
    assert response_header["img-src"] == ["'self'", "data:"]
    assert "report-uri" not in response_header


def _header() -> str:
    from django.test import Client

    return Client().get("/")["Content-Security-Policy"]


def test_error_pages_answered_before_the_views_carry_it_too(client, settings):
    settings.CCHC_REQUEST_MAX_BYTES = 10
    response = client.post("/tra-cuu/", data={"ma": "x" * 100})
    assert response.status_code == 413
    assert "script-src 'self' 'nonce-" in response["Content-Security-Policy"]
    assert 'href="javascript:' not in response.content.decode()


def test_the_swagger_page_runs_under_the_same_policy(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    nonce = NONCE.search(response["Content-Security-Policy"]).group(1)
    html = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert len(scripts) == 3  # the bundle, the preset and the inline start-up
    assert all(f'nonce="{nonce}"' in tag for tag in scripts), scripts
    assert f'<style nonce="{nonce}">' in html


def test_report_address_and_report_only_switch_from_the_environment():
    code = (
        "import cchc.settings.production as s; "
        "print(bool(s.CONTENT_SECURITY_POLICY), bool(s.CONTENT_SECURITY_POLICY_REPORT_ONLY)); "
        "p = s.CONTENT_SECURITY_POLICY or s.CONTENT_SECURITY_POLICY_REPORT_ONLY; "
        "print(p['DIRECTIVES'].get('report-uri'))"
    )
    assert run_production(code).stdout.split() == ["True", "False", "None"]
    trial = run_production(
        code, CCHC_CSP_REPORT_ONLY="1", CCHC_CSP_REPORT_URI="https://csp.example.gov.vn/r"
    )
    assert trial.stdout.split() == ["False", "True", "['https://csp.example.gov.vn/r']"]


def test_the_report_only_header_replaces_the_enforced_one(client, settings):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = None
    response = client.get("/")
    assert "Content-Security-Policy" not in response
    assert "'nonce-" in response["Content-Security-Policy-Report-Only"]


def _templates() -> list[Path]:
    return [
        path
        for path in PACKAGE.rglob("*.html")
        if "static" not in path.parts and "tests" not in path.parts
    ]


def test_no_template_runs_inline_code():
    """Every <script> and <style> element carries the nonce (PDF templates, read by WeasyPrint and
    never by a browser, excepted); no inline event handler, no javascript: address."""
    problems = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(PACKAGE)
        for tag in re.findall(r"<(?:script|style)\b[^>]*>", text):
            if 'nonce="{{ CSP_NONCE }}"' not in tag and not _is_pdf(path, text):
                problems.append(f"{name}: {tag}")
        for handler in re.findall(r"\s(on[a-z]+)\s*=", text):
            problems.append(f"{name}: inline handler {handler}=")
        if "javascript:" in text:
            problems.append(f"{name}: javascript: address")
        if "hx-on" in text or "js:" in text:
            problems.append(f"{name}: htmx code needing eval")
    assert problems == []
    assert len(_templates()) > 100  # the scan sees the templates


def _is_pdf(path: Path, text: str) -> bool:
    return path.stem.endswith("_pdf") or (path.parent.name == "documents" and "@page" in text)


def test_htmx_is_configured_without_eval_nor_injected_styles(client):
    html = client.get("/").content.decode()
    assert (
        """<meta name="htmx-config" content='{"allowEval": false, "allowScriptTags": false, """
        """"includeIndicatorStyles": false}'>"""
    ) in html
