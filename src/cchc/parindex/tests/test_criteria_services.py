"""Criteria-set services: validation names the node, saves are all or nothing, a set a round
uses is frozen (a new version instead), the sample sets validate and load once."""

from datetime import date
from decimal import Decimal

import pytest

from cchc.organisations.models import OrganisationUnit, UnitKind
from cchc.parindex import criteria, engine
from cchc.parindex.errors import CriteriaSetInvalid
from cchc.parindex.models import CriteriaSet, Criterion, Round
from cchc.parindex.samples import (
    FILES,
    SAMPLE_PREFIX,
    load_sample_sets,
    sample_data,
    tree_from_data,
)

from .criteria_helpers import small_tree

pytestmark = pytest.mark.django_db


def save(roots=None, **kwargs):
    values = {
        "name": "Bộ tiêu chí thử",
        "year": 2025,
        "level": "department",
        "roots": roots if roots is not None else small_tree(),
        "declared_total": 10,
    }
    values.update(kwargs)
    return criteria.save_set(**values)


def problems_of(roots, total=10):
    with pytest.raises(CriteriaSetInvalid) as error:
        save(roots, declared_total=total)
    assert not CriteriaSet.objects.exists()  # nothing saved
    return error.value.problems


def test_a_valid_tree_is_saved_in_order_with_blocks():
    criteria_set = save()
    assert criteria_set.version == 1
    rows = list(criteria_set.criteria.order_by("position").values_list("code", "block", "method"))
    assert rows == [
        ("1", "main", ""),
        ("1.1", "main", ""),
        ("1.1.1", "main", "levels"),
        ("1.1.2", "main", "bands"),
        ("1.2", "main", "levels"),
        ("2", "main", "survey"),
        ("3", "bonus", ""),
        ("3.1", "bonus", "levels"),
    ]
    leaf = criteria_set.criteria.get(code="1.1.2")
    assert leaf.method_text == "trên 90%: 2; 70%–90%: 1; dưới 70%: 0"  # written for officers
    assert criteria_set.criteria.get(code="1.2").may_be_not_applicable
    # Read back as the same engine tree.
    assert [node.code for root in criteria_set.tree() for node in root.walk()] == [
        node.code for root in small_tree() for node in root.walk()
    ]


def test_sum_mismatch_names_the_parent():
    roots = small_tree()
    roots[0].children[0].max_points = Decimal(5)  # 1.1 says 5, its parts add up to 4
    roots[0].max_points = Decimal(7)
    roots[1].max_points = Decimal(3)
    problems = problems_of(roots)
    assert [(code, message) for _line, code, message in problems] == [
        ("1.1", "Tiêu chí thành phần của 1.1 cộng lại được 4 điểm, không phải 5.")
    ]


def test_total_mismatch_says_both_numbers():
    problems = problems_of(small_tree(), total=100)
    assert problems == [(None, "", "Các lĩnh vực cộng lại được 10 điểm, bộ tiêu chí ghi 100.")]


def test_duplicate_codes_and_leaf_without_method_and_points_above_maximum_all_at_once():
    roots = small_tree()
    roots[0].children[1].code = "1.1.1"  # a second 1.1.1
    roots[1].method = ""  # 2 has no method
    roots[2].children[0].spec = {
        "levels": [{"key": "co", "label": "Có", "points": "3"}]  # 3 > the 2-point maximum
    }
    problems = problems_of(roots)
    by_code = {code: message for _line, code, message in problems}
    assert by_code["1.1.1"] == "Mã 1.1.1 bị dùng hai lần."
    assert by_code["2"] == "Tiêu chí 2 chưa có cách chấm."
    assert by_code["3.1"] == "Tiêu chí 3.1: Một mức cho 3 điểm, ngoài khoảng 0–2."


def test_level_year_and_name_are_checked():
    with pytest.raises(CriteriaSetInvalid) as error:
        save(level="galaxy", year=1066, name=" ")
    assert len(error.value.problems) == 3


def make_round(criteria_set):
    organiser = OrganisationUnit.objects.create(
        kind=UnitKind.DEPARTMENT, name="Sở Nội vụ", code="000.05.00.H99"
    )
    return Round.objects.create(
        name="Chỉ số CCHC 2025",
        year=criteria_set.year,
        criteria_set=criteria_set,
        organiser=organiser,
        self_assessment_opens=date(2026, 1, 5),
        self_assessment_closes=date(2026, 1, 20),
        appraisal_closes=date(2026, 2, 20),
    )


def test_an_unused_set_is_replaced_in_place():
    first = save()
    again = save(name="Bộ tiêu chí đã sửa")
    assert again.pk == first.pk and again.version == 1
    assert again.name == "Bộ tiêu chí đã sửa"
    assert Criterion.objects.filter(criteria_set=again).count() == 8


def test_a_set_used_by_a_round_is_frozen_a_new_version_is_made():
    first = save()
    make_round(first)
    before = list(first.criteria.values_list("pk", "code", "max_points"))
    roots = small_tree()
    roots[0].children[1].name = "Báo cáo CCHC định kỳ"
    second = save(roots)
    assert second.pk != first.pk
    assert second.version == 2
    assert list(first.criteria.values_list("pk", "code", "max_points")) == before
    assert first.criteria.get(code="1.2").name == "Báo cáo"
    assert second.criteria.get(code="1.2").name == "Báo cáo CCHC định kỳ"
    assert criteria.latest_set(2025, "department") == second


def test_copy_for_another_year_keeps_texts():
    original = save()
    original.criteria.filter(code="1.2").update(
        evidence_required="Báo cáo quý", responsible_hint="Văn phòng"
    )
    copy = criteria.copy_set(original, year=2026)
    leaf = copy.criteria.get(code="1.2")
    assert (copy.year, leaf.evidence_required, leaf.responsible_hint) == (
        2026,
        "Báo cáo quý",
        "Văn phòng",
    )


@pytest.mark.parametrize("filename", FILES)
def test_sample_sets_validate(filename):
    data = sample_data(filename)
    roots, _details = tree_from_data(data["criteria"])
    assert engine.validate(roots, Decimal(data["declared_total"])) == []
    assert data["name"].startswith(SAMPLE_PREFIX)
    main = [root for root in roots if root.block == "main"]
    assert len(main) == 8  # Hà Nội 5666/QĐ-UBND: eight contents
    assert sum(root.max_points for root in main) == 100
    assert {root.block for root in roots} == {"main", "bonus", "penalty"}
    leaves = [leaf for root in roots for leaf in root.leaves()]
    metrics = {leaf.spec["metric"] for leaf in leaves if leaf.method == "computed"}
    assert metrics == {
        "dossiers.on_time_rate",
        "dossiers.online_share",
        "dossiers.apology_rate",
        "feedback.on_time_rate",
        "index766.score",
    }
    assert any(leaf.method == "survey" for leaf in leaves)
    assert any(leaf.may_be_not_applicable for leaf in leaves)
    assert {leaf.method for leaf in leaves} >= {"levels", "bands", "deduction", "computed"}


def test_sample_sets_load_once_for_two_years():
    created = load_sample_sets([2024, 2025])
    assert len(created) == 4
    assert all(s.is_sample and s.name.startswith(SAMPLE_PREFIX) for s in created)
    assert {(s.year, s.level) for s in created} == {
        (2024, "department"),
        (2024, "commune"),
        (2025, "department"),
        (2025, "commune"),
    }
    assert load_sample_sets([2024, 2025]) == []
    assert CriteriaSet.objects.count() == 4


def test_load_demo_step_loads_this_year_and_last_year():
    import time_machine

    from cchc.demo.par_criteria import load_par_criteria

    with time_machine.travel(date(2026, 3, 2), tick=False):
        assert load_par_criteria() == 4
        assert load_par_criteria() == 0
    assert set(CriteriaSet.objects.values_list("year", flat=True)) == {2025, 2026}


def test_overlong_texts_are_problems_not_database_errors():
    roots = small_tree()
    roots[1].code = "2" + ".1" * 15
    with pytest.raises(CriteriaSetInvalid) as error:
        save(roots, name="x" * 256, details={"1.2": criteria.Details(responsible_hint="y" * 256)})
    messages = [message for _line, _code, message in error.value.problems]
    assert "Tên dài quá 255 ký tự." in messages
    assert "Mã dài quá 30 ký tự." in messages
    assert "Đơn vị chủ trì dài quá 255 ký tự." in messages
    assert not CriteriaSet.objects.exists()
