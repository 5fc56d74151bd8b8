"""Skip logic and answer checks of the pure engine (no database)."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from cchc.surveys.engine.answers import MESSAGES, parse_number, validate, visible
from cchc.surveys.engine.form import (
    Choice,
    Condition,
    FormSpec,
    MatrixItem,
    Question,
    Section,
)


def spec_with(*sections):
    return FormSpec(code="t", title="Thử", sections=list(sections))


def chain_spec():
    """A (yes/no) shows B (number) only when yes; C (text) only when B > 2."""
    return spec_with(
        Section(
            code="s1",
            title="Một",
            questions=[
                Question(code="a", label="A", kind="yes_no", required=True),
                Question(
                    code="b",
                    label="B",
                    kind="number",
                    required=True,
                    show_when=[Condition("a", "=", "yes")],
                ),
                Question(
                    code="c",
                    label="C",
                    kind="text",
                    required=True,
                    show_when=[Condition("b", ">", "2")],
                ),
            ],
        )
    )


def test_a_chain_hides_what_depends_on_a_hidden_question():
    spec = chain_spec()
    assert visible(spec, {}) == ["a"]
    assert visible(spec, {"a": "yes"}) == ["a", "b"]
    assert visible(spec, {"a": "yes", "b": "3"}) == ["a", "b", "c"]
    assert visible(spec, {"a": "yes", "b": 2}) == ["a", "b"]
    # B keeps its old answer but A now hides it: C's condition reads a hidden question: false.
    assert visible(spec, {"a": "no", "b": "5", "c": "x"}) == ["a"]


def test_hidden_answers_are_dropped_not_errors():
    check = validate(chain_spec(), {"a": "no", "b": "5", "c": "x"})
    assert check.valid
    assert check.cleaned == {"a": "no"}


def test_required_visible_questions_must_be_answered():
    check = validate(chain_spec(), {"a": "yes", "b": " "})
    assert check.errors == {"b": MESSAGES["required"]}
    assert check.kinds == {"b": "required"}
    assert "c" not in check.errors  # hidden: B is not above 2


def test_all_conditions_must_hold():
    spec = spec_with(
        Section(
            code="s",
            title="S",
            questions=[
                Question(code="age", label="Tuổi", kind="number"),
                Question(code="sex", label="Giới", kind="single", choices=[Choice("f", "Nữ")]),
                Question(
                    code="q",
                    label="Q",
                    kind="text",
                    show_when=[Condition("age", ">=", "18"), Condition("sex", "=", "f")],
                ),
            ],
        )
    )
    assert "q" not in visible(spec, {"age": 20})
    assert "q" not in visible(spec, {"sex": "f", "age": "17"})
    assert "q" in visible(spec, {"sex": "f", "age": "18"})


def test_a_hidden_section_hides_its_questions_and_a_later_condition_is_false():
    spec = spec_with(
        Section(code="s1", title="1", questions=[Question(code="go", label="?", kind="yes_no")]),
        Section(
            code="s2",
            title="2",
            show_when=[Condition("go", "=", "yes")],
            questions=[Question(code="inner", label="I", kind="text", required=True)],
        ),
        Section(
            code="s3",
            title="3",
            questions=[
                Question(
                    code="early", label="E", kind="text", show_when=[Condition("late", "=", "x")]
                ),
                Question(code="late", label="L", kind="text"),
                Question(
                    code="after", label="A", kind="text", show_when=[Condition("inner", "!=", "")]
                ),
            ],
        ),
    )
    assert visible(spec, {"go": "no", "inner": "hi", "late": "x"}) == ["go", "late"]
    assert visible(spec, {"go": "yes", "inner": "hi"}) == ["go", "inner", "late", "after"]
    # Required inside a hidden section: no error.
    assert validate(spec, {"go": "no"}).valid
    assert validate(spec, {"go": "yes"}).kinds == {"inner": "required"}


def test_not_equal_holds_for_an_unanswered_shown_question():
    spec = chain_spec()
    spec.sections[0].questions[2].show_when = [Condition("a", "!=", "yes")]
    assert visible(spec, {}) == ["a", "c"]
    assert visible(spec, {"a": "yes"}) == ["a", "b"]


def multiple_spec():
    return spec_with(
        Section(
            code="s",
            title="S",
            questions=[
                Question(
                    code="m",
                    label="M",
                    kind="multiple",
                    choices=[Choice("x", "X"), Choice("y", "Y"), Choice("z", "Z")],
                ),
                Question(
                    code="t", label="T", kind="text", show_when=[Condition("m", "selected", "y")]
                ),
            ],
        )
    )


def test_selected_reads_a_multiple_choice_list_or_xlsform_text():
    spec = multiple_spec()
    assert "t" in visible(spec, {"m": ["x", "y"]})
    assert "t" in visible(spec, {"m": "x y"})
    assert "t" not in visible(spec, {"m": ["x", "z"]})
    check = validate(spec, {"m": ["y", "y", "x"], "t": "  ý kiến "})
    assert check.cleaned == {"m": ["y", "x"], "t": "ý kiến"}


def test_values_outside_the_choices_are_refused():
    spec = multiple_spec()
    assert validate(spec, {"m": ["x", "w"]}).kinds == {"m": "not_a_choice"}
    spec = spec_with(
        Section(
            code="s",
            title="S",
            questions=[
                Question(code="l", label="L", kind="likert5"),
                Question(code="k", label="K", kind="scale4"),
                Question(code="y", label="Y", kind="yes_no"),
            ],
        )
    )
    assert validate(spec, {"l": 5, "k": "4", "y": "no"}).cleaned == {"l": "5", "k": "4", "y": "no"}
    check = validate(spec, {"l": "6", "k": 5, "y": "maybe"})
    assert check.kinds == {"l": "not_a_choice", "k": "not_a_choice", "y": "not_a_choice"}
    assert check.cleaned == {}


def test_numbers_and_dates():
    spec = spec_with(
        Section(
            code="s",
            title="S",
            questions=[
                Question(code="n", label="N", kind="number"),
                Question(code="d", label="D", kind="date"),
            ],
        )
    )
    assert validate(spec, {"n": "1,5", "d": "1/2/2025"}).cleaned == {"n": "1.5", "d": "01/02/2025"}
    assert validate(spec, {"n": "mười", "d": "2025-02-01"}).kinds == {
        "n": "not_a_number",
        "d": "not_a_date",
    }
    assert validate(spec, {"d": "31/02/2025"}).kinds == {"d": "not_a_date"}
    assert validate(spec, {"n": True}).kinds == {"n": "not_a_number"}
    text = spec_with(Section(code="s", title="S", questions=[Question("t", "T", "text")]))
    assert validate(text, {"t": 12}).cleaned == {"t": "12"}
    assert validate(text, {"t": ["a"]}).kinds == {"t": "not_text"}


def matrix_spec(required=True):
    return spec_with(
        Section(
            code="s",
            title="S",
            questions=[
                Question(
                    code="mx",
                    label="Tiếp cận",
                    kind="matrix",
                    required=required,
                    choices=[Choice(str(v), str(v)) for v in range(1, 6)],
                    items=[
                        MatrixItem("mx1", "Biển hiệu", "access"),
                        MatrixItem("mx2", "Ghế", "access"),
                    ],
                ),
                Question(
                    code="why",
                    label="Vì sao?",
                    kind="text",
                    show_when=[Condition("mx1", "<=", "2")],
                ),
            ],
        )
    )


def test_matrix_items_are_checked_one_by_one():
    spec = matrix_spec()
    assert validate(spec, {"mx": {"mx1": 4, "mx2": "5", "other": "1"}}).cleaned == {
        "mx": {"mx1": "4", "mx2": "5"}
    }
    assert validate(spec, {"mx": {"mx1": "4"}}).kinds == {"mx": "items_missing"}
    assert validate(spec, {"mx": {"mx1": "9", "mx2": "1"}}).kinds == {"mx": "not_a_choice"}
    assert validate(spec, {"mx": "4"}).kinds == {"mx": "not_a_choice"}
    assert validate(spec, {}).kinds == {"mx": "required"}
    assert validate(matrix_spec(required=False), {"mx": {"mx1": "3"}}).valid


def test_a_condition_can_read_a_matrix_item():
    spec = matrix_spec()
    assert "why" in visible(spec, {"mx": {"mx1": "1"}})
    assert "why" not in visible(spec, {"mx": {"mx1": "3"}})
    assert "why" not in visible(spec, {})


@given(st.decimals(allow_nan=False, allow_infinity=False, places=3))
def test_numbers_read_back_whatever_decimal_mark(number):
    text = format(number, "f")
    assert parse_number(text) == number
    assert parse_number(text.replace(".", ",")) == number


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_integers_compare_as_numbers(number):
    spec = chain_spec()
    shown = "c" in visible(spec, {"a": "yes", "b": str(number)})
    assert shown == (number > 2)
    assert parse_number(number) == Decimal(number)


def test_equal_compares_numbers_as_numbers():
    spec = chain_spec()
    spec.sections[0].questions[2].show_when = [Condition("b", "=", "5")]
    assert "c" in visible(spec, {"a": "yes", "b": "5.0"})
    assert "c" in visible(spec, {"a": "yes", "b": 5})
    assert "c" not in visible(spec, {"a": "yes", "b": "50"})
