"""Fixtures: the dossier fixtures of ``cchc.dossiers`` plus a received dossier and a fixed clock."""

import pytest
import time_machine

from cchc.dossiers import services as dossiers
from cchc.dossiers.tests.conftest import *  # noqa: F403
from cchc.dossiers.tests.conftest import local

RECEIVED_AT = local(2025, 3, 3, 9, 0)  # a Monday


@pytest.fixture(autouse=True)
def _unwired(request):
    """Unit tests call ``notify_applicant`` themselves; ``@pytest.mark.wired`` keeps the handler."""
    if request.node.get_closest_marker("wired"):
        yield
        return
    from cchc.dossiers.events import dossier_changed
    from cchc.notifications.subscribers import KEY

    with dossier_changed.muted(KEY):
        yield


@pytest.fixture
def dossier(officer, unit, procedure, applicant):
    """Received at the counter on Monday 3/3/2025 09:00, with an email address and a phone."""
    with time_machine.travel(RECEIVED_AT, tick=False):
        return dossiers.receive_at_counter(officer, unit, procedure, applicant)


@pytest.fixture
def backends(settings):
    """Point channels at test backends: ``backends(email=…, sms=…)`` with dotted paths."""

    def configure(**paths):
        settings.CCHC_NOTIFICATION_BACKENDS = paths

    return configure
