"""The statistics follow the dossiers and feedback apps through their events, in their transaction.

``ReportsConfig.ready`` subscribes the counters to ``dossier_changed``, ``feedback_changed`` and
``dossiers_imported``; these tests check that an action and its counters commit or roll back
together, that a complaint naming a dossier refreshes it, and that the bulk import's counters,
gathered over chunks, equal a recomputation.
"""

import pytest
from django.db import transaction

from cchc.dossiers import legacy
from cchc.dossiers.events import dossier_changed, dossiers_imported
from cchc.dossiers.models import Dossier
from cchc.dossiers.tests.test_legacy_import import csv_bytes, full_row, run, simple_row
from cchc.feedback import services as feedback_services
from cchc.feedback.events import feedback_changed
from cchc.reports import services
from cchc.reports.engine.contribution import COLUMN_INDEX
from cchc.reports.models import ALL_PROCEDURES, DossierStat, Grain, StatCell

from .conftest import at

pytestmark = pytest.mark.django_db


def month_total(unit, column: str) -> int:
    """The unit's month counters of ``column``, all procedures."""
    rows = StatCell.objects.filter(unit_id=unit.pk, grain=Grain.MONTH, procedure_id=ALL_PROCEDURES)
    return sum(rows.values_list(column, flat=True))


def resolved(unit) -> int:
    return sum(month_total(unit, f"resolved_{kind}") for kind in ("early", "on_time", "late"))


def test_the_counters_subscribe_in_their_app_config():
    assert "reports.refresh_stats" in dossier_changed.keys
    assert "reports.refresh_stats" in feedback_changed.keys
    assert "reports.count_imported" in dossiers_imported.keys


def test_an_action_and_its_counters_roll_back_together(desk, officer, leader, unit, procedure):
    dossier = desk.receive(at(2026, 3, 2), officer, unit, procedure)
    status = dossier.status
    with pytest.raises(RuntimeError), transaction.atomic():
        desk.resolve(at(2026, 3, 3), dossier.pk, leader)
        assert resolved(unit) == 1  # counted inside the action's transaction
        raise RuntimeError("the caller gives up after the action")
    assert Dossier.objects.get(pk=dossier.pk).status == status
    assert resolved(unit) == 0
    assert services.verify() == []
    desk.resolve(at(2026, 3, 3), dossier.pk, leader)
    assert resolved(unit) == 1


def test_a_failing_counter_update_refuses_the_action(
    desk, officer, leader, unit, procedure, monkeypatch
):
    dossier = desk.receive(at(2026, 3, 2), officer, unit, procedure)
    status, events_before = dossier.status, dossier.events.count()

    def broken(deltas):
        raise RuntimeError("counter table unavailable")

    monkeypatch.setattr(services, "apply_deltas", broken)
    with pytest.raises(RuntimeError, match="counter table unavailable"):
        desk.resolve(at(2026, 3, 3), dossier.pk, leader)
    fresh = Dossier.objects.get(pk=dossier.pk)
    assert fresh.status == status  # no resolution the statistics do not know of
    assert fresh.events.count() == events_before
    monkeypatch.undo()
    assert services.verify() == []


def dissatisfied(unit) -> int:
    return month_total(unit, "dissatisfied")


def test_a_complaint_naming_a_dossier_refreshes_its_counters(
    desk, officer, unit, procedure, applicant
):
    """766 indicator 5.4: a dossier named by a complaint (PAKN) counts as dissatisfied."""
    dossier = desk.receive(at(2026, 3, 2), officer, unit, procedure)
    other = desk.receive(at(2026, 3, 2), officer, unit, procedure)
    assert dissatisfied(unit) == 0
    with desk._at(at(2026, 3, 3)):
        feedback_services.submit(
            sender=feedback_services.Sender(
                name="Nguyễn Văn An", phone="0912345678", email="", address="Đông Thành"
            ),
            subject_kind="dossier",
            title="Hồ sơ chậm",
            content="Hồ sơ của tôi chưa được xử lý, đề nghị kiểm tra giúp.",
            dossier_code=dossier.code,
            dossier_digits=applicant.phone[-4:],
            client_address="10.0.0.1",
        )
    assert dissatisfied(unit) == 1
    named = {stat.dossier_id: stat.cells for stat in DossierStat.objects.all()}
    column = COLUMN_INDEX["dissatisfied"]
    assert [c for c in named[dossier.pk] if c[1] == column]
    assert not [c for c in named[other.pk] if c[1] == column]
    assert services.verify() == []


def test_bulk_import_counters_gathered_over_chunks_equal_a_recomputation(
    unit, procedure, monkeypatch
):
    monkeypatch.setattr(legacy, "CHUNK", 3)
    monkeypatch.setattr(services, "DELTA_ROWS", 10)  # applied during the run as well as at its end
    lines = [
        full_row(ma_ho_so=f"HS-CU-{n:04d}") if n % 2 else simple_row(ma_ho_so=f"HS-CU-{n:04d}")
        for n in range(11)
    ]
    published = []

    def record(*, imported, run, **_):
        published.append((len(imported), run.final, id(run)))

    dossiers_imported.subscribe(record, key="tests.record")
    try:
        report = run(csv_bytes(*lines))
    finally:
        dossiers_imported.unsubscribe("tests.record")
    assert report.created == 11, report.errors
    assert [(size, final) for size, final, _run in published] == [
        (3, False),
        (3, False),
        (3, False),
        (2, False),
        (0, True),
    ]
    assert len({run for _size, _final, run in published}) == 1  # one run, shared
    assert services.verify() == []
