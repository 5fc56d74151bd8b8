"""``cchc load-demo``: Sở Tư pháp's periodic reform reports (issue 13), made through the
services: Q1 2026 approved before its due date, Q3 2026 a draft, others missing; loading again
adds nothing."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.utils import timezone

from cchc.demo.province import load_units, load_users
from cchc.demo.reformreports import load_reformreports
from cchc.history import registry
from cchc.history import services as history
from cchc.reformreports import selectors
from cchc.reformreports.models import ReformReport, ReportStatus

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def test_the_demo_reports_and_the_missing_ones():
    with time_machine.travel(NOW, tick=False):
        load_users(load_units())
        load_reformreports()
        load_reformreports()  # idempotent
    reports = {r.kind: r for r in ReformReport.objects.filter(unit__code="000.00.15.H99")}
    assert set(reports) == {"q1", "q3"} and ReformReport.objects.count() == 2
    q1, q3 = reports["q1"], reports["q3"]
    assert q1.status == ReportStatus.APPROVED
    assert timezone.localdate(q1.approved_at) == date(2026, 3, 18) <= q1.due_on
    assert q1.approved_by.username == "lanhdao.tuphap"
    assert q3.status == ReportStatus.DRAFT and q3.achievements
    spec = registry.get("reformreports")
    assert all(history.verify_owner(spec, report) is None for report in reports.values())
    reform_staff = get_user_model().objects.get(username="cchc.noivu")
    missing = selectors.missing_reports(reform_staff, 2026, date(2026, 12, 4))
    justice = {row.window.kind for row in missing if row.unit.code == "000.00.15.H99"}
    assert justice == {"h1", "q3"}  # q1 on time; the year report is not due yet
    assert len({row.unit.code for row in missing}) > 5
