"""Questionnaire services: round trip with the spec, versions, freezing, the built-in template,
the agencies' own questions and who may do what."""

import dataclasses
from collections import Counter

import pytest

from cchc.organisations.models import Role
from cchc.surveys import builtin, selectors, services
from cchc.surveys.engine import answers
from cchc.surveys.engine.form import Choice, Condition
from cchc.surveys.engine.form import Question as SpecQuestion
from cchc.surveys.errors import ActionForbidden, QuestionnaireFrozen, SurveyError
from cchc.surveys.models import MatrixItem, Question, Questionnaire, Section

from .factories import agency_questionnaire, reform_staff, small_spec, unit, user_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return unit()


@pytest.fixture
def staff(owner):
    return reform_staff(owner)


def test_a_spec_round_trips_through_the_database(owner, staff):
    spec = small_spec()
    stored = services.create_from_spec(staff, spec, unit=owner)
    assert stored.version == 1 and stored.owner_unit == owner and not stored.frozen
    assert services.to_spec(stored) == spec
    assert stored.created_by == staff


def test_the_builtin_template_loads_once_with_16_service_items_over_5_factors():
    first = services.ensure_builtin()  # already stored by the post_migrate hook
    again = services.ensure_builtin()
    assert first.pk == again.pk
    assert Questionnaire.objects.filter(code=builtin.SIPAS_1001_2023).count() == 1
    assert first.is_builtin and first.owner_unit is None and "1001/QĐ-BNV" in first.source
    items = MatrixItem.objects.filter(
        question__section__code="service", question__questionnaire=first
    )
    per_factor = Counter(item.factor.code for item in items)
    assert per_factor == {"access": 3, "procedures": 4, "officials": 3, "results": 3, "feedback": 3}
    service_scales = {
        tuple(q.choices.values_list("value", flat=True))
        for q in first.questions.filter(section__code="service", kind="matrix")
    }
    assert service_scales == {("1", "2", "3", "4", "5")}
    assert set(first.sections.filter(official=True).values_list("code", flat=True)) == {
        "respondent",
        "opinion",
        "service",
        "expectation",
    }
    expectation = first.questions.get(code="e_improve_first")
    assert expectation.kind == "multiple"
    assert list(expectation.choices.values_list("value", flat=True)) == [
        "access",
        "procedures",
        "officials",
        "results",
        "feedback",
    ]


def test_the_builtin_file_says_where_each_wording_comes_from():
    template = builtin.load()
    codes = [q.code for q in template.spec.questions()] + [
        item.code for q in template.spec.questions() for item in q.items
    ]
    assert set(template.wording) == set(codes)
    assert set(template.wording.values()) <= {"platform_default", "source"}
    assert template.source_url.startswith("https://")
    assert services.spec_problems(template.spec) == []
    # No names, ID numbers or phones are asked of the respondent.
    respondent = next(s for s in template.spec.sections if s.code == "respondent")
    assert [q.code for q in respondent.questions] == ["r_age", "r_sex", "r_education"]


def test_the_builtin_skips_the_feedback_items_without_feedback():
    spec = services.to_spec(services.ensure_builtin())
    assert "sv_feedback" not in answers.visible(spec, {"sv_feedback_made": "no"})
    assert "sv_feedback" in answers.visible(spec, {"sv_feedback_made": "yes"})
    check = answers.validate(
        spec, {"sv_feedback_made": "no", "sv_feedback": {"sv_feedback_1": "5"}}
    )
    assert "sv_feedback" not in check.cleaned and "sv_feedback" not in check.errors


def test_a_frozen_version_refuses_every_edit(owner, staff):
    questionnaire = agency_questionnaire(owner, staff)
    section = questionnaire.sections.get(code="b")
    question = questionnaire.questions.get(code="why")
    services.freeze(staff, questionnaire)
    questionnaire.refresh_from_db()
    assert questionnaire.frozen and questionnaire.frozen_by == staff
    frozen_at = questionnaire.frozen_at
    services.freeze(staff, questionnaire)  # again: nothing changes
    questionnaire.refresh_from_db()
    assert questionnaire.frozen_at == frozen_at
    attempts = [
        lambda: services.add_section(staff, questionnaire, "Mới"),
        lambda: services.add_question(staff, section, code="x", label="X", kind="text"),
        lambda: services.update_question(staff, question, label="Khác"),
        lambda: services.remove_question(staff, question),
        lambda: services.move_question(staff, question, "up"),
    ]
    for attempt in attempts:
        with pytest.raises(QuestionnaireFrozen, match="đã khóa vì đang được sử dụng"):
            attempt()
    assert services.to_spec(questionnaire) == dataclasses.replace(small_spec())


def test_the_builtin_is_never_edited_in_place(owner, staff):
    template = services.ensure_builtin()
    with pytest.raises(QuestionnaireFrozen):
        services.add_section(staff, template, "Của tôi")


def test_a_new_version_copies_everything_and_is_not_frozen(owner, staff):
    first = agency_questionnaire(owner, staff)
    services.freeze(staff, first)
    second = services.new_version(staff, first)
    assert (second.code, second.version, second.previous, second.frozen) == (
        first.code,
        2,
        first,
        False,
    )
    assert services.to_spec(second) == dataclasses.replace(services.to_spec(first), version="2")
    services.add_question(
        staff, second.sections.get(code="b"), code="extra", label="Thêm", kind="text"
    )
    assert not first.questions.filter(code="extra").exists()
    # From an older version, the next free number.
    assert services.new_version(staff, first).version == 3


def test_an_agency_copy_of_the_builtin_keeps_the_official_sections_locked(owner, staff):
    template = services.ensure_builtin()
    copy = services.new_version(staff, template, unit=owner)
    assert copy.code == f"{template.code}-{owner.code}" and copy.version == 1
    assert copy.owner_unit == owner and copy.previous == template and not copy.is_builtin
    assert copy.sections.filter(official=True).count() == 4
    service = copy.sections.get(code="service")
    official = copy.questions.get(code="sv_access")
    with pytest.raises(SurveyError, match="SIPAS"):
        services.add_question(staff, service, code="x", label="X", kind="text")
    with pytest.raises(SurveyError, match="SIPAS"):
        services.remove_question(staff, official)
    with pytest.raises(SurveyError, match="SIPAS"):
        services.update_question(staff, official, kind="likert5")
    with pytest.raises(SurveyError, match="SIPAS"):
        services.update_question(staff, official, factor="results")
    with pytest.raises(SurveyError, match="SIPAS"):
        services.move_question(staff, official, "down")
    services.update_question(staff, official, label="Về nơi làm thủ tục", hint="Gợi ý")
    official.refresh_from_db()
    assert (official.label, official.kind, official.factor.code) == (
        "Về nơi làm thủ tục",
        "matrix",
        "access",
    )
    assert official.items.count() == 3
    # Own section, own questions, after the official ones.
    own = services.add_section(staff, copy, "Câu hỏi riêng của Sở")
    assert not own.official and own.order > service.order
    first = services.add_question(
        staff,
        own,
        code="wait_time",
        label="Ông/Bà chờ bao lâu?",
        kind="single",
        choices=[("short", "Dưới 15 phút"), ("long", "Trên 15 phút")],
        show_when=[Condition("o_channel", "=", "counter")],
    )
    second = services.add_question(staff, own, code="comment", label="Góp ý", kind="text")
    services.move_question(staff, second, "up")
    assert list(own.questions.order_by("order").values_list("code", flat=True)) == [
        "comment",
        "wait_time",
    ]
    spec = services.to_spec(copy)
    assert spec.question("wait_time").show_when == [Condition("o_channel", "=", "counter")]
    # The index items are untouched: still 16 over 5 factors.
    assert (
        MatrixItem.objects.filter(question__questionnaire=copy, factor__isnull=False).count() == 16
    )
    services.remove_question(staff, first)
    assert not copy.questions.filter(code="wait_time").exists()
    # A second copy for the same unit is the next version of the unit's code.
    assert services.new_version(staff, template, unit=owner).version == 2


def test_question_checks_list_every_problem(owner, staff):
    questionnaire = agency_questionnaire(owner, staff)
    section = questionnaire.sections.get(code="b")
    with pytest.raises(services.QuestionnaireInvalid) as refused:
        services.add_question(
            staff,
            section,
            code="why",
            label=" ",
            kind="single",
            show_when=[Condition("nowhere", "~", "1")],
        )
    problems = " | ".join(refused.value.problems)
    assert len(refused.value.problems) == 5, problems
    assert not section.questions.filter(label=" ").exists()


def test_a_question_a_condition_reads_cannot_be_removed(owner, staff):
    questionnaire = agency_questionnaire(owner, staff)
    questionnaire.sections.update(official=False)
    with pytest.raises(SurveyError):
        services.remove_question(staff, questionnaire.questions.get(code="used"))
    services.remove_question(staff, questionnaire.questions.get(code="why"))
    assert not questionnaire.questions.filter(code="why").exists()


def test_update_question_replaces_choices_and_checks_codes(owner, staff):
    questionnaire = agency_questionnaire(owner, staff)
    question = questionnaire.questions.get(code="one")
    services.update_question(staff, question, choices=[("a", "A"), ("b", "B")], required=True)
    spec = services.to_spec(questionnaire).question("one")
    assert spec.choices == [Choice("a", "A"), Choice("b", "B")] and spec.required
    with pytest.raises(services.QuestionnaireInvalid):
        services.update_question(staff, question, code="g1")  # a matrix item's code


def test_create_from_spec_numbers_versions_per_unit_and_refuses_another_units_code(owner, staff):
    first = agency_questionnaire(owner, staff)
    again = services.create_from_spec(staff, small_spec(), unit=owner)
    assert (again.version, again.previous) == (2, first)
    other = unit("Sở Y tế")
    with pytest.raises(services.QuestionnaireInvalid, match="phieu-thu"):
        services.create_from_spec(reform_staff(other), small_spec(), unit=other)
    broken = small_spec("phieu-hong")
    broken.sections[0].questions.append(SpecQuestion(code="used", label="", kind="bogus"))
    with pytest.raises(services.QuestionnaireInvalid) as refused:
        services.create_from_spec(staff, broken, unit=owner)
    assert len(refused.value.problems) == 3
    assert not Questionnaire.objects.filter(code="phieu-hong").exists()


def test_only_reform_staff_of_the_unit_or_above_and_admins_edit(owner, staff):
    questionnaire = agency_questionnaire(owner, staff)
    section = questionnaire.sections.get(code="b")
    officer = user_with(Role.PROCESSING_OFFICER, owner)
    sibling = unit("Sở Y tế")
    stranger = reform_staff(sibling)
    for actor in (officer, stranger):
        with pytest.raises(ActionForbidden):
            services.add_question(actor, section, code="x", label="X", kind="text")
        with pytest.raises(ActionForbidden):
            services.create_from_spec(actor, small_spec("khac"), unit=owner)
        with pytest.raises(ActionForbidden):
            services.new_version(actor, questionnaire)
        assert not selectors.can_edit(actor, questionnaire)
    with pytest.raises(ActionForbidden):
        services.freeze(officer, questionnaire)
    with pytest.raises(ActionForbidden):
        services.freeze(stranger, questionnaire)
    assert not selectors.can_view(stranger, questionnaire)
    assert selectors.can_view(officer, questionnaire)
    admin = user_with(Role.SYSTEM_ADMIN, owner)
    services.add_question(admin, section, code="x", label="X", kind="text")
    # Only national editors make national questionnaires.
    with pytest.raises(ActionForbidden):
        services.create_from_spec(staff, small_spec("quoc-gia"), unit=None)


def test_scope_children_read_their_ancestors_questionnaires_but_do_not_edit_them():
    province = unit("UBND tỉnh An Bình")
    commune = unit("UBND xã Bình An", parent=province)
    province_form = agency_questionnaire(province)
    commune_form = agency_questionnaire(commune, code="phieu-xa")
    commune_staff = reform_staff(commune)
    province_staff = reform_staff(province)
    visible = set(selectors.visible_questionnaires(commune_staff))
    assert {province_form, commune_form} <= visible
    assert not selectors.can_edit(commune_staff, province_form)
    assert selectors.can_edit(province_staff, commune_form)  # a role covers the units below
    template = Questionnaire.objects.get(is_builtin=True)
    assert template in visible
    listed = selectors.questionnaire_list(commune_staff)
    assert listed[0] == template


def test_a_root_system_admin_makes_national_versions():
    root = unit("Bộ Nội vụ")
    admin = user_with(Role.SYSTEM_ADMIN, root)
    template = services.ensure_builtin()
    national = services.new_version(admin, template)
    assert national.owner_unit is None and national.code == template.code and national.version == 2
    services.add_section(admin, national, "Bổ sung")
    child_admin = user_with(Role.SYSTEM_ADMIN, unit("Sở", parent=root))
    assert not selectors.can_edit(child_admin, national)


def test_sections_keep_their_order_and_codes(owner, staff):
    questionnaire = agency_questionnaire(owner, staff)
    added = services.add_section(staff, questionnaire, "  Thêm  ")
    assert added.title == "Thêm" and added.code == "agency_3"
    assert list(
        Section.objects.filter(questionnaire=questionnaire).values_list("code", flat=True)
    ) == [
        "a",
        "b",
        "agency_3",
    ]
    with pytest.raises(SurveyError):
        services.add_section(staff, questionnaire, " ")
    assert Question.objects.filter(questionnaire=questionnaire).count() == 10


def test_the_builtin_is_frozen_from_the_start_and_a_campaign_may_freeze_a_parents_form():
    template = services.ensure_builtin()
    assert template.frozen and template.frozen_by is None
    province = unit("UBND tỉnh")
    commune_staff = reform_staff(unit("UBND xã", parent=province))
    province_form = agency_questionnaire(province)
    services.freeze(commune_staff, province_form)  # a commune campaign uses the province's form
    province_form.refresh_from_db()
    assert province_form.frozen_by == commune_staff


def test_empty_agency_sections_can_be_removed(owner, staff):
    copy = services.new_version(staff, services.ensure_builtin(), unit=owner)
    own = services.add_section(staff, copy, "Riêng")
    question = services.add_question(staff, own, code="x", label="X", kind="text")
    with pytest.raises(SurveyError):
        services.remove_section(staff, own)
    with pytest.raises(SurveyError, match="SIPAS"):
        services.remove_section(staff, copy.sections.get(code="service"))
    services.remove_question(staff, question)
    services.remove_section(staff, own)
    assert not copy.sections.filter(pk=own.pk).exists()


def test_a_code_a_condition_reads_cannot_be_renamed(owner, staff):
    questionnaire = agency_questionnaire(owner, staff)
    questionnaire.sections.update(official=False)
    used = questionnaire.questions.get(code="used")
    with pytest.raises(SurveyError):
        services.update_question(staff, used, code="used_before")
    services.update_question(staff, questionnaire.questions.get(code="why"), code="why_not")
    assert questionnaire.questions.filter(code="why_not").exists()


def test_a_condition_on_a_later_question_is_refused(owner, staff):
    spec = small_spec("phieu-sau")
    spec.sections[0].questions[0].show_when = [Condition("why", "=", "x")]
    with pytest.raises(services.QuestionnaireInvalid, match="nằm phía sau"):
        services.create_from_spec(staff, spec, unit=owner)
    questionnaire = agency_questionnaire(owner, staff)
    questionnaire.sections.update(official=False)
    with pytest.raises(services.QuestionnaireInvalid, match="nằm phía sau"):
        services.update_question(
            staff, questionnaire.questions.get(code="used"), show_when=[Condition("n", ">", "1")]
        )


def test_two_versions_saved_at_once_refuse_the_second(owner, staff, monkeypatch):
    first = agency_questionnaire(owner, staff)
    monkeypatch.setattr(services, "_next_version", lambda code: 1)  # as if another took 2
    with pytest.raises(services.StaleRecord):
        services.new_version(staff, first)
    assert Questionnaire.objects.filter(code=first.code).count() == 1


def test_texts_longer_than_their_column_are_refused_with_a_message(owner, staff):
    questionnaire = agency_questionnaire(owner, staff)
    section = questionnaire.sections.get(code="b")
    with pytest.raises(services.QuestionnaireInvalid, match="500"):
        services.add_question(
            staff, section, code="long", label="Dài", kind="single", choices=[("a", "x" * 501)]
        )
    spec = small_spec("phieu-dai")
    spec.title = "T" * 256
    with pytest.raises(services.QuestionnaireInvalid, match="255"):
        services.create_from_spec(staff, spec, unit=owner)
