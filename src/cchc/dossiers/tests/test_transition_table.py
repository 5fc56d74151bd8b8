"""The page offers an action exactly in the statuses where its service accepts it.

For every status and every action a page offers, the service is called as a superuser (who holds
every role, so only the state decides) on a dossier put in that status, and rolled back. The
service refuses the state with ``TransitionNotAllowed`` exactly when the selectors do not list the
action: both read ``transitions.TRANSITIONS``, and this keeps them from drifting apart.
"""

from datetime import timedelta

import pytest

from cchc.dossiers import selectors, services
from cchc.dossiers.models import Dossier, Status
from cchc.dossiers.transitions import TRANSITIONS
from cchc.workflow.testing import state_accepts


def calls(dossier, su, processor, other_unit, version):
    first_step = dossier.procedure.workflow_steps.order_by("order").first()
    later = (dossier.due_at or dossier.submitted_at) + timedelta(days=30)
    return {
        "accept": lambda: services.accept(dossier.pk, su),
        "refuse_intake": lambda: services.refuse_intake(dossier.pk, su, "Không đủ điều kiện"),
        "request_supplement": lambda: services.request_supplement(
            dossier.pk, su, "Bản sao", "Thiếu giấy tờ", expected_version=version
        ),
        "complete_supplement": lambda: services.complete_supplement(
            dossier.pk, su, expected_version=version
        ),
        "forward": lambda: services.forward(dossier.pk, su),
        "send_back": lambda: services.send_back(dossier.pk, su, first_step, "Làm lại"),
        "reassign": lambda: services.reassign(dossier.pk, su, processor),
        "hand_off": lambda: services.hand_off(dossier.pk, su, other_unit, 8),
        "request_financial_obligation": lambda: services.request_financial_obligation(
            dossier.pk, su, 50000, expected_version=version
        ),
        "record_payment": lambda: services.record_payment(
            dossier.pk, su, True, expected_version=version
        ),
        "extend": lambda: services.extend(
            dossier.pk, su, later, "Cần xác minh", expected_version=version
        ),
        "approve_result": lambda: services.approve_result(dossier.pk, su, "approved", "1/QĐ", "A"),
        "return_result": lambda: services.return_result(dossier.pk, su, "counter", "Ông An"),
        "withdraw": lambda: services.withdraw(dossier.pk, su, "Không cần nữa"),
        "stop": lambda: services.stop(dossier.pk, su, "Có tranh chấp"),
    }


@pytest.mark.django_db
def test_every_offered_action_is_listed_exactly_where_its_service_accepts_the_status(
    django_user_model, officer, processor, unit, other_unit, procedure, applicant
):
    su = django_user_model.objects.create_superuser("quantri", password="pw-123456")
    dossier = services.receive_at_counter(officer, unit, procedure, applicant)
    offered = [item.action for item in TRANSITIONS if item.offered]
    assert set(offered) == set(calls(dossier, su, processor, other_unit, 0))
    for status in Status:
        Dossier.objects.filter(pk=dossier.pk).update(status=status)
        dossier.refresh_from_db()
        listed = selectors.available_actions(dossier, su)
        services_call = calls(dossier, su, processor, other_unit, dossier.version)
        accepted = [action for action in offered if state_accepts(services_call[action])]
        assert listed == accepted, status.label
