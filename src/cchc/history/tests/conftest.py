"""Fixtures: the dossiers' units, procedure, officers and applicant (histories to protect)."""

import io

import pytest
from django.core.management import call_command

from cchc.dossiers import services
from cchc.dossiers.tests.conftest import (  # noqa: F401 (fixtures)
    applicant,
    leader,
    officer,
    procedure,
    processor,
    unit,
)


@pytest.fixture
def make_dossier(officer, processor, unit, procedure, applicant):  # noqa: F811
    """A dossier received and forwarded twice: three sealed events."""

    def make():
        dossier = services.receive_at_counter(officer, unit, procedure, applicant)
        services.forward(dossier.pk, officer)
        services.forward(dossier.pk, processor)
        dossier.refresh_from_db()
        return dossier

    return make


def run(command: str, *args) -> tuple[int, str, str]:
    """Run a ``cchc`` command; (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(command, *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()
