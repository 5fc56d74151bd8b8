"""The dashboard pages: who may see them, filters, kiosk mode, the htmx fragment, the overdue list;
the public transparency pages without personal data."""

import re
from html import unescape

import pytest
from django.urls import reverse

from cchc.dossiers.models import Dossier

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

HOME = "/dieu-hanh/"
LIVE = "/dieu-hanh/cap-nhat/"
OVERDUE = "/dieu-hanh/qua-han/"


def login(client, user):
    client.force_login(user)  # password sign-in, with its lockout, is cchc.accounts' own test
    return client


def value(html: str, element_id: str, attribute: str = "data-value") -> str:
    """The attribute of the element with this id, or of the first element inside it."""
    match = re.search(rf'id="{element_id}"[^>]*>.*?{attribute}="([^"]*)"', html, re.S)
    own = re.search(rf'<[^>]*id="{element_id}"[^>]*{attribute}="([^"]*)"', html)
    found = own or match
    assert found, f"{element_id} {attribute} not found"
    return found.group(1)


def test_url_names():
    assert reverse("dashboard:home") == HOME
    assert reverse("dashboard:live") == LIVE
    assert reverse("dashboard:overdue") == OVERDUE
    assert reverse("transparency:index") == "/minh-bach/"
    assert reverse("transparency:unit", args=["000.00.31.H99"]) == "/minh-bach/000.00.31.H99/"


def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get(HOME)
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]
    assert client.get(OVERDUE).status_code == 302
    assert client.get(LIVE).status_code == 401  # htmx keeps the last figures on screen


def test_officers_and_citizens_are_refused(client, officer, django_user_model):
    assert login(client, officer).get(HOME).status_code == 403
    assert client.get(LIVE).status_code == 403
    assert client.get(OVERDUE).status_code == 403
    citizen = django_user_model.objects.create_user(
        "congdan", password=PASSWORD, full_name="Công dân"
    )
    client.logout()
    login(client, citizen)
    assert client.get(HOME).status_code == 403


def test_leader_sees_the_tiles_of_the_own_unit(client, march, leader, unit, clock):
    response = login(client, leader).get(HOME)
    assert response.status_code == 200
    html = response.content.decode()
    assert value(html, "tile-received-today") == "2"
    assert value(html, "tile-on-time", "data-numerator") == "6"
    assert value(html, "tile-on-time", "data-denominator") == "9"
    assert "66,7%" in html
    assert value(html, "overdue-count") == "1"
    assert value(html, "tile-near-due") == "1"
    assert value(html, "tile-apologies") == "1"
    assert value(html, "tile-satisfaction", "data-numerator") == "1"
    assert value(html, "tile-satisfaction", "data-denominator") == "3"
    assert value(html, "tile-feedback") == "1"
    assert value(html, "rank", "data-rank") in ("1", "2")
    assert value(html, "rank", "data-of") == "2"
    assert "01/03/2026" in html and "18/03/2026" in html
    # Only units in the leader's scope are offered.
    options = re.findall(
        r'<option value="([^"]*)"', html.split('id="id_don_vi"')[1].split("</select>")[0]
    )
    assert options == [unit.code]


def test_overdue_list_on_the_dashboard_links_to_the_dossier(client, march, leader, clock):
    html = login(client, leader).get(HOME).content.decode()
    section = html.split('id="overdue-list"')[1].split("</section>")[0]
    assert f'href="/ho-so/{march["A"].pk}/"' in section and march["A"].code in section
    assert march["X"].code not in section  # due later today: not overdue now
    assert "6,3" in section and "09/03/2026" in section
    assert f'href="{OVERDUE}?don_vi=000.00.31.H99&amp;ky=thang"' in html


def test_see_all_opens_the_report_drill_down_at_today(client, march, leader, clock):
    html = login(client, leader).get(HOME).content.decode()
    link = unescape(
        re.search(r'id="drill-link"', html)
        and re.search(r'href="([^"]+)" id="drill-link"', html).group(1)
    )
    assert link == (
        "/bao-cao/ho-so/?don_vi=000.00.31.H99&ky=tuy-chon&tu=18%2F03%2F2026&den=18%2F03%2F2026"
        "&cot=in_progress_late"
    )
    drilled = client.get(link)
    assert drilled.status_code == 200
    page = drilled.content.decode()
    assert march["A"].code in page and march["X"].code in page  # the report's end-of-day list


def test_other_units_are_out_of_scope(client, march, leader, other_unit, clock):
    login(client, leader)
    assert client.get(HOME, {"don_vi": other_unit.code}).status_code == 404
    assert client.get(HOME, {"don_vi": "khong-co"}).status_code == 404
    assert client.get(OVERDUE, {"don_vi": other_unit.code}).status_code == 404
    assert client.get(LIVE, {"don_vi": other_unit.code}).status_code == 404


def test_auditor_defaults_to_the_province_and_may_choose_a_unit(
    client, march, auditor, unit, clock
):
    html = login(client, auditor).get(HOME).content.decode()
    assert "UBND tỉnh An Bình" in html.split('id="dashboard-scope"')[1][:80]
    assert value(html, "overdue-count") == "2"  # A and H
    assert value(html, "tile-feedback") == "2"
    assert value(html, "rank", "data-rank") == ""  # the province is not ranked
    # The per-unit chart lists the ward and the department.
    assert 'id="chart-units"' in html and "Sở Tư pháp" in html.split('id="table-units"')[1]
    html = client.get(HOME, {"don_vi": unit.code}).content.decode()
    assert value(html, "overdue-count") == "1"


def test_superuser_and_reform_staff_see_the_province(client, march, superuser, reform_staff, clock):
    for user in (superuser, reform_staff):
        client.logout()
        html = login(client, user).get(HOME).content.decode()
        assert "UBND tỉnh An Bình" in html.split('id="dashboard-scope"')[1][:80]


@pytest.mark.parametrize(
    ("params", "numerator", "denominator"),
    [
        ({"ky": "thang"}, "6", "9"),
        ({"ky": "quy"}, "7", "10"),
        ({"ky": "nam"}, "7", "10"),
        ({"ky": "30-ngay"}, "6", "9"),  # 17/02–18/03: I closed before
        ({"ky": "tuy-chon", "tu": "01/02/2026", "den": "28/02/2026"}, "1", "1"),
        ({"ky": "tuy-chon", "tu": "01/03/2026", "den": "31/12/2026"}, "6", "9"),  # up to today
    ],
)
def test_periods(client, march, leader, clock, params, numerator, denominator):
    response = login(client, leader).get(HOME, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert value(html, "tile-on-time", "data-numerator") == numerator
    assert value(html, "tile-on-time", "data-denominator") == denominator


@pytest.mark.parametrize(
    "params",
    [
        {"ky": "tuy-chon", "tu": "32/01/2026", "den": "01/02/2026"},
        {"ky": "tuy-chon", "tu": "01/03/2026"},
        {"ky": "tuy-chon", "tu": "10/03/2026", "den": "01/03/2026"},
        {"ky": "tuy-chon", "tu": "01/04/2026", "den": "30/04/2026"},
        {"ky": "tuy-chon", "tu": "01/01/1990", "den": "01/02/1990"},
        {"ky": "hom-qua"},
    ],
)
def test_bad_filters_are_explained_not_crashed(client, march, leader, clock, params):
    response = login(client, leader).get(HOME, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="form-errors"' in html and 'id="dashboard-live"' not in html
    assert client.get(LIVE, params).status_code == 400


def test_kiosk_mode_hides_the_menu_and_keeps_refreshing_in_kiosk_mode(client, march, leader, clock):
    login(client, leader)
    normal = client.get(HOME).content.decode()
    assert 'id="mainmenu"' in normal and 'id="kiosk-link"' in normal
    kiosk = client.get(HOME, {"man-hinh": "1"}).content.decode()
    assert 'id="mainmenu"' not in kiosk and "breadcrumb" not in kiosk
    assert '<body class="kiosk">' in kiosk and "display-2" in kiosk
    assert re.search(r'hx-get="/dieu-hanh/cap-nhat/\?[^"]*man-hinh=1"', kiosk)
    assert "vendor/htmx/htmx.min.js" in kiosk and "//cdn" not in kiosk
    assert 'id="kiosk-exit"' in kiosk


def test_fragment_polls_every_minute_and_shows_the_refresh_time(client, march, leader, clock):
    response = login(client, leader).get(LIVE, {"ky": "quy"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "<body" not in html
    assert html.lstrip().startswith('<div id="dashboard-live"')
    assert 'hx-trigger="every 60s"' in html and 'hx-swap="outerHTML"' in html
    assert 'hx-get="/dieu-hanh/cap-nhat/?don_vi=000.00.31.H99&amp;ky=quy"' in html
    assert "10:00:00 18/03/2026" in html
    assert value(html, "tile-on-time", "data-denominator") == "10"
    assert response["Cache-Control"].startswith("max-age=0")


def test_charts_are_accessible_svg_with_tables(client, march, auditor, clock):
    html = login(client, auditor).get(HOME).content.decode()
    for chart in ("chart-flows", "chart-online", "chart-units", "chart-766"):
        svg = re.search(rf'<svg[^>]*id="{chart}".*?</svg>', html, re.S).group(0)
        assert 'role="img"' in svg and f'aria-labelledby="{chart}-title {chart}-desc"' in svg
        assert f'<title id="{chart}-title">' in svg and f'<desc id="{chart}-desc">' in svg
    flows = html.split('id="table-flows"')[1].split("</table>")[0]
    assert '02/03/2026 – 08/03/2026</td><td class="text-end">5</td>' in flows  # A B C J H
    online = html.split('id="table-online"')[1].split("</table>")[0]
    assert "20,0%" in online  # C of A B C J H
    units = html.split('id="table-units"')[1].split("</table>")[0]
    assert "66,7%" in units and "0,0%" in units


def test_overdue_page(client, march, leader, auditor, clock):
    html = login(client, leader).get(OVERDUE).content.decode()
    assert value(html, "overdue-total") == "1"
    assert f'href="/ho-so/{march["A"].pk}/"' in html
    assert march["X"].code not in html and march["H"].code not in html
    client.logout()
    html = login(client, auditor).get(OVERDUE).content.decode()
    assert value(html, "overdue-total") == "2"
    assert march["H"].code in html and march["A"].code in html


def test_dossier_page_opens_from_the_list(client, march, leader, clock):
    login(client, leader)
    page = client.get(f"/ho-so/{march['A'].pk}/")
    assert page.status_code == 200 and march["A"].code in page.content.decode()


# -- public pages --------------------------------------------------------------------------------
def personal_data() -> set[str]:
    values = set()
    for row in Dossier.objects.values(
        "applicant_name", "applicant_id_number", "applicant_phone", "applicant_email",
        "applicant_address",
    ):  # fmt: skip
        values.update(v for v in row.values() if v)
    return values


def test_public_index_lists_receiving_units(client, march, unit, other_unit):
    response = client.get("/minh-bach/")
    assert response.status_code == 200
    html = response.content.decode()
    for code in (unit.parent.code, unit.code, other_unit.code):
        assert f'href="/minh-bach/{code}/"' in html


def test_public_unit_page_shows_aggregates_only(client, march, unit, clock):
    response = client.get(f"/minh-bach/{unit.code}/")
    assert response.status_code == 200
    html = response.content.decode()
    row = html.split('id="row-on-time"')[1].split("</tr>")[0]
    assert row.count('data-numerator="7" data-denominator="10"') == 2  # 12 months, this year
    assert "70,0%" in row
    assert "3,9" in html.split('id="row-median"')[1].split("</tr>")[0]
    assert "50,0%" in html.split('id="row-satisfaction"')[1].split("</tr>")[0]
    assert 'data-value="10"' in html.split('id="row-received"')[1].split("</tr>")[0]
    assert 'data-value="4"' in html.split('id="row-resolved"')[1].split("</tr>")[0]
    assert "30,0%" in html.split('id="row-online"')[1].split("</tr>")[0]
    assert "19/03/2025" in html and "01/01/2026" in html
    leaked = [item for item in personal_data() | {"Trần Thị Bích", "0987654321"} if item in html]
    assert leaked == []
    assert march["A"].code not in html  # no dossier either


def test_public_page_of_the_province_and_unknown_codes(client, march, unit, clock):
    html = client.get(f"/minh-bach/{unit.parent.code}/").content.decode()
    assert 'data-value="11"' in html.split('id="row-received"')[1].split("</tr>")[0]  # + H
    assert client.get("/minh-bach/000.99.99.H99/").status_code == 404


def test_public_page_with_no_data_shows_dashes(client, unit):
    html = client.get(f"/minh-bach/{unit.code}/").content.decode()
    assert "—" in html.split('id="row-on-time"')[1] and 'data-value=""' in html
