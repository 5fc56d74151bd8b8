"""The shared layout: Vietnamese, no CDN, a menu per role, breadcrumbs."""

import re

import pytest
from django.test import override_settings

from cchc.organisations.models import OrganisationUnit, Role, RoleAssignment, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    return OrganisationUnit.objects.create(
        kind=UnitKind.COMMUNE_COMMITTEE, name="UBND phường Đông Thành", code="000.00.31.H99"
    )


def test_home_is_vietnamese_and_uses_only_local_assets(client):
    html = client.get("/").content.decode()
    assert '<html lang="vi">' in html
    assert "Đăng nhập" in html
    assert 'name="viewport"' in html
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    assert external == []
    assert "/static/vendor/bootstrap/bootstrap.min.css" in html
    assert "/static/vendor/htmx/htmx.min.js" in html


def test_menu_depends_on_role(client, django_user_model, unit):
    anonymous = client.get("/").content.decode()
    assert "/thu-tuc/" in anonymous and "/don-vi-cua-toi/" not in anonymous
    officer = django_user_model.objects.create_user("motcua", password="pw-123456")
    RoleAssignment.objects.create(user=officer, unit=unit, role=Role.ONE_STOP_OFFICER)
    client.force_login(officer)
    page = client.get("/").content.decode()
    assert "/don-vi-cua-toi/" in page and "/quan-tri/" not in page
    admin = django_user_model.objects.create_superuser("root", password="pw-123456")
    client.force_login(admin)
    assert "/quan-tri/" in client.get("/").content.decode()


def test_my_units_requires_login_and_shows_scope(client, django_user_model, unit):
    response = client.get("/don-vi-cua-toi/")
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]
    child = OrganisationUnit.objects.create(
        kind=UnitKind.SERVICE_CENTRE, name="TTPVHCC phường Đông Thành", code="000.01.31.H99",
        parent=unit,
    )  # fmt: skip
    OrganisationUnit.objects.create(kind=UnitKind.COMMUNE_COMMITTEE, name="UBND xã Khác", code="X")
    user = django_user_model.objects.create_user("lanhdao", password="pw-123456")
    RoleAssignment.objects.create(user=user, unit=unit, role=Role.LEADER)
    client.force_login(user)
    page = client.get("/don-vi-cua-toi/").content.decode()
    assert child.name in page and "UBND xã Khác" not in page


@override_settings(CCHC_AGENCY_NAME="UBND tỉnh An Bình")
def test_agency_name_in_header(client):
    assert "UBND tỉnh An Bình" in client.get("/").content.decode()


def test_numbers_and_dates_are_vietnamese():
    from datetime import date

    from django.template import Context, Template

    rendered = Template('{{ n }}|{{ d|date:"SHORT_DATE_FORMAT" }}|{{ x }}').render(
        Context({"n": 1234567, "d": date(2025, 1, 24), "x": 1234.5})
    )
    assert rendered == "1.234.567|24/01/2025|1.234,5"


def test_identifiers_in_pages_are_not_localised(client):
    """1048 stays "1048" in names and links; only numbers shown to people read "1.048"."""
    from cchc.catalog.models import Field, Procedure

    field = Field.objects.create(name="Hộ tịch")
    Field.objects.filter(pk=field.pk).update(id=1048)
    Procedure.objects.create(
        code="1.001193", name="Đăng ký khai sinh", field_id=1048, time_limit_unit="same_day"
    )
    assert "?field=1048" in client.get("/").content.decode()
    assert "?field=1048" in client.get("/thu-tuc/1.001193/").content.decode()
