"""The council's appraisal pages: a member sees and appraises only the assigned fields; the
unit answers; the chair decides."""

from datetime import date

import pytest
from django.test import Client

from cchc.parindex.models import Assessment, LeafScore

from . import factories

clock, world = factories.clock, factories.world  # fixtures
pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_council_workspace_shows_only_assigned_fields(world):
    round_ = world.appraisal_round()
    justice = Assessment.objects.get(round=round_, unit=world.justice)
    member = client_for(world.member).get(f"/chi-so-cchc/tham-dinh/don-vi/{justice.pk}/")
    codes = [row["leaf"].criterion.code for row in member.context["rows"]]
    assert codes == ["1.1", "1.2", "1.3", "1.4"]
    chair = client_for(world.chair).get(f"/chi-so-cchc/tham-dinh/don-vi/{justice.pk}/")
    assert len(chair.context["rows"]) == 6
    leaf = world.leaf(round_, world.justice, "2.1")
    assert client_for(world.member).get(f"/chi-so-cchc/tieu-chi/{leaf.pk}/").status_code == 404
    client = client_for(world.member)
    target = world.leaf(round_, world.justice, "1.2")
    client.post(
        f"/chi-so-cchc/tham-dinh/tieu-chi/{target.pk}/appraise/",
        {
            f"l{target.pk}-decision": "adjust",
            f"l{target.pk}-score": "1,5",
            f"l{target.pk}-reason": "Đạt 85%",
        },
    )
    assert LeafScore.objects.get(pk=target.pk).appraised_score == 1.5
    client.post(
        f"/chi-so-cchc/tham-dinh/tieu-chi/{target.pk}/request/",
        {f"r{target.pk}-message": "Gửi báo cáo", f"r{target.pk}-due_on": ""},
    )
    request = target.explanation_requests.get()
    officer = client_for(world.officer)
    officer.post(
        f"/chi-so-cchc/tieu-chi/{target.pk}/thao-tac/answer/",
        {"request_id": request.pk, "answer": "Đã gửi báo cáo số 5"},
    )
    request.refresh_from_db()
    assert request.answer == "Đã gửi báo cáo số 5"
    chair_page = (
        client_for(world.chair).get(f"/chi-so-cchc/tham-dinh/{round_.pk}/").content.decode()
    )
    assert 'id="decide-form"' in chair_page
    client_for(world.chair).post(
        f"/chi-so-cchc/ky-danh-gia/{round_.pk}/thao-tac/decide/",
        {"decision_number": "15/QĐ-HĐTĐ", "decision_date": "12/01/2026", "version": ""},
    )
    round_.refresh_from_db()
    assert round_.status == "decided" and round_.decision_date == date(2026, 1, 12)
