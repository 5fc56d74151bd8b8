"""The completion page (as of a day, drill-down lists, rounding rule, forecast), the province
view by unit (sortable), the overdue tasks list; all scoped to the reader's units."""

import re

import pytest

from . import progress_world
from .progress_world import make_department_criteria

clock = progress_world.clock  # the fixture
pworld = progress_world.pworld  # the fixture

PAGE = "/ke-hoach-cchc/tien-do/"
UNITS = "/ke-hoach-cchc/tien-do/theo-don-vi/"
OVERDUE = "/ke-hoach-cchc/qua-han/"


def signed_in(client, user):
    client.force_login(user)
    return client


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_completion_page_shows_the_numbers_and_the_rounding_rule(client, pworld):
    page = signed_in(client, pworld.leader).get(
        PAGE, {"don_vi": "000.00.15.H99", "nam": "2026", "ngay": "15/10/2026"}
    )
    assert page.status_code == 200
    body = text(page)
    assert 'id="completion-percent" data-value="92.86"' in body
    assert "92,86 %" in body
    assert "26/28 = 92,86 %" in body
    assert "92 %" in body  # what the press writes
    assert "Đến hạn" in body and "Hoàn thành trễ hạn" in body
    for bucket, count in {
        "total": 28,
        "due": 27,
        "done": 26,
        "done_on_time": 24,
        "done_late": 2,
        "overdue": 1,
    }.items():
        assert f'id="count-{bucket}" data-value="{count}"' in body
    # The default list is the overdue tasks, each a link to the task.
    assert "Rà soát thủ tục hành chính lĩnh vực hộ tịch" in body
    assert f'id="task-{pworld.overdue.pk}"' in body


def test_each_number_drills_down_to_its_tasks(client, pworld):
    signed_in(client, pworld.leader)
    late = client.get(
        PAGE, {"don_vi": "000.00.15.H99", "nam": "2026", "ngay": "15/10/2026", "ds": "done_late"}
    )
    body = text(late)
    for task in pworld.late:
        assert f'id="task-{task.pk}"' in body
    assert body.count('<tr id="task-') == 2
    everything = text(
        client.get(
            PAGE, {"don_vi": "000.00.15.H99", "nam": "2026", "ngay": "15/10/2026", "ds": "total"}
        )
    )
    assert everything.count('<tr id="task-') == 28


def test_the_as_of_date_moves_the_numbers(client, pworld):
    signed_in(client, pworld.leader)
    body = text(client.get(PAGE, {"don_vi": "000.00.15.H99", "nam": "2026", "ngay": "30/06/2026"}))
    assert 'id="count-done" data-value="24"' in body
    assert 'id="count-due" data-value="26"' in body
    assert 'id="count-overdue" data-value="0"' in body


def test_a_bad_date_is_a_400_with_the_message_on_the_field(client, pworld):
    page = signed_in(client, pworld.leader).get(
        PAGE, {"don_vi": "000.00.15.H99", "nam": "2026", "ngay": "32/13/2026"}
    )
    assert page.status_code == 400
    assert "không phải là ngày" in text(page) or "32/13/2026" in text(page)
    assert "is-invalid" in text(page)


def test_the_plan_page_is_the_same_page(client, pworld):
    page = signed_in(client, pworld.leader).get(
        f"/ke-hoach-cchc/tien-do/ke-hoach/{pworld.plan.pk}/", {"ngay": "15/10/2026"}
    )
    assert page.status_code == 200
    assert 'data-value="92.86"' in text(page)


def test_another_units_plan_is_not_found(client, pworld):
    signed_in(client, pworld.building_leader)
    assert client.get(PAGE, {"don_vi": "000.00.15.H99", "nam": "2026"}).status_code == 404
    assert client.get(f"/ke-hoach-cchc/tien-do/ke-hoach/{pworld.plan.pk}/").status_code == 404


def test_without_a_role_the_pages_are_forbidden(client, pworld):
    signed_in(client, pworld.nobody)
    for url in (PAGE, UNITS, OVERDUE):
        assert client.get(url).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, pworld):
    assert client.get(PAGE).status_code == 302


def test_forecast_names_the_task_that_costs_points(client, pworld):
    make_department_criteria()
    body = text(
        signed_in(client, pworld.leader).get(
            PAGE, {"don_vi": "000.00.15.H99", "nam": "2026", "ngay": "15/10/2026"}
        )
    )
    assert 'id="forecast-table"' in body
    row = re.search(r'<tr data-code="1\.2">(.*?)</tr>', body).group(1)
    assert "80,00 %" in row and "1,00" in row and "2,00" in row
    assert "Rà soát thủ tục hành chính lĩnh vực hộ tịch" in row
    assert "1,00 điểm" in row
    whole = re.search(r'<tr data-code="1\.3">(.*?)</tr>', body).group(1)
    assert "92,86 %" in whole and "96,43 %" in whole
    assert 'data-code="1.4"' not in body  # not linked to any task


def test_province_view_lists_units_worst_first_and_sorts(client, pworld):
    signed_in(client, pworld.reform)
    body = text(client.get(UNITS, {"nam": "2026", "ngay": "15/10/2026"}))
    order = re.findall(r'<tr data-unit="([^"]+)">', body)
    assert order == ["000.00.20.H99", "000.00.15.H99"]
    body = text(
        client.get(UNITS, {"nam": "2026", "ngay": "15/10/2026", "sx": "percent", "chieu": "giam"})
    )
    assert re.findall(r'<tr data-unit="([^"]+)">', body) == ["000.00.15.H99", "000.00.20.H99"]
    assert 'aria-sort="descending"' in body
    body = text(client.get(UNITS, {"nam": "2026", "sx": "unit"}))
    assert re.findall(r'<tr data-unit="([^"]+)">', body) == ["000.00.15.H99", "000.00.20.H99"]


def test_province_view_is_scoped(client, pworld):
    body = text(signed_in(client, pworld.leader).get(UNITS, {"nam": "2026"}))
    assert re.findall(r'<tr data-unit="([^"]+)">', body) == ["000.00.15.H99"]


def test_overdue_list_is_scoped_to_the_units(client, pworld):
    signed_in(client, pworld.leader)
    body = text(client.get(OVERDUE))
    assert "Rà soát thủ tục hành chính lĩnh vực hộ tịch" in body
    assert "Sở Xây dựng" not in body
    assert 'data-value="1"' in body
    signed_in(client, pworld.reform)
    body = text(client.get(OVERDUE))
    assert 'id="overdue-total" data-value="4"' in body
    body = text(client.get(OVERDUE, {"don_vi": "000.00.20.H99"}))
    assert 'id="overdue-total" data-value="3"' in body


@pytest.mark.parametrize("day", ["31/12/2026", "01/01/2027"])
def test_the_recurring_task_is_overdue_only_after_the_year(client, pworld, clock, day):
    from datetime import datetime

    from .progress_world import VN

    d, m, y = (int(part) for part in day.split("/"))
    clock.move_to(datetime(y, m, d, 9, 0, tzinfo=VN))
    body = text(signed_in(client, pworld.leader).get(OVERDUE))
    assert (f'id="task-{pworld.recurring.pk}"' in body) is (y == 2027)


def test_bad_unit_or_year_is_a_400_not_a_500(client, pworld):
    signed_in(client, pworld.reform)
    page = client.get(PAGE, {"don_vi": "KHONG-CO", "nam": "2026"})
    assert page.status_code == 400
    assert "Không có đơn vị nào mang mã “KHONG-CO”." in text(page)
    assert client.get(PAGE, {"nam": "năm nay"}).status_code == 400
    page = client.get(UNITS, {"nam": "1800"})
    assert page.status_code == 400
    assert "Nhập năm từ 2000 đến 2100." in text(page)
