"""Fixtures: records the kit works on. The kit has no models of its own, so its tests use the
dossiers' (like ``cchc.history``'s tests do): units, a procedure, officers and an applicant."""

import pytest

from cchc.dossiers import services
from cchc.dossiers.tests.conftest import (  # noqa: F401 (fixtures)
    applicant,
    leader,
    officer,
    other_unit,
    procedure,
    processor,
    unit,
)


@pytest.fixture
def dossier(officer, unit, procedure, applicant):  # noqa: F811
    """A dossier just received at the counter: version 1, one sealed event."""
    return services.receive_at_counter(officer, unit, procedure, applicant)
