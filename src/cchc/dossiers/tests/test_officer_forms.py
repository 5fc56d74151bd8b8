"""The officers' action forms: who the forward list offers, required marks, dd/mm/yyyy dates."""

import re
from datetime import date

import pytest
import time_machine

from cchc.dossiers import services
from cchc.organisations.models import Role, RoleAssignment

from .conftest import local, seen

pytestmark = pytest.mark.django_db


def person(django_user_model, username, role, unit, **extra):
    user = django_user_model.objects.create_user(
        username, password="pw-123456", full_name=username.title(), **extra
    )
    RoleAssignment.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def bystanders(django_user_model, unit, other_unit):
    """Everyone who must never be offered as a handler of the ward's dossier."""
    province = unit.parent
    return {
        "auditor": person(django_user_model, "kiemtra", Role.AUDITOR, province),
        "reform": person(django_user_model, "cchc.noivu", Role.REFORM_STAFF, province),
        "sysadmin": person(django_user_model, "hethong", Role.SYSTEM_ADMIN, province),
        "superuser": person(
            django_user_model, "quantri", Role.SYSTEM_ADMIN, province, is_superuser=True
        ),
        "other_unit": person(
            django_user_model, "chuyenvien.so", Role.PROCESSING_OFFICER, other_unit
        ),
        "inactive": person(
            django_user_model, "nghiviec", Role.PROCESSING_OFFICER, unit, is_active=False
        ),
    }


@pytest.fixture
def received(officer, unit, procedure, applicant):
    with time_machine.travel(local(2026, 12, 1, 8, 0), tick=False):
        return services.receive_at_counter(officer, unit, procedure, applicant)


def options(html: str, action: str) -> list[str]:
    form = re.search(rf'action="[^"]*/{action}/".*?</form>', html, re.S).group(0)
    select = re.search(r'<select name="handler".*?</select>', form, re.S).group(0)
    return [
        text.strip() for text in re.findall(r'<option value="\d+"[^>]*>([^<]*)</option>', select)
    ]


def test_forward_offers_only_the_officers_of_the_next_step(
    client, officer, processor, leader, received, bystanders
):
    client.force_login(officer)
    html = client.get(f"/ho-so/{received.pk}/").content.decode()
    # Next step "Thẩm định hồ sơ" is the processing officer's: only they are offered.
    assert options(html, "forward") == [processor.get_full_name()]
    client.force_login(processor)
    services.forward(received.pk, officer, processor)
    html = client.get(f"/ho-so/{received.pk}/").content.decode()
    assert options(html, "forward") == [leader.get_full_name()]  # "Ký duyệt": the leader's


@pytest.mark.parametrize("who", ["auditor", "reform", "sysadmin", "superuser", "other_unit"])
def test_forward_to_someone_outside_the_step_is_refused(officer, received, bystanders, who):
    with pytest.raises(services.DossierError) as refused:
        services.forward(received.pk, officer, bystanders[who])
    assert refused.value.field == "handler"
    received.refresh_from_db()
    assert received.current_handler == officer and received.current_step.order == 0


def test_forward_through_the_page_refuses_an_auditor(client, officer, received, bystanders):
    client.force_login(officer)
    response = client.post(
        f"/ho-so/{received.pk}/forward/",
        {"handler": bystanders["auditor"].pk, "version": seen(received.pk)},
        follow=True,
    )
    assert response.status_code == 200
    received.refresh_from_db()
    assert received.current_handler == officer and received.current_step.order == 0
    assert "alert-danger" in response.content.decode()  # not in the list: a field error


def test_a_step_done_in_another_unit_offers_that_units_officers(
    officer, processor, received, procedure, other_unit, bystanders
):
    step = procedure.workflow_steps.get(order=1)
    step.responsible_unit = other_unit
    step.save()
    assert list(services.handler_candidates(received, step)) == [bystanders["other_unit"]]


def test_required_fields_are_marked_and_dates_are_typed_dd_mm_yyyy(
    client, officer, processor, leader, received
):
    services.forward(received.pk, officer, processor)
    services.forward(received.pk, processor, leader)
    client.force_login(leader)
    html = client.get(f"/ho-so/{received.pk}/").content.decode()
    form = re.search(r'action="[^"]*/approve_result/".*?</form>', html, re.S).group(0)
    label = re.search(r'<label[^>]*for="id_number"[^>]*>(.*?)</label>', form, re.S).group(1)
    assert "Số văn bản kết quả" in label and 'class="required-mark"' in label
    assert re.search(r'<input[^>]*name="number"[^>]*required', form)
    assert "Các trường có dấu * là bắt buộc." in form
    signer = re.search(r'<label[^>]*for="id_signer"[^>]*>(.*?)</label>', form, re.S).group(1)
    assert "required-mark" not in signer
    # The date is a text input with the calendar button, never type="date".
    date_input = re.search(r'<input[^>]*name="result_date"[^>]*>', form).group(0)
    assert 'type="text"' in date_input and 'placeholder="dd/mm/yyyy"' in date_input
    assert 'data-datepicker-for="id_result_date"' in form
    assert 'type="date"' not in html and "portal/datepicker.js" in html
    response = client.post(
        f"/ho-so/{received.pk}/approve_result/",
        {
            "outcome": "approved",
            "number": "125/QĐ-UBND",
            "result_date": "05/12/2026",
            "version": seen(received.pk),
        },
    )
    assert response.status_code == 302
    received.refresh_from_db()
    assert received.result_number == "125/QĐ-UBND" and received.result_date == date(2026, 12, 5)


def test_a_date_in_another_format_gets_a_vietnamese_error(
    client, officer, processor, leader, received
):
    services.forward(received.pk, officer, processor)
    services.forward(received.pk, processor, leader)
    client.force_login(leader)
    response = client.post(
        f"/ho-so/{received.pk}/approve_result/",
        {
            "outcome": "approved",
            "number": "1/QĐ",
            "result_date": "12/31/2026",
            "version": seen(received.pk),
        },
        follow=True,
    )
    received.refresh_from_db()
    assert received.result_number == "" and received.result_date is None
    assert "Ngày ký kết quả: Nhập một ngày hợp lệ." in response.content.decode()
