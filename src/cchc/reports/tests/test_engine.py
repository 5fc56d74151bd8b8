"""The pure statistics engine on hand-built facts: what one dossier adds to the day counters, and
the period report computed from those counters (onestop.md §1.8, index766.md §2.4).

Times are local and naive, as ``Facts`` holds them. The reference dossier is received on Monday
2 March 2026 at 09:00 and due on Monday 9 March 2026 at 17:00.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from fractions import Fraction

import pytest

from cchc.reports.engine import COLUMNS, Anomaly, Facts, check_identities, contribution
from cchc.reports.engine.contribution import Pause
from cchc.reports.engine.period import Rate, period_totals

RECEIVED = datetime(2026, 3, 2, 9, 0)
DUE = datetime(2026, 3, 9, 17, 0)
MARCH = (date(2026, 3, 1), date(2026, 3, 31))

ADDITIVE_KEYS = (
    "to_process",
    "carried_over",
    "received",
    "received_online",
    "received_counter",
    "received_postal",
    "resolved",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "in_progress",
    "in_progress_on_time",
    "in_progress_late",
    "late_total",
    "waiting_supplement",
    "waiting_financial",
    "stopped",
    "returned",
    "withdrawn",
)


def facts(**changes) -> Facts:
    base = {"status": 4, "channel": 1, "received_at": RECEIVED, "due_at": DUE}
    base.update(changes)
    return Facts(**base)


def resolved(at: datetime, **changes) -> Facts:
    return facts(**{"status": 9, "resolved_at": at, "outcome": "approved", **changes})


def totals(dossiers, start: date, end: date):
    """The period report of a list of facts, summing their day cells before/within the period."""
    before, within = Counter(), Counter()
    for item in dossiers:
        for (day, column), n in contribution(item).cells.items():
            if day < start:
                before[column] += n
            elif day <= end:
                within[column] += n
    return period_totals(dict(before), dict(within))


def nonzero(result) -> dict:
    return {key: n for key, n in result.counts.items() if n}


# -- what one dossier adds ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("channel", "online_full", "expected"),
    [
        (1, False, {"received", "received_counter"}),
        (2, False, {"received", "received_online"}),
        (2, True, {"received", "received_online", "received_online_full"}),
        (3, False, {"received", "received_postal"}),
        (3, True, {"received", "received_postal"}),  # fully online only for online dossiers
    ],
)
def test_receipt_counts_once_under_its_channel(channel, online_full, expected):
    result = contribution(facts(channel=channel, online_full=online_full))
    on_receipt = {c for (day, c), n in result.cells.items() if day == RECEIVED.date() and n}
    assert on_receipt - {"open_start"} == expected
    assert result.received_on == RECEIVED.date() and result.anomalies == ()


@pytest.mark.parametrize("status", [0, 1, 3])
def test_drafts_and_submissions_never_accepted_count_nowhere(status):
    result = contribution(facts(status=status, received_at=None, due_at=None))
    assert result.cells == {} and result.received_on is None


@pytest.mark.parametrize(
    ("moment", "kind"),
    [
        (DUE, "resolved_on_time"),  # exactly at the due time
        (DUE - timedelta(hours=8), "resolved_on_time"),  # on the due day, in the morning
        (datetime(2026, 3, 9, 0, 0), "resolved_on_time"),  # first minute of the due day
        (DUE + timedelta(minutes=1), "resolved_late"),  # one minute late
        (datetime(2026, 3, 9, 23, 59), "resolved_late"),  # same day, after the due time
        (DUE - timedelta(days=1), "resolved_early"),  # a calendar day before the due day
        (datetime(2026, 3, 8, 23, 59), "resolved_early"),  # the evening before
        (datetime(2026, 3, 3, 10, 0), "resolved_early"),
        (datetime(2026, 4, 20, 10, 0), "resolved_late"),
    ],
)
def test_resolution_class_against_the_due_time(moment, kind):
    result = contribution(resolved(moment))
    assert result.closed_kind == kind and result.closed_on == moment.date()
    assert result.cells[(moment.date(), kind)] == 1
    assert result.cells[(moment.date(), "open_end")] == 1
    assert result.cells[(moment.date(), "result_issued")] == 1
    others = {"resolved_early", "resolved_on_time", "resolved_late"} - {kind}
    assert not any(c in others for (_day, c) in result.cells)


def test_late_resolution_is_overdue_from_the_due_day_to_the_resolution():
    result = contribution(resolved(datetime(2026, 3, 12, 10, 0)))
    assert result.cells[(DUE.date(), "overdue_start")] == 1
    assert result.cells[(date(2026, 3, 12), "overdue_end")] == 1
    assert (result.overdue_from, result.overdue_until) == (DUE.date(), date(2026, 3, 12))


def test_resolved_on_time_is_never_overdue():
    result = contribution(resolved(DUE))
    assert not any(c.startswith("overdue") for (_d, c) in result.cells)


def test_without_a_due_time_a_result_is_on_time_and_never_overdue():
    result = contribution(resolved(datetime(2027, 1, 1, 9, 0), due_at=None))
    assert result.closed_kind == "resolved_on_time"
    assert not any(c.startswith("overdue") for (_d, c) in result.cells)
    assert contribution(facts(due_at=None)).overdue_from is None


def test_second_supplement_request_makes_even_an_early_result_late():
    """NĐ 118/2025 Art. 11: a second request during processing makes the dossier late."""
    result = contribution(resolved(datetime(2026, 3, 4, 9, 0), late_by_rule=True))
    assert result.closed_kind == "resolved_late"


@pytest.mark.parametrize("status", [9, 10])
def test_refusal_is_returned_not_resolved_and_never_late(status):
    result = contribution(
        facts(status=status, outcome="refused", resolved_at=DUE + timedelta(days=2))
    )
    day = (DUE + timedelta(days=2)).date()
    assert result.closed_kind == "returned"
    assert result.cells[(day, "returned")] == 1 and result.cells[(day, "result_issued")] == 1
    assert not any(c.startswith("resolved") for (_d, c) in result.cells)


def test_result_returned_to_the_applicant_closes_at_the_signature_not_the_hand_over():
    """Status 10 (Đã trả kết quả) keeps the moment the result was signed (index766.md §2.4)."""
    signed, handed = datetime(2026, 3, 6, 10, 0), datetime(2026, 3, 20, 10, 0)
    result = contribution(resolved(signed, status=10, closed_at=handed))
    assert result.closed_on == signed.date() and result.closed_kind == "resolved_early"
    assert (signed.date(), "open_end") in result.cells
    assert not any(day == handed.date() for (day, _c) in result.cells)


@pytest.mark.parametrize(("status", "kind"), [(7, "withdrawn"), (8, "stopped")])
def test_withdrawal_and_stop_close_at_their_time(status, kind):
    moment = datetime(2026, 3, 4, 15, 0)
    result = contribution(facts(status=status, closed_at=moment))
    assert result.closed_kind == kind
    assert result.cells[(moment.date(), kind)] == 1
    assert result.cells[(moment.date(), "open_end")] == 1
    assert "result_issued" not in {c for (_d, c) in result.cells}


def test_open_dossier_is_overdue_from_its_due_day():
    result = contribution(facts())
    assert result.cells[(DUE.date(), "overdue_start")] == 1
    assert result.overdue_until is None and result.open_until is None


def test_waiting_for_the_applicant_before_the_due_time_is_not_overdue():
    pause = Pause("supplement", datetime(2026, 3, 5, 9, 0), None)
    result = contribution(facts(status=5, pauses=(pause,)))
    assert result.overdue_from is None
    assert result.cells[(date(2026, 3, 5), "supplement_start")] == 1


def test_clock_stopped_exactly_at_the_due_time_is_not_overdue():
    result = contribution(facts(status=6, pauses=(Pause("financial", DUE, None),)))
    assert result.overdue_from is None
    assert result.cells[(DUE.date(), "financial_start")] == 1


def test_clock_stopped_after_the_due_time_stays_overdue():
    later = DUE + timedelta(minutes=1)
    result = contribution(facts(status=5, pauses=(Pause("supplement", later, None),)))
    assert result.overdue_from == DUE.date()


def test_only_supplement_and_financial_stops_are_counted_as_waiting():
    pause = Pause("other", datetime(2026, 3, 5, 9, 0), datetime(2026, 3, 6, 9, 0))
    result = contribution(facts(pauses=(pause,)))
    assert not any(c.startswith(("supplement", "financial")) for (_d, c) in result.cells)


def test_766_counters_on_the_day_of_receipt_and_of_the_result():
    result = contribution(
        resolved(
            datetime(2026, 3, 5, 9, 0),
            channel=2,
            fee_bearing=True,
            paid_online=True,
            digitised=True,
            result_electronic=True,
            rating=2,
            apology_sent_at=datetime(2026, 3, 4, 10, 0),
        )
    )
    on_receipt = {c for (day, c) in result.cells if day == RECEIVED.date()}
    assert {"fee_bearing", "paid_online", "digitised", "rated", "rated_dissatisfied"} <= on_receipt
    assert "dissatisfied" in on_receipt
    assert result.cells[(date(2026, 3, 5), "result_electronic")] == 1
    assert result.cells[(date(2026, 3, 4), "apology_sent")] == 1
    neutral = contribution(resolved(datetime(2026, 3, 5), rating=3))
    neutral_columns = {c for (_d, c) in neutral.cells}
    assert "rated" in neutral_columns
    assert not {"rated_dissatisfied", "rated_satisfied", "dissatisfied"} & neutral_columns
    assert "rated_satisfied" not in on_receipt
    for score in (4, 5):
        satisfied = contribution(resolved(datetime(2026, 3, 5), rating=score))
        assert satisfied.cells[(RECEIVED.date(), "rated_satisfied")] == 1
        assert (RECEIVED.date(), "rated_dissatisfied") not in satisfied.cells
    complained = contribution(facts(has_feedback=True))
    assert complained.cells[(RECEIVED.date(), "dissatisfied")] == 1


def test_every_cell_column_is_a_known_column():
    samples = [
        facts(),
        resolved(DUE, channel=2, online_full=True, rating=1, fee_bearing=True),
        facts(status=7, closed_at=DUE),
        facts(status=5, pauses=(Pause("supplement", DUE, None),)),
    ]
    for item in samples:
        assert {c for (_d, c) in contribution(item).cells} <= set(COLUMNS)


# -- anomalies: counted as they are, flagged -----------------------------------------------------
@pytest.mark.parametrize(
    ("changes", "anomaly"),
    [
        ({"status": 9, "resolved_at": None, "outcome": "approved"}, Anomaly.NO_END_TIME),
        ({"status": 10, "resolved_at": None, "outcome": "approved"}, Anomaly.NO_END_TIME),
        ({"status": 7, "closed_at": None}, Anomaly.NO_END_TIME),
        ({"status": 4, "received_at": None}, Anomaly.NO_RECEIPT_TIME),
        ({"status": 4, "channel": 9}, Anomaly.UNKNOWN_CHANNEL),
        ({"status": 4, "channel": None}, Anomaly.UNKNOWN_CHANNEL),
        ({"status": 4, "closed_at": DUE}, Anomaly.END_TIME_WHILE_OPEN),
        ({"status": 8, "closed_at": RECEIVED - timedelta(days=1)}, Anomaly.CLOSED_BEFORE_RECEIPT),
    ],
)
def test_contradictory_facts_are_flagged(changes, anomaly):
    assert anomaly in contribution(facts(**changes)).anomalies


def test_closed_without_an_end_time_is_no_longer_open_but_counts_no_closing():
    result = contribution(facts(status=10, outcome="approved", resolved_at=None))
    assert result.cells[(RECEIVED.date(), "open_end")] == 1
    assert result.closed_kind == "" and result.overdue_from is None
    march = totals([facts(status=10, outcome="approved", resolved_at=None)], *MARCH)
    assert (march["to_process"], march["resolved"], march["in_progress"]) == (1, 0, 0)
    assert march["closed_without_end_time"] == 1
    [finding] = check_identities(march)
    assert finding.identity == "closed_without_end_time = 0"
    assert (finding.left, finding.right, finding.gap) == (1, 0, 1)
    assert "no_end_time" in finding.anomalies


def test_unknown_channel_breaks_the_channel_identity():
    [finding] = check_identities(totals([facts(channel=9)], *MARCH))
    assert finding.identity == "received = received_online + received_counter + received_postal"
    assert (finding.left, finding.right, finding.gap) == (1, 0, 1)
    assert finding.anomalies == ("unknown_channel",)
    assert finding.to_dict()["gap"] == 1


def test_closed_before_receipt_makes_a_negative_stock():
    item = facts(status=7, received_at=datetime(2026, 3, 10, 9, 0), closed_at=datetime(2026, 3, 5))
    window = totals([item], date(2026, 3, 6), date(2026, 3, 9))
    assert window["carried_over"] == -1
    identities = {f.identity: f for f in check_identities(window)}
    finding = identities["carried_over ≥ 0 and in_progress ≥ 0"]
    assert finding.gap == -1 and "closed_before_receipt" in finding.anomalies
    # Over the whole month the flows cancel out and every identity holds.
    assert check_identities(totals([item], *MARCH)) == []


def test_result_without_receipt_time_breaks_the_to_process_identity():
    item = resolved(datetime(2026, 3, 5, 9, 0), received_at=None)
    march = totals([item], *MARCH)
    assert (march["to_process"], march["resolved"]) == (0, 1)
    [finding] = check_identities(march)
    assert finding.identity == "closed_without_receipt = 0"
    assert finding.gap == 1 and "no_receipt_time" in finding.anomalies


# -- the period report ---------------------------------------------------------------------------
def test_every_column_on_a_hand_built_month():
    """One dossier per case, report of March 2026 (cols 3–15 of onestop.md §1.8)."""
    dossiers = [
        # received in February, resolved early in March: carried over
        resolved(
            datetime(2026, 3, 3, 9, 0),
            received_at=datetime(2026, 2, 25, 9, 0),
            due_at=datetime(2026, 3, 4, 17, 0),
        ),
        resolved(DUE),  # on its due time: on time
        resolved(DUE + timedelta(minutes=1), channel=3),  # one minute late, by post
        resolved(DUE - timedelta(days=1), channel=2, online_full=True),  # a day early, online
        facts(status=7, closed_at=datetime(2026, 3, 4, 9, 0)),  # withdrawn
        facts(status=8, closed_at=datetime(2026, 3, 5, 9, 0)),  # stopped
        facts(status=10, outcome="refused", resolved_at=datetime(2026, 3, 6, 9, 0)),  # returned
        facts(),  # open, overdue at the end of March
        # paused before its due time, across the end of March: waiting, not overdue
        facts(
            status=5,
            received_at=datetime(2026, 3, 25, 9, 0),
            due_at=datetime(2026, 4, 1, 17, 0),
            pauses=(Pause("supplement", datetime(2026, 3, 30, 9, 0), None),),
        ),
        # waiting for a fee across the end of March, due in April
        facts(
            status=6,
            channel=2,
            received_at=datetime(2026, 3, 26, 9, 0),
            due_at=datetime(2026, 4, 2, 17, 0),
            pauses=(Pause("financial", datetime(2026, 3, 31, 9, 0), None),),
        ),
        # resolved in February: not in March at all
        resolved(datetime(2026, 2, 20, 9, 0), received_at=datetime(2026, 2, 16, 9, 0)),
        # received in April: not in March at all
        facts(received_at=datetime(2026, 4, 1, 9, 0), due_at=datetime(2026, 4, 8, 17, 0)),
    ]
    march = totals(dossiers, *MARCH)
    assert march.counts == {
        "to_process": 10,
        "carried_over": 1,
        "received": 9,
        "received_online": 2,
        "received_counter": 6,
        "received_postal": 1,
        "received_online_full": 1,
        "resolved": 4,
        "resolved_early": 2,
        "resolved_on_time": 1,
        "resolved_late": 1,
        "in_progress": 3,
        "in_progress_on_time": 2,
        "in_progress_late": 1,
        "late_total": 2,
        "resolved_in_time": 3,
        "carried_forward": 3,
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
    assert check_identities(march) == []
    rates = {name: (r.numerator, r.denominator) for name, r in march.rates.items()}
    assert rates == {
        "on_time": (8, 10),
        "late": (2, 10),
        "resolved_in_time": (3, 4),
        "resolution": (4, 10),
        "online": (2, 9),
        "online_full": (1, 9),
        "online_of_total": (2, 10),
    }
    assert march.rates["on_time"].value == Fraction(4, 5)
    as_json = march.to_dict()
    assert as_json["rates"]["late"]["value"] == 0.2 and as_json["rates"]["late"]["percent"] == 20.0
    assert as_json["rates"]["online"]["value"] == 0.2222

    # April: the three dossiers still open at the end of March are carried over.
    april = totals(dossiers, date(2026, 4, 1), date(2026, 4, 30))
    assert (april["carried_over"], april["received"], april["to_process"]) == (3, 1, 4)
    assert april["in_progress"] == 4 and april["waiting_supplement"] == 1
    assert april["waiting_financial"] == 1


def test_period_ending_on_the_due_day_counts_the_open_dossier_as_overdue():
    """At the end of its due day the due time (17:00) has passed: overdue (index766.md §2.4:
    an unfinished dossier is judged at the end of the period)."""
    on_due_day = totals([facts()], date(2026, 3, 1), DUE.date())
    day_before = totals([facts()], date(2026, 3, 1), DUE.date() - timedelta(days=1))
    assert (on_due_day["in_progress_late"], on_due_day["in_progress_on_time"]) == (1, 0)
    assert (day_before["in_progress_late"], day_before["in_progress_on_time"]) == (0, 1)


def test_late_result_counts_late_in_the_period_it_was_overdue_and_the_one_it_closed():
    item = resolved(datetime(2026, 4, 3, 9, 0))
    march = totals([item], *MARCH)
    april = totals([item], date(2026, 4, 1), date(2026, 4, 30))
    assert (march["in_progress_late"], march["late_total"], march["resolved"]) == (1, 1, 0)
    assert (april["carried_over"], april["resolved_late"], april["in_progress"]) == (1, 1, 0)
    assert april["in_progress_late"] == 0 and april["late_total"] == 1


def test_nothing_received_gives_rates_without_value():
    empty = period_totals({}, {})
    assert all(n == 0 for n in empty.counts.values())
    for name, rate in empty.rates.items():
        assert rate.denominator == 0, name
        assert rate.value is None
        as_json = rate.to_dict()
        assert as_json["value"] is None and as_json["percent"] is None
    assert check_identities(empty) == []


def test_carried_over_only_leaves_the_receipt_rates_without_value():
    item = facts(received_at=datetime(2026, 2, 25, 9, 0), due_at=datetime(2026, 4, 30, 17, 0))
    march = totals([item], *MARCH)
    assert march["to_process"] == 1 and march["received"] == 0
    assert march.rates["online"].value is None and march.rates["online_full"].value is None
    assert march.rates["resolved_in_time"].value is None  # nothing resolved
    assert march.rates["on_time"].value == 1 and march.rates["resolution"].value == 0


def test_rate_value_is_exact():
    rate = Rate(1, 3, "x")
    assert rate.value == Fraction(1, 3)
    assert rate.to_dict() == {
        "numerator": 1,
        "denominator": 3,
        "value": 0.3333,
        "percent": 33.33,
        "definition": "x",
    }


def test_identity_findings_on_counters_that_do_not_add_up():
    counters = period_totals(
        {"open_start": 2, "open_end": 3},
        {"received": 2, "received_counter": 1, "overdue_start": 4, "supplement_start": 5},
    )
    names = {f.identity for f in check_identities(counters)}
    assert names == {
        "to_process − closed_without_end_time = resolved + in_progress + returned + withdrawn"
        " + stopped − closed_without_receipt",
        "received = received_online + received_counter + received_postal",
        "in_progress ≥ in_progress_late",
        "in_progress ≥ waiting_supplement + waiting_financial",
        "carried_over ≥ 0 and in_progress ≥ 0",
    }


@pytest.mark.parametrize("status", [7, 8])
def test_withdrawn_while_waiting_since_before_the_due_time_was_never_overdue(status):
    """Paused on 5/3 (due 9/3 17:00), closed on 20/3 while still waiting: at the end of 15/3 it
    was waiting for the applicant with the clock stopped before its due time — not overdue
    (contribution.py docstring; index766.md §2.4)."""
    closed = datetime(2026, 3, 20, 9, 0)
    item = facts(
        status=status,
        closed_at=closed,
        pauses=(Pause("supplement", datetime(2026, 3, 5, 9, 0), closed),),
    )
    window = totals([item], date(2026, 3, 1), date(2026, 3, 15))
    assert window["waiting_supplement"] == 1 and window["in_progress"] == 1
    assert window["in_progress_late"] == 0


def test_additive_keys_of_the_report_are_all_counts():
    result = totals([facts()], *MARCH)
    assert set(ADDITIVE_KEYS) <= set(result.counts)


# -- findings that must not cancel out ------------------------------------------------------------
def test_opposite_errors_are_each_a_finding():
    """A resolved dossier without a receipt time (one too many in the closings) and a withdrawn
    one without an end time (one too few) used to cancel out in the single balance identity."""
    no_receipt = resolved(datetime(2026, 3, 5, 9, 0), received_at=None)
    no_end = facts(status=7, closed_at=None)
    march = totals([no_receipt, no_end], *MARCH)
    found = {f.identity: (f.left, f.right, f.anomalies) for f in check_identities(march)}
    assert found == {
        "closed_without_receipt = 0": (1, 0, ("no_receipt_time",)),
        "closed_without_end_time = 0": (1, 0, ("no_end_time",)),
    }


def test_open_dossier_without_receipt_time_is_never_invisible():
    item = facts(status=4, received_at=None)
    result = contribution(item)
    assert result.cells == {(date(2000, 1, 1), "unplaced"): 1}
    for period in (MARCH, (date(2019, 1, 1), date(2019, 1, 31))):
        window = totals([item], *period)
        assert window["unplaced"] == 1
        [finding] = check_identities(window)
        assert finding.identity == "unplaced = 0" and finding.anomalies == ("no_receipt_time",)


# -- the due basis of one dossier ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("item", "due_on", "kind"),
    [
        (resolved(DUE), DUE.date(), "in_time"),
        (resolved(DUE + timedelta(minutes=1)), DUE.date(), "late"),
        (facts(), DUE.date(), "late"),  # open: late once its due day is in a period
        (facts(status=10, outcome="refused", resolved_at=DUE), DUE.date(), "in_time"),
        (facts(status=7, closed_at=DUE - timedelta(days=2)), DUE.date(), "in_time"),
        (resolved(DUE, late_by_rule=True), DUE.date(), "late"),
        (facts(status=7, closed_at=None), DUE.date(), ""),  # ended at an unknown time
        (facts(due_at=None), None, ""),
        # waiting for the applicant since before the due time: no due day yet
        (facts(pauses=(Pause("supplement", DUE - timedelta(days=1), None),)), None, ""),
    ],
)
def test_due_day_and_kind(item, due_on, kind):
    result = contribution(item)
    assert (result.due_on, result.due_kind) == (due_on, kind)
