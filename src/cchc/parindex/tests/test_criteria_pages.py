"""Criteria-set pages: every staff member reads; only reform staff and system administrators
import; line errors are shown all at once and nothing is saved."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.common.menu import menu
from cchc.organisations.models import OrganisationUnit, Role, RoleAssignment, UnitKind
from cchc.organisations.tests.factories import UserFactory
from cchc.parindex.models import CriteriaSet
from cchc.parindex.samples import load_sample_sets

from .criteria_helpers import ROWS, workbook_bytes

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def unit():
    return OrganisationUnit.objects.create(
        kind=UnitKind.DEPARTMENT, name="Sở Nội vụ tỉnh An Bình", code="000.05.00.H99"
    )


def user_with(role, unit):
    user = UserFactory()
    RoleAssignment.objects.create(user=user, unit=unit, role=role)
    return user


def upload(content=None, name="bo-tieu-chi.xlsx"):
    return SimpleUploadedFile(name, content or workbook_bytes(ROWS), content_type=XLSX)


def post_import(client, **extra):
    data = {"year": 2025, "level": "department", "name": "Bộ tiêu chí sở 2025", "file": upload()}
    data.update(extra)
    return client.post(reverse("parindex:criteria_import"), data)


def test_staff_read_the_list_and_a_set(client, unit):
    (department, _commune) = load_sample_sets([2025])
    client.force_login(user_with(Role.PROCESSING_OFFICER, unit))
    page = client.get(reverse("parindex:criteria_sets"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Mẫu minh hoạ – Bộ tiêu chí Chỉ số CCHC các sở, ban, ngành" in text
    assert reverse("parindex:criteria_import") not in text  # no import button for them
    page = client.get(reverse("parindex:criteria_set", args=[department.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Ban hành kịp thời: 1 / không kịp thời: 0,5 / không ban hành: 0" in text
    assert "dossiers.on_time_rate" in text
    assert "Điểm thưởng" in text and "Điểm trừ" in text
    assert "Hợp lệ" in text


def test_export_downloads_the_sheet(client, unit):
    (department, _commune) = load_sample_sets([2025])
    client.force_login(user_with(Role.AUDITOR, unit))
    response = client.get(reverse("parindex:criteria_export", args=[department.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response.content.startswith(b"PK")


def test_people_without_a_role_see_nothing(client, unit):
    client.force_login(UserFactory())
    assert client.get(reverse("parindex:criteria_sets")).status_code == 404
    assert client.get(reverse("parindex:criteria_import")).status_code == 404


def test_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("parindex:criteria_sets"))
    assert response.status_code == 302


@pytest.mark.parametrize("role", [Role.PROCESSING_OFFICER, Role.LEADER, Role.AUDITOR])
def test_only_reform_staff_and_admins_import(client, unit, role):
    client.force_login(user_with(role, unit))
    assert client.get(reverse("parindex:criteria_import")).status_code == 403
    assert post_import(client).status_code == 403
    assert not CriteriaSet.objects.exists()


@pytest.mark.parametrize("role", [Role.REFORM_STAFF, Role.SYSTEM_ADMIN])
def test_reform_staff_import_a_sheet(client, unit, role):
    client.force_login(user_with(role, unit))
    assert client.get(reverse("parindex:criteria_import")).status_code == 200
    response = post_import(client)
    criteria_set = CriteriaSet.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("parindex:criteria_set", args=[criteria_set.pk])
    assert criteria_set.name == "Bộ tiêu chí sở 2025"
    assert criteria_set.criteria.count() == 8


def test_every_line_error_is_shown_and_nothing_saved(client, unit):
    client.force_login(user_with(Role.REFORM_STAFF, unit))
    rows = [list(row) for row in ROWS]
    rows[2][2] = "hai"
    rows[4][3] = ""
    response = post_import(client, file=upload(workbook_bytes(rows)))
    assert response.status_code == 400
    text = response.content.decode()
    assert "Dòng 6" in text and "Dòng 8" in text
    assert "chưa lưu gì" in text
    assert not CriteriaSet.objects.exists()


@pytest.mark.parametrize(
    ("content", "name"),
    [(b"%PDF-1.4 hello", "bo-tieu-chi.xlsx"), (None, "bo-tieu-chi.csv")],
)
def test_wrong_files_are_refused_in_vietnamese(client, unit, content, name):
    client.force_login(user_with(Role.REFORM_STAFF, unit))
    response = post_import(client, file=upload(content, name))
    assert response.status_code == 400
    assert not CriteriaSet.objects.exists()
    assert "invalid-feedback" in response.content.decode()


def test_menu_entry_for_the_roles_that_run_the_index():
    item = next(item for item in menu if item.url_name == "parindex:criteria_sets")
    assert item.more
    assert set(item.roles) == {
        Role.REFORM_STAFF,
        Role.LEADER,
        Role.SYSTEM_ADMIN,
        Role.AUDITOR,
    }


def test_admin_shows_par_records_read_only(client, unit):
    from datetime import date

    from cchc.parindex.models import Round

    (department, _commune) = load_sample_sets([2025])
    Round.objects.create(
        name="Chỉ số CCHC 2025",
        year=2025,
        criteria_set=department,
        organiser=unit,
        self_assessment_opens=date(2026, 1, 5),
        self_assessment_closes=date(2026, 1, 20),
        appraisal_closes=date(2026, 2, 20),
    )
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    for model in ("criteriaset", "round", "assessment", "leafscore"):
        page = client.get(reverse(f"admin:parindex_{model}_changelist"))
        assert page.status_code == 200, model
        assert reverse(f"admin:parindex_{model}_add") not in page.content.decode()
    page = client.get(reverse("admin:parindex_criteriaset_change", args=[department.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "1.1.1" in text and 'name="_save"' not in text
    assert client.get(reverse("admin:parindex_criteriaset_add")).status_code == 403
    response = client.post(
        reverse("admin:parindex_criteriaset_delete", args=[department.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert CriteriaSet.objects.filter(pk=department.pk).exists()
