"""The 766 engine on hand-picked numbers: formula, missing data, rule versions, overrides, ranks."""

import json
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from cchc.index766.engine import (
    CONFIGURED,
    DEFAULT,
    DEFAULT_RULES,
    DISPLAY_ONLY,
    MISSING,
    OK,
    VERIFIED,
    RuleSetError,
    compute,
    losses,
    rank,
    round_half_up,
    rules_on,
    score,
)

DAY = date(2024, 5, 15)
ALL_IDS = [
    "1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "3.1", "3.2", "3.3", "3.5", "3.6",
    "4.1", "4.2", "4.3", "4.4", "4.5", "5.1", "5.2", "5.3", "5.4",
]  # fmt: skip
SCORED_IDS = [i for i in ALL_IDS if i not in {"2.2", "5.1", "4.4", "4.5"}]


def perfect() -> dict:
    return {indicator_id: (10, 10) for indicator_id in ALL_IDS}


# --- the default rules -----------------------------------------------------------------------


def test_default_rules_have_the_technical_numbering_and_six_display_groups():
    assert sorted(DEFAULT_RULES.ids, key=lambda i: ALL_IDS.index(i)) == ALL_IDS
    assert [(g.key, g.max_points) for g in DEFAULT_RULES.groups] == [
        ("public_disclosure", 18),
        ("progress", 20),
        ("online_services", 12),
        ("online_payment", 10),
        ("satisfaction", 18),
        ("digitisation", 22),
    ]
    assert DEFAULT_RULES.max_points == 100
    # Online services + online payment form group 4 of the Decision (22 points).
    legal_4 = [g for g in DEFAULT_RULES.groups if g.legal_group == 4]
    assert sum(g.max_points for g in legal_4) == 22
    for group in DEFAULT_RULES.groups:
        assert sum(i.max_points for i in DEFAULT_RULES.indicators_of(group.key)) == group.max_points


def test_only_the_sourced_maxima_are_marked_verified():
    verified = {
        i.id: i.max_points
        for i in DEFAULT_RULES.indicators
        if i.points_status == VERIFIED and i.max_points
    }
    assert verified == {"1.2": 4, "2.1": 20, "5.4": 6}
    for indicator in DEFAULT_RULES.indicators:
        if indicator.points_status == VERIFIED:
            assert indicator.points_source.startswith("http")
        else:
            assert indicator.points_status == DEFAULT


def test_thresholds_of_the_technical_document():
    thresholds = {i.id: i.threshold for i in DEFAULT_RULES.indicators if i.threshold != 1}
    assert thresholds == {
        "3.1": Decimal("0.8"),
        "3.3": Decimal("0.5"),
        "3.5": Decimal("0.8"),
        "4.2": Decimal("0.8"),
        "4.3": Decimal("0.8"),
        "5.4": Decimal("0.9"),
    }
    assert {i.id for i in DEFAULT_RULES.indicators if i.display_only} == {"2.2", "5.1"}


# --- the scoring formula ---------------------------------------------------------------------


def test_online_share_40_percent_with_threshold_50_and_max_4_gives_3_2():
    result = compute({"3.3": (40, 100)}, DAY)
    indicator = result.indicator("3.3")
    assert indicator.rate == Fraction(2, 5)
    assert indicator.points == Fraction(16, 5)
    assert indicator.points_display == Decimal("3.20")
    assert indicator.lost_points == Fraction(4, 5)
    assert indicator.state == OK


@pytest.mark.parametrize(
    ("counts", "points"),
    [
        ((50, 100), Fraction(4)),  # exactly at the threshold
        ((93, 100), Fraction(4)),  # above it
        ((0, 100), Fraction(0)),  # measured zero is zero, not missing
        ((1, 3), Fraction(8, 3)),  # 33,33 % / 50 % × 4
    ],
)
def test_threshold_gives_full_points_at_and_above_it(counts, points):
    assert compute({"3.3": counts}, DAY).indicator("3.3").points == points


def test_proportional_and_other_thresholds():
    result = compute({"2.1": (9, 10), "5.4": (81, 100), "3.1": (60, 100)}, DAY)
    assert result.indicator("2.1").points == 18  # 90 % × 20
    assert result.indicator("5.4").points == Fraction(27, 5)  # 81 % / 90 % × 6 = 5,4
    assert result.indicator("3.1").points == 3  # 60 % / 80 % × 4


def test_missing_data_is_neither_zero_nor_full_marks():
    result = compute({"2.1": None, "3.3": (0, 0), "3.1": (8, 10)}, DAY)
    for indicator_id in ("2.1", "3.3", "3.2"):  # None, zero denominator, left out
        indicator = result.indicator(indicator_id)
        assert indicator.state == MISSING
        assert indicator.points is None
        assert indicator.lost_points is None
    progress = result.group("progress")
    assert progress.points is None
    assert progress.available_max == 0
    assert progress.missing == ("2.1",)
    online = result.group("online_services")
    assert online.points == 4
    assert online.available_max == 4
    assert online.missing == ("3.2", "3.3")
    assert result.total == 4
    assert result.available_max == 4
    assert result.comparable_score == 100


def test_no_data_at_all_gives_no_score_and_no_rating():
    result = compute({}, DAY)
    assert result.total is None
    assert result.score is None
    assert result.comparable_score is None
    assert result.rating is None
    assert result.available_max == 0
    assert result.coverage == 0
    assert set(result.missing) == set(SCORED_IDS)


def test_display_only_indicators_show_a_value_but_no_points():
    result = compute({"2.2": (75, 10), "5.1": (3, 4), "4.4": (1, 2), "2.1": (1, 1)}, DAY)
    average = result.indicator("2.2")
    assert average.state == DISPLAY_ONLY
    assert average.rate == Fraction(15, 2)  # an average, not a share
    assert average.value_kind == "average"
    assert average.points is None
    assert result.indicator("5.1").state == DISPLAY_ONLY
    assert result.indicator("4.4").state == DISPLAY_ONLY  # monitoring: no points by default
    assert result.indicator("4.5").state == DISPLAY_ONLY
    assert result.group("progress").points == 20
    assert result.total == 20
    assert "2.2" not in result.missing and "4.5" not in result.missing


def test_perfect_unit_scores_100_and_is_excellent():
    result = compute(perfect(), DAY)
    assert result.total == 100
    assert result.score == Decimal("100.00")
    assert result.comparable_score == 100
    assert result.rating.code == "excellent"
    assert all(group.points == group.max_points for group in result.groups)
    assert losses(result) == []


def test_numerator_above_denominator_is_kept_and_capped_at_full_points():
    indicator = compute({"3.5": (12, 10)}, DAY).indicator("3.5")
    assert indicator.rate == Fraction(6, 5)
    assert indicator.points == 5


@pytest.mark.parametrize(
    "bad",
    [
        {"9.9": (1, 2)},
        {"2.1": (-1, 10)},
        {"2.1": (1, -10)},
        {"2.1": (0.5, 1)},
        {"2.1": (True, 1)},
        {"2.1": (1, 2, 3)},
        {"2.1": "1/2"},
        {"2.1": 7},
    ],
)
def test_bad_counts_are_refused_with_a_message(bad):
    with pytest.raises(ValueError, match=r"ndicator"):
        compute(bad, DAY)


def test_numpy_integers_are_counts():
    np = pytest.importorskip("numpy")
    assert compute({"2.1": (np.int64(1), np.int64(2))}, DAY).indicator("2.1").points == 10


def test_comparable_score_and_coverage():
    # 2.1 at 50 % (10 of 20) and 5.4 at 90 % (6 of 6): 16 points of 26 available.
    result = compute({"2.1": (1, 2), "5.4": (9, 10)}, DAY)
    assert result.total == 16
    assert result.available_max == 26
    assert result.coverage == Fraction(26, 100)
    assert result.comparable_score == Fraction(1600, 26)
    assert result.comparable_display == Decimal("61.54")
    assert result.rating.code == "weak"  # ranks and ratings use the total
    assert result.comparable_rating.code == "average"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("100", "excellent"),
        ("90", "excellent"),
        ("89.99", "good"),
        ("80", "good"),
        ("79.99", "fair"),
        ("70", "fair"),
        ("69.99", "average"),
        ("50", "average"),
        ("49.99", "weak"),
        ("0", "weak"),
    ],
)
def test_rating_bands(value, code):
    assert DEFAULT_RULES.rating(Decimal(value)).code == code


def test_rating_follows_the_published_rounded_score():
    # 2.1 at 89,996 % (17,9992 points) + every other scored indicator full: 97,9992 → 98,00.
    counts = perfect()
    counts["2.1"] = (89996, 100000)
    result = compute(counts, DAY)
    assert result.score == Decimal("98.00")
    bands = (
        replace(DEFAULT_RULES.bands[0], minimum=Decimal(98)),
        *DEFAULT_RULES.bands[1:],
    )
    strict = replace(DEFAULT_RULES, bands=bands)
    assert score(counts, strict).rating.code == "excellent"


def test_round_half_up_is_exact():
    assert round_half_up(Fraction(5, 1000), 2) == Decimal("0.01")  # float would give 0.0 or 0.01
    assert round_half_up(Fraction(1, 3), 4) == Decimal("0.3333")
    assert round_half_up(Fraction(2, 3), 2) == Decimal("0.67")
    assert round_half_up(Decimal("1.005"), 2) == Decimal("1.01")


def test_losses_lists_the_biggest_losers_first():
    counts = perfect()
    counts.update({"2.1": (1, 2), "3.3": (1, 5), "5.4": (0, 1), "1.2": None})
    result = compute(counts, DAY)
    assert [(i.id, i.lost_points) for i in losses(result)] == [
        ("2.1", 10),
        ("5.4", 6),
        ("3.3", Fraction(12, 5)),
    ]
    with_zero = losses(result, include_zero=True)
    assert len(with_zero) == len(SCORED_IDS) - 1  # 1.2 is missing
    assert "1.2" not in {i.id for i in with_zero}


# --- JSON -----------------------------------------------------------------------------------


def test_to_dict_is_plain_json_and_round_trips():
    counts = {"3.3": (1, 3), "2.1": (2, 3), "2.2": (7, 3), "1.1": None}
    payload = compute(counts, DAY).to_dict()
    assert json.loads(json.dumps(payload)) == payload
    assert payload["day"] == "2024-05-15"
    assert payload["rules_effective_from"] == "2022-08-01"
    groups = {group["key"]: group for group in payload["groups"]}
    online = {i["id"]: i for i in groups["online_services"]["indicators"]}
    assert online["3.3"]["rate"] == 0.3333
    assert online["3.3"]["points"] == 2.67
    assert online["3.3"]["threshold"] == 0.5
    assert online["3.3"]["lost_points"] == 1.33
    assert online["3.1"] == {**online["3.1"], "rate": None, "points": None, "state": "missing"}
    progress = {i["id"]: i for i in groups["progress"]["indicators"]}
    assert progress["2.1"]["points"] == 13.33
    assert progress["2.2"]["rate"] == 2.3333
    assert progress["2.2"]["state"] == "display_only"
    assert payload["total"] == 16.0  # 8/3 + 40/3 = 16, rounded once from the exact total
    assert payload["rating"] == {"code": "weak", "name": "Yếu"}


# --- versions and overrides -----------------------------------------------------------------


def test_rule_set_chosen_by_date():
    assert rules_on(date(2022, 8, 1)) is DEFAULT_RULES
    assert rules_on(datetime(2030, 1, 1, 8, 0)) is DEFAULT_RULES
    with pytest.raises(ValueError, match="01/08/2022"):
        rules_on(date(2022, 7, 31))
    newer = replace(DEFAULT_RULES, effective_from=date(2025, 1, 1))
    versions = (DEFAULT_RULES, newer)
    assert rules_on(date(2024, 12, 31), versions) is DEFAULT_RULES
    assert rules_on(date(2025, 1, 1), versions) is newer
    assert rules_on(date(2026, 6, 1), (newer, DEFAULT_RULES)) is newer  # order does not matter


def test_overrides_move_points_within_a_group():
    rules = DEFAULT_RULES.with_overrides(
        {"3.1": {"max_points": Decimal(6)}, "3.2": {"max_points": 2, "threshold": 0.8}}
    )
    assert rules.indicator("3.1").max_points == 6
    assert rules.indicator("3.1").points_status == CONFIGURED
    assert rules.indicator("3.2").threshold == Decimal("0.8")  # not 0.80000000000000004
    assert rules.indicator("3.2").threshold_status == CONFIGURED
    assert DEFAULT_RULES.indicator("3.1").max_points == 4  # the original is untouched
    result = compute({"3.2": (4, 10)}, DAY, overrides={"3.2": {"threshold": "0.8"}})
    assert result.indicator("3.2").points == 2  # 40 % / 80 % × 4


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"3.1": {"max_points": 5}}, "group_total"),
        ({"3.1": {"threshold": 0}}, "threshold_range"),
        ({"3.1": {"threshold": "1.5"}}, "threshold_range"),
        ({"3.1": {"max_points": -1}, "3.2": {"max_points": 9}}, "negative_points"),
        ({"3.1": {"max_points": "4.005"}, "3.2": {"max_points": "3.995"}}, "points_precision"),
        ({"2.2": {"max_points": 1}, "2.1": {"max_points": 19}}, "display_only_points"),
        ({"9.9": {"max_points": 1}}, "unknown_indicator"),
        ({"3.1": {"weight": 1}}, "unknown_setting"),
        ({"3.1": {"max_points": "bốn"}}, "not_a_number"),
        ({"3.1": {"threshold": float("nan")}}, "not_a_number"),
    ],
)
def test_invalid_overrides_are_refused_with_a_clear_message(overrides, code):
    with pytest.raises(RuleSetError) as caught:
        DEFAULT_RULES.with_overrides(overrides)
    assert code in {problem.code for problem in caught.value.problems}
    assert isinstance(caught.value, ValueError)


def test_group_total_message_names_the_group_and_both_sums():
    with pytest.raises(RuleSetError) as caught:
        DEFAULT_RULES.with_overrides({"5.2": {"max_points": 8}})
    message = str(caught.value)
    assert "Mức độ hài lòng" in message
    assert "20" in message and "18" in message


def test_empty_overrides_return_the_same_rules():
    assert DEFAULT_RULES.with_overrides(None) is DEFAULT_RULES
    assert DEFAULT_RULES.with_overrides({}) is DEFAULT_RULES


def test_monitoring_indicator_can_be_given_points():
    rules = DEFAULT_RULES.with_overrides({"4.4": {"max_points": 2}, "4.2": {"max_points": 6}})
    result = score({"4.4": (1, 2)}, rules)
    assert result.indicator("4.4").state == OK
    assert result.indicator("4.4").points == 1


# --- ranking -------------------------------------------------------------------------------


def _unit(points_21: tuple[int, int]) -> dict:
    return {"2.1": points_21}


def test_ranking_ties_share_a_rank():
    results = {
        "Sở Tư pháp": compute(_unit((17, 20)), DAY),  # 17
        "Sở Y tế": compute(_unit((18, 20)), DAY),  # 18
        "Sở Công Thương": compute(_unit((17, 20)), DAY),  # 17
        "UBND xã A": compute(_unit((10, 20)), DAY),  # 10
        "UBND xã B": compute({}, DAY),  # no data
    }
    assert rank(results) == [
        (1, "Sở Y tế", Decimal("18.00")),
        (2, "Sở Công Thương", Decimal("17.00")),
        (2, "Sở Tư pháp", Decimal("17.00")),
        (4, "UBND xã A", Decimal("10.00")),
        (None, "UBND xã B", None),
    ]


def test_ranking_ties_on_the_published_score():
    # 16,996… and 17,004… both publish as 17,00.
    results = {
        1: compute({"2.1": (16996, 20000)}, DAY),
        2: compute({"2.1": (17004, 20000)}, DAY),
        3: compute({"2.1": (16, 20)}, DAY),
    }
    assert [(r, key) for r, key, _ in rank(results)] == [(1, 1), (1, 2), (3, 3)]
    assert rank({}) == []
