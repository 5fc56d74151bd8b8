"""Properties of 766 scoring for any counts and any valid overrides."""

import json
from datetime import date
from decimal import Decimal
from fractions import Fraction

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cchc.index766.engine import (
    DEFAULT_RULES,
    DISPLAY_ONLY,
    MISSING,
    OK,
    indicator_points,
    rank,
    score,
)

DAY = date(2024, 5, 15)
IDS = DEFAULT_RULES.ids
SCORED_BY_GROUP = {
    group.key: [i.id for i in DEFAULT_RULES.indicators_of(group.key) if not i.display_only]
    for group in DEFAULT_RULES.groups
}


@st.composite
def pairs(draw):
    denominator = draw(st.integers(min_value=0, max_value=10**6))
    # Mostly numerator ≤ denominator; sometimes above (allowed, capped at full points).
    top = denominator if draw(st.integers(0, 9)) else denominator * 2 + 5
    return draw(st.integers(min_value=0, max_value=top)), denominator


counts_strategy = st.dictionaries(st.sampled_from(IDS), st.none() | pairs())
thresholds = st.integers(min_value=1, max_value=10_000).map(lambda n: Decimal(n) / 10_000)


@st.composite
def valid_overrides(draw):
    """Any split of each group's maximum (in cents) over its indicators, any thresholds."""
    overrides = {}
    for group in DEFAULT_RULES.groups:
        ids = SCORED_BY_GROUP[group.key]
        if not draw(st.booleans()):
            continue
        cents = int(group.max_points * 100)
        cuts = sorted(draw(st.lists(st.integers(0, cents), min_size=len(ids) - 1,
                                    max_size=len(ids) - 1)))  # fmt: skip
        bounds = [0, *cuts, cents]
        for indicator_id, low, high in zip(ids, bounds, bounds[1:], strict=False):
            overrides[indicator_id] = {"max_points": Decimal(high - low) / 100}
    for indicator_id in draw(st.lists(st.sampled_from([i for v in SCORED_BY_GROUP.values()
                                                        for i in v]), max_size=6)):  # fmt: skip
        overrides.setdefault(indicator_id, {})["threshold"] = draw(thresholds)
    return overrides


@settings(max_examples=300)
@given(counts_strategy, valid_overrides())
def test_groups_and_total_never_exceed_their_maxima(counts, overrides):
    rules = DEFAULT_RULES.with_overrides(overrides)
    result = score(counts, rules, DAY)
    total = Fraction(0)
    for group in result.groups:
        present = [i for i in group.indicators if i.state == OK]
        if group.points is None:
            assert not present
            continue
        # The clamp never bites: the group is exactly the sum of its indicators …
        assert group.points == sum(i.points for i in present)
        # … and stays within what its data can earn and within its maximum, also rounded.
        assert 0 <= group.points <= group.available_max <= group.max_points
        assert group.points_display <= group.max_points
        total += group.points
    assert result.total is None or result.total == total
    assert result.total is None or 0 <= result.total <= 100
    assert result.score is None or result.score <= 100
    assert result.comparable_score is None or 0 <= result.comparable_score <= 100


@settings(max_examples=300)
@given(counts_strategy, valid_overrides())
def test_missing_indicators_have_no_points_and_do_not_count(counts, overrides):
    rules = DEFAULT_RULES.with_overrides(overrides)
    result = score(counts, rules, DAY)
    for indicator in result.indicators:
        pair = counts.get(indicator.id)
        has_data = pair is not None and pair[1] > 0
        if indicator.state == MISSING:
            assert not has_data
            assert indicator.points is None and indicator.lost_points is None
        elif indicator.state == DISPLAY_ONLY:
            assert indicator.points is None
        else:
            assert has_data and indicator.points is not None
    for group in result.groups:
        expected = sum((i.max_points for i in group.indicators if i.state == OK), Decimal(0))
        assert group.available_max == expected
        assert set(group.missing) == {i.id for i in group.indicators if i.state == MISSING}
    # Removing the missing indicators' entries changes nothing.
    present_only = {k: v for k, v in counts.items() if k not in result.missing}
    assert score(present_only, rules, DAY).total == result.total


@given(
    st.integers(0, 1000),
    st.integers(0, 1000),
    st.integers(1, 1000),
    thresholds,
    st.integers(0, 2000).map(lambda n: Decimal(n) / 100),
)
def test_points_are_monotonic_in_the_rate(a, b, denominator, threshold, max_points):
    low, high = sorted((Fraction(a, denominator), Fraction(b, denominator)))
    p_low = indicator_points(low, threshold, max_points)
    p_high = indicator_points(high, threshold, max_points)
    assert 0 <= p_low <= p_high <= max_points


@given(st.integers(0, 10**6), st.integers(1, 10**6), thresholds)
def test_full_points_at_or_above_the_threshold(extra, denominator, threshold):
    rate = Fraction(threshold) + Fraction(extra, denominator)
    assert indicator_points(rate, threshold, Decimal(7)) == 7
    below = Fraction(threshold) * Fraction(denominator, denominator + 1)
    assert indicator_points(below, threshold, Decimal(7)) < 7


@settings(max_examples=150)
@given(st.sampled_from([i.id for i in DEFAULT_RULES.indicators if i.scored]), pairs(), pairs())
def test_more_success_never_lowers_an_indicator_or_the_total(indicator_id, first, second):
    assume(first[1] > 0 and second[1] > 0)
    results = [score({indicator_id: pair}, DEFAULT_RULES) for pair in (first, second)]
    rates = [Fraction(p[0], p[1]) for p in (first, second)]
    if rates[0] <= rates[1]:
        assert results[0].total <= results[1].total
    else:
        assert results[0].total >= results[1].total


@settings(max_examples=100)
@given(counts_strategy)
def test_to_dict_round_trips_through_json(counts):
    payload = score(counts, DEFAULT_RULES, DAY).to_dict()
    assert json.loads(json.dumps(payload)) == payload


@settings(max_examples=100)
@given(st.dictionaries(st.integers(0, 50), counts_strategy, max_size=12))
def test_competition_ranking(units):
    results = {key: score(counts, DEFAULT_RULES) for key, counts in units.items()}
    ranking = rank(results)
    assert sorted(key for _, key, _ in ranking) == sorted(results)
    scored = [(r, s) for r, _, s in ranking if r is not None]
    for position, value in scored:
        assert position == 1 + sum(1 for _, other in scored if other > value)
    assert all(r is None for r, _, _ in ranking[len(scored) :])
