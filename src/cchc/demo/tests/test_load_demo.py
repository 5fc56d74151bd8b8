"""``cchc load-demo``: a living one-stop shop, loaded once, with intact histories."""

from io import StringIO

import pytest
from django.core.management import call_command

from cchc.dossiers.models import Dossier, Status
from cchc.dossiers.services import verify_chain
from cchc.organisations.models import Role, RoleAssignment, UnitKind

pytestmark = pytest.mark.django_db


def test_load_demo_is_complete_and_idempotent():
    out = StringIO()
    call_command("load-demo", stdout=out)
    text = out.getvalue()
    assert "demo-cchc-2026" in text and "quantri" in text
    from cchc.organisations.models import OrganisationUnit

    kinds = list(OrganisationUnit.objects.values_list("kind", flat=True))
    assert kinds.count(UnitKind.DEPARTMENT) >= 3
    assert kinds.count(UnitKind.COMMUNE_COMMITTEE) >= 5
    assert UnitKind.SERVICE_CENTRE in kinds
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == set(Role.values)
    statuses = set(Dossier.objects.values_list("status", flat=True))
    assert {Status.PROCESSING, Status.RETURNED} <= statuses
    count = Dossier.objects.count()
    assert count > 40
    assert all(verify_chain(dossier) is None for dossier in Dossier.objects.all()[:50])
    # Every history, the generated ones included, is sealed and complete.
    from cchc.feedback.models import Feedback

    assert Feedback.objects.exists()
    assert not Feedback.objects.filter(history_count=0).exists()
    assert not Dossier.objects.exclude(status=Status.DRAFT).filter(history_count=0).exists()
    history = StringIO()
    call_command("verify-history", stdout=history, stderr=history)  # exits 1 on any break
    assert "0 hồ sơ có lịch sử bị phá vỡ" in history.getvalue()
    assert "0 phản ánh có lịch sử bị phá vỡ" in history.getvalue()

    call_command("load-demo", stdout=StringIO())
    assert Dossier.objects.count() == count
