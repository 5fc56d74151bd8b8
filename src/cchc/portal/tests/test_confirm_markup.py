"""The confirmation markup cannot regress (issue 9, item 1): no inline ``confirm`` handler and no
form field named ``confirm`` anywhere in the templates; questions use ``data-confirm``, which the
shared script included by base.html answers."""

import re
from pathlib import Path

from django.conf import settings
from django.test import Client

PACKAGE = Path(settings.PACKAGE_DIR)
TEMPLATES = sorted(PACKAGE.rglob("templates/**/*.html"))
INLINE_CONFIRM = re.compile(r"""\bon[a-z]+\s*=\s*["'][^"']*\bconfirm\s*\(""", re.IGNORECASE)
FIELD_NAMED_CONFIRM = re.compile(r"""\b(?:name|id)\s*=\s*["']confirm["']""", re.IGNORECASE)


def test_templates_were_found():
    assert len(TEMPLATES) > 50, TEMPLATES
    assert PACKAGE / "templates" / "dossiers" / "detail.html" in TEMPLATES


def test_no_inline_confirm_handler():
    offending = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in TEMPLATES
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if INLINE_CONFIRM.search(line)
    ]
    assert offending == [], "use data-confirm='…' (portal/confirm.js), not an inline handler"


def test_no_form_field_shadows_confirm():
    offending = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in TEMPLATES
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if FIELD_NAMED_CONFIRM.search(line)
    ]
    assert offending == []


def test_consequential_forms_ask_through_data_confirm():
    for name in ("dossiers/detail.html", "feedback/detail.html", "citizen/my_dossier.html"):
        text = (PACKAGE / "templates" / name).read_text(encoding="utf-8")
        assert "data-confirm=" in text, name


def test_every_page_loads_the_confirm_script(db):
    page = Client().get("/").content.decode()
    assert re.search(r'<script nonce="[^"]+" src="/static/portal/confirm\.js"', page), page[-600:]
    script = (PACKAGE / "portal" / "static" / "portal" / "confirm.js").read_text(encoding="utf-8")
    assert "window.confirm(" in script and "data-confirm" in script
