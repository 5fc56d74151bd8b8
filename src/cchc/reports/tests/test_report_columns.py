"""Every column of the period report on a history played through the dossier services.

The counters under test are the ones kept by each action's transaction (``append_event`` →
``refresh_dossier_stats``); nothing is rebuilt. One dossier per case, 2026 (procedure P: 5
working days; Q: 3 working days):

====  ==============================================================  ===========================
case  history                                                          March report (the ward)
====  ==============================================================  ===========================
A     P, received 25/02, resolved 03/03 (due 04/03)                    carried_over, early
B     P, received 02/03, resolved exactly at its due time 09/03 17:00  received, on time
C     Q by post, received 02/03, resolved 05/03 17:01 (due 17:00)      received_postal, late
D     P online, accepted 03/03, resolved 09/03 (due 10/03)             received_online, early
E     P, received 04/03, withdrawn 05/03                               withdrawn
F     Q, received 09/03, stopped 12/03                                 stopped
G     P, received 10/03, refused 13/03, result handed over 16/03       returned
H     P, received 02/03 (due 09/03), still open                        in progress, overdue
I     P, received 16/03 (due 23/03), supplement asked 20/03            in progress, waiting for a
      → answered 06/04 in April                                        supplement, not overdue
J     P, received 25/03, handed to the department 26/03 (liên thông)   in progress (the ward only)
K     P, received 23/03 (due 30/03), fee asked 27/03 → paid 02/04       in progress, waiting fee
L     P, the department's own dossier, received 11/03, resolved 12/03  the department only
M     P online, submitted 20/03, never accepted                        nowhere
N     P, received 02/04 (April)                                        nowhere
====  ==============================================================  ===========================

April: H resolved late 03/04, I resolved a day before its new due time, J resolved by the
department on its due day 01/04 (on time), K paid 02/04 and still open (overdue at the end of
April), N still open and overdue.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db.models import F

from cchc.dossiers.models import Channel, Dossier, Status
from cchc.reports import services
from cchc.reports.models import ALL_PROCEDURES, Grain, StatCell
from cchc.reports.selectors import REPORT_KEYS, ReportRequest, build_report, drill

from .conftest import at

pytestmark = pytest.mark.django_db

MARCH = (date(2026, 3, 1), date(2026, 3, 31))
APRIL = (date(2026, 4, 1), date(2026, 4, 30))
RATE_NAMES = {
    "on_time",
    "late",
    "resolved_in_time",
    "resolution",
    "online",
    "online_full",
    "online_of_total",
}


@pytest.fixture
def staff(officer, processor, leader, dept_officer, dept_leader):
    return SimpleNamespace(
        officer=officer,
        processor=processor,
        leader=leader,
        dept_officer=dept_officer,
        dept_leader=dept_leader,
    )


def _march(desk, staff, ward, department, p, q) -> dict[str, Dossier]:
    o, pr, ld = staff.officer, staff.processor, staff.leader
    d: dict[str, Dossier] = {}
    d["A"] = desk.receive(at(2026, 2, 25), o, ward, p)
    desk.resolve(at(2026, 3, 3, 10), d["A"].pk, ld)

    d["B"] = desk.receive(at(2026, 3, 2), o, ward, p)
    assert d["B"].due_at == at(2026, 3, 9, 17)
    desk.do(at(2026, 3, 3), "forward", d["B"].pk, o)
    desk.do(at(2026, 3, 6), "forward", d["B"].pk, pr)
    desk.resolve(d["B"].due_at, d["B"].pk, ld)  # exactly at the due time

    d["C"] = desk.receive(at(2026, 3, 2, 10), o, ward, q, Channel.POSTAL)
    assert d["C"].due_at == at(2026, 3, 5, 17)
    desk.resolve(d["C"].due_at + timedelta(minutes=1), d["C"].pk, ld)  # one minute late

    d["D"] = desk.receive(at(2026, 3, 3), o, ward, p, Channel.ONLINE)
    assert d["D"].due_at == at(2026, 3, 10, 17)
    desk.resolve(d["D"].due_at - timedelta(days=1), d["D"].pk, ld)  # a day early

    d["E"] = desk.receive(at(2026, 3, 4), o, ward, p)
    desk.do(at(2026, 3, 5), "withdraw", d["E"].pk, o, "Công dân xin rút hồ sơ")

    d["F"] = desk.receive(at(2026, 3, 9), o, ward, q)
    desk.do(at(2026, 3, 12), "stop", d["F"].pk, ld, "Có tranh chấp")

    d["G"] = desk.receive(at(2026, 3, 10), o, ward, p)
    desk.resolve(at(2026, 3, 13), d["G"].pk, ld, refused=True)
    desk.do(at(2026, 3, 16), "return_result", d["G"].pk, o, "counter", "Nguyễn Văn An")

    d["H"] = desk.receive(at(2026, 3, 2, 14), o, ward, p)
    assert d["H"].due_at == at(2026, 3, 9, 17)
    desk.do(at(2026, 3, 3), "forward", d["H"].pk, o)

    d["I"] = desk.receive(at(2026, 3, 16), o, ward, p)
    assert d["I"].due_at == at(2026, 3, 23, 17)
    desk.do(at(2026, 3, 16, 10), "forward", d["I"].pk, o)
    desk.do(at(2026, 3, 20), "request_supplement", d["I"].pk, pr, "Bản sao CCCD", "Thiếu giấy")

    d["J"] = desk.receive(at(2026, 3, 25), o, ward, p)
    desk.do(at(2026, 3, 25, 10), "forward", d["J"].pk, o)
    desk.do(at(2026, 3, 26), "hand_off", d["J"].pk, pr, department, 8, "Xin ý kiến Sở")

    d["K"] = desk.receive(at(2026, 3, 23), o, ward, p)
    assert d["K"].due_at == at(2026, 3, 30, 17)
    desk.do(at(2026, 3, 23, 10), "forward", d["K"].pk, o)
    desk.do(at(2026, 3, 27), "request_financial_obligation", d["K"].pk, pr, 500000)

    p.implementing_units.add(department)  # the department handles it too (its own dossier L)
    d["L"] = desk.receive(at(2026, 3, 11), staff.dept_officer, department, p)
    desk.resolve(at(2026, 3, 12), d["L"].pk, staff.dept_leader)

    d["M"] = desk.submit_online(at(2026, 3, 20), ward, p)
    return {key: Dossier.objects.get(pk=dossier.pk) for key, dossier in d.items()}


def _april(desk, staff, ward, p, d: dict[str, Dossier]) -> None:
    o, pr, ld = staff.officer, staff.processor, staff.leader
    desk.resolve(at(2026, 4, 3), d["H"].pk, ld)
    desk.do(at(2026, 4, 6), "complete_supplement", d["I"].pk, o)
    new_due = Dossier.objects.get(pk=d["I"].pk).due_at
    assert new_due > d["I"].due_at + timedelta(days=7)  # the stop moved the due time
    desk.resolve(new_due - timedelta(days=1), d["I"].pk, ld)
    desk.resolve(at(2026, 4, 1, 10), d["J"].pk, staff.dept_leader)
    desk.do(at(2026, 4, 2), "record_payment", d["K"].pk, pr, paid_online=True)
    d["N"] = desk.receive(at(2026, 4, 2), o, ward, p)


@pytest.fixture
def history(desk, staff, unit, other_unit, procedure, postal_procedure):
    dossiers = _march(desk, staff, unit, other_unit, procedure, postal_procedure)
    return SimpleNamespace(
        dossiers=dossiers,
        play_april=lambda: _april(desk, staff, unit, procedure, dossiers),
    )


def report(start, end, unit=None, by=None):
    return build_report(ReportRequest(start=start, end=end, unit=unit, by=by)).to_dict()


def counts(total: dict) -> dict:
    return {key: value for key, value in total.items() if key not in ("rates", "due")}


def due(total: dict) -> dict:
    block = total["due"]
    return {
        **{key: value for key, value in block.items() if key != "rates"},
        "rates": {name: (r["numerator"], r["denominator"]) for name, r in block["rates"].items()},
    }


def rates(total: dict) -> dict:
    return {name: (r["numerator"], r["denominator"]) for name, r in total["rates"].items()}


WARD_MARCH = {
    "to_process": 11,
    "carried_over": 1,
    "received": 10,
    "received_online": 1,
    "received_counter": 8,
    "received_postal": 1,
    "received_online_full": 1,
    "resolved": 4,
    "resolved_early": 2,
    "resolved_on_time": 1,
    "resolved_late": 1,
    "resolved_in_time": 3,
    "in_progress": 4,
    "in_progress_on_time": 3,
    "in_progress_late": 1,
    "carried_forward": 4,
    "late_total": 2,
    "waiting_supplement": 1,
    "waiting_financial": 1,
    "stopped": 1,
    "returned": 1,
    "withdrawn": 1,
    "apology_sent": 0,
    "closed_without_receipt": 0,
    "closed_without_end_time": 0,
    "unplaced": 0,
}
WARD_MARCH_RATES = {
    "on_time": (9, 11),
    "late": (2, 11),
    "resolved_in_time": (3, 4),
    "resolution": (4, 11),
    "online": (1, 10),
    "online_full": (1, 10),
    "online_of_total": (1, 11),
}
# Which dossiers are behind each number of the ward's March report.
WARD_MARCH_DOSSIERS = {
    "to_process": "ABCDEFGHIJK",
    "carried_over": "A",
    "received": "BCDEFGHIJK",
    "received_online": "D",
    "received_counter": "BEFGHIJK",
    "received_postal": "C",
    "resolved": "ABCD",
    "resolved_early": "AD",
    "resolved_on_time": "B",
    "resolved_late": "C",
    "in_progress": "HIJK",
    "in_progress_on_time": "IJK",
    "in_progress_late": "H",
    "late_total": "CH",
    "waiting_supplement": "I",
    "waiting_financial": "K",
    "stopped": "F",
    "returned": "G",
    "withdrawn": "E",
}


def test_every_column_of_the_wards_march_report(history, unit):
    data = report(*MARCH, unit=unit)
    assert counts(data["total"]) == WARD_MARCH
    assert set(data["total"]["rates"]) == RATE_NAMES
    assert rates(data["total"]) == WARD_MARCH_RATES
    assert data["total"]["rates"]["on_time"]["percent"] == 81.82
    assert data["findings"] == []
    assert data["unit"] == {"code": unit.code, "name": unit.name}
    assert (data["from"], data["to"]) == ("2026-03-01", "2026-03-31")


@pytest.mark.parametrize("column", sorted(WARD_MARCH_DOSSIERS))
def test_each_number_is_made_of_the_expected_dossiers(history, unit, column):
    codes = {history.dossiers[key].code for key in WARD_MARCH_DOSSIERS[column]}
    req = ReportRequest(start=MARCH[0], end=MARCH[1], unit=unit)
    assert set(drill(req, column).values_list("code", flat=True)) == codes
    assert build_report(req).total[column] == len(codes)


def test_whole_tree_adds_the_departments_own_dossier_once(history, unit, other_unit):
    whole = counts(report(*MARCH)["total"])
    department = counts(report(*MARCH, unit=other_unit)["total"])
    assert department["received"] == department["to_process"] == 1  # L only, not J
    assert (department["resolved_early"], department["in_progress"]) == (1, 0)
    for key in REPORT_KEYS:
        assert whole[key] == WARD_MARCH[key] + department[key], key


def test_the_province_is_its_whole_subtree(history, unit):
    province = unit.parent
    assert report(*MARCH, unit=province)["total"] == report(*MARCH)["total"]


@pytest.mark.parametrize("by", ["field", "procedure", "unit"])
def test_drill_down_of_each_group_lists_its_numbers(history, by):
    req = ReportRequest(start=MARCH[0], end=MARCH[1], by=by)
    built = build_report(req)
    assert len(built.groups) == 2
    for group in built.groups:
        for column in REPORT_KEYS:
            listed = drill(req, column, group_key=group["key"]).count()
            assert listed == group["totals"][column], (group["name"], column)


def test_handed_off_dossier_counts_once_for_the_receiving_unit(history, unit, other_unit):
    j = history.dossiers["J"]
    assert j.current_unit == other_unit and j.receiving_unit == unit
    groups = {g["code"]: g for g in report(*MARCH, by="unit")["groups"]}
    assert set(groups) == {unit.code, other_unit.code}
    assert groups[unit.code]["in_progress"] == 4 and groups[other_unit.code]["in_progress"] == 0
    req = ReportRequest(start=MARCH[0], end=MARCH[1], by="unit")
    assert j in drill(req, "in_progress", group_key=unit.pk)
    assert j not in drill(req, "to_process", group_key=other_unit.pk)


def test_paused_dossier_across_the_end_of_march(history, unit):
    history.play_april()
    i = history.dossiers["I"]
    req = ReportRequest(start=MARCH[0], end=MARCH[1], unit=unit)
    assert i in drill(req, "waiting_supplement") and i in drill(req, "in_progress_on_time")
    assert i not in drill(req, "in_progress_late")
    april = ReportRequest(start=APRIL[0], end=APRIL[1], unit=unit)
    assert i in drill(april, "carried_over") and i in drill(april, "resolved_early")
    assert i not in drill(april, "waiting_supplement")


def test_march_does_not_change_when_april_is_played(history, unit):
    before = report(*MARCH, unit=unit)
    history.play_april()
    after = report(*MARCH, unit=unit)
    assert after["total"] == before["total"]
    assert counts(after["total"]) == WARD_MARCH


def test_every_column_of_the_wards_april_report(history, unit):
    history.play_april()
    data = report(*APRIL, unit=unit)
    assert counts(data["total"]) == {
        "to_process": 5,
        "carried_over": 4,
        "received": 1,
        "received_online": 0,
        "received_counter": 1,
        "received_postal": 0,
        "received_online_full": 0,
        "resolved": 3,
        "resolved_early": 1,  # I, a day before its moved due time
        "resolved_on_time": 1,  # J, by the department on its due day
        "resolved_late": 1,  # H
        "resolved_in_time": 2,
        "in_progress": 2,  # K and N
        "in_progress_on_time": 0,
        "in_progress_late": 2,
        "carried_forward": 2,
        "late_total": 3,
        "waiting_supplement": 0,
        "waiting_financial": 0,
        "stopped": 0,
        "returned": 0,
        "withdrawn": 0,
        "apology_sent": 0,
        "closed_without_receipt": 0,
        "closed_without_end_time": 0,
        "unplaced": 0,
    }
    assert rates(data["total"]) == {
        "on_time": (2, 5),
        "late": (3, 5),
        "resolved_in_time": (2, 3),
        "resolution": (3, 5),
        "online": (0, 1),
        "online_full": (0, 1),
        "online_of_total": (0, 5),
    }
    assert data["findings"] == []
    assert services.verify() == []


def test_a_unit_with_nothing_gives_rates_without_value(history, other_unit):
    history.play_april()
    data = report(*APRIL, unit=other_unit)  # the department had nothing open or received
    assert all(value == 0 for value in counts(data["total"]).values())
    assert all(value == 0 for key, value in data["total"]["due"].items() if key != "rates")
    for name, rate in [*data["total"]["rates"].items(), *data["total"]["due"]["rates"].items()]:
        assert (rate["numerator"], rate["denominator"]) == (0, 0), name
        assert rate["value"] is None and rate["percent"] is None
    assert data["findings"] == []


def test_online_submission_never_accepted_counts_nowhere(history):
    m = history.dossiers["M"]
    assert m.status == Status.SUBMITTED
    assert not hasattr(m, "stat") or m.stat.cells == []
    req = ReportRequest(start=MARCH[0], end=MARCH[1])
    assert not drill(req, "to_process").filter(pk=m.pk).exists()


def test_counters_kept_by_the_actions_equal_a_recomputation(history):
    assert services.verify() == []
    history.play_april()
    assert services.verify() == []
    month_rows = StatCell.objects.filter(grain=Grain.MONTH, procedure_id=ALL_PROCEDURES)
    assert sum(month_rows.values_list("received", flat=True)) == 13  # A–L and N, not M


def test_median_working_days_of_the_results_signed_in_march(history, unit, other_unit):
    """Office time (07:30–11:30, 13:00–17:00: 480 minutes a day) from the clock start to the
    signature, for A (25/02 09:00 → 03/03 10:00: 1980 min, 4.125 days), B (02/03 09:00 → 09/03
    17:00: 2790 min, 5.81), C (02/03 10:00 → 05/03 17:01: 1770 min, 3.69) and D (03/03 09:00 →
    09/03 17:00: 2310 min, 4.81); G was refused (no time counted). Median of four: (4.12 or 4.13
    + 4.81) / 2."""
    from cchc.reports.selectors import median_working_days

    assert median_working_days([unit.pk], *MARCH) == pytest.approx(4.465, abs=0.006)
    assert median_working_days([other_unit.pk], *MARCH) == 1.0  # L: 11/03 09:00 → 12/03 09:00
    assert median_working_days([unit.pk], date(2025, 1, 1), date(2025, 1, 31)) is None


@pytest.mark.parametrize("by", ["procedure", "field"])
def test_a_procedure_or_field_filter_equals_its_group(history, postal_procedure, by):
    grouped = build_report(ReportRequest(start=MARCH[0], end=MARCH[1], by=by))
    key = postal_procedure.pk if by == "procedure" else postal_procedure.field_id
    [group] = [g for g in grouped.groups if g["key"] == key]
    filters = {"procedure_id": key} if by == "procedure" else {"field_id": key}
    alone = build_report(ReportRequest(start=MARCH[0], end=MARCH[1], **filters))
    assert alone.total.counts == group["totals"].counts
    assert (alone.total["received"], alone.total["received_postal"], alone.total["stopped"]) == (
        2,
        1,
        1,
    )  # C by post, F stopped


def test_day_boundaries_are_local(desk, officer, leader, unit, procedure):
    """23:30 on 31 March in Hà Nội is 16:30 UTC: received in March; signed at 00:10 on 1 April
    (17:10 UTC on 31 March): resolved in April."""
    late_evening = desk.receive(at(2026, 3, 31, 23, 30), officer, unit, procedure)
    desk.resolve(at(2026, 4, 1, 0, 10), late_evening.pk, leader)
    march = build_report(ReportRequest(start=MARCH[0], end=MARCH[1], unit=unit)).total
    april = build_report(ReportRequest(start=APRIL[0], end=APRIL[1], unit=unit)).total
    assert (march["received"], march["in_progress"], march["resolved"]) == (1, 1, 0)
    assert (april["carried_over"], april["resolved_early"], april["in_progress"]) == (1, 1, 0)


# -- consistency findings --------------------------------------------------------------------------
def test_consistent_data_has_no_findings(history):
    for start, end in (MARCH, APRIL, (date(2026, 3, 10), date(2026, 4, 5))):
        for by in (None, "unit", "procedure", "field"):
            assert report(start, end, by=by)["findings"] == []


def test_result_status_without_result_time_is_a_finding_naming_the_dossier(history, unit):
    b = history.dossiers["B"]
    Dossier.objects.filter(pk=b.pk).update(status=Status.RETURNED, resolved_at=None)
    services.rebuild()
    data = report(*MARCH, unit=unit)
    assert data["total"]["resolved"] == 3 and data["total"]["to_process"] == 11
    assert data["total"]["closed_without_end_time"] == 1
    # B is to process but in no closing column: its own identity says so; and B, due on 09/03,
    # cannot be placed in the due basis either
    finding, due_finding = data["findings"]
    assert finding["identity"] == "closed_without_end_time = 0"
    assert (finding["left"], finding["right"], finding["gap"]) == (1, 0, 1)
    assert finding["dossiers"] == [b.code]
    assert finding["group"] is None
    assert due_finding["identity"].startswith("due.due_in_period =")
    assert (due_finding["left"], due_finding["right"]) == (8, 7)
    assert due_finding["dossiers"] == [b.code]
    # grouped by unit, the ward's row fails the same identities
    grouped = report(*MARCH, by="unit")["findings"]
    assert {(f["group"] or {}).get("code") for f in grouped} == {None, unit.code}
    assert all(f["dossiers"] == [b.code] for f in grouped)


def test_unknown_channel_is_a_finding_naming_the_dossier(history, unit):
    e = history.dossiers["E"]
    Dossier.objects.filter(pk=e.pk).update(channel=9)
    services.rebuild()
    data = report(*MARCH, unit=unit)
    [finding] = data["findings"]
    assert finding["identity"] == "received = received_online + received_counter + received_postal"
    assert (finding["left"], finding["right"], finding["gap"]) == (10, 9, 1)
    assert finding["anomalies"] == ["unknown_channel"]
    assert finding["dossiers"] == [e.code]


def test_tampered_counter_is_seen_by_verify_and_repaired_by_rebuild(history, unit):
    StatCell.objects.filter(grain=Grain.MONTH, period=date(2026, 3, 1), unit_id=unit.pk).update(
        received=F("received") + 1
    )
    differences = services.verify()
    assert {(d.key[0], d.column, d.stored - d.expected) for d in differences} == {
        ("M", "received", 1)
    }
    assert len(differences) == 3  # procedures P and Q, and "all procedures"
    services.rebuild()
    assert services.verify() == []
    assert counts(report(*MARCH, unit=unit)["total"]) == WARD_MARCH


def test_withdrawn_before_acceptance_counts_nowhere(history, desk, staff, unit):
    m = history.dossiers["M"]
    desk.do(at(2026, 3, 23), "withdraw", m.pk, staff.officer, "Công dân xin rút hồ sơ")
    data = report(*MARCH, unit=unit)
    assert data["total"]["withdrawn"] == 1  # E only
    assert data["findings"] == []


def test_working_days_leave_out_a_stop_asked_before_the_clock_started(
    desk, officer, leader, unit, procedure
):
    """Received Fri 06/03 17:30, after office hours: the clock starts Mon 09/03 07:30. The
    supplement is asked at 17:45 the same evening and answered Wed 11/03 07:30; the result is
    signed Wed 11/03 17:00. Office time with the clock running: Wednesday only, 1.00 working
    day (the due time was moved by the two stopped days, 09–10/03, so it agrees)."""
    dossier = desk.receive(at(2026, 3, 6, 17, 30), officer, unit, procedure)
    desk.do(at(2026, 3, 6, 17, 45), "request_supplement", dossier.pk, officer, "Ảnh", "Thiếu ảnh")
    desk.do(at(2026, 3, 11, 7, 30), "complete_supplement", dossier.pk, officer)
    desk.resolve(at(2026, 3, 11, 17), dossier.pk, leader)
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.effective_received_at == at(2026, 3, 9, 7, 30)
    assert dossier.due_at == at(2026, 3, 18, 17)  # 5 working days + the 2 stopped ones
    assert dossier.stat.working_days == Decimal("1.00")


@pytest.mark.parametrize("by", ["unit", "procedure"])
def test_a_groups_finding_names_only_the_dossiers_of_that_group(
    history, unit, other_unit, postal_procedure, by
):
    """B (the ward, procedure P) and C (the ward, procedure Q by post) and L (the department, P)
    are each made 'resolved without a result time'; every row's finding names its own."""
    d = history.dossiers
    broken = [d["B"], d["C"], d["L"]]
    Dossier.objects.filter(pk__in=[x.pk for x in broken]).update(
        status=Status.RETURNED, resolved_at=None
    )
    services.rebuild()
    findings = report(*MARCH, by=by)["findings"]
    by_group = {(f["group"] or {}).get("code"): f for f in findings}
    assert by_group[None]["gap"] == 3
    assert by_group[None]["dossiers"] == sorted(x.code for x in broken)
    if by == "unit":
        expected = {unit.code: [d["B"].code, d["C"].code], other_unit.code: [d["L"].code]}
    else:
        p_code, q_code = d["B"].procedure.code, postal_procedure.code
        expected = {p_code: sorted([d["B"].code, d["L"].code]), q_code: [d["C"].code]}
    for code, dossiers in expected.items():
        assert by_group[code]["gap"] == len(dossiers)
        assert by_group[code]["dossiers"] == dossiers, code


# -- the "due in the period" basis (đến hạn giải quyết) -------------------------------------------
# March: A (due 04/03), B, D, E, F, G ended by their due time; C was signed a minute late; H is
# still open after its due day. I waits for a supplement since before its due time (no due day
# yet), J and K are due in April. E (withdrawn), F (stopped) and G (refused) are the part returned
# or withdrawn, a share of the same denominator.
WARD_MARCH_DUE = {
    "due_in_period": 8,
    "resolved_in_time": 6,
    "resolved_late": 1,
    "overdue_unresolved": 1,
    "returned_or_withdrawn": 3,
    "rates": {
        "resolved_in_time": (6, 8),
        "late": (2, 8),
        "resolved_late": (1, 8),
        "overdue_unresolved": (1, 8),
        "returned_or_withdrawn": (3, 8),
    },
}
WARD_MARCH_DUE_DOSSIERS = {
    "due_in_period": "ABCDEFGH",
    "due_resolved_in_time": "ABDEFG",
    "due_resolved_late": "C",
    "due_overdue_unresolved": "H",
    "due_returned_or_withdrawn": "EFG",
}


def test_due_basis_of_the_wards_march_report(history, unit):
    data = report(*MARCH, unit=unit)
    assert due(data["total"]) == WARD_MARCH_DUE
    block = data["total"]["due"]
    assert set(block) == {
        "due_in_period",
        "resolved_in_time",
        "resolved_late",
        "overdue_unresolved",
        "returned_or_withdrawn",
        "rates",
    }
    assert block["rates"]["resolved_in_time"]["percent"] == 75.0
    assert block["rates"]["returned_or_withdrawn"]["percent"] == 37.5
    req = ReportRequest(start=MARCH[0], end=MARCH[1], unit=unit)
    for column, letters in WARD_MARCH_DUE_DOSSIERS.items():
        codes = {history.dossiers[key].code for key in letters}
        assert set(drill(req, column).values_list("code", flat=True)) == codes, column


def test_due_basis_judges_at_the_period_end_and_april_does_not_rewrite_march(history, unit):
    """H, still open at the end of March, is "overdue, not resolved" in March even after it is
    resolved (late) in April; April's own due dossiers are I (new due time after the supplement),
    J (resolved on its due day by the department), K and N (open and overdue)."""
    history.play_april()
    assert due(report(*MARCH, unit=unit)["total"]) == WARD_MARCH_DUE
    april = due(report(*APRIL, unit=unit)["total"])
    assert april == {
        "due_in_period": 4,
        "resolved_in_time": 2,
        "resolved_late": 0,
        "overdue_unresolved": 2,
        "returned_or_withdrawn": 0,
        "rates": {
            "resolved_in_time": (2, 4),
            "late": (2, 4),
            "resolved_late": (0, 4),
            "overdue_unresolved": (2, 4),
            "returned_or_withdrawn": (0, 4),
        },
    }
    # March and April together: H is resolved late (with C) by the end of that period
    both = due(report(MARCH[0], APRIL[1], unit=unit)["total"])
    assert (both["due_in_period"], both["resolved_late"], both["overdue_unresolved"]) == (12, 2, 2)
    assert services.verify() == []


@pytest.mark.parametrize("by", ["unit", "procedure", "field"])
def test_due_basis_of_each_group_adds_up_to_the_total(history, by):
    built = build_report(ReportRequest(start=MARCH[0], end=MARCH[1], by=by)).to_dict()
    for key in ("due_in_period", "resolved_in_time", "resolved_late", "overdue_unresolved"):
        assert sum(g["due"][key] for g in built["groups"]) == built["total"]["due"][key], key
    assert built["findings"] == []


def test_online_share_over_all_dossiers_to_process(history, unit):
    """(5.1) / (3): the one online dossier over the 11 to process (carried over included), beside
    (5.1) / (5) over the 10 received."""
    rates_ = report(*MARCH, unit=unit)["total"]["rates"]
    assert (rates_["online_of_total"]["numerator"], rates_["online_of_total"]["denominator"]) == (
        1,
        11,
    )
    assert rates_["online_of_total"]["percent"] == 9.09
    assert rates_["online_of_total"]["definition"] == "received_online / to_process"
    assert (rates_["online"]["numerator"], rates_["online"]["denominator"]) == (1, 10)


def test_open_dossier_without_receipt_time_is_counted_apart_in_every_period(history, unit):
    """An open dossier with no receipt time fits no period: it is counted in ``unplaced`` in
    every report of its scope, and its identity names it."""
    h = history.dossiers["H"]
    Dossier.objects.filter(pk=h.pk).update(received_at=None)
    services.rebuild()
    for period in (MARCH, APRIL, (date(2025, 1, 1), date(2025, 12, 31))):
        data = report(*period, unit=unit)
        assert data["total"]["unplaced"] == 1, period
        finding = next(f for f in data["findings"] if f["identity"] == "unplaced = 0")
        assert finding["left"] == 1 and finding["dossiers"] == [h.code]
    assert services.verify() == []
