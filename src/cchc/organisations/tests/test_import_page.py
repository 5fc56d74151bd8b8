"""The organisation tree import page: who may use it, the check then the confirmation, and the
template downloads."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from cchc.organisations.importing import COLUMNS
from cchc.organisations.models import OrganisationUnit, Role, UnitKind

from .factories import OrganisationUnitFactory, RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/don-vi/nhap-tu-tep/"
HEADER = "Mã đơn vị,Tên đơn vị,Mã đơn vị cấp trên,Loại đơn vị"
GOOD = "\n".join(
    [
        HEADER,
        "000.00.31.H99,Ủy ban nhân dân phường Mới,ROOT,UBND phường",
        "000.01.31.H99,Trung tâm Phục vụ hành chính công phường Mới,000.00.31.H99,TTPVHCC",
    ]
)


@pytest.fixture
def root():
    return OrganisationUnitFactory(code="ROOT", kind=UnitKind.PROVINCE_COMMITTEE)


def user_with(role, unit):
    user = UserFactory()
    RoleAssignmentFactory(user=user, unit=unit, role=role)
    return user


def upload(text: str, name: str = "don-vi.csv", **extra) -> dict:
    return {"file": SimpleUploadedFile(name, text.encode("utf-8")), **extra}


def test_the_system_administrator_checks_then_confirms(client, root):
    client.force_login(user_with(Role.SYSTEM_ADMIN, root))
    assert client.get(URL).status_code == 200

    check = client.post(URL, upload(GOOD))
    assert check.status_code == 200
    report = check.context["report"]
    assert (report.created, report.dry_run, report.written) == (2, True, False)
    assert OrganisationUnit.objects.count() == 1  # the check wrote nothing
    token = check.context["token"]
    assert token and 'name="token"' in check.content.decode()

    done = client.post(URL, {"token": token})
    assert done.status_code == 302
    assert set(OrganisationUnit.objects.values_list("code", flat=True)) == {
        "ROOT",
        "000.00.31.H99",
        "000.01.31.H99",
    }
    assert OrganisationUnit.objects.get(code="000.01.31.H99").parent.code == "000.00.31.H99"
    page = client.get(URL)
    summaries = [str(message) for message in page.context["messages"]]
    assert len(summaries) == 2
    assert "2" in summaries[0]  # created
    assert summaries[1].endswith("ROOT")  # kept, though not in the file


def test_a_file_with_errors_lists_them_and_offers_no_confirmation(client, root):
    client.force_login(user_with(Role.SYSTEM_ADMIN, root))
    response = client.post(URL, upload(HEADER + "\nA,Sở A,NOWHERE,department\nB,,ROOT,sở lạ\n"))
    assert response.status_code == 400
    report = response.context["report"]
    assert report.invalid_lines == [2, 3]
    assert len(report.errors) == 3
    assert response.context["token"] == ""
    assert 'name="token"' not in response.content.decode()
    assert OrganisationUnit.objects.count() == 1


def test_a_wrong_file_type_is_a_form_error(client, root):
    client.force_login(user_with(Role.SYSTEM_ADMIN, root))
    response = client.post(URL, upload("x", name="don-vi.txt"))
    assert response.status_code == 400
    assert response.context["form"].errors["file"]


def test_a_forged_or_foreign_token_writes_nothing(client, root):
    admin = user_with(Role.SYSTEM_ADMIN, root)
    client.force_login(admin)
    token = client.post(URL, upload(GOOD)).context["token"]
    forged = token[:-1] + ("y" if token.endswith("x") else "x")  # never equal to the real one
    assert client.post(URL, {"token": forged}).status_code == 302
    other = user_with(Role.SYSTEM_ADMIN, root)
    client.force_login(other)
    assert client.post(URL, {"token": token}).status_code == 302
    assert OrganisationUnit.objects.count() == 1


def test_deactivate_missing_from_the_page(client, root):
    OrganisationUnitFactory(code="OLD", parent=root)
    client.force_login(user_with(Role.SYSTEM_ADMIN, root))
    check = client.post(URL, upload(HEADER + "\nROOT,Tỉnh,,UBND tỉnh\n", deactivate_missing="on"))
    assert check.context["report"].missing == ["OLD"]
    client.post(URL, {"token": check.context["token"]})
    assert OrganisationUnit.objects.get(code="OLD").active is False


@pytest.mark.parametrize(
    "role", [Role.LEADER, Role.PROCESSING_OFFICER, Role.ONE_STOP_OFFICER, Role.REFORM_STAFF]
)
def test_other_roles_are_refused(client, root, role):
    client.force_login(user_with(role, root))
    assert client.get(URL).status_code == 403
    assert client.post(URL, upload(GOOD)).status_code == 403
    assert client.get(reverse("organisations:import_template_csv")).status_code == 403
    assert OrganisationUnit.objects.count() == 1


def test_a_system_administrator_of_a_lower_unit_is_refused(client, root):
    ward = OrganisationUnitFactory(parent=root, kind=UnitKind.COMMUNE_COMMITTEE)
    client.force_login(user_with(Role.SYSTEM_ADMIN, ward))
    assert client.get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/tai-khoan/dang-nhap/" in response["Location"]


def test_the_csv_template(client, root):
    client.force_login(user_with(Role.SYSTEM_ADMIN, root))
    response = client.get(reverse("organisations:import_template_csv"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == 2


def test_the_xlsx_template_imports_as_is(client, root):
    client.force_login(user_with(Role.SYSTEM_ADMIN, root))
    response = client.get(reverse("organisations:import_template_xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == 2
    check = client.post(
        URL, {"file": SimpleUploadedFile("mau.xlsx", response.content)}
    )  # the example row is a valid unit
    assert check.status_code == 200
    assert check.context["report"].created == 1
