"""Role and state guards raise the caller's errors; the API maps the whole family alike."""

from types import SimpleNamespace

import pytest

from cchc.common import errors
from cchc.common.api import exception_handler
from cchc.dossiers import errors as dossier_errors
from cchc.feedback import errors as feedback_errors
from cchc.workflow.guards import require_role, require_state


class Forbidden(errors.ActionForbidden):
    pass


class NotNow(errors.TransitionNotAllowed):
    pass


@pytest.mark.django_db
def test_a_role_held_in_the_unit_or_above_passes(processor, leader, unit, other_unit):
    require_role(processor, ["processing_officer"], unit)
    require_role(leader, ["processing_officer", "leader"], unit)
    with pytest.raises(Forbidden) as refused:
        require_role(processor, ["leader"], unit, error=Forbidden)
    assert refused.value.code == "forbidden" and refused.value.message
    with pytest.raises(errors.ActionForbidden):
        require_role(processor, ["processing_officer"], other_unit)  # not their unit


def test_a_state_outside_the_allowed_ones_is_refused_with_what_was_tried():
    record = SimpleNamespace(status=2, get_status_display=lambda: "Received")
    require_state(record, {1, 2}, "Cannot %(action)s: it is %(status)s.", "sign")
    with pytest.raises(NotNow) as refused:
        require_state(record, {1}, "Cannot %(action)s: it is %(status)s.", "sign", error=NotNow)
    assert refused.value.message == "Cannot sign: it is Received."
    assert refused.value.code == "transition_not_allowed"


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (errors.ApplicationError("x", "name"), 400),
        (errors.ActionForbidden("x"), 403),
        (errors.TransitionNotAllowed("x"), 409),
        (errors.StaleRecord("x"), 409),
        (dossier_errors.DossierError("x"), 400),
        (dossier_errors.ActionForbidden("x"), 403),
        (dossier_errors.StaleDossier("x"), 409),
        (feedback_errors.SubmissionInvalid({"title": "x"}), 400),
        (feedback_errors.TransitionNotAllowed("x"), 409),
        (feedback_errors.StaleFeedback("x"), 409),
    ],
)
def test_the_api_maps_every_application_error_by_its_family(error, status):
    response = exception_handler(error, {})
    assert response.status_code == status
    assert response.data["code"] == error.code
    assert response.data[error.field or "non_field_errors"] == ["x"]


def test_each_app_keeps_its_own_family():
    assert not issubclass(feedback_errors.FeedbackError, dossier_errors.DossierError)
    assert issubclass(feedback_errors.StaleFeedback, errors.StaleRecord)
    assert issubclass(dossier_errors.TransitionNotAllowed, errors.TransitionNotAllowed)
