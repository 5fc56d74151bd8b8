"""Counters kept action by action against a full recomputation and against a naive oracle.

Random histories are played through ``cchc.dossiers.services`` at random moments (time-machine):
several dossiers in two receiving units, received at the counter, by post or online (accepted
later, refused, withdrawn before acceptance or never accepted), forwarded, handed between the
units (liên thông), paused for a supplement or a fee across month ends, extended, apologised
for, resolved or refused, handed over, rated, withdrawn or stopped — from late November 2025 to
spring 2026 (across Tết). Each Hypothesis example builds its own world inside a savepoint that is
rolled back.

* ``services.verify()`` (every counter recomputed from the dossiers) finds no difference;
* ``build_report`` over random periods equals :func:`test_properties.oracle_counts` applied to
  the dossiers' raw times, and the drill-down lists as many dossiers as each number says.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cchc.catalog.models import Field, Procedure, ProcedureComponent, WorkflowStep
from cchc.dossiers import services as ds
from cchc.dossiers.models import Channel, Dossier, Status
from cchc.dossiers.tests.conftest import letter_seen, seen
from cchc.organisations.models import OrganisationUnit, Role, RoleAssignment, UnitKind
from cchc.reports import services
from cchc.reports.engine.contribution import Facts, Pause
from cchc.reports.selectors import REPORT_KEYS, ReportRequest, build_report, drill
from cchc.workdays import services as workdays
from cchc.workdays.engine import Rule, TimeLimit

from .conftest import Desk, at
from .test_properties import ORACLE_KEYS, oracle_counts

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
START = datetime(2025, 11, 20, 0, 0, tzinfo=VN)
HYPOTHESIS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# -- the world of one example --------------------------------------------------------------------
def make_world() -> SimpleNamespace:
    province = OrganisationUnit.objects.create(
        kind=UnitKind.PROVINCE_COMMITTEE, name="UBND tỉnh An Bình", code="000.00.00.H99"
    )
    ward = OrganisationUnit.objects.create(
        kind=UnitKind.COMMUNE_COMMITTEE,
        name="UBND phường Đông Thành",
        code="000.00.31.H99",
        parent=province,
    )
    department = OrganisationUnit.objects.create(
        kind=UnitKind.DEPARTMENT, name="Sở Tư pháp", code="000.00.15.H99", parent=province
    )
    users = get_user_model().objects
    staff = {}
    for unit, suffix in ((ward, "phuong"), (department, "so")):
        for role in (Role.ONE_STOP_OFFICER, Role.LEADER):
            user = users.create_user(f"{role}-{suffix}", password="x", full_name=f"{role} {suffix}")
            RoleAssignment.objects.create(user=user, unit=unit, role=role)
            staff[(unit.pk, role)] = user
    field_ = Field.objects.create(name="Hộ tịch")
    procedures = []
    for code, days, postal in (("1.004873", 5, False), ("2.000908", 3, True)):
        procedure = Procedure.objects.create(
            code=code,
            name=f"Thủ tục {code}",
            field=field_,
            level_commune=True,
            time_limit_amount=days,
            time_limit_unit="working_days",
            channel_counter=True,
            channel_online=True,
            channel_postal=postal,
            online_level="full",
        )
        ProcedureComponent.objects.create(procedure=procedure, name="Tờ khai", mandatory=True)
        procedure.implementing_units.set([ward, department])  # both units receive both
        for order, (role, hours) in enumerate(
            [(Role.ONE_STOP_OFFICER, 4), (Role.PROCESSING_OFFICER, 16), (Role.LEADER, 4)]
        ):
            WorkflowStep.objects.create(
                procedure=procedure, order=order, name=f"Bước {order + 1}", role=role, hours=hours
            )
        procedures.append(procedure)
    applicant = ds.Applicant(
        kind="individual",
        name="Trần Thị Bình",
        id_type="cccd",
        id_number="001090012345",
        phone="0912345678",
        email="",
        address="Số 2 Lê Lợi",
    )
    return SimpleNamespace(
        units=[ward, department],
        staff=staff,
        procedures=procedures,
        desk=Desk(applicant),
    )


@dataclass
class Track:
    """One dossier being played: its id and the moment of its last action."""

    pk: int
    now: datetime
    rated: bool = False
    apologised: bool = False
    done: bool = False
    log: list[str] = field(default_factory=list)


def _officer(world, dossier: Dossier):
    return world.staff[(dossier.receiving_unit_id, Role.ONE_STOP_OFFICER)]


def _leader(world, dossier: Dossier):
    return world.staff[(dossier.current_unit_id, Role.LEADER)]


def _choices(world, dossier: Dossier, track: Track, oracle_safe: bool) -> list[str]:
    """The actions the services allow now (``oracle_safe``: none of the cases whose meaning the
    oracle leaves open, see the module docstring of test_properties)."""
    status = dossier.status
    # Strictly before: a stop asked at the due time itself is the case of the xfail test below.
    before_due = dossier.due_at is not None and track.now < dossier.due_at
    if status == Status.SUBMITTED:
        return ["accept", "accept", "refuse_intake", "withdraw", "check_supplement", "idle"]
    if status == Status.SUPPLEMENT_REQUESTED and dossier.received_at is None:
        return ["complete_supplement", "withdraw", "idle"]
    if status in (Status.RECEIVED, Status.PROCESSING):
        options = ["forward", "forward", "hand_off", "approve", "approve", "refuse", "withdraw"]
        options += ["stop", "idle"]
        if dossier.extension_count == 0:  # once per dossier
            options.append("extend")
        if not track.apologised:
            options.append("apology")
        if dossier.supplement_count == 0 and (before_due or not oracle_safe):
            options += ["supplement", "supplement"]
        elif dossier.supplement_count >= 1 and not oracle_safe:
            options.append("supplement")  # the second one, by the leader: late by rule
        if status == Status.PROCESSING and (before_due or not oracle_safe):
            options += ["financial", "financial"]
        return options
    if status == Status.SUPPLEMENT_REQUESTED:
        return ["complete_supplement"] * 4 + ["withdraw", "stop", "idle"]
    if status == Status.FINANCIAL_OBLIGATION:
        return ["record_payment"] * 4 + ["withdraw", "stop", "idle"]
    if status == Status.RESOLVED:
        return ["return_result", "rate", "idle"] if not track.rated else ["return_result", "idle"]
    if status == Status.RETURNED and not track.rated:
        return ["rate", "idle"]
    return ["idle"]


def _act(world, dossier: Dossier, action: str, track: Track, draw) -> None:
    desk, pk, now = world.desk, dossier.pk, track.now
    officer, leader = _officer(world, dossier), _leader(world, dossier)
    if action == "accept":
        desk.do(now, "accept", pk, officer)
    elif action == "refuse_intake":
        desk.do(now, "refuse_intake", pk, officer, "Không thuộc thẩm quyền")
    elif action == "withdraw":
        desk.do(now, "withdraw", pk, officer, "Công dân xin rút hồ sơ")
    elif action == "check_supplement":
        desk.do(now, "request_supplement", pk, officer, "Tờ khai có chữ ký", "Chưa ký")
    elif action == "complete_supplement":
        actor = officer if dossier.received_at is None else leader
        desk.do(now, "complete_supplement", pk, actor)
    elif action == "forward":
        steps = list(dossier.procedure.workflow_steps.order_by("order", "id"))
        if dossier.current_step_id == steps[-1].pk:
            return
        desk.do(now, "forward", pk, leader)
    elif action == "hand_off":
        target = next(u for u in world.units if u.pk != dossier.current_unit_id)
        desk.do(
            now, "hand_off", pk, leader, target, draw(st.sampled_from([4, 8, 16])), "Liên thông"
        )
    elif action in ("approve", "refuse"):
        desk.resolve(now, pk, leader, refused=action == "refuse")
    elif action == "stop":
        desk.do(now, "stop", pk, leader, "Có tranh chấp")
    elif action == "extend":
        # to the close of a later working day, as a leader would set it
        engine = workdays.get_engine(dossier.receiving_unit)
        limit = TimeLimit(Rule.WORKING_DAYS, draw(st.integers(1, 10)))
        new_due = engine.due(_naive(dossier.due_at), limit).due.replace(tzinfo=VN)
        desk.do(now, "extend", pk, leader, new_due, "Cần xác minh thêm")
    elif action == "apology":
        with time_machine.travel(now, tick=False):
            suggestion = ds.suggested_apology(dossier)
            letter = ds.draft_apology(
                pk,
                leader,
                "Cần thêm thời gian",
                suggestion["new_appointment_at"],
                expected_version=seen(pk),
            )
            ds.approve_apology(letter.pk, leader, expected_version=letter_seen(letter.pk))
        track.apologised = True
    elif action == "supplement":
        desk.do(now, "request_supplement", pk, leader, "Bản sao CCCD", "Thiếu giấy tờ")
    elif action == "financial":
        desk.do(now, "request_financial_obligation", pk, leader, 300000)
    elif action == "record_payment":
        desk.do(now, "record_payment", pk, leader, paid_online=draw(st.booleans()))
    elif action == "return_result":
        desk.do(now, "return_result", pk, officer, "counter", "Trần Thị Bình")
    elif action == "rate":
        with time_machine.travel(now, tick=False):
            ds.rate(pk, draw(st.integers(1, 5)))
        track.rated = True
    else:  # pragma: no cover - every action above is handled
        raise AssertionError(action)


gaps = st.builds(
    lambda d, m: timedelta(days=d, minutes=m),
    st.integers(min_value=0, max_value=18),
    st.one_of(st.sampled_from([1, 30, 60]), st.integers(min_value=1, max_value=24 * 60)),
)


def play(world, data, oracle_safe: bool) -> list[Track]:
    """Receive 2–6 dossiers at random moments, then act on them in a random interleaving."""
    tracks: list[Track] = []
    for _ in range(data.draw(st.integers(min_value=2, max_value=6), label="dossiers")):
        moment = START + timedelta(
            days=data.draw(st.integers(0, 110)), minutes=data.draw(st.integers(0, 24 * 60 - 1))
        )
        unit = data.draw(st.sampled_from(world.units))
        officer = world.staff[(unit.pk, Role.ONE_STOP_OFFICER)]
        procedure = data.draw(st.sampled_from(world.procedures))
        channel = data.draw(st.sampled_from([Channel.COUNTER, Channel.POSTAL, Channel.ONLINE]))
        if channel == Channel.POSTAL and not procedure.channel_postal:
            channel = Channel.COUNTER
        if channel == Channel.ONLINE:
            dossier = world.desk.submit_online(moment, unit, procedure)
        else:
            dossier = world.desk.receive(moment, officer, unit, procedure, channel)
        tracks.append(Track(dossier.pk, moment))
    for _ in range(data.draw(st.integers(min_value=6, max_value=40), label="actions")):
        active = [t for t in tracks if not t.done]
        if not active:
            break
        track = data.draw(st.sampled_from(active))
        dossier = Dossier.objects.select_related("procedure").get(pk=track.pk)
        track.now += data.draw(gaps)  # the moment of the next action, before choosing it
        action = data.draw(st.sampled_from(_choices(world, dossier, track, oracle_safe)))
        if action == "idle":
            track.done = True  # left as it is from now on
            continue
        event(action)  # shown by --hypothesis-show-statistics
        track.log.append(f"{track.now:%d/%m %H:%M} {action}")
        _act(world, dossier, action, track, data.draw)
    return tracks


@contextmanager
def own_world():
    """One example's units, users and dossiers, in a savepoint rolled back at its end."""
    with transaction.atomic():
        try:
            yield make_world()
        finally:
            transaction.set_rollback(True)


# -- oracle input: the dossiers' raw times, read without the statistics code ----------------------
def _naive(moment):
    return None if moment is None else moment.astimezone(VN).replace(tzinfo=None)


def raw_facts(dossiers) -> list[Facts]:
    items = []
    for dossier in dossiers.prefetch_related("pauses"):
        items.append(
            Facts(
                status=dossier.status,
                channel=dossier.channel,
                received_at=_naive(dossier.received_at),
                due_at=_naive(dossier.due_at),
                resolved_at=_naive(dossier.resolved_at),
                closed_at=_naive(dossier.closed_at),
                outcome=dossier.outcome,
                online_full=dossier.online_mode == "full",
                late_by_rule=dossier.late_by_rule,
                pauses=tuple(
                    Pause(p.kind, _naive(p.started_at), _naive(p.ended_at))
                    for p in dossier.pauses.all()
                ),
            )
        )
    return items


def report_days(data) -> tuple[date, date]:
    day = st.dates(min_value=date(2025, 11, 10), max_value=date(2026, 7, 31))
    a, b = data.draw(day, label="from"), data.draw(day, label="to")
    return min(a, b), max(a, b)


# -- properties ----------------------------------------------------------------------------------
@HYPOTHESIS
@given(data=st.data())
def test_counters_kept_by_every_action_equal_a_full_recomputation(db, data):
    with own_world() as world:
        tracks = play(world, data, oracle_safe=False)
        differences = services.verify()
        assert differences == [], ([str(d) for d in differences[:10]], [t.log for t in tracks])


@HYPOTHESIS
@given(data=st.data())
def test_reports_over_random_periods_equal_the_naive_classification(db, data):
    with own_world() as world:
        tracks = play(world, data, oracle_safe=True)
        assert services.verify() == []
        check_reports(world, data, tracks)


def check_reports(world, data, tracks) -> None:
    ward = world.units[0]
    everything = raw_facts(Dossier.objects.all())
    wards = raw_facts(Dossier.objects.filter(receiving_unit=ward))
    for _ in range(3):
        start, end = report_days(data)
        context = (start, end, [t.log for t in tracks])
        whole = build_report(ReportRequest(start=start, end=end, by="unit"))
        got = {key: whole.total[key] for key in ORACLE_KEYS}
        assert got == oracle_counts(everything, start, end), context
        assert whole.findings == []
        ward_report = build_report(ReportRequest(start=start, end=end, unit=ward))
        got = {key: ward_report.total[key] for key in ORACLE_KEYS}
        assert got == oracle_counts(wards, start, end), context
        group_sums = {k: sum(g["totals"][k] for g in whole.groups) for k in REPORT_KEYS}
        assert group_sums == {k: whole.total[k] for k in REPORT_KEYS}
        req = ReportRequest(start=start, end=end)
        for key in REPORT_KEYS:
            assert drill(req, key).count() == whole.total[key], (key, *context)


# -- reports of past periods ---------------------------------------------------------------------
def test_a_second_period_report_sees_the_first_ones_stock_carried_over(
    desk, officer, processor, leader, unit, procedure
):
    """Paused across the end of January: counted waiting at the end of January (computed then),
    carried over into February, and January does not change when February is played."""
    dossier = desk.receive(at(2026, 1, 26), officer, unit, procedure)
    desk.do(at(2026, 1, 26, 10), "forward", dossier.pk, officer)
    desk.do(at(2026, 1, 29), "request_supplement", dossier.pk, processor, "Ảnh", "Thiếu ảnh")
    january = ReportRequest(start=date(2026, 1, 1), end=date(2026, 1, 31), unit=unit)
    february = ReportRequest(start=date(2026, 2, 1), end=date(2026, 2, 28), unit=unit)
    at_the_time = build_report(january).to_dict()["total"]
    assert (at_the_time["in_progress"], at_the_time["waiting_supplement"]) == (1, 1)
    assert at_the_time["in_progress_late"] == 0
    desk.do(at(2026, 2, 10), "complete_supplement", dossier.pk, officer)
    desk.resolve(at(2026, 2, 11), dossier.pk, leader)
    assert build_report(january).to_dict()["total"] == at_the_time
    feb = build_report(february).total
    assert (feb["carried_over"], feb["received"], feb["in_progress"]) == (1, 0, 0)
    assert feb["resolved"] == 1 and feb["waiting_supplement"] == 0
    assert services.verify() == []


@pytest.mark.parametrize("closing", ["withdraw", "stop"])
def test_closed_while_waiting_since_before_its_due_time_was_never_overdue(
    desk, officer, processor, leader, unit, procedure, closing
):
    dossier = desk.receive(at(2026, 3, 2), officer, unit, procedure)  # due 09/03 17:00
    desk.do(at(2026, 3, 2, 10), "forward", dossier.pk, officer)
    desk.do(at(2026, 3, 5), "request_supplement", dossier.pk, processor, "Ảnh", "Thiếu ảnh")
    window = ReportRequest(start=date(2026, 3, 1), end=date(2026, 3, 15), unit=unit)
    at_the_time = build_report(window).to_dict()["total"]
    assert at_the_time["in_progress_late"] == 0 and at_the_time["waiting_supplement"] == 1
    actor = officer if closing == "withdraw" else leader
    desk.do(at(2026, 3, 20), closing, dossier.pk, actor, "Lý do")
    assert build_report(window).to_dict()["total"] == at_the_time
    assert services.verify() == []


def test_a_second_supplement_request_does_not_rewrite_an_earlier_period(
    desk, officer, processor, leader, unit, procedure
):
    """Received 26/01 (due 02/02 17:00), first supplement 27/01–28/01, so at the end of January
    it is open, running and within its time. On 02/02 the leader asks a second supplement
    (NĐ 118/2025 Art. 11: late by rule). January was closed by then: not overdue at its end."""
    dossier = desk.receive(at(2026, 1, 26), officer, unit, procedure)
    desk.do(at(2026, 1, 26, 10), "forward", dossier.pk, officer)
    desk.do(at(2026, 1, 27), "request_supplement", dossier.pk, processor, "Ảnh", "Thiếu ảnh")
    desk.do(at(2026, 1, 28), "complete_supplement", dossier.pk, officer)
    january = ReportRequest(start=date(2026, 1, 1), end=date(2026, 1, 31), unit=unit)
    at_the_time = build_report(january).to_dict()["total"]
    assert (at_the_time["in_progress"], at_the_time["in_progress_late"]) == (1, 0)
    desk.do(at(2026, 2, 2), "request_supplement", dossier.pk, leader, "Bản chính", "Sai tên")
    assert Dossier.objects.get(pk=dossier.pk).late_by_rule
    assert build_report(january).to_dict()["total"]["in_progress_late"] == 0


def test_stopped_at_its_due_time_and_answered_on_a_saturday_was_not_overdue_while_waiting(
    desk, officer, processor, unit, procedure
):
    """Received Mon 02/03 09:00, due Mon 09/03 17:00; supplement asked at 17:00 sharp on the due
    day (the clock stops with nothing left), answered Sat 14/03. ``_close_pause`` moves the due
    time by the stop's working minutes, to Fri 13/03 17:00 — before the answer. At the end of
    Friday 13/03 the dossier was waiting for the applicant, its clock stopped since its due time:
    not overdue (contribution.py docstring; the engine itself treats a stop that starts at the
    due time as "before" it, ``p.start <= facts.due_at``)."""
    dossier = desk.receive(at(2026, 3, 2), officer, unit, procedure)
    desk.do(at(2026, 3, 2, 10), "forward", dossier.pk, officer)
    desk.do(at(2026, 3, 9, 17), "request_supplement", dossier.pk, processor, "Ảnh", "Thiếu ảnh")
    window = ReportRequest(start=date(2026, 3, 1), end=date(2026, 3, 13), unit=unit)
    at_the_time = build_report(window).to_dict()["total"]
    assert (at_the_time["waiting_supplement"], at_the_time["in_progress_late"]) == (1, 0)
    desk.do(at(2026, 3, 14, 10), "complete_supplement", dossier.pk, officer)
    assert Dossier.objects.get(pk=dossier.pk).due_at == at(2026, 3, 13, 17)
    assert build_report(window).to_dict()["total"]["in_progress_late"] == 0
