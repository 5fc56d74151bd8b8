"""XLSForm pages (issue 12): reform staff import a workbook as a questionnaire of their unit
(every problem listed at once, nothing saved while one remains) and download any questionnaire
they may read as a workbook pyxform accepts; others get 403/404."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from cchc.organisations.models import Role
from cchc.organisations.tests.factories import UserFactory
from cchc.surveys import services
from cchc.surveys.models import Questionnaire
from cchc.surveys.xlsform import read_xlsform, validate_with_pyxform

from .factories import agency_questionnaire, reform_staff, unit, user_with

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(sheets: dict[str, list[list]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "kobo.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX)


KOBO_FORM = {
    "survey": [
        ["type", "name", "label", "required", "relevant"],
        ["start", "start", "", "", ""],
        ["select_one yn", "visited", "Ông/Bà đã đến Trung tâm?", "yes", ""],
        ["integer", "visits", "Số lần đến", "", "${visited} = 'yes'"],
        ["text", "comment", "Góp ý", "", ""],
    ],
    "choices": [["list_name", "name", "label"], ["yn", "yes", "Có"], ["yn", "no", "Không"]],
    "settings": [["form_title", "form_id"], ["Khảo sát tại quầy", "khao_sat_quay"]],
}

BROKEN_FORM = {
    "survey": [
        ["type", "name", "label", "relevant"],
        ["select_one nolist", "q1", "Q1", ""],
        ["geopoint", "where", "Where", ""],
        ["text", "q3", "Q3", "${q1} = 'a' or ${q1} = 'b'"],
        ["text", "q3", "Q3 again", ""],
    ],
    "choices": [["list_name", "name", "label"], ["yn", "yes", "Có"], ["yn", "yes", "Có"]],
}


@pytest.fixture
def owner():
    return unit()


@pytest.fixture
def staff(owner):
    return reform_staff(owner)


def test_the_list_offers_the_import_to_editors_only(client, owner, staff):
    client.force_login(staff)
    assert reverse("surveys:xlsform_import") in client.get(reverse("surveys:questionnaires")).text
    leader = user_with(Role.LEADER, owner)
    client.force_login(leader)
    page = client.get(reverse("surveys:questionnaires"))
    assert page.status_code == 200 and reverse("surveys:xlsform_import") not in page.text


def test_reform_staff_import_a_kobo_form_for_their_unit(client, owner, staff):
    client.force_login(staff)
    page = client.get(reverse("surveys:xlsform_import"))
    assert page.status_code == 200
    assert f'value="{owner.pk}"' in page.text and "data-confirm" in page.text
    page = client.post(
        reverse("surveys:xlsform_import"),
        {"file": upload(workbook(KOBO_FORM)), "unit": owner.pk},
    )
    imported = Questionnaire.objects.get(code="khao_sat_quay")
    assert page.status_code == 302
    assert page["Location"] == reverse("surveys:questionnaire", args=[imported.pk])
    assert (imported.owner_unit, imported.version, imported.created_by) == (owner, 1, staff)
    spec = imported.as_spec()
    assert [q.code for q in spec.sections[0].questions] == ["visited", "visits", "comment"]
    assert spec.question("visits").show_when[0].question == "visited"
    # The same code again: the unit's next version.
    client.post(
        reverse("surveys:xlsform_import"),
        {"file": upload(workbook(KOBO_FORM)), "unit": owner.pk},
    )
    assert sorted(
        Questionnaire.objects.filter(code="khao_sat_quay").values_list("version", flat=True)
    ) == [1, 2]


def test_every_problem_is_listed_and_nothing_is_saved(client, owner, staff):
    client.force_login(staff)
    before = Questionnaire.objects.count()
    page = client.post(
        reverse("surveys:xlsform_import"),
        {"file": upload(workbook(BROKEN_FORM)), "unit": owner.pk},
    )
    assert page.status_code == 400
    assert Questionnaire.objects.count() == before
    problems = page.text[page.text.index('id="xlsform-problems"') :]
    rows = problems[: problems.index("</table>")].count("<tr>") - 1  # minus the header
    assert rows == 5  # unknown list, geopoint, "or", duplicate question, duplicate choice
    for shown in ("nolist", "geopoint", "choices"):
        assert shown in problems


def test_a_file_that_is_not_a_workbook_is_refused_by_the_upload_check(client, owner, staff):
    client.force_login(staff)
    page = client.post(
        reverse("surveys:xlsform_import"),
        {"file": SimpleUploadedFile("form.xlsx", b"type,name\ntext,q\n"), "unit": owner.pk},
    )
    assert page.status_code == 400
    assert 'class="invalid-feedback d-block"' in page.text
    page = client.post(
        reverse("surveys:xlsform_import"),
        {"file": upload(workbook(KOBO_FORM), "form.csv"), "unit": owner.pk},
    )
    assert (
        page.status_code == 400 and not Questionnaire.objects.filter(code="khao_sat_quay").exists()
    )


def test_a_unit_that_is_not_theirs_cannot_be_chosen(client, owner, staff):
    other = unit("Sở Y tế")
    client.force_login(staff)
    page = client.post(
        reverse("surveys:xlsform_import"),
        {"file": upload(workbook(KOBO_FORM)), "unit": other.pk},
    )
    assert page.status_code == 400
    assert not Questionnaire.objects.filter(code="khao_sat_quay").exists()


def test_a_processing_officer_may_not_import(client, owner):
    officer = user_with(Role.PROCESSING_OFFICER, owner)
    client.force_login(officer)
    assert client.get(reverse("surveys:xlsform_import")).status_code == 403
    page = client.post(
        reverse("surveys:xlsform_import"), {"file": upload(workbook(KOBO_FORM)), "unit": owner.pk}
    )
    assert page.status_code == 403
    assert not Questionnaire.objects.filter(code="khao_sat_quay").exists()


def test_the_builtin_and_a_units_questionnaire_download_as_valid_xlsforms(client, owner, staff):
    template = services.ensure_builtin()
    own = agency_questionnaire(owner, staff)
    client.force_login(staff)
    detail = client.get(reverse("surveys:questionnaire", args=[own.pk]))
    assert reverse("surveys:xlsform_export", args=[own.pk]) in detail.text
    for questionnaire in (template, own):
        page = client.get(reverse("surveys:xlsform_export", args=[questionnaire.pk]))
        assert page.status_code == 200
        assert page["Content-Type"] == XLSX
        filename = f"{questionnaire.code}-v{questionnaire.version}.xlsx"
        assert page["Content-Disposition"] == f'attachment; filename="{filename}"'
        assert validate_with_pyxform(page.content) == []
        back = read_xlsform(page.content, filename=filename)
        assert back.code == questionnaire.code
        assert back.sections == questionnaire.as_spec().sections
        assert back.factors == questionnaire.as_spec().factors
    sheets = load_workbook(io.BytesIO(page.content), read_only=True).sheetnames
    assert {"survey", "choices", "settings", "factors"} <= set(sheets)


def test_a_questionnaire_others_may_not_read_is_not_found(client, owner):
    hidden = agency_questionnaire(owner)
    stranger = reform_staff(unit("Sở Y tế"))
    client.force_login(stranger)
    assert client.get(reverse("surveys:xlsform_export", args=[hidden.pk])).status_code == 404
    client.force_login(UserFactory())  # no role at all
    assert client.get(reverse("surveys:xlsform_import")).status_code == 404
