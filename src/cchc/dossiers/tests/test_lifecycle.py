"""The dossier lifecycle through its services: rules, roles, clock stops and history."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.catalog.models import WorkflowStep
from cchc.dossiers import services
from cchc.dossiers.models import (
    AppendOnlyError,
    Channel,
    DailySequence,
    DossierComponent,
    Outcome,
    Status,
)

from .conftest import local, seen

pytestmark = pytest.mark.django_db


def receive(officer, unit, procedure, applicant):
    return services.receive_at_counter(officer, unit, procedure, applicant)


@time_machine.travel(local(2025, 1, 24, 14, 0), tick=False)
def test_counter_intake_receives_with_code_due_time_and_first_step(
    officer, unit, procedure, applicant
):
    dossier = receive(officer, unit, procedure, applicant)
    assert dossier.code == "000.00.31.H99-250124-0001"
    assert dossier.status == Status.RECEIVED
    assert dossier.received_at == local(2025, 1, 24, 14, 0)
    assert dossier.due_at == local(2025, 2, 7, 17, 0)  # 5 working days across Tết 2025
    assert dossier.appointment_at == dossier.due_at
    assert dossier.current_step.name == "Tiếp nhận hồ sơ"
    assert dossier.step_due_at == local(2025, 2, 3, 8, 30)  # 4 h: 3 h on Friday, 1 h after Tết
    assert dossier.fee_amount == 20000
    event = dossier.events.get()
    assert (event.action, event.status_after, event.actor_name) == ("received", 2, "motcua")


def test_codes_are_sequential_per_unit_and_day(officer, unit, procedure, applicant):
    with time_machine.travel(local(2025, 3, 3, 9, 0), tick=False):
        first = receive(officer, unit, procedure, applicant)
        second = receive(officer, unit, procedure, applicant)
    with time_machine.travel(local(2025, 3, 4, 9, 0), tick=False):
        third = receive(officer, unit, procedure, applicant)
    assert [first.code, second.code, third.code] == [
        "000.00.31.H99-250303-0001",
        "000.00.31.H99-250303-0002",
        "000.00.31.H99-250304-0001",
    ]
    assert DailySequence.objects.get(unit=unit, day="2025-03-03").last_value == 2


def test_full_path_to_returned_result(officer, processor, leader, unit, procedure, applicant):
    dossier = receive(officer, unit, procedure, applicant)
    dossier = services.forward(dossier.pk, officer, handler=processor)
    assert (dossier.status, dossier.current_step.name) == (Status.PROCESSING, "Thẩm định hồ sơ")
    assert dossier.current_handler == processor
    dossier = services.forward(dossier.pk, processor)
    assert dossier.current_step.role == "leader"
    dossier = services.approve_result(dossier.pk, leader, Outcome.APPROVED, "15/XN-UBND", "")
    assert dossier.status == Status.RESOLVED and dossier.result_signer == "lanhdao"
    dossier = services.return_result(dossier.pk, officer, "counter", "Nguyễn Văn An")
    assert dossier.status == Status.RETURNED
    actions = list(dossier.events.values_list("action", flat=True))
    assert actions == ["received", "forwarded", "forwarded", "resolved", "returned"]
    assert services.verify_chain(dossier) is None


@pytest.mark.parametrize(
    ("action", "kwargs"),
    [
        ("accept", {}),
        ("refuse_intake", {"reason": "Không thuộc thẩm quyền"}),
        ("return_result", {"method": "counter", "received_by": "An"}),
        ("record_payment", {"paid_online": True, "expected_version": 1}),
        ("complete_supplement", {"expected_version": 1}),
    ],
)
def test_illegal_transitions_are_refused_and_change_nothing(
    action, kwargs, officer, unit, procedure, applicant
):
    dossier = receive(officer, unit, procedure, applicant)
    with pytest.raises(services.TransitionNotAllowed) as error:
        getattr(services, action)(dossier.pk, officer, **kwargs)
    assert "Đã tiếp nhận" in error.value.message or "Received" in error.value.message
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED and dossier.version == 1
    assert dossier.events.count() == 1


def test_roles_are_enforced(officer, processor, leader, auditor, unit, procedure, applicant):
    with pytest.raises(services.ActionForbidden):
        receive(auditor, unit, procedure, applicant)
    dossier = receive(officer, unit, procedure, applicant)
    dossier = services.forward(dossier.pk, officer)
    with pytest.raises(services.ActionForbidden):
        services.approve_result(dossier.pk, processor, Outcome.APPROVED, "1/QĐ", "")
    with pytest.raises(services.ActionForbidden):
        services.forward(dossier.pk, auditor)


def test_role_in_another_unit_does_not_count(
    django_user_model, other_unit, unit, procedure, applicant
):
    from cchc.organisations.models import Role, RoleAssignment

    stranger = django_user_model.objects.create_user("khac", password="x")
    RoleAssignment.objects.create(user=stranger, unit=other_unit, role=Role.ONE_STOP_OFFICER)
    with pytest.raises(services.ActionForbidden):
        receive(stranger, unit, procedure, applicant)


def test_supplement_stops_the_clock_and_moves_the_due_time(
    officer, processor, unit, procedure, applicant
):
    with time_machine.travel(local(2024, 6, 3, 8, 0), tick=False):
        dossier = receive(officer, unit, procedure, applicant)
        dossier = services.forward(dossier.pk, officer)
    assert dossier.due_at == local(2024, 6, 10, 17, 0)
    with time_machine.travel(local(2024, 6, 4, 8, 0), tick=False):
        dossier = services.request_supplement(
            dossier.pk, processor, "Bản sao CCCD", "Thiếu giấy", expected_version=seen(dossier.pk)
        )
    assert dossier.status == Status.SUPPLEMENT_REQUESTED and dossier.supplement_count == 1
    with time_machine.travel(local(2024, 6, 5, 8, 0), tick=False):
        dossier = services.complete_supplement(
            dossier.pk, officer, expected_version=seen(dossier.pk)
        )
    assert dossier.status == Status.PROCESSING
    assert dossier.due_at == local(2024, 6, 11, 17, 0)  # 8 working hours later
    assert dossier.appointment_at == dossier.due_at
    assert dossier.events.last().data["paused_minutes"] == 480


def test_second_supplement_request_needs_the_leader_and_makes_it_late(
    officer, processor, leader, unit, procedure, applicant
):
    dossier = receive(officer, unit, procedure, applicant)
    dossier = services.forward(dossier.pk, officer)
    dossier = services.request_supplement(
        dossier.pk, processor, "Tờ khai", "Sai thông tin", expected_version=seen(dossier.pk)
    )
    dossier = services.complete_supplement(dossier.pk, officer, expected_version=seen(dossier.pk))
    with pytest.raises(services.ActionForbidden):
        services.request_supplement(
            dossier.pk, processor, "Ảnh", "Thiếu ảnh", expected_version=seen(dossier.pk)
        )
    dossier = services.request_supplement(
        dossier.pk, leader, "Ảnh", "Thiếu ảnh", expected_version=seen(dossier.pk)
    )
    assert dossier.supplement_count == 2 and dossier.late_by_rule


def test_supplement_at_the_check_of_an_online_dossier_does_not_count(
    officer, unit, procedure, applicant, django_user_model
):
    citizen = django_user_model.objects.create_user("congdan", password="x")
    draft = services.create_draft(citizen, unit, procedure, applicant)
    DossierComponent.objects.create(
        dossier=draft,
        required=procedure.components.get(),
        name="Tờ khai",
        file=SimpleUploadedFile("to-khai.pdf", b"%PDF-1.4"),
    )
    dossier = services.submit_online(draft.pk, citizen)
    assert dossier.code and dossier.status == Status.SUBMITTED and dossier.due_at is None
    dossier = services.request_supplement(
        dossier.pk, officer, "Tờ khai có chữ ký", "Chưa ký", expected_version=seen(dossier.pk)
    )
    assert dossier.supplement_count == 0
    dossier = services.complete_supplement(dossier.pk, citizen, expected_version=seen(dossier.pk))
    assert dossier.status == Status.SUBMITTED
    dossier = services.accept(dossier.pk, officer)
    assert dossier.status == Status.RECEIVED and dossier.due_at is not None


def test_online_submission_requires_mandatory_documents(unit, procedure, applicant):
    draft = services.create_draft(None, unit, procedure, applicant)
    with pytest.raises(services.DossierError) as error:
        services.submit_online(draft.pk, None)
    assert error.value.field == "components"


def test_financial_obligation_pauses_until_paid(officer, processor, unit, procedure, applicant):
    with time_machine.travel(local(2024, 6, 3, 8, 0), tick=False):
        dossier = receive(officer, unit, procedure, applicant)
        dossier = services.forward(dossier.pk, officer)
    with time_machine.travel(local(2024, 6, 4, 13, 0), tick=False):
        dossier = services.request_financial_obligation(
            dossier.pk, processor, 500000, expected_version=seen(dossier.pk)
        )
    assert dossier.status == Status.FINANCIAL_OBLIGATION
    with time_machine.travel(local(2024, 6, 4, 15, 0), tick=False):
        dossier = services.record_payment(
            dossier.pk, processor, paid_online=True, expected_version=seen(dossier.pk)
        )
    assert dossier.status == Status.PROCESSING and dossier.fee_paid_online
    assert dossier.due_at == local(2024, 6, 11, 9, 30)  # 2 h more


def test_extension_moves_due_and_appointment(
    officer, leader, processor, unit, procedure, applicant
):
    dossier = receive(officer, unit, procedure, applicant)
    new_due = dossier.due_at + timedelta(days=3)
    with pytest.raises(services.ActionForbidden):
        services.extend(
            dossier.pk, processor, new_due, "Cần xác minh", expected_version=seen(dossier.pk)
        )
    with pytest.raises(services.DossierError):
        services.extend(
            dossier.pk, leader, dossier.due_at, "Cần xác minh", expected_version=seen(dossier.pk)
        )
    dossier = services.extend(
        dossier.pk, leader, new_due, "Cần xác minh", expected_version=seen(dossier.pk)
    )
    assert dossier.due_at == new_due == dossier.appointment_at and dossier.extension_count == 1


def test_send_back_and_reassign(officer, processor, leader, unit, procedure, applicant):
    dossier = receive(officer, unit, procedure, applicant)
    dossier = services.forward(dossier.pk, officer)
    dossier = services.forward(dossier.pk, processor)
    first = WorkflowStep.objects.get(procedure=procedure, order=1)
    dossier = services.send_back(dossier.pk, leader, first, "Bổ sung ý kiến thẩm định")
    assert dossier.current_step == first
    with pytest.raises(services.DossierError):
        services.send_back(dossier.pk, leader, dossier.current_step, "Không lùi được")
    dossier = services.reassign(dossier.pk, leader, processor)
    assert dossier.current_handler == processor


def test_inter_agency_hand_off(officer, processor, other_unit, unit, procedure, applicant):
    dossier = receive(officer, unit, procedure, applicant)
    dossier = services.forward(dossier.pk, officer)
    dossier = services.hand_off(dossier.pk, processor, other_unit, 8, "Xin ý kiến Sở Tư pháp")
    assert dossier.current_unit == other_unit
    # The processor of the commune no longer acts on it; the department now does.
    with pytest.raises(services.ActionForbidden):
        services.forward(dossier.pk, processor)


def test_withdraw_and_stop_close_the_dossier(officer, leader, unit, procedure, applicant):
    first = receive(officer, unit, procedure, applicant)
    first = services.withdraw(first.pk, officer, "Công dân xin rút hồ sơ")
    assert first.status == Status.WITHDRAWN and first.closed_at
    second = receive(officer, unit, procedure, applicant)
    with pytest.raises(services.DossierError):
        services.stop(second.pk, leader, "  ")
    second = services.stop(second.pk, leader, "Có tranh chấp")
    assert second.status == Status.STOPPED
    with pytest.raises(services.TransitionNotAllowed):
        services.withdraw(second.pk, officer, "rút")


def test_stale_page_is_refused(officer, unit, procedure, applicant):
    dossier = receive(officer, unit, procedure, applicant)
    services.forward(dossier.pk, officer, expected_version=dossier.version)
    with pytest.raises(services.StaleDossier):
        services.forward(dossier.pk, officer, expected_version=dossier.version)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": " "}, "applicant_name"),
        ({"id_number": "12345"}, "applicant_id_number"),
        ({"id_type": "xx"}, "applicant_id_type"),
        ({"phone": "abc"}, "applicant_phone"),
    ],
)
def test_applicant_validation(changes, field, officer, unit, procedure, applicant):
    for key, value in changes.items():
        setattr(applicant, key, value)
    with pytest.raises(services.DossierError) as error:
        receive(officer, unit, procedure, applicant)
    assert error.value.field == field


def test_history_times_are_the_servers_and_cannot_be_supplied(officer, unit, procedure, applicant):
    with time_machine.travel(local(2025, 5, 5, 9, 15), tick=False):
        dossier = receive(officer, unit, procedure, applicant)
    assert dossier.events.get().at == local(2025, 5, 5, 9, 15)
    with pytest.raises(TypeError):
        services.receive_at_counter(
            officer, unit, procedure, applicant, received_at=local(2025, 1, 1, 9, 0)
        )
    with pytest.raises(TypeError):
        services.forward(dossier.pk, officer, at=local(2025, 1, 1, 9, 0))


def test_history_is_append_only(officer, unit, procedure, applicant):
    dossier = receive(officer, unit, procedure, applicant)
    event = dossier.events.get()
    event.note = "sửa"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_postal_channel_needs_a_postal_procedure(officer, unit, procedure, applicant):
    with pytest.raises(services.DossierError):
        services.receive_at_counter(officer, unit, procedure, applicant, channel=Channel.POSTAL)


def test_reimporting_the_catalog_keeps_dossiers_at_their_step(officer, unit, procedure, applicant):
    from cchc.catalog import services as catalog

    dossier = receive(officer, unit, procedure, applicant)
    dossier = services.forward(dossier.pk, officer)
    step_pk = dossier.current_step.pk
    steps = [
        {"name": s.name.upper(), "role": s.role, "hours": s.hours}
        for s in procedure.workflow_steps.order_by("order")
    ]
    catalog.set_workflow(procedure, steps)
    dossier.refresh_from_db()
    assert dossier.current_step.pk == step_pk and dossier.current_step.name.isupper()
    # Removing the step a dossier stands at is refused, not a crash.
    with pytest.raises(catalog.WorkflowInUse):
        catalog.set_workflow(procedure, [{"name": "Một bước", "role": "leader", "hours": 40}])


@time_machine.travel(local(2025, 3, 3, 9, 0), tick=False)
def test_a_procedure_case_sets_its_own_time_limit(officer, unit, procedure, applicant):
    from cchc.catalog.models import ProcedureVariant

    verification = ProcedureVariant.objects.create(
        procedure=procedure,
        name="Trường hợp phải xác minh",
        time_limit_amount=10,
        time_limit_unit="working_days",
    )
    general = services.receive_at_counter(officer, unit, procedure, applicant)
    special = services.receive_at_counter(officer, unit, procedure, applicant, variant=verification)
    assert general.due_at == local(2025, 3, 10, 17, 0)
    assert special.due_at == local(2025, 3, 17, 17, 0)
    other = ProcedureVariant.objects.create(
        procedure=type(procedure).objects.create(
            code="1.000001", name="Khác", field=procedure.field, time_limit_unit="same_day"
        ),
        name="x",
    )
    with pytest.raises(services.DossierError) as error:
        services.receive_at_counter(officer, unit, procedure, applicant, variant=other)
    assert error.value.field == "variant"
