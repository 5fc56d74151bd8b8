"""Questionnaire pages with the test client, as reform staff (the least privileged role that does
the work), and the 403/404 others get."""

import pytest
from django.urls import reverse

from cchc.common.menu import menu
from cchc.organisations.models import Role
from cchc.organisations.tests.factories import UserFactory
from cchc.surveys import services
from cchc.surveys.models import Questionnaire

from .factories import agency_questionnaire, reform_staff, unit, user_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return unit()


@pytest.fixture
def staff(owner):
    return reform_staff(owner)


@pytest.fixture
def template():
    return services.ensure_builtin()


def url(name, *args):
    return reverse(f"surveys:{name}", args=args)


def test_the_list_shows_the_builtin_first_then_the_units_own(client, owner, staff, template):
    own = agency_questionnaire(owner, staff)
    services.freeze(staff, own)
    hidden = agency_questionnaire(unit("Sở Y tế"), code="phieu-khac")
    client.force_login(staff)
    page = client.get(url("questionnaires"))
    assert page.status_code == 200
    text = page.content.decode()
    assert text.index(template.title) < text.index(own.title)
    assert url("questionnaire", own.pk) in text and url("questionnaire", hidden.pk) not in text
    assert "Frozen" in text or "Đã khóa" in text


def test_the_menu_entry_is_for_reform_staff_leaders_and_admins():
    entry = next(item for item in menu if item.url_name == "surveys:questionnaires")
    assert set(entry.roles) == {Role.REFORM_STAFF, Role.LEADER, Role.SYSTEM_ADMIN}


def test_the_preview_renders_every_section_likert_and_matrix(client, staff, template):
    client.force_login(staff)
    page = client.get(url("questionnaire", template.pk))
    assert page.status_code == 200
    text = page.content.decode()
    for title in ("Thông tin về người trả lời", "Nhận định, đánh giá", "Nhu cầu, mong đợi"):
        assert title in text
    assert text.count("Rất hài lòng") >= 5  # the Likert labels of the service matrices
    assert "Nơi tiếp nhận và trả kết quả có biển hiệu" in text
    assert 'class="table table-sm table-bordered align-middle text-center matrix"' in text
    assert "d-md-none" in text  # the phone layout of the matrices
    assert url("new_version", template.pk) in text
    assert url("section_add", template.pk) not in text  # the built-in is not edited in place
    assert url("freeze", template.pk) not in text  # frozen from the start
    assert 'id="frozen-badge"' in text


def test_reform_staff_copy_the_builtin_add_a_section_and_a_question(client, owner, staff, template):
    client.force_login(staff)
    page = client.post(url("new_version", template.pk), {"unit": owner.pk})
    copy = Questionnaire.objects.get(owner_unit=owner)
    assert page.status_code == 302 and page["Location"] == url("questionnaire", copy.pk)
    page = client.post(url("section_add", copy.pk), {"title": "Câu hỏi riêng"})
    assert page.status_code == 302
    section = copy.sections.get(official=False)
    page = client.get(url("question_add", copy.pk, section.pk))
    assert page.status_code == 200
    assert '<option value="o_channel">o_channel — Ông/Bà đã nộp hồ sơ' in page.content.decode()
    page = client.post(
        url("question_add", copy.pk, section.pk),
        {
            "code": "wait",
            "label": "Ông/Bà chờ bao lâu?",
            "kind": "single",
            "choices": "short | Dưới 15 phút\nTrên 15 phút",
            "condition_question": "o_channel",
            "condition_operator": "=",
            "condition_value": "counter",
        },
    )
    assert page.status_code == 302, page.content.decode()
    question = copy.questions.get(code="wait")
    assert list(question.choices.values_list("value", "label")) == [
        ("short", "Dưới 15 phút"),
        ("2", "Trên 15 phút"),
    ]
    assert question.show_when == [{"question": "o_channel", "operator": "=", "value": "counter"}]
    # A likert question without typed choices gets the five labelled levels.
    client.post(
        url("question_add", copy.pk, section.pk),
        {"code": "overall", "label": "Nhìn chung?", "kind": "likert5", "required": "on"},
    )
    overall = copy.questions.get(code="overall")
    assert overall.required and overall.choices.count() == 5
    page = client.post(
        url("question_edit", copy.pk, question.pk),
        {"code": "wait", "label": "Thời gian chờ?", "kind": "single", "choices": "a | A"},
    )
    assert page.status_code == 302
    question.refresh_from_db()
    assert question.label == "Thời gian chờ?" and question.show_when == []
    page = client.post(url("question_move", copy.pk, overall.pk), {"direction": "up"})
    assert page.status_code == 302
    assert list(section.questions.order_by("order").values_list("code", flat=True)) == [
        "overall",
        "wait",
    ]
    page = client.post(url("question_remove", copy.pk, question.pk))
    assert page.status_code == 302 and not copy.questions.filter(code="wait").exists()
    empty = copy.sections.create(code="agency_9", title="Trống", order=99)
    assert client.post(url("section_remove", copy.pk, empty.pk)).status_code == 302
    assert not copy.sections.filter(pk=empty.pk).exists()
    detail = client.get(url("questionnaire", copy.pk)).content.decode()
    assert "Nhìn chung?" in detail and "data-confirm" in detail


def test_bad_input_is_a_form_error_not_a_crash(client, owner, staff):
    questionnaire = agency_questionnaire(owner, staff)
    section = questionnaire.sections.get(code="b")
    client.force_login(staff)
    page = client.post(
        url("question_add", questionnaire.pk, section.pk),
        {"code": "why", "label": "", "kind": "nonsense", "condition_question": "zzz"},
    )
    assert page.status_code == 400
    page = client.post(
        url("question_add", questionnaire.pk, section.pk),
        {"code": "1 bad", "label": "X", "kind": "single", "choices": "a|A\na|B"},
    )
    assert page.status_code == 400
    assert 'id="question-problems"' in page.content.decode()
    assert client.post(url("new_version", questionnaire.pk), {"unit": "abc"}).status_code == 302
    template = services.ensure_builtin()
    page = client.post(url("new_version", template.pk), {"unit": "999999"})
    assert page.status_code == 302 and page["Location"] == url("questionnaire", template.pk)
    assert (
        client.post(
            url("question_move", questionnaire.pk, section.questions.first().pk),
            {"direction": "sideways"},
        ).status_code
        == 302
    )
    assert client.get(url("freeze", questionnaire.pk)).status_code == 405


def test_an_official_question_only_changes_its_wording(client, owner, staff, template):
    copy = services.new_version(staff, template, unit=owner)
    official = copy.questions.get(code="sv_access")
    client.force_login(staff)
    page = client.get(url("question_edit", copy.pk, official.pk))
    assert page.status_code == 200 and "disabled" in page.content.decode()
    page = client.post(
        url("question_edit", copy.pk, official.pk),
        {"label": "Về nơi làm thủ tục", "kind": "text", "code": "hack"},
    )
    assert page.status_code == 302
    official.refresh_from_db()
    assert (official.label, official.kind, official.code) == (
        "Về nơi làm thủ tục",
        "matrix",
        "sv_access",
    )
    service = copy.sections.get(code="service")
    page = client.get(url("question_add", copy.pk, service.pk))
    assert page.status_code == 302
    page = client.post(url("question_remove", copy.pk, official.pk))
    assert copy.questions.filter(pk=official.pk).exists()


def test_freezing_from_the_page_then_edits_are_refused(client, owner, staff):
    questionnaire = agency_questionnaire(owner, staff)
    client.force_login(staff)
    assert client.post(url("freeze", questionnaire.pk)).status_code == 302
    questionnaire.refresh_from_db()
    assert questionnaire.frozen
    section = questionnaire.sections.get(code="b")
    page = client.post(
        url("question_add", questionnaire.pk, section.pk),
        {"code": "x", "label": "X", "kind": "text"},
        follow=True,
    )
    assert not questionnaire.questions.filter(code="x").exists()
    assert "frozen" in page.content.decode() or "khóa" in page.content.decode()
    page = client.post(url("new_version", questionnaire.pk))
    assert Questionnaire.objects.filter(code=questionnaire.code, version=2).exists()


def test_others_get_403_or_404(client, owner, staff):
    questionnaire = agency_questionnaire(owner, staff)
    section = questionnaire.sections.get(code="b")
    question = questionnaire.questions.get(code="why")
    officer = user_with(Role.PROCESSING_OFFICER, owner)
    client.force_login(officer)
    assert client.get(url("questionnaire", questionnaire.pk)).status_code == 200  # reads
    for name, args in (
        ("section_add", (questionnaire.pk,)),
        ("question_add", (questionnaire.pk, section.pk)),
        ("question_edit", (questionnaire.pk, question.pk)),
    ):
        assert client.get(url(name, *args)).status_code == 403
    assert client.post(url("question_remove", questionnaire.pk, question.pk)).status_code == 403
    assert client.post(url("freeze", questionnaire.pk)).status_code == 403
    assert client.post(url("new_version", questionnaire.pk)).status_code == 403
    # Staff of a unit below read the form but freeze it only through a campaign, not the page.
    client.force_login(reform_staff(unit("Phòng", parent=owner)))
    page = client.get(url("questionnaire", questionnaire.pk))
    assert page.status_code == 200 and url("freeze", questionnaire.pk) not in page.content.decode()
    assert client.post(url("freeze", questionnaire.pk)).status_code == 403
    client.force_login(reform_staff(unit("Sở Y tế")))
    assert client.get(url("questionnaire", questionnaire.pk)).status_code == 404
    assert client.post(url("freeze", questionnaire.pk)).status_code == 404
    assert client.get(url("question_edit", questionnaire.pk, question.pk)).status_code == 404
    client.force_login(UserFactory())  # no role: a citizen's account
    assert client.get(url("questionnaires")).status_code == 404
    client.logout()
    assert client.get(url("questionnaires")).status_code == 302  # to the sign-in page
    assert questionnaire.questions.filter(pk=question.pk).exists()
