"""The demo wires who receives for whom: a citizen's online dossier to phường Đông Thành is accepted
by ``motcua.dongthanh``, one to a department by ``motcua.tinh``, and by nobody else."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from cchc.catalog.models import Procedure
from cchc.demo import province as demo
from cchc.dossiers import selectors, services
from cchc.dossiers.models import DossierComponent, Status
from cchc.organisations.models import OrganisationUnit

pytestmark = pytest.mark.django_db

APPLICANT = services.Applicant(
    kind="individual", name="Đinh Thị Thu", id_type="cccd", id_number="001190004321"
)


@pytest.fixture
def demo_province():
    units = demo.load_units()
    demo.load_users(units)
    demo.load_catalog(units)
    return units


def _submit(authority_code: str, **procedure_filter):
    users = get_user_model().objects
    authority = OrganisationUnit.objects.get(code=authority_code)
    procedure = (
        Procedure.objects.active()
        .filter(channel_online=True, implementing_units=authority, **procedure_filter)
        .first()
    )
    citizen = users.get(username=demo.DEMO_CITIZEN)
    draft = services.create_draft(citizen, authority, procedure, APPLICANT)
    for component in procedure.components.filter(mandatory=True):
        DossierComponent.objects.create(
            dossier=draft,
            required=component,
            name=component.name,
            file=ContentFile(b"%PDF-1.4 scan", name="scan.pdf"),
            digitised=True,
        )
    return services.submit_online(draft.pk, citizen)


@pytest.mark.parametrize(
    ("authority", "levels", "officer"),
    [
        ("000.00.31.H99", {"level_commune": True}, "motcua.dongthanh"),
        ("000.00.15.H99", {"level_province": True}, "motcua.tinh"),
    ],
)
def test_each_online_dossier_is_accepted_by_the_right_demo_officer(
    demo_province, authority, levels, officer
):
    for code, receiver in demo.RECEIVED_BY.items():
        assert OrganisationUnit.objects.get(code=code).one_stop_unit.code == receiver
    dossier = _submit(authority, **levels)
    users = get_user_model().objects
    right = users.get(username=officer)
    assert list(selectors.queue(right, "cho-kiem-tra")) == [dossier]
    for name in ("motcua.dongthanh", "motcua.tinh", "chuyenvien.dongthanh", "lanhdao.dongthanh"):
        if name != officer:
            user = users.get(username=name)
            assert "accept" not in selectors.available_actions(dossier, user), name
            with pytest.raises(services.ActionForbidden):
                services.accept(dossier.pk, user)
    assert services.accept(dossier.pk, right).status == Status.RECEIVED
