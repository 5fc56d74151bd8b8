"""The pure engine on its boundaries: scoring methods at 90 %, 89.99 % and 70 %, not-applicable
leaves, rounding, ties, grade edges, bonus and penalty, and the total's bound (hypothesis)."""

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.parindex import engine
from cchc.parindex.engine import LeafInput, Node

BANDS_SPEC = {
    "bands": [
        {"above": "90", "inclusive": False, "points": "2"},
        {"above": "70", "inclusive": True, "points": "1"},
        {"above": None, "points": "0"},
    ]
}


@pytest.mark.parametrize(
    ("percent", "points"),
    [
        ("100", "2"),
        ("90.01", "2"),
        ("90", "1"),
        ("89.99", "1"),
        ("70", "1"),
        ("69.99", "0"),
        ("0", "0"),
    ],
)
def test_band_table_on_its_edges(percent, points):
    """ "trên 90%: 2; 70%–90%: 1; dưới 70%: 0": exactly 90 % is not "above 90"."""
    assert engine.score_leaf(engine.BANDS, BANDS_SPEC, D(2), percent) == D(points)


@pytest.mark.parametrize(("percent", "points"), [("90", "1"), ("89.99", "1"), ("70", "1")])
def test_computed_leaf_with_bands_scores_like_the_band_table(percent, points):
    spec = {"metric": "dossiers.on_time_rate", **BANDS_SPEC}
    assert engine.score_leaf(engine.COMPUTED, spec, D(2), percent) == D(points)


@pytest.mark.parametrize(("percent", "points"), [("90", "1.80"), ("89.99", "1.80"), ("70", "1.40")])
def test_proportional_computed_leaf_rounds_half_up(percent, points):
    spec = {"metric": "dossiers.online_share", "proportional": True}
    assert engine.score_leaf(engine.COMPUTED, spec, D(2), percent) == D(points)


def test_levels_and_deductions():
    levels = {
        "levels": [
            {"key": "timely", "label": "Ban hành kịp thời", "points": "1"},
            {"key": "late", "label": "không kịp thời", "points": "0.5"},
            {"key": "none", "label": "không ban hành", "points": "0"},
        ]
    }
    assert engine.score_leaf(engine.LEVELS, levels, D(1), "late") == D("0.5")
    deductions = {"deductions": [{"key": "minor", "label": "vi phạm nhẹ", "percent": "50"}]}
    assert engine.score_leaf(engine.DEDUCTION, deductions, D("1.5"), "minor") == D("0.75")
    with pytest.raises(engine.ScoringError):
        engine.score_leaf(engine.LEVELS, levels, D(1), "unknown")


def test_number_and_survey_are_bounded_by_the_maximum():
    assert engine.score_leaf(engine.NUMBER, {}, D(2), "1,5") == D("1.50")
    with pytest.raises(engine.ScoringError):
        engine.score_leaf(engine.NUMBER, {}, D(2), "2.01")
    assert engine.score_leaf(engine.SURVEY, {}, D(25), "21.56") == D("21.56")


def _tree():
    return [
        Node(
            "1",
            "Chỉ đạo",
            D(40),
            [
                Node("1.1", "Kế hoạch", D(20), method="number"),
                Node("1.2", "Báo cáo", D(20), method="number"),
            ],
        ),
        Node(
            "2",
            "Tác động",
            D(60),
            [
                Node("2.1", "Đúng hạn", D(35), method="number"),
                Node("2.2", "Hài lòng", D(25), method="survey"),
            ],
        ),
        Node("B", "Thưởng", D(5), [Node("B.1", "Sáng kiến", D(5), method="number")], block="bonus"),
        Node("P", "Trừ", D(5), [Node("P.1", "Vi phạm", D(5), method="number")], block="penalty"),
    ]


def test_not_applicable_leaf_leaves_score_and_maximum():
    leaves = {
        "1.1": LeafInput(D(18)),
        "1.2": LeafInput(D(20), not_applicable=True),
        "2.1": LeafInput(D(30), D(28)),
        "2.2": LeafInput(survey=D("21.56")),
    }
    result = engine.unit_result("U", _tree(), leaves)
    assert result.max_points == D(80)
    assert result.self_score == D(48)  # own scores, survey excluded
    assert result.appraised_score == D(46)  # appraised where set, else own
    assert result.survey_score == D("21.56")
    assert result.total == D("67.56")
    assert result.index == D("84.45")  # 67.56 / 80 × 100
    assert result.leaf_scores["1.2"] is None
    field1 = result.fields[0]
    assert (field1.max, field1.score, field1.index) == (D(20), D(18), D(90))


def test_index_rounds_half_up_to_two_decimals():
    # 2 / 3 × 100 = 66.666… → 66.67; 1 / 8 × 100 = 12.5 exactly; 0.005 goes up.
    tree = [Node("1", "A", D(3), [Node("1.1", "x", D(3), method="number")])]
    assert engine.unit_result("U", tree, {"1.1": LeafInput(D(2))}).index == D("66.67")
    tree = [Node("1", "A", D(400), [Node("1.1", "x", D(400), method="number")])]
    assert engine.unit_result("U", tree, {"1.1": LeafInput(D("0.02"))}).index == D("0.01")
    assert engine.round_half_up(D("89.145")) == D("89.15")
    assert engine.round_half_up(D("89.144999")) == D("89.14")


def test_bonus_adds_and_penalty_subtracts_outside_the_maximum():
    leaves = {
        "1.1": LeafInput(D(20)),
        "1.2": LeafInput(D(20)),
        "2.1": LeafInput(D(35)),
        "2.2": LeafInput(survey=D(25)),
        "B.1": LeafInput(D(3)),
        "P.1": LeafInput(D(1)),
    }
    result = engine.unit_result("U", _tree(), leaves)
    assert result.max_points == D(100)
    assert result.bonus == D(2)
    assert result.total == D(102)
    assert result.index == D(102)


def _result(unit, index):
    return engine.UnitResult(unit, D(100), D(0), D(0), D(0), D(0), D(0), index, [], {})


def test_ties_share_a_rank_and_the_next_rank_skips():
    ranked = engine.rank_results(
        [
            _result("a", D("89.15")),
            _result("b", D("91")),
            _result("c", D("89.15")),
            _result("d", D(70)),
            _result("e", None),
        ]
    )
    assert [(r.unit, r.rank) for r in ranked] == [
        ("b", 1),
        ("a", 2),
        ("c", 2),
        ("d", 4),
        ("e", None),
    ]


@pytest.mark.parametrize(
    ("index", "grade"),
    [
        ("100", "A"),
        ("90", "A"),
        ("89.99", "B"),
        ("80", "B"),
        ("79.99", "C"),
        ("70", "C"),
        ("69.99", "D"),
        ("0", "D"),
    ],
)
def test_default_grade_bands_at_their_edges(index, grade):
    assert engine.grade_for(D(index)) == grade


def test_good_fair_bands():
    bands = engine.GRADE_PRESETS["good_fair"]
    assert engine.grade_for(D(80), bands) == "Tốt"
    assert engine.grade_for(D("79.99"), bands) == "Khá"
    assert engine.grade_for(D(50), bands) == "Trung bình"
    assert engine.grade_for(D("49.99"), bands) == "Yếu"
    assert engine.grade_for(None, bands) == ""


def test_losses_vs_maximum_and_best_unit():
    tree = _tree()
    a = engine.unit_result(
        "a", tree, {"1.1": LeafInput(D(10)), "1.2": LeafInput(D(20)), "2.1": LeafInput(D(35))}
    )
    b = engine.unit_result(
        "b", tree, {"1.1": LeafInput(D(18)), "1.2": LeafInput(D(5)), "2.1": LeafInput(D(35))}
    )
    losses = {loss.code: loss for loss in engine.losses_for_unit(a, [a, b], tree)}
    assert losses["1.1"].lost == D(10) and losses["1.1"].best == D(18)
    assert losses["1.1"].behind_best == D(8)
    assert "2.1" not in losses
    province = engine.province_losses([a, b], tree)
    assert province[0].code == "2.2" and province[0].units_losing == 2  # survey missing for both


points = st.decimals(min_value=0, max_value=60, places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=150, deadline=None)
@given(
    own=st.lists(points, min_size=6, max_size=6),
    appraised=st.lists(st.one_of(st.none(), points), min_size=6, max_size=6),
    not_applicable=st.lists(st.booleans(), min_size=6, max_size=6),
)
def test_total_never_exceeds_the_applicable_maximum_plus_bonus(own, appraised, not_applicable):
    codes = ["1.1", "1.2", "2.1", "2.2", "B.1", "P.1"]
    leaves = {
        code: LeafInput(
            own[i], appraised[i], survey=own[i], not_applicable=not_applicable[i] and code != "B.1"
        )
        for i, code in enumerate(codes)
    }
    result = engine.unit_result("U", _tree(), leaves)
    assert D(0) <= result.total <= result.max_points + max(result.bonus, D(0))
    if result.index is not None:
        assert result.index <= D(100) + result.bonus * 100 / result.max_points + D("0.01")
