"""``cchc load-demo``: the province's 2025 inspection plan and the finished inspection of Sở Tư
pháp (issue 13), made through the real services, so its sealed history verifies and loading again
makes nothing new."""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from cchc.demo.inspections import load_inspections
from cchc.history import registry
from cchc.history.services import verify_owner
from cchc.inspections import selectors
from cchc.inspections.models import (
    Inspection,
    InspectionEvent,
    InspectionPlan,
    InspectionStatus,
    RecommendationStatus,
    TeamRole,
)

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 10, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture
def demo():
    with time_machine.travel(NOW, tick=True):
        call_command("load-demo", stdout=StringIO())
        yield


def test_the_finished_inspection_of_the_justice_department(demo):
    plan = InspectionPlan.objects.get(year=2025, organiser__code="000.00.00.H99")
    assert plan.document_number == "25/KH-UBND" and plan.document_file
    team = plan.teams.get()
    assert team.decision_number == "432/QĐ-UBND"
    seats = {m.user.username: m.role for m in team.members.select_related("user")}
    assert seats == {
        "hoidong.chutich": TeamRole.HEAD,
        "hoidong.thanhvien": TeamRole.MEMBER,
        "cchc.noivu": TeamRole.SECRETARY,
    }
    inspection = Inspection.objects.get(target__code="000.00.15.H99")
    assert inspection.status == InspectionStatus.CONCLUDED
    assert inspection.inspected_on == date(2025, 11, 20)
    assert inspection.conclusion_date == date(2025, 11, 28)
    assert inspection.figures and inspection.checklist.exists()
    assert inspection.findings.filter(kind="weakness").exists()
    items = list(inspection.recommendations.order_by("pk"))
    assert len(items) == 3
    assert [item.status for item in items] == ["done", "done", RecommendationStatus.OPEN]
    assert not items[0].done_late and items[1].done_late
    assert items[2].is_overdue(NOW.date())
    assert items[0].reports.get().files.count() == 1
    assert verify_owner(registry.get("inspections"), inspection) is None
    assert InspectionEvent.objects.filter(inspection=inspection, action="concluded").exists()
    # The unit sees its record; the leaders see the overdue recommendation.
    from django.contrib.auth import get_user_model

    officer = get_user_model().objects.get(username="chuyenvien.tuphap")
    assert list(selectors.visible_inspections(officer)) == [inspection]
    assert selectors.open_recommendations(None).count() == 1
    # Loading again makes nothing new.
    count = InspectionEvent.objects.count()
    with time_machine.travel(NOW, tick=False):
        assert load_inspections() == 0
    assert InspectionEvent.objects.count() == count
