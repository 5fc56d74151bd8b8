"""The report page, its drill-down and downloads: scope, links, the dossiers behind each number.

The hand-built set (``march``) is made of dossiers written directly with the times each case
needs, then counted by ``services.rebuild()``. Report of March 2026 for the ward:

=====  ==========================  =============================================================
code   case                        counts in
=====  ==========================  =============================================================
A      received 20/02, due 27/02,  carried_over, resolved_late
       resolved 03/03
B      counter, resolved 05/03     received(_counter), resolved_early
       (due 09/03)
C      online, resolved 10/03      received(_online), resolved_on_time (resolved on its due day)
       16:59, due 10/03 17:00
D      postal, resolved 11/03      received(_postal), resolved_late (one minute late)
       17:01, due 11/03 17:00
E      due 23/03, still open       in_progress, in_progress_late
F      due 01/04, still open       in_progress, in_progress_on_time
G      online, supplement asked    in_progress, in_progress_on_time, waiting_supplement: the
       12/03 (before its due       clock stopped before the due time, so not overdue
       20/03), not answered
H      withdrawn 06/03             withdrawn
I      refused after receipt 09/03 returned
K      handed to the department    the ward only (receiving unit), in_progress
J      department's own dossier    the department only
L      online, never accepted      nowhere
M      received 02/04              nowhere in March
=====  ==========================  =============================================================
"""

import re
from datetime import datetime
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from cchc.catalog.models import Field, Procedure
from cchc.dossiers.models import Dossier, DossierPause
from cchc.dossiers.tests import conftest as dossier_fixtures
from cchc.organisations.models import OrganisationUnit, Role, RoleAssignment, UnitKind
from cchc.reports import services
from cchc.reports.forms import ReportForm

VN = ZoneInfo("Asia/Ho_Chi_Minh")

# Fixtures shared with the dossiers app (a province, a ward under it, a department, users, …).
unit = dossier_fixtures.unit
other_unit = dossier_fixtures.other_unit
procedure = dossier_fixtures.procedure
officer = dossier_fixtures.officer
leader = dossier_fixtures.leader
auditor = dossier_fixtures.auditor

AFTER_MARCH = datetime(2026, 4, 15, 10, 0, tzinfo=VN)
MARCH = {"don_vi": "000.00.31.H99", "ky": "thang", "nam": "2026", "so": "3"}


def at(month, day, hour=8, minute=0, year=2026):
    return datetime(year, month, day, hour, minute, tzinfo=VN)


def make(code, unit, procedure, status, channel=1, **times) -> Dossier:
    current = times.pop("current_unit", unit)
    return Dossier.objects.create(
        code=code,
        receiving_unit=unit,
        current_unit=current,
        procedure=procedure,
        status=status,
        channel=channel,
        applicant_kind="individual",
        applicant_name=f"Người nộp {code}",
        applicant_id_type="cccd",
        applicant_id_number="001090012345",
        **times,
    )


@pytest.fixture
def second_procedure(db):
    field = Field.objects.create(name="Chứng thực")
    return Procedure.objects.create(
        code="2.000908",
        name="Cấp bản sao từ sổ gốc",
        field=field,
        level_commune=True,
        time_limit_amount=1,
        time_limit_unit="working_days",
        channel_counter=True,
    )


@pytest.fixture
def march(unit, other_unit, procedure, second_procedure):
    """The dossiers of the table above, counted from scratch. Returns {letter: dossier}."""
    p, q = procedure, second_procedure
    d = {}
    d["A"] = make(
        "A", unit, p, 10, received_at=at(2, 20, 9), due_at=at(2, 27, 17), resolved_at=at(3, 3, 10),
        returned_at=at(3, 4, 9), outcome="approved",
    )  # fmt: skip
    d["B"] = make(
        "B", unit, p, 9, 1, received_at=at(3, 2), due_at=at(3, 9, 17), resolved_at=at(3, 5, 10),
        outcome="approved",
    )  # fmt: skip
    d["C"] = make(
        "C", unit, p, 9, 2, received_at=at(3, 3), due_at=at(3, 10, 17),
        resolved_at=at(3, 10, 16, 59), outcome="approved", online_mode="full",
    )  # fmt: skip
    d["D"] = make(
        "D", unit, p, 9, 3, received_at=at(3, 4), due_at=at(3, 11, 17),
        resolved_at=at(3, 11, 17, 1), outcome="approved",
    )  # fmt: skip
    d["E"] = make("E", unit, q, 4, 1, received_at=at(3, 16), due_at=at(3, 23, 17))
    d["F"] = make("F", unit, q, 4, 1, received_at=at(3, 25), due_at=at(4, 1, 17))
    d["G"] = make("G", unit, p, 5, 2, received_at=at(3, 10), due_at=at(3, 20, 17),
                  online_mode="partial")  # fmt: skip
    DossierPause.objects.create(dossier=d["G"], kind="supplement", started_at=at(3, 12, 9))
    d["H"] = make("H", unit, p, 7, 1, received_at=at(3, 5), due_at=at(3, 12, 17),
                  closed_at=at(3, 6, 10))  # fmt: skip
    d["I"] = make(
        "I", unit, p, 9, 1, received_at=at(3, 5), due_at=at(3, 12, 17), resolved_at=at(3, 9, 10),
        outcome="refused",
    )  # fmt: skip
    d["K"] = make("K", unit, p, 4, 1, received_at=at(3, 6), due_at=at(4, 10, 17),
                  current_unit=other_unit)  # fmt: skip
    d["J"] = make("J", other_unit, p, 4, 1, received_at=at(3, 5), due_at=at(3, 12, 17))
    d["L"] = make("L", unit, p, 1, 2, submitted_at=at(3, 7))
    d["M"] = make("M", unit, p, 2, 1, received_at=at(4, 2), due_at=at(4, 9, 17))
    services.rebuild()
    return d


# Expected March figures for the ward (and its descendants: none).
WARD_MARCH = {
    "to_process": 10,
    "carried_over": 1,
    "received": 9,
    "received_online": 2,
    "received_counter": 6,
    "received_postal": 1,
    "resolved": 4,
    "resolved_early": 1,
    "resolved_on_time": 1,
    "resolved_late": 2,
    "in_progress": 4,
    "in_progress_on_time": 3,
    "in_progress_late": 1,
    "late_total": 3,
    "returned": 1,
    "withdrawn": 1,
    "stopped": 0,
    "waiting_supplement": 1,
    "waiting_financial": 0,
}


def staff(django_user_model, username, role, unit):
    user = django_user_model.objects.create_user(username, password="pw-123456", full_name=username)
    RoleAssignment.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def department_officer(django_user_model, other_unit):
    return staff(django_user_model, "sotuphap", Role.PROCESSING_OFFICER, other_unit)


@pytest.fixture
def province_reform(django_user_model, unit):
    return staff(django_user_model, "caicach", Role.REFORM_STAFF, unit.parent)


@pytest.fixture
def after_march():
    with time_machine.travel(AFTER_MARCH, tick=False):
        yield


def cells(html: str) -> dict[str, list[tuple[str, str]]]:
    """{column key: [(href, number), …]} of the report table, row by row."""
    found: dict[str, list[tuple[str, str]]] = {}
    pattern = r'<td class="text-end" data-column="([a-z_]+)"><a href="([^"]+)">([^<]*)</a></td>'
    for key, href, number in re.findall(pattern, html):
        found.setdefault(key, []).append((unescape(href), number))
    return found


def drilled_codes(client, href: str) -> list[str]:
    response = client.get(href)
    assert response.status_code == 200
    return re.findall(r'<tr data-code="([^"]+)">', response.content.decode())


# -- the report ----------------------------------------------------------------------------------
def test_leader_sees_the_march_report_of_the_ward(client, leader, march, after_march):
    client.force_login(leader)
    response = client.get(reverse("reports:report"), MARCH)
    assert response.status_code == 200
    html = response.content.decode()
    table = cells(html)
    assert {key: int(values[-1][1]) for key, values in table.items()} == WARD_MARCH
    assert "01/03/2026" in html and "31/03/2026" in html
    assert 'id="report-findings"' in html and "alert-success" in html
    # download buttons carry the same query
    query = "don_vi=000.00.31.H99&amp;ky=thang&amp;nam=2026&amp;so=3"
    for name in ("reports:xlsx", "reports:pdf"):
        assert f'href="{reverse(name)}?{query}"' in html


def test_every_number_links_to_its_drill_down(client, leader, march, after_march):
    client.force_login(leader)
    html = client.get(reverse("reports:report"), {**MARCH, "theo": "linh-vuc"}).content.decode()
    table = cells(html)
    numbers = re.findall(r'<td class="text-end" data-column="[a-z_]+">', html)
    assert len(numbers) == 19 * 3  # two fields and the total, every count cell a link
    for key, values in table.items():
        for href, _number in values:
            assert href.startswith(reverse("reports:drill") + "?")
            assert (
                f"cot={key}" in href and "don_vi=000.00.31.H99" in href and "theo=linh-vuc" in href
            )


def test_each_drill_down_lists_exactly_the_counted_dossiers(client, leader, march, after_march):
    client.force_login(leader)
    html = client.get(reverse("reports:report"), MARCH).content.decode()
    table = cells(html)
    expected = {
        "received": {"B", "C", "D", "E", "F", "G", "H", "I", "K"},
        "carried_over": {"A"},
        "resolved": {"A", "B", "C", "D"},
        "resolved_early": {"B"},
        "resolved_on_time": {"C"},
        "resolved_late": {"A", "D"},
        "in_progress": {"E", "F", "G", "K"},
        "in_progress_late": {"E"},
        "in_progress_on_time": {"F", "G", "K"},
        "late_total": {"A", "D", "E"},
        "returned": {"I"},
        "withdrawn": {"H"},
        "waiting_supplement": {"G"},
        "received_online": {"C", "G"},
        "received_postal": {"D"},
    }
    for key, codes in expected.items():
        href, number = table[key][-1]
        listed = drilled_codes(client, href)
        assert set(listed) == codes, key
        assert len(listed) == int(number), key


def test_drill_down_of_one_group(client, leader, march, second_procedure, after_march):
    client.force_login(leader)
    html = client.get(reverse("reports:report"), {**MARCH, "theo": "linh-vuc"}).content.decode()
    hrefs = [href for href, _n in cells(html)["received"]]
    field_id = second_procedure.field_id
    [href] = [h for h in hrefs if f"nhom={field_id}" in h]
    assert set(drilled_codes(client, href)) == {"E", "F"}
    body = client.get(href).content.decode()
    assert "Chứng thực" in body
    # codes link to the dossier page
    assert reverse("dossiers:detail", args=[march["E"].pk]) in body


def test_drill_down_pages(client, leader, unit, procedure, after_march):
    for n in range(30):
        make(f"P{n:02d}", unit, procedure, 4, 1, received_at=at(3, 2, 8, n), due_at=at(5, 4, 17))
    services.rebuild()
    client.force_login(leader)
    first = client.get(reverse("reports:drill"), {**MARCH, "cot": "received"}).content.decode()
    assert len(re.findall(r"<tr data-code=", first)) == 25
    assert "1 / 2" in first
    second = client.get(reverse("reports:drill"), {**MARCH, "cot": "received", "page": "2"})
    assert len(re.findall(r"<tr data-code=", second.content.decode())) == 5


def test_province_staff_see_the_tree_and_can_group_by_unit(
    client, province_reform, march, unit, other_unit, after_march
):
    client.force_login(province_reform)
    response = client.get(
        reverse("reports:report"), {**MARCH, "don_vi": unit.parent.code, "theo": "don-vi"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    table = cells(html)
    # rows sorted by name: "Sở Tư pháp", "UBND phường Đông Thành", then the total
    assert [int(n) for _h, n in table["received"]] == [1, 9, 10]
    assert [int(n) for _h, n in table["in_progress"]] == [1, 4, 5]
    # the unit list shows the whole tree under the province
    assert f'value="{unit.code}"' in html and f'value="{other_unit.code}"' in html
    href = table["in_progress"][0][0]
    assert drilled_codes(client, href) == ["J"]


@pytest.mark.parametrize("who", ["officer", "auditor"])
def test_any_staff_role_may_read_the_report(client, request, march, unit, who, after_march):
    user = request.getfixturevalue(who)  # a one-stop officer of the ward, a provincial auditor
    client.force_login(user)
    response = client.get(reverse("reports:report"), {**MARCH, "don_vi": unit.code})
    assert response.status_code == 200
    assert int(cells(response.content.decode())["received"][-1][1]) == 9
    if who == "auditor":  # read-only at the province: the whole tree is in scope
        response = client.get(reverse("reports:report"), {**MARCH, "don_vi": unit.parent.code})
        assert int(cells(response.content.decode())["received"][-1][1]) == 10


def test_handed_off_dossier_counts_for_the_receiving_unit_only(
    client, province_reform, march, other_unit, after_march
):
    client.force_login(province_reform)
    response = client.get(reverse("reports:report"), {**MARCH, "don_vi": other_unit.code})
    table = cells(response.content.decode())
    assert int(table["received"][-1][1]) == 1
    assert drilled_codes(client, table["in_progress"][-1][0]) == ["J"]


def test_officer_of_another_unit_cannot_ask_for_the_ward(
    client, department_officer, march, unit, after_march
):
    client.force_login(department_officer)
    for name in ("reports:report", "reports:drill", "reports:xlsx", "reports:pdf"):
        response = client.get(reverse(name), {**MARCH, "cot": "received"})
        assert response.status_code == 404, name
    response = client.get(reverse("reports:report"))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{unit.code}"' not in html  # not offered either


def test_default_is_the_current_month_of_the_users_unit_up_to_today(client, leader, march, unit):
    client.force_login(leader)
    with time_machine.travel(at(3, 20, 10), tick=False):
        response = client.get(reverse("reports:report"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "01/03/2026" in html and "20/03/2026" in html and "31/03/2026" not in html
    table = cells(html)
    # on 20/03 E (due 23/03) is not yet overdue and F (received 25/03) not yet received
    assert int(table["received"][-1][1]) == 8
    assert int(table["in_progress_late"][-1][1]) == 0
    assert "don_vi=000.00.31.H99" in table["received"][-1][0]


def test_citizens_and_anonymous_users_are_kept_out(client, django_user_model, after_march):
    response = client.get(reverse("reports:report"))
    assert response.status_code == 302
    citizen = django_user_model.objects.create_user("dan", password="pw-123456")
    client.force_login(citizen)
    assert client.get(reverse("reports:report")).status_code == 404


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"ky": "thang", "nam": "2026", "so": "13"}, "so"),
        ({"ky": "quy", "nam": "2026", "so": "5"}, "so"),
        ({"ky": "thang", "nam": "hai nghìn", "so": "3"}, "nam"),
        ({"ky": "tuy-chon", "tu": "31/02/2026", "den": "10/03/2026"}, "tu"),
        ({"ky": "tuy-chon", "tu": "", "den": "10/03/2026"}, "tu"),
        ({"ky": "tuy-chon", "tu": "10/03/2026", "den": "01/03/2026"}, "den"),
        ({"ky": "tuy-chon", "tu": "01/01/0001", "den": "01/03/2026"}, "tu"),
        ({"ky": "tuan", "nam": "2026"}, "ky"),
        ({"ky": "nam", "nam": "2026", "theo": "ngay"}, "theo"),
        ({"ky": "nam", "nam": "2026", "linh_vuc": "999999"}, "linh_vuc"),
        ({"ky": "nam", "nam": "2026", "linh_vuc": "abc"}, "linh_vuc"),
        ({"ky": "nam", "nam": "2026", "thu_tuc": "9.999999"}, "thu_tuc"),
        ({"ky": "nam", "nam": "2026", "cap": "quoc-gia"}, "cap"),
        ({"ky": "nam", "nam": "2030"}, None),  # not started yet
    ],
)
def test_bad_input_is_answered_with_a_message(client, leader, params, field, after_march):
    client.force_login(leader)
    for name in ("reports:report", "reports:drill", "reports:xlsx", "reports:pdf"):
        response = client.get(reverse(name), {**params, "cot": "received"})
        assert response.status_code == 400, (name, params)
        html = response.content.decode()
        assert 'class="alert alert-danger"' in html
        if field:  # the message names the field it is about
            assert f"<li>{ReportForm.base_fields[field].label}: " in html


def test_drill_down_needs_a_known_column_and_group(client, leader, march, after_march):
    client.force_login(leader)
    for extra in ({"cot": "nonsense"}, {}, {"cot": "received", "nhom": "x1"}):
        response = client.get(reverse("reports:drill"), {**MARCH, **extra})
        assert response.status_code == 400
        assert 'class="alert alert-danger"' in response.content.decode()


def test_findings_are_shown_with_the_dossier_codes(client, leader, unit, procedure, after_march):
    # Closed (resolved) but the time it closed is missing: "to_process" no longer adds up.
    make("Z1", unit, procedure, 9, 1, received_at=at(3, 2), due_at=at(3, 9, 17), outcome="approved")
    make("Z2", unit, procedure, 4, 9, received_at=at(3, 3), due_at=at(3, 20, 17))
    services.rebuild()
    client.force_login(leader)
    html = client.get(reverse("reports:report"), MARCH).content.decode()
    assert "alert-warning" in html
    assert "[HS đã tiếp nhận, đã kết thúc nhưng thiếu thời điểm kết thúc] = 0" in unescape(html)
    assert "(5) = (5.1) + (5.2) + (5.3)" in unescape(html)
    assert "Z1" in html and "Z2" in html


def test_xlsx_and_pdf_downloads(client, leader, march, after_march):
    client.force_login(leader)
    response = client.get(reverse("reports:xlsx"), MARCH)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "bao-cao-tthc-000.00.31.H99-20260301-20260331.xlsx" in response["Content-Disposition"]
    assert response.content[:2] == b"PK"
    response = client.get(reverse("reports:pdf"), MARCH)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content[:5] == b"%PDF-"


def test_unit_choices_are_indented_by_depth(client, province_reform, unit, other_unit):
    division = OrganisationUnit.objects.create(
        kind=UnitKind.DIVISION, name="Phòng Hộ tịch", code="000.15.01.H99", parent=other_unit
    )
    client.force_login(province_reform)
    with time_machine.travel(AFTER_MARCH, tick=False):
        html = client.get(reverse("reports:report")).content.decode()
    assert f'<option value="{division.code}">— — Phòng Hộ tịch</option>' in html


def test_an_online_submission_withdrawn_before_acceptance_counts_nowhere(
    client, leader, unit, procedure, after_march
):
    # what services.withdraw leaves for a submitted (status 1), never accepted dossier
    make("W1", unit, procedure, 7, 2, submitted_at=at(3, 2), closed_at=at(3, 3))
    services.rebuild()
    client.force_login(leader)
    html = client.get(reverse("reports:report"), MARCH).content.decode()
    assert int(cells(html)["withdrawn"][-1][1]) == 0
    assert "alert-success" in html


def test_due_basis_table_links_each_count_to_its_dossiers(client, leader, march, after_march):
    """The "due in the period" table on the screen: each count of the total row opens exactly
    the dossiers behind it, and equals the JSON's ``due`` block."""
    from cchc.reports.selectors import ReportRequest, build_report

    client.force_login(leader)
    html = client.get(reverse("reports:report"), MARCH).content.decode()
    assert "Hồ sơ đến hạn giải quyết trong kỳ" in html
    pattern = r'<td class="text-end" data-due="([a-z_]+)"><a href="([^"]+)">([^<]*)</a></td>'
    found = {key: (unescape(href), number) for key, href, number in re.findall(pattern, html)}
    assert set(found) == {
        "due_in_period",
        "resolved_in_time",
        "resolved_late",
        "overdue_unresolved",
        "returned_or_withdrawn",
    }
    unit = march["A"].receiving_unit
    start, end = datetime(2026, 3, 1).date(), datetime(2026, 3, 31).date()
    due = build_report(ReportRequest(start=start, end=end, unit=unit)).to_dict()["total"]["due"]
    assert due["due_in_period"] > 0
    for key, (href, number) in found.items():
        assert f"cot={key if key == 'due_in_period' else 'due_' + key}" in href
        assert int(number) == due[key]
        assert len(drilled_codes(client, href)) == due[key], key
