"""SIPAS results arithmetic (cchc.surveys.engine.statistics): no database."""

import itertools
import math
from decimal import Decimal
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.surveys.engine.statistics import (
    MEAN,
    NOT_ENOUGH_ANSWERS,
    POOLED,
    RANKED,
    IndexConfig,
    ItemMap,
    ItemShare,
    answer_level,
    answers_matrix,
    campaign_results,
    factor_index,
    item_share,
    overall_index,
    rank_units,
    round_half_up,
    unit_result,
    wilson_interval,
)

NA = np.nan

# -- one item ------------------------------------------------------------------------------------


def test_item_share_counts_valid_answers_only():
    share = item_share("a1", [5, 4, 3, None, "", "NA", 4.0, "2", "không áp dụng"])
    # valid: 5, 4, 3, 4, 2 → levels 1…5: 0, 1, 1, 2, 1; satisfied (4 and 5): 3 of 5
    assert share.distribution == (0, 1, 1, 2, 1)
    assert (share.valid, share.satisfied, share.excluded) == (5, 3, 4)
    assert share.share == 60.0
    assert item_share("a1", [5, 4, 3, 4, 2], satisfied_from=5).share == 20.0
    assert item_share("a1", [None, "n/a"]).share is None
    assert item_share("a1", [None]).interval() is None


@pytest.mark.parametrize("bad", [0, 6, 4.5, "rất tốt", True])
def test_an_answer_off_the_scale_is_refused(bad):
    with pytest.raises(ValueError, match="5-point scale"):
        answer_level(bad)


def test_answers_matrix():
    rows = [{"a": 5, "b": "NA"}, {"a": "3"}, {"b": 1}]
    matrix = answers_matrix(rows, ["a", "b"])
    assert np.array_equal(matrix, np.array([[5, NA], [3, NA], [NA, 1]]), equal_nan=True)
    assert answers_matrix([], ["a", "b"]).shape == (0, 2)


# -- the hand-computed case: 2 factors, 4 respondents --------------------------------------------
#
#            a1   a2   b1
#   r1        5    4    2
#   r2        4    –    5
#   r3        2    1    4
#   r4        3    5    –
#
# a1: 5, 4 of 4 satisfied → 2/4 = 50 %; a2: 4, 5 of 3 valid → 2/3 = 66.67 %; b1: 5, 4 of 3 → 66.67 %
# factor A, mean of items: (50 + 66.67) / 2 = 58.33 %; pooled: (2 + 2) / (4 + 3) = 57.14 %
# factor B: 66.67 % either way
# overall, mean of factors: (58.33 + 66.67) / 2 = 62.50 %; pooled: 6 / 10 = 60.00 %

HAND = np.array([[5, 4, 2], [4, NA, 5], [2, 1, 4], [3, 5, NA]])
FORM = ItemMap(items=("a1", "a2", "b1"), item_factors=("A", "A", "B"))


def hand_index(rows, factor_formula=MEAN, overall_formula=MEAN):
    """The same arithmetic with plain loops, to check the vectorised one."""
    columns = {"a1": 0, "a2": 1, "b1": 2}
    counts = {}
    for item, column in columns.items():
        answers = [row[column] for row in rows if not math.isnan(row[column])]
        counts[item] = (sum(1 for a in answers if a >= 4), len(answers))
    factors = {"A": ["a1", "a2"], "B": ["b1"]}
    by_factor = {}
    for code, items in factors.items():
        known = [counts[i] for i in items if counts[i][1]]
        if not known:
            by_factor[code] = None
        elif factor_formula == MEAN:
            by_factor[code] = sum(100 * s / v for s, v in known) / len(known)
        else:
            by_factor[code] = 100 * sum(s for s, _ in known) / sum(v for _, v in known)
    values = [v for v in by_factor.values() if v is not None]
    if overall_formula == MEAN:
        overall = sum(values) / len(values) if values else None
    else:
        valid = sum(v for s, v in counts.values())
        overall = 100 * sum(s for s, _ in counts.values()) / valid if valid else None
    return by_factor, overall


@pytest.mark.parametrize(
    ("factor_formula", "overall_formula", "a", "b", "overall"),
    [
        (MEAN, MEAN, 58.33, 66.67, 62.50),
        (POOLED, MEAN, 57.14, 66.67, 61.90),  # (400/7 + 200/3) / 2 = 61.9048
        (MEAN, POOLED, 58.33, 66.67, 60.00),
        (POOLED, POOLED, 57.14, 66.67, 60.00),
    ],
)
def test_hand_computed_indices(factor_formula, overall_formula, a, b, overall):
    config = IndexConfig(factor_formula, overall_formula, resamples=0)
    result = unit_result("u", HAND, FORM, config)
    assert [round_half_up(f.index) for f in result.factors] == [a, b]
    assert math.isclose(result.index, hand_index(HAND, factor_formula, overall_formula)[1])
    assert abs(result.index - overall) < 0.01
    assert [i.share for i in result.items] == [50.0, 200 / 3, 200 / 3]
    assert result.items[1].distribution == (1, 0, 0, 1, 1) and result.items[1].excluded == 1
    assert result.ci_low is None and result.factors[0].ci_low is None  # no resamples asked


def test_the_list_functions_agree_with_the_matrix():
    a1 = item_share("a1", [5, 4, 2, 3])
    a2 = item_share("a2", [4, None, 1, 5])
    b1 = item_share("b1", [2, 5, 4, None])
    assert math.isclose(factor_index([a1, a2]), 175 / 3)  # 58.33
    assert math.isclose(factor_index([a1, a2], POOLED), 400 / 7)  # 57.14
    assert math.isclose(overall_index({"A": [a1, a2], "B": [b1]}), 62.5)
    assert math.isclose(overall_index({"A": [a1, a2], "B": [b1]}, POOLED), 60.0)
    assert factor_index([item_share("x", [None])]) is None
    with pytest.raises(ValueError, match="Unknown index formula"):
        factor_index([a1], "median")


def exact_bootstrap(rows):
    """Every one of the 4⁴ = 256 equally likely resamples of the 4 respondents: the exact
    bootstrap distribution of (factor A, factor B, overall), NaN where undefined."""
    values = []
    for pick in itertools.product(range(len(rows)), repeat=len(rows)):
        by_factor, overall = hand_index([rows[i] for i in pick])
        values.append(
            [np.nan if by_factor[f] is None else by_factor[f] for f in ("A", "B")]
            + [np.nan if overall is None else overall]
        )
    return np.array(values)


def test_hand_computed_intervals_match_the_exact_bootstrap():
    # With 20,000 resamples the Monte Carlo 2.5 % and 97.5 % points must fall between the exact
    # distribution's 1.5 % and 3.5 % (96.5 % and 98.5 %) points.
    config = IndexConfig(resamples=20_000)
    result = unit_result("u", HAND, FORM, config, seed=12)
    exact = exact_bootstrap(HAND.tolist())
    estimates = [
        (result.factors[0].ci_low, result.factors[0].ci_high),
        (result.factors[1].ci_low, result.factors[1].ci_high),
        (result.ci_low, result.ci_high),
    ]
    for column, (low, high) in enumerate(estimates):
        values = exact[:, column]
        values = np.sort(values[~np.isnan(values)])
        cdf_at = lambda x, v=values: np.searchsorted(v, x, side="right") / len(v)  # noqa: E731
        below = lambda x, v=values: np.searchsorted(v, x, side="left") / len(v)  # noqa: E731
        assert below(low) <= 0.035 and cdf_at(low) >= 0.015, (column, low)
        assert below(high) <= 0.985 and cdf_at(high) >= 0.965, (column, high)
    # factor B is one item: its resampled shares are k/n for n ≤ 4 answers; the interval reaches
    # from "nobody satisfied" to "everybody"
    assert (result.factors[1].ci_low, result.factors[1].ci_high) == (0.0, 100.0)
    assert result.ci_low <= result.index <= result.ci_high


def test_unanimous_answers_have_no_uncertainty():
    levels = np.full((40, 3), 5.0)
    result = unit_result("u", levels, FORM, IndexConfig(resamples=200))
    assert (result.index, result.ci_low, result.ci_high) == (100.0, 100.0, 100.0)


def test_a_unit_without_respondents():
    result = unit_result("u", np.empty((0, 3)), FORM)
    assert result.responses == 0 and result.index is None and result.ci_low is None
    assert all(f.index is None and f.ci_high is None for f in result.factors)


def test_items_outside_the_index_are_counted_but_not_indexed():
    form = ItemMap(("a1", "a2", "b1", "own"), ("A", "A", "B", ""))
    levels = np.column_stack([HAND, [1, 1, 1, 1]])
    result = unit_result("u", levels, form, IndexConfig(overall_formula=POOLED, resamples=0))
    assert result.index == 60.0  # the agency's own question changes nothing
    assert result.items[3].share == 0.0
    assert [f.code for f in result.factors] == ["A", "B"]


def test_the_matrix_is_checked():
    with pytest.raises(ValueError, match="respondents × 3"):
        unit_result("u", np.ones((4, 2)), FORM)
    with pytest.raises(ValueError, match="levels 1"):
        unit_result("u", np.full((4, 3), 6.0), FORM)
    with pytest.raises(ValueError, match="factor"):
        ItemMap(("a", "b"), ("A",))
    with pytest.raises(ValueError, match="Unknown index formula"):
        IndexConfig(factor_formula="sum")


def random_units(count=6, respondents=60, seed=5):
    rng = np.random.default_rng(seed)
    units = {}
    for n in range(count):
        levels = rng.integers(1, 6, size=(respondents, 3)).astype(float)
        levels[rng.random(levels.shape) < 0.1] = np.nan
        units[f"unit-{n}"] = levels
    return units


def test_intervals_are_reproducible_from_the_seed():
    units = random_units()
    config = IndexConfig(resamples=300)
    first = campaign_results(units, FORM, config, seed=1)
    again = campaign_results(units, FORM, config, seed=1)
    other = campaign_results(units, FORM, config, seed=2)
    assert first == again
    assert [(r.ci_low, r.ci_high) for r in first] != [(r.ci_low, r.ci_high) for r in other]
    assert [r.index for r in first] == [r.index for r in other]  # the estimate has no chance


def test_a_unit_interval_does_not_depend_on_the_other_units():
    units = random_units()
    config = IndexConfig(resamples=300)
    together = campaign_results(units, FORM, config, seed=4)
    alone = unit_result("unit-3", units["unit-3"], FORM, config, seed=4)
    assert together[3] == alone


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=3, max_size=3),
        min_size=1,
        max_size=12,
    ),
    st.sampled_from([MEAN, POOLED]),
    st.sampled_from([MEAN, POOLED]),
)
def test_the_matrix_agrees_with_plain_loops(rows, factor_formula, overall_formula):
    levels = np.array([[np.nan if a is None else a for a in row] for row in rows], dtype=float)
    config = IndexConfig(factor_formula, overall_formula, resamples=50)
    result = unit_result("u", levels, FORM, config, seed=3)
    by_factor, overall = hand_index(levels.tolist(), factor_formula, overall_formula)
    for factor in result.factors:
        expected = by_factor[factor.code]
        assert (factor.index is None) == (expected is None)
        if expected is not None:
            assert math.isclose(factor.index, expected)
            assert 0 <= factor.ci_low <= factor.ci_high <= 100
    assert (result.index is None) == (overall is None)
    if overall is not None:
        assert math.isclose(result.index, overall)


# -- Wilson --------------------------------------------------------------------------------------


def test_wilson_known_values():
    low, high = wilson_interval(8, 10)
    assert (round(low, 4), round(high, 4)) == (0.4902, 0.9433)
    low, high = wilson_interval(0, 10)  # upper = z² / (n + z²) = 3.8415 / 13.8415
    assert low == 0.0 and round(high, 4) == 0.2775
    low, high = wilson_interval(10, 10)
    assert high == 1.0 and round(low, 4) == 0.7225
    assert wilson_interval(8, 10, Decimal("0.95")) == wilson_interval(8, 10)
    low99, high99 = wilson_interval(8, 10, 0.99)
    assert low99 < 0.4902 and high99 > 0.9433  # more confidence, a wider interval
    share = ItemShare("a", (1, 1, 0, 4, 4), 0)
    assert [round(x, 2) for x in share.interval()] == [49.02, 94.33]  # percent


@pytest.mark.parametrize(("successes", "total"), [(1, 0), (11, 10), (-1, 10), (1.5, 10)])
def test_wilson_refuses_impossible_counts(successes, total):
    with pytest.raises(ValueError):
        wilson_interval(successes, total)


# -- ranking -------------------------------------------------------------------------------------


def unit(code, index, low=None, high=None, responses=100):
    return SimpleNamespace(unit=code, responses=responses, index=index, ci_low=low, ci_high=high)


def test_a_unit_under_the_minimum_is_not_ranked():
    ranked = rank_units([unit("a", 99.0, responses=29), unit("b", 80.0, responses=30)])
    assert [(r.unit, r.status, r.rank) for r in ranked] == [
        ("b", RANKED, 1),
        ("a", NOT_ENOUGH_ANSWERS, None),
    ]
    ranked = rank_units([unit("a", 99.0, responses=29)], minimum=20)
    assert ranked[0].rank == 1
    assert rank_units([unit("x", None)])[0].status == NOT_ENOUGH_ANSWERS


def test_ties_share_a_rank_and_the_next_skips():
    # 85.004 and 84.996 are both 85.00 as published: they tie
    ranked = rank_units([unit("d", 80.0), unit("c", 84.996), unit("b", 85.004), unit("a", 90.0)])
    assert [(r.unit, r.rank) for r in ranked] == [("a", 1), ("b", 2), ("c", 2), ("d", 4)]


def test_overlapping_intervals_are_marked():
    ranked = rank_units(
        [
            unit("a", 90.0, 85.0, 95.0),
            unit("b", 84.0, 80.0, 88.0),
            unit("c", 75.0, 70.0, 79.0),
            unit("d", 74.0),  # no interval: overlaps nobody
            unit("e", 86.0, 84.0, 89.0, responses=5),  # not ranked: not compared
        ]
    )
    marks = {r.unit: (r.overlaps_previous, r.overlaps_next, r.overlapping) for r in ranked}
    assert marks["a"] == (False, True, ("b",))
    assert marks["b"] == (True, False, ("a",))
    assert marks["c"] == (False, False, ())
    assert marks["d"] == (False, False, ())
    assert marks["e"] == (False, False, ())
    touching = rank_units([unit("x", 90.0, 88.0, 92.0), unit("y", 86.0, 84.0, 88.0)])
    assert touching[0].overlaps_next and touching[1].overlaps_previous  # a shared end overlaps


def test_ranking_real_results():
    results = campaign_results(random_units(respondents=40), FORM, IndexConfig(resamples=100))
    ranked = rank_units(results)
    ranks = [r.rank for r in ranked]
    assert ranks[0] == 1 and ranks == sorted(ranks)
    indices = [r.index for r in ranked]
    assert indices == sorted(indices, reverse=True)


# -- rounding and PAR INDEX points ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (86.245, 86.25),
        (2.675, 2.68),  # 2.67499999… in binary, 2.675 as written
        ((86.24 + 86.25) / 2, 86.25),  # 86.24499999999999 in binary
        (1.004, 1.0),
        (100.0, 100.0),
        (Decimal("21.555"), 21.56),
        (None, None),
        (float("nan"), None),
    ],
)
def test_round_half_up(value, expected):
    assert round_half_up(value) == expected


def test_percentile_interval_of_a_large_unit_is_near_the_normal_one():
    # One item, 400 respondents, 320 satisfied: the bootstrap distribution of the share is close
    # to normal with sd = √(0.8 × 0.2 / 400) = 2 points, so the 95 % percentile interval is about
    # 80 ± 1.96 × 2 = 76.08 … 83.92 (the Monte Carlo error with 4,000 resamples is ≈ 0.1).
    form = ItemMap(("q",), ("F",))
    levels = np.array([[5.0]] * 320 + [[2.0]] * 80)
    result = unit_result("u", levels, form, IndexConfig(resamples=4000), seed=9)
    assert abs(result.ci_low - 76.08) < 0.3 and abs(result.ci_high - 83.92) < 0.3
    assert result.factors[0].ci_low == result.ci_low  # one factor: the index is the factor


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(0, 100), min_size=1, max_size=40),
    st.floats(0.5, 0.999),
)
def test_percentiles_are_numpys_linear_quantiles(values, confidence):
    from cchc.surveys.engine.statistics import _percentiles

    column = np.array(values)[:, None]
    tails = [(1 - confidence) / 2, (1 + confidence) / 2]
    expected = np.quantile(column, tails, axis=0)
    assert np.allclose(_percentiles(column, confidence), expected)
    with_gaps = np.vstack([column, [[np.nan]]])  # a replicate without a value is left out
    assert np.allclose(_percentiles(with_gaps, confidence), expected)
