"""Every transition, allowed and refused: state, role and input; nothing changes on a refusal."""

import pytest

from cchc.feedback import services
from cchc.feedback.events import feedback_changed
from cchc.feedback.models import Feedback, FeedbackEvent, FeedbackStatus

from .conftest import submit, to_state

pytestmark = pytest.mark.django_db

STATES = ["received", "classified", "answered", "published", "rated", "rejected"]


def snapshot(feedback: Feedback) -> tuple:
    fresh = Feedback.objects.get(pk=feedback.pk)
    fields = {f.name: getattr(fresh, f.attname) for f in Feedback._meta.concrete_fields}
    fields.pop("updated_at")
    return tuple(sorted(fields.items())), FeedbackEvent.objects.filter(feedback=fresh).count()


@pytest.fixture
def make(unit, officer, leader, clock):
    def factory(state: str) -> tuple[Feedback, str]:
        feedback, token = submit(unit)
        return to_state(feedback, state, officer, leader, token), token

    return factory


def attempt(action: str, feedback: Feedback, user, other_unit, token=""):
    if action == "classify":
        return services.classify(feedback.pk, user, "fees")
    if action == "forward":
        return services.forward(feedback.pk, user, other_unit, "Thuộc thẩm quyền của Sở.")
    if action == "answer":
        return services.answer(feedback.pk, user, "Nội dung trả lời.")
    if action == "publish":
        return services.publish(feedback.pk, user, "Câu hỏi công khai.", "Trả lời công khai.")
    if action == "reject":
        return services.reject(feedback.pk, user, "Không thuộc thẩm quyền.")
    if action == "rate":
        return services.rate(feedback.pk, "neutral", token=token)
    raise AssertionError(action)


ALLOWED = {
    "classify": {"received", "classified"},
    "forward": {"received", "classified"},
    "answer": {"classified"},
    "publish": {"answered"},
    "reject": {"received", "classified"},
    "rate": {"published"},
}
RESULT = {
    "classify": FeedbackStatus.CLASSIFIED,
    "answer": FeedbackStatus.ANSWERED,
    "publish": FeedbackStatus.PUBLISHED,
    "reject": FeedbackStatus.REJECTED,
    "rate": FeedbackStatus.RATED,
}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", list(ALLOWED))
def test_each_action_in_each_state(make, leader, other_unit, action, state):
    feedback, token = make(state)
    before = snapshot(feedback)
    if state in ALLOWED[action]:
        result = attempt(action, feedback, leader, other_unit, token)
        expected = RESULT.get(action, feedback.status)  # forwarding keeps the status
        assert result.status == expected
        assert result.version == feedback.version + 1
        assert result.events.order_by("-at", "-id").first().status_after == expected
    else:
        with pytest.raises(services.TransitionNotAllowed):
            attempt(action, feedback, leader, other_unit, token)
        assert snapshot(feedback) == before


ROLES = {
    # action: roles that may do it (the leader may do everything an officer may)
    "classify": {"officer", "processor", "leader"},
    "forward": {"officer", "processor", "leader"},
    "answer": {"officer", "processor", "leader"},
    "publish": {"leader"},
    "reject": {"officer", "leader"},
}
STATE_FOR = {
    "classify": "received",
    "forward": "received",
    "answer": "classified",
    "publish": "answered",
    "reject": "received",
}


@pytest.mark.parametrize("action", list(ROLES))
@pytest.mark.parametrize(
    "who", ["officer", "processor", "leader", "auditor", "stranger", "citizen"]
)
def test_each_action_by_each_role(make, request, other_unit, action, who):
    user = request.getfixturevalue(who)
    feedback, _ = make(STATE_FOR[action])
    target = other_unit if who != "stranger" else feedback.unit.parent
    before = snapshot(feedback)
    if who in ROLES[action]:
        attempt(action, feedback, user, target)
    else:
        with pytest.raises(services.ActionForbidden):
            attempt(action, feedback, user, target)
        assert snapshot(feedback) == before


def test_answer_needs_a_classification_first(make, officer, other_unit):
    feedback, _ = make("received")
    with pytest.raises(services.TransitionNotAllowed):
        services.answer(feedback.pk, officer, "Trả lời")


@pytest.mark.parametrize(
    ("state", "call", "field"),
    [
        ("received", lambda f, u, o: services.classify(f.pk, u, "nonsense"), "category"),
        ("received", lambda f, u, o: services.forward(f.pk, u, o, "  "), "reason"),
        ("received", lambda f, u, o: services.forward(f.pk, u, f.unit, "Lý do"), "unit"),
        ("classified", lambda f, u, o: services.answer(f.pk, u, "   "), "answer"),
        ("classified", lambda f, u, o: services.answer(f.pk, u, "x" * 10001), "answer"),
        ("answered", lambda f, u, o: services.publish(f.pk, u, "", "Trả lời"), "public_content"),
        ("answered", lambda f, u, o: services.publish(f.pk, u, "Hỏi", " "), "public_answer"),
        ("received", lambda f, u, o: services.reject(f.pk, u, ""), "reason"),
    ],
)
def test_bad_input_changes_nothing(make, leader, other_unit, state, call, field):
    feedback, _ = make(state)
    before = snapshot(feedback)
    with pytest.raises(services.FeedbackError) as error:
        call(feedback, leader, other_unit)
    assert error.value.field == field
    assert snapshot(feedback) == before


def test_forward_to_an_inactive_unit_is_refused(make, officer, other_unit):
    feedback, _ = make("received")
    other_unit.active = False
    other_unit.save()
    with pytest.raises(services.FeedbackError):
        services.forward(feedback.pk, officer, other_unit, "Lý do")


def test_classification_can_be_corrected_but_not_repeated(make, officer):
    feedback, _ = make("classified")
    assert feedback.category == "other"
    with pytest.raises(services.FeedbackError):
        services.classify(feedback.pk, officer, "other")
    feedback = services.classify(feedback.pk, officer, "fees", "Sửa phân loại")
    assert feedback.category == "fees"
    event = feedback.events.filter(action="classified").order_by("-id").first()
    assert event.data == {"category": "fees", "previous": "other"} and event.note == "Sửa phân loại"


def test_forwarding_moves_the_unit_keeps_the_due_time_and_records_history(
    make, officer, other_unit, stranger
):
    feedback, _ = make("classified")
    due = feedback.due_at
    feedback = services.forward(feedback.pk, officer, other_unit, "Thuộc thẩm quyền của Sở.")
    assert feedback.unit == other_unit and feedback.due_at == due and feedback.forward_count == 1
    event = feedback.events.get(action="forwarded")
    assert event.data["from_unit"] == "000.00.31.H99" and event.data["to_unit"] == other_unit.code
    assert event.actor == officer and event.note == "Thuộc thẩm quyền của Sở."
    # The old unit has let go; the new one handles it.
    with pytest.raises(services.ActionForbidden):
        services.answer(feedback.pk, officer, "Trả lời")
    assert services.answer(feedback.pk, stranger, "Trả lời").status == FeedbackStatus.ANSWERED


def test_publication_refuses_personal_data(make, leader):
    feedback, _ = make("answered")
    before = snapshot(feedback)
    for content, answer in [
        ("Liên hệ 0912 345 678", "Trả lời"),
        ("Câu hỏi", "Gửi về an.nguyen@example.com"),
        ("Ông Nguyễn Văn An hỏi", "Trả lời"),
        ("Câu hỏi", "CCCD 001090012345"),
        ("Địa chỉ Số 17 đường Lê Lợi, phường Đông Thành", "Trả lời"),
    ]:
        with pytest.raises(services.FeedbackError):
            services.publish(feedback.pk, leader, content, answer)
    assert snapshot(feedback) == before
    published = services.publish(feedback.pk, leader, "Phí 150.000.000 đồng?", "Đúng quy định.")
    assert published.status == FeedbackStatus.PUBLISHED and published.published_by == leader


def test_the_title_is_checked_too_and_can_be_edited(unit, officer, leader, clock):
    feedback, _ = submit(unit, title="Gọi lại cho tôi: 0912345678")
    feedback = to_state(feedback, "answered", officer, leader)
    with pytest.raises(services.FeedbackError) as error:
        services.publish(feedback.pk, leader, "Câu hỏi.", "Trả lời.")  # the sender's title
    assert error.value.field == "public_title"
    published = services.publish(
        feedback.pk, leader, "Câu hỏi.", "Trả lời.", public_title="Đề nghị liên hệ lại"
    )
    assert published.public_title == "Đề nghị liên hệ lại"
    assert published.title == "Gọi lại cho tôi: 0912345678"  # the original stays for officers


def test_suggested_public_texts_mask_personal_data(unit, clock):
    feedback, _ = submit(
        unit,
        content="Tôi là Nguyễn Văn An, số điện thoại 0912.345.678, email an.nguyen@example.com.",
    )
    text = services.suggested_public_texts(feedback)["public_content"]
    assert "0912" not in text and "@" not in text and "Nguyễn Văn An" not in text
    assert "Tôi là" in text


def test_events_are_append_only(make):
    from cchc.feedback.models import AppendOnlyError

    feedback, _ = make("classified")
    event = feedback.events.first()
    event.note = "sửa"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_every_transition_is_logged(make, officer, leader):
    feedback, _ = make("rated")
    assert list(feedback.events.order_by("at", "id").values_list("action", flat=True)) == [
        "submitted",
        "classified",
        "answered",
        "published",
        "rated",
    ]
    actors = list(feedback.events.order_by("at", "id").values_list("actor", flat=True))
    assert actors == [None, officer.pk, officer.pk, leader.pk, None]


# -- the event for the statistics app ------------------------------------------------------------
@pytest.fixture
def named_dossiers():
    """The dossier named by each ``feedback_changed`` published about a feedback naming one."""
    calls = []

    def handler(*, dossier_id, **_):
        if dossier_id is not None:
            calls.append(dossier_id)

    feedback_changed.subscribe(handler, key="tests.named_dossiers")
    yield calls
    feedback_changed.unsubscribe("tests.named_dossiers")


def test_changes_to_feedback_on_a_dossier_publish_feedback_changed(
    dossier, officer, leader, named_dossiers, clock, django_user_model
):
    from cchc.organisations.models import Role, RoleAssignment

    RoleAssignment.objects.create(user=officer, unit=dossier.receiving_unit, role=Role.LEADER)
    feedback, token = submit(
        subject_kind="dossier", dossier_code=dossier.code, dossier_digits="4321"
    )
    assert named_dossiers == [dossier.pk]
    to_state(feedback, "rated", officer, officer, token)
    assert named_dossiers == [dossier.pk] * 5  # submitted, classified, answered, published, rated


def test_no_signal_without_a_dossier_nor_on_a_refusal(make, officer, named_dossiers):
    feedback, _ = make("classified")
    with feedback_changed.observe() as published, pytest.raises(services.FeedbackError):
        services.answer(feedback.pk, officer, "")
    assert named_dossiers == []
    assert published == []
