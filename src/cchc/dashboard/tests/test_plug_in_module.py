"""A new module plugs in through the registries alone (docs/registries.md): a fake module
registers a URL include, a menu entry, a dashboard tile and an official document, and each shows
up where the platform lists them, with no edit to ``cchc/urls.py``, the portal's menu, the dashboard
or the documents app."""

import sys
import types
from contextlib import ExitStack
from copy import deepcopy

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path, reverse

from cchc.common.menu import MenuItem, menu
from cchc.common.routes import UrlInclude, includes
from cchc.common.tiles import Tile, tiles
from cchc.documents import rendering
from cchc.documents.builders import OfficialForm, forms
from cchc.documents.registry import FormSpec
from cchc.organisations.models import Role

pytestmark = pytest.mark.django_db

URLS = "cchc_fake_module_urls"


def fake_page(request):
    return HttpResponse("khảo sát")


def fake_urlconf():
    module = types.ModuleType(URLS)
    module.app_name = "survey"
    module.urlpatterns = [path("", fake_page, name="home")]
    return module


def fake_document(dossier):
    return rendering.FormContext(dossier.receiving_unit, dossier.received_at, {"note": "ghi chú"})


@pytest.fixture
def fake_module(tmp_path, monkeypatch):
    """The module's templates, URLs and registrations; the project's URLconf rebuilt with it."""
    (tmp_path / "survey").mkdir()
    (tmp_path / "survey" / "tile.html").write_text(
        '<div class="card" id="tile-survey" data-value="{{ value }}">'
        "Phiếu khảo sát: {{ value }} ({{ tile.key }}, {{ unit.code }})</div>"
    )
    (tmp_path / "survey" / "document.html").write_text(
        "<h1>{{ spec.title }}</h1><p>{{ dossier.code }} – {{ note }}</p>"
    )
    templates = deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], tmp_path]
    monkeypatch.setitem(sys.modules, URLS, fake_urlconf())
    with ExitStack() as stack:
        stack.enter_context(includes.temporarily(UrlInclude("survey", "khao-sat/", URLS, 115)))
        stack.enter_context(
            menu.temporarily(MenuItem("Khảo sát", "survey:home", roles=(Role.LEADER,), order=45))
        )
        stack.enter_context(
            tiles.temporarily(
                Tile("survey", "survey/tile.html", order=25, data=lambda scope: len(scope.ids))
            )
        )
        stack.enter_context(
            forms.temporarily(
                OfficialForm(
                    "survey_note",
                    fake_document,
                    applies=lambda dossier: dossier.received_at is not None,
                    order=15,
                    spec=FormSpec("survey_note", None, "Phiếu ghi nhận khảo sát"),
                    template="survey/document.html",
                )
            )
        )
        # The project's URLconf as cchc/urls.py builds it, now with the module's include.
        from cchc import urls as project_urls

        urlconf = types.ModuleType("cchc_urls_with_fake_module")
        urlconf.urlpatterns = project_urls.build()
        monkeypatch.setitem(sys.modules, urlconf.__name__, urlconf)
        stack.enter_context(override_settings(ROOT_URLCONF=urlconf.__name__, TEMPLATES=templates))
        yield


def test_a_module_plugs_in_without_editing_the_centre(
    fake_module, client, march, leader, unit, clock
):
    # its address resolves, and every existing one is unchanged (the contract test's list)
    assert reverse("survey:home") == "/khao-sat/"
    assert client.get("/khao-sat/").content.decode() == "khảo sát"
    assert reverse("dashboard:home") == "/dieu-hanh/"

    client.force_login(leader)
    html = client.get("/dieu-hanh/").content.decode()
    # the menu entry, between the dashboard (40) and the reports (50)
    assert html.index('href="/dieu-hanh/"') < html.index('href="/khao-sat/"')
    assert html.index('href="/khao-sat/"') < html.index('href="/bao-cao/"')
    # the tile, after the on-time tile (20) and before the overdue one (30), with its value (the
    # ward has no unit under it: one unit in scope)
    assert html.index('id="tile-on-time"') < html.index('id="tile-survey"')
    assert html.index('id="tile-survey"') < html.index('id="tile-overdue"')
    assert 'id="tile-survey" data-value="1"' in html and f"(survey, {unit.code})" in html

    # the document: listed for a received dossier, in order, rendered, linked from its page
    dossier = march["A"]
    keys = [spec.key for spec in rendering.applicable_forms(dossier)]
    assert keys[:2] == ["receipt", "survey_note"]
    html = rendering.render_html("survey_note", dossier)
    assert "Phiếu ghi nhận khảo sát" in html and dossier.code in html and "ghi chú" in html
    page = client.get(f"/ho-so/{dossier.pk}/").content.decode()
    assert f'href="/ho-so/{dossier.pk}/bieu-mau/survey_note.pdf"' in page


def test_the_module_is_gone_after_the_test(client, leader, unit):
    assert "survey" not in includes and "survey:home" not in menu
    assert "survey" not in tiles and "survey_note" not in forms
    client.force_login(leader)
    assert 'href="/khao-sat/"' not in client.get("/dieu-hanh/").content.decode()
