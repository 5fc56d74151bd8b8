"""Sample sizes and the stratified draw (cchc.surveys.engine.sampling): no database."""

import hashlib
import json
import math
import random
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc.surveys.engine.sampling import (
    COCHRAN,
    QUOTA,
    TABLE,
    YAMANE,
    FrameRecord,
    SizeRule,
    allocate,
    cochran_size,
    draw_sample,
    frame_fingerprint,
    quota_size,
    sample_size,
    table_size,
    yamane_size,
    z_score,
)

# -- sizes against hand-computed values ----------------------------------------------------------


@pytest.mark.parametrize(
    ("population", "margin", "expected"),
    [
        (1000, 0.05, 286),  # 1000 / (1 + 1000 × 0.0025) = 1000 / 3.5 = 285.71 → 286
        (400, 0.05, 200),  # 400 / (1 + 1) = 200 exactly: not 201 from float noise
        (200, 0.05, 134),  # 200 / 1.5 = 133.33 → 134
        (1, 0.05, 1),  # 1 / 1.0025 = 0.9975 → 1
        (0, 0.05, 0),
        (10_000, 0.05, 385),  # 10000 / 26 = 384.62 → 385
        (1000, 0.03, 527),  # 1000 / (1 + 0.9) = 526.32 → 527
        (1000, 0.10, 91),  # 1000 / 11 = 90.91 → 91
        (10**9, 0.05, 400),  # → 1 / e² = 400 as N grows
    ],
)
def test_yamane(population, margin, expected):
    assert yamane_size(population, margin) == expected
    assert sample_size(population, margin=margin) == expected  # Yamane is the default


@pytest.mark.parametrize(
    ("population", "confidence", "expected"),
    [
        # z = 1.95996; n0 = 1.95996² × 0.25 / 0.0025 = 384.15 (384.16 with z = 1.96);
        # n = 384.15 / (1 + 383.15 / 1000) = 384.15 / 1.38315 = 277.73 → 278
        (1000, 0.95, 278),
        # z = 1.64485; n0 = 2.70554 × 100 = 270.55; n = 270.55 / 1.26955 = 213.11 → 214
        (1000, 0.90, 214),
        # z = 2.57583; n0 = 6.63490 × 100 = 663.49; n = 663.49 / 1.66249 = 399.09 → 400
        (1000, 0.99, 400),
        # N = 1: n = n0 / (1 + (n0 − 1)) = 1
        (1, 0.95, 1),
        (0, 0.95, 0),
        # N = 10⁹: the correction vanishes, n = n0 = 384.15 → 385
        (10**9, 0.95, 385),
    ],
)
def test_cochran(population, confidence, expected):
    assert cochran_size(population, confidence=confidence) == expected
    assert sample_size(population, COCHRAN, confidence=confidence) == expected


def test_cochran_with_a_proportion_and_margin():
    # p = 0.8: n0 = 1.95996² × 0.16 / 0.0025 = 245.85; n = 245.85 / (1 + 244.85/500) = 165.02 → 166
    assert cochran_size(500, margin=0.05, proportion=0.8) == 166


def test_z_scores_come_from_the_normal_quantile():
    assert round(z_score(0.90), 3) == 1.645
    assert round(z_score(0.95), 2) == 1.96
    assert round(z_score(0.99), 3) == 2.576
    assert round(z_score(0.80), 4) == 1.2816  # any level works, not only a table


@pytest.mark.parametrize(
    ("population", "expected"),
    [
        (0, 0),
        (150, 150),  # ≤ 200: everyone
        (200, 200),
        (201, 61),  # 201 × 30 % = 60.3 → 61
        (1000, 300),  # 1000 × 30 % = 300 exactly (not 301 from 0.3 in binary)
        (1001, 201),  # 1001 × 20 % = 200.2 → 201
        (5000, 1000),
    ],
)
def test_volume_table(population, expected):
    assert table_size(population) == expected
    assert sample_size(population, TABLE) == expected


def test_a_province_can_set_its_own_table():
    table = ((100, 1.0), (500, 0.5), (None, 0.1))
    assert table_size(100, table) == 100
    assert table_size(101, table) == 51  # 50.5 → 51
    assert table_size(600, table) == 60
    assert SizeRule(TABLE, table=table).size(501) == 51  # 50.1 → 51


def test_decimals_from_model_fields_are_accepted():
    assert yamane_size(1000, Decimal("0.05")) == 286
    assert cochran_size(1000, Decimal("0.05"), Decimal("0.95")) == 278
    assert table_size(1001, ((200, Decimal("1")), (None, Decimal("0.2")))) == 201
    assert SizeRule(YAMANE, Decimal("0.05")).describe() == "yamane e=0.05"


def test_quota():
    assert quota_size(1000, 90) == 90
    assert quota_size(50, 90) == 50  # never more than the population
    assert sample_size(0, QUOTA, quota=90) == 0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: yamane_size(-1), "negative"),
        (lambda: yamane_size(10.5), "whole number"),
        (lambda: yamane_size(True), "whole number"),
        (lambda: yamane_size("100"), "whole number"),
        (lambda: yamane_size(100, 0), "between 0 and 1"),
        (lambda: yamane_size(100, 1), "between 0 and 1"),
        (lambda: yamane_size(100, float("nan")), "between 0 and 1"),
        (lambda: cochran_size(100, confidence=1.0), "confidence level"),
        (lambda: cochran_size(100, confidence=0), "confidence level"),
        (lambda: cochran_size(100, proportion=1.5), "expected proportion"),
        (lambda: quota_size(100, 0), "quota"),
        (lambda: sample_size(100, "magic"), "Unknown sample size method"),
        (lambda: table_size(100, ()), "empty"),
        (lambda: table_size(100, ((200, 1.0),)), "no upper bound"),
        (lambda: table_size(100, ((None, 1.0), (200, 0.5))), "Only the last row"),
        (lambda: table_size(100, ((500, 1.0), (200, 0.5), (None, 0.2))), "increasing"),
        (lambda: table_size(100, ((200, 1.5), (None, 0.2))), "(0, 1]"),
    ],
)
def test_bad_input_is_a_clear_value_error(call, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace("]", r"\]")):
        call()


# -- properties ----------------------------------------------------------------------------------

populations = st.integers(min_value=0, max_value=2_000_000)
margins = st.sampled_from([0.01, 0.02, 0.03, 0.04, 0.05, 0.07, 0.1, 0.2])
confidences = st.floats(min_value=0.5, max_value=0.999)
rules = st.one_of(
    st.builds(SizeRule, st.just(YAMANE), margins),
    st.builds(SizeRule, st.just(COCHRAN), margins, confidences),
    st.builds(lambda q: SizeRule(QUOTA, quota=q), st.integers(1, 500)),
    st.just(SizeRule(TABLE)),
)


@given(rules, populations)
def test_never_more_than_the_population_nor_negative(rule, population):
    size = rule.size(population)
    assert 0 <= size <= population
    assert (size == 0) == (population == 0)


@given(st.sampled_from([YAMANE, COCHRAN]), margins, populations, populations)
def test_formulas_are_monotone_in_the_population(method, margin, a, b):
    rule = SizeRule(method, margin)
    small, large = sorted((a, b))
    assert rule.size(small) <= rule.size(large)


@given(st.sampled_from([YAMANE, COCHRAN]), margins, margins, populations)
def test_a_smaller_margin_needs_a_larger_sample(method, a, b, population):
    tight, loose = sorted((a, b))
    assert SizeRule(method, tight).size(population) >= SizeRule(method, loose).size(population)


@given(margins, populations)
def test_yamane_never_exceeds_one_over_e_squared(margin, population):
    # N / (1 + N·e²) < 1/e² for every N
    assert yamane_size(population, margin) <= math.ceil(1 / margin**2)


# -- allocation among fields ---------------------------------------------------------------------


def test_largest_remainders():
    # quotas 5 × 5/10 = 2.5, 5 × 3/10 = 1.5, 5 × 2/10 = 1.0 → floors 2, 1, 1; the one left goes to
    # the largest remainder (0.5, a tie: the larger field "a")
    assert allocate(5, {"a": 5, "b": 3, "c": 2}) == {"a": 3, "b": 1, "c": 1}
    # 7 × (6, 3, 1)/10 = 4.2, 2.1, 0.7 → floors 4, 2, 0 = 6; the 7th to "c" (remainder 0.7)
    assert allocate(7, {"a": 6, "b": 3, "c": 1}) == {"a": 4, "b": 2, "c": 1}
    assert allocate(0, {"a": 0}) == {"a": 0}


@given(st.lists(st.integers(0, 300), min_size=1, max_size=8), st.data())
def test_allocation_adds_up_and_fits(sizes, data):
    populations = {f"f{i}": n for i, n in enumerate(sizes)}
    total = data.draw(st.integers(0, sum(sizes)))
    shares = allocate(total, populations)
    assert sum(shares.values()) == total
    whole = sum(sizes)
    for key, population in populations.items():
        assert 0 <= shares[key] <= population
        exact = total * population / whole if whole else 0
        assert abs(shares[key] - exact) < 1  # never more than one away from its exact quota


# -- the draw ------------------------------------------------------------------------------------


def frame(units=("phuong-1", "phuong-2", "so-xd"), per_unit=(120, 1000, 37), fields=3):
    records = []
    for unit, count in zip(units, per_unit, strict=True):
        for n in range(count):
            records.append(FrameRecord(f"{unit}-{n:05d}", unit, f"field-{n % fields}"))
    return records


def drawn_ids(draw):
    return {(s.unit, s.field): s.ids for s in draw.strata}


def test_the_draw_follows_the_rule_per_unit():
    draw = draw_sample(frame(), SizeRule(), seed=2026)
    summaries = {u.unit: u for u in draw.units}
    assert summaries["phuong-1"].population == 120
    assert summaries["phuong-1"].sample_size == 93  # 120 / (1 + 0.3) = 92.31 → 93
    assert summaries["phuong-2"].sample_size == 286
    assert summaries["so-xd"].sample_size == 34  # 37 / (1 + 0.0925) = 33.87 → 34
    assert all(u.rule == "yamane e=0.05" for u in draw.units)
    for stratum in draw.strata:
        assert len(stratum.ids) == len(set(stratum.ids)) == stratum.sample_size
        assert all(i.startswith(stratum.unit + "-") for i in stratum.ids)


def test_same_seed_same_draw_whatever_the_order():
    records = frame()
    shuffled = records[:]
    random.Random(1).shuffle(shuffled)
    first = draw_sample(records, SizeRule(), seed=7)
    again = draw_sample(shuffled, SizeRule(), seed=7)
    assert drawn_ids(first) == drawn_ids(again)
    assert first.fingerprint == again.fingerprint


def test_different_seeds_draw_differently():
    first = drawn_ids(draw_sample(frame(), SizeRule(), seed=7))
    other = drawn_ids(draw_sample(frame(), SizeRule(), seed=8))
    assert first[("phuong-2", "")] != other[("phuong-2", "")]
    assert first[("so-xd", "")] != other[("so-xd", "")]


def test_a_unit_draw_does_not_depend_on_the_other_units():
    alone = draw_sample(frame(units=("phuong-2",), per_unit=(1000,)), SizeRule(), seed=3)
    together = draw_sample(frame(), SizeRule(), seed=3)
    assert drawn_ids(alone)[("phuong-2", "")] == drawn_ids(together)[("phuong-2", "")]


def test_the_draw_is_pinned():
    # The algorithm is part of the audit trail: the same seed must draw the same people on any
    # machine and Python version (random.Random seeded from text uses SHA-512).
    records = [FrameRecord(n, "x") for n in range(10)]
    draw = draw_sample(records, SizeRule(QUOTA, quota=3), seed=2026)
    assert draw.strata[0].ids == ("2", "3", "8")


def test_by_field_shares_the_unit_size_among_fields():
    draw = draw_sample(frame(), SizeRule(), seed=11, by_field=True)
    by_unit = {}
    for stratum in draw.strata:
        assert len(stratum.ids) == stratum.sample_size <= stratum.population
        by_unit[stratum.unit] = by_unit.get(stratum.unit, 0) + stratum.sample_size
    assert by_unit == {u.unit: u.sample_size for u in draw.units}
    # 1000 records over 3 fields (334, 333, 333), 286 to share: 95.52, 95.24, 95.24 → 95, 95, 95
    # + 1 to the largest remainder (field-0)
    sizes = {s.field: s.sample_size for s in draw.strata if s.unit == "phuong-2"}
    assert sizes == {"field-0": 96, "field-1": 95, "field-2": 95}
    again = draw_sample(list(reversed(frame())), SizeRule(), seed=11, by_field=True)
    assert drawn_ids(again) == drawn_ids(draw)


def test_targets_override_the_rule():
    draw = draw_sample(frame(), SizeRule(), seed=1, targets={"phuong-2": 90, "so-xd": 90})
    summaries = {u.unit: u for u in draw.units}
    assert (summaries["phuong-2"].sample_size, summaries["phuong-2"].rule) == (90, "target 90")
    assert summaries["so-xd"].sample_size == 37  # capped at the population
    assert summaries["phuong-1"].rule == "yamane e=0.05"
    assert draw.ids("phuong-2") == drawn_ids(draw)[("phuong-2", "")]


def test_the_frame_is_checked():
    with pytest.raises(ValueError, match="twice"):
        draw_sample([FrameRecord(1, "a"), FrameRecord("1", "b")], SizeRule(), seed=1)
    with pytest.raises(ValueError, match="no unit"):
        draw_sample([FrameRecord(1, "")], SizeRule(), seed=1)
    with pytest.raises(ValueError, match="seed"):
        draw_sample(frame(), SizeRule(), seed="x")


def test_fingerprint_is_the_sha256_of_the_sorted_ids_per_unit():
    records = [FrameRecord("b", "u1", "f1"), FrameRecord("a", "u1", "f2"), FrameRecord(3, "u0")]
    text = json.dumps({"u0": ["3"], "u1": ["a", "b"]}, separators=(",", ":"))
    assert frame_fingerprint(records) == hashlib.sha256(text.encode()).hexdigest()
    by_field = json.dumps(
        {"u0": {"": ["3"]}, "u1": {"f1": ["b"], "f2": ["a"]}}, separators=(",", ":")
    )
    assert (
        frame_fingerprint(records, by_field=True) == hashlib.sha256(by_field.encode()).hexdigest()
    )
    assert frame_fingerprint(records) != frame_fingerprint([*records, FrameRecord("c", "u1")])
    moved = [FrameRecord("b", "u1", "f2"), FrameRecord("a", "u1", "f2"), FrameRecord(3, "u0")]
    assert frame_fingerprint(moved) == frame_fingerprint(records)  # fields do not count …
    assert frame_fingerprint(moved, True) != frame_fingerprint(records, True)  # … unless drawn by
