"""Any valid spec goes into the database and comes back equal (hypothesis builds the specs)."""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc.surveys import services
from cchc.surveys.engine import form
from cchc.surveys.models import Questionnaire

from .factories import reform_staff, unit

pytestmark = pytest.mark.django_db

TEXT = st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyÁÀẢÃẠ ?", min_size=1, max_size=20).filter(
    lambda text: text.strip() == text and text
)
SERIAL = itertools.count()


@st.composite
def specs(draw):
    codes = (f"c{n}" for n in itertools.count())
    factors = [
        form.Factor(code=f"f{n}", name=draw(TEXT), order=n) for n in range(draw(st.integers(0, 3)))
    ]
    factor = st.sampled_from(["", *(f.code for f in factors)])
    earlier: list[str] = []
    sections = []
    for section_number in range(draw(st.integers(1, 3))):
        section_conditions = _conditions(draw, earlier)
        questions = []
        for _ in range(draw(st.integers(0, 4))):
            kind = draw(st.sampled_from(form.KINDS))
            choices = []
            if kind in form.CHOICE_KINDS and (
                kind in ("single", "multiple", "matrix") or draw(st.booleans())
            ):
                values = draw(
                    st.lists(st.sampled_from("12345abc"), min_size=1, max_size=5, unique=True)
                )
                choices = [form.Choice(value, draw(TEXT)) for value in values]
            items = []
            if kind == form.MATRIX:
                items = [
                    form.MatrixItem(next(codes), draw(TEXT), draw(factor))
                    for _ in range(draw(st.integers(1, 3)))
                ]
            question = form.Question(
                code=next(codes),
                label=draw(TEXT),
                kind=kind,
                required=draw(st.booleans()),
                hint=draw(st.sampled_from(["", "gợi ý"])),
                choices=choices,
                items=items,
                factor=draw(factor),
                show_when=_conditions(draw, earlier),
            )
            questions.append(question)
            earlier.extend([question.code, *(item.code for item in items)])
        sections.append(
            form.Section(
                code=f"s{section_number}",
                title=draw(TEXT),
                questions=questions,
                show_when=section_conditions,
            )
        )
    return form.FormSpec(
        code=f"rt-{next(SERIAL)}",
        title=draw(TEXT),
        version="1",
        source=draw(st.sampled_from(["", "QĐ 1001/QĐ-BNV"])),
        factors=factors,
        sections=sections,
    )


def _conditions(draw, earlier):
    if not earlier:
        return []
    return [
        form.Condition(draw(st.sampled_from(earlier)), draw(st.sampled_from(form.OPERATORS)), "1")
        for _ in range(draw(st.integers(0, 2)))
    ]


def test_any_valid_spec_round_trips():
    owner = unit()
    staff = reform_staff(owner)

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(specs())
    def round_trip(spec):
        assert services.spec_problems(spec) == []
        stored = services.create_from_spec(staff, spec, unit=owner)
        assert services.to_spec(stored) == spec

    round_trip()
    assert Questionnaire.objects.filter(code__startswith="rt-").count() >= 10  # examples ran
