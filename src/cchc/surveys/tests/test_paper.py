"""Paper forms typed twice: agreement makes a response, differences wait for reform staff."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.organisations.models import Role
from cchc.surveys import answering, builtin, paper
from cchc.surveys.engine.answers import validate
from cchc.surveys.errors import ActionForbidden
from cchc.surveys.forms_answers import choices_of
from cchc.surveys.models import PaperEntry, Response, ResponseChannel
from cchc.surveys.paper import flatten, unflatten

from .campaign_factories import sipas_answers
from .factories import reform_staff, user_with
from .test_answer_pages import as_post
from .test_answer_services import make_world


def type_(world, user, answers, sheet="P-001"):
    return paper.type_sheet(world.campaign, world.counter, sheet, answers, user)


@pytest.mark.django_db
def test_two_agreeing_typings_by_different_people_make_one_paper_response():
    world = make_world()
    first = type_(world, world.officer, sipas_answers(4))
    assert first.response is None and first.differences == []
    assert not Response.objects.exists()
    second = type_(world, world.second_officer, sipas_answers(4))
    response = second.response
    assert response.channel == ResponseChannel.PAPER
    assert response.seconds is None and response.started_at is None
    assert response.answers == answering.check(answering.spec_of(world.campaign), sipas_answers(4))
    assert set(PaperEntry.objects.values_list("response", flat=True)) == {response.pk}


@pytest.mark.django_db
def test_the_same_person_cannot_type_both_copies():
    world = make_world()
    type_(world, world.officer, sipas_answers(4))
    with pytest.raises(paper.SamePerson):
        type_(world, world.officer, sipas_answers(4))
    assert PaperEntry.objects.count() == 1


@pytest.mark.django_db
def test_a_third_typing_is_refused():
    world = make_world()
    type_(world, world.officer, sipas_answers(4))
    type_(world, world.second_officer, sipas_answers(4))
    with pytest.raises(answering.AnswerRefused):
        type_(world, user_with(Role.ONE_STOP_OFFICER, world.counter), sipas_answers(4))


@pytest.mark.django_db
def test_only_staff_of_the_unit_type_paper_forms():
    world = make_world()
    leader = user_with(Role.LEADER, world.counter)
    with pytest.raises(ActionForbidden):
        type_(world, leader, sipas_answers(4))


@pytest.mark.django_db
def test_differences_are_listed_and_reform_staff_choose_per_question():
    world = make_world()
    first_answers = sipas_answers(4)
    second_answers = sipas_answers(4)
    second_answers["r_sex"] = "male"
    second_answers["sv_results"]["sv_results_2"] = "2"
    type_(world, world.officer, first_answers)
    typed = type_(world, world.second_officer, second_answers)
    assert typed.response is None
    assert [(d.key, d.first, d.second) for d in typed.differences] == [
        ("r_sex", "female", "male"),
        ("sv_results_2", "4", "2"),
    ]
    assert [entry.sheet for entry in paper.pending(world.campaign)] == ["P-001"]
    with pytest.raises(ActionForbidden):  # a one-stop officer cannot settle
        paper.resolve(world.campaign, world.counter, "P-001", {}, world.officer)
    with pytest.raises(answering.AnswerRefused):  # every difference needs a choice
        paper.resolve(world.campaign, world.counter, "P-001", {"r_sex": "2"}, world.reform)
    response = paper.resolve(
        world.campaign,
        world.counter,
        "P-001",
        {"r_sex": "2", "sv_results_2": "1"},
        world.reform,
    )
    assert response.answers["r_sex"] == "male"
    assert response.answers["sv_results"]["sv_results_2"] == "4"
    assert not paper.pending(world.campaign).exists()
    with pytest.raises(answering.AnswerRefused):
        paper.resolve(world.campaign, world.counter, "P-001", {}, world.reform)
    assert Response.objects.count() == 1
    settled = world.campaign.events.order_by("-sequence").first()  # in the sealed history
    assert (settled.action, settled.actor_id) == ("paper_settled", world.reform.pk)
    assert settled.data == {"unit": world.counter.code, "sheet": "P-001", "differences": 2}


@pytest.mark.django_db
def test_typing_and_settling_through_the_pages(client):
    world = make_world()
    url = reverse("surveys:paper", args=[world.campaign.code, world.counter.code])
    client.force_login(world.officer)
    page = client.post(url, {"sheet": "P-9", **as_post(sipas_answers(4))}, follow=True)
    assert "P-9" in page.content.decode()
    client.post(url, {"sheet": "P-9", **as_post(sipas_answers(4))})  # the same person again
    assert PaperEntry.objects.count() == 1
    client.force_login(world.second_officer)
    changed = sipas_answers(4)
    changed["o_channel"] = "online_full"
    client.post(url, {"sheet": "P-9", **as_post(changed)})
    assert PaperEntry.objects.count() == 2 and not Response.objects.exists()
    resolve_url = reverse("surveys:paper_resolve", args=[world.campaign.code, world.counter.code])
    assert client.get(resolve_url, {"so": "P-9"}).status_code == 403
    client.force_login(reform_staff(world.counter))
    page = client.get(resolve_url, {"so": "P-9"})
    html = page.content.decode()
    assert 'data-key="o_channel"' in html and 'name="pick_o_channel"' in html
    channel_labels = dict(choices_of(answering.spec_of(world.campaign).question("o_channel")))
    assert channel_labels["counter"] in html and channel_labels["online_full"] in html
    assert 'data-key="r_sex"' not in html
    done = client.post(resolve_url, {"sheet": "P-9", "pick_o_channel": "1"})
    assert done.status_code == 302
    assert Response.objects.get().answers["o_channel"] == "counter"


@pytest.mark.django_db
def test_a_missing_sheet_number_is_shown_next_to_its_field(client):
    world = make_world()
    client.force_login(world.officer)
    url = reverse("surveys:paper", args=[world.campaign.code, world.counter.code])
    page = client.post(url, {"sheet": " ", **as_post(sipas_answers(4))})
    assert page.status_code == 400
    assert 'class="form-control form-control-lg is-invalid"' in page.content.decode()
    assert not PaperEntry.objects.exists()


SIPAS_SPEC = builtin.load().spec
LEVELS = st.sampled_from(["1", "2", "3", "4", "5"])


@st.composite
def sipas_forms(draw):
    """Valid cleaned answers to the SIPAS form: any level on each item, feedback or not."""
    answers = sipas_answers(4, feedback=draw(st.booleans()))
    for code, value in answers.items():
        if isinstance(value, dict):
            answers[code] = {item: draw(LEVELS) for item in value}
    if draw(st.booleans()):
        answers["e_improve_first"] = draw(
            st.lists(
                st.sampled_from(paper_choice_values("e_improve_first")), min_size=1, unique=True
            )
        )
    return validate(SIPAS_SPEC, answers).cleaned


def paper_choice_values(code):
    return [value for value, _label in choices_of(SIPAS_SPEC.question(code))]


@given(first=sipas_forms(), second=sipas_forms())
@settings(max_examples=60, deadline=None)
def test_flattening_round_trips_and_differences_are_exactly_the_changed_answers(first, second):
    back = unflatten(SIPAS_SPEC, {k: v for k, (_l, v) in flatten(SIPAS_SPEC, first).items()})
    # The same answers, a multiple choice in value order (two typings in another order agree).
    assert validate(SIPAS_SPEC, back).valid
    assert flatten(SIPAS_SPEC, back) == flatten(SIPAS_SPEC, first)
    assert {k: v for k, v in back.items() if k != "e_improve_first"} == {
        k: v for k, v in first.items() if k != "e_improve_first"
    }
    assert sorted(back.get("e_improve_first", [])) == sorted(first.get("e_improve_first", []))
    found = paper.differences(SIPAS_SPEC, first, second)
    flat_first, flat_second = flatten(SIPAS_SPEC, first), flatten(SIPAS_SPEC, second)
    assert {d.key for d in found} == {k for k in flat_first if flat_first[k] != flat_second[k]}
    assert (found == []) == (flat_first == flat_second)


def test_readable_answers_show_choice_labels():
    answers = sipas_answers(4)
    shown = dict(paper.readable_answers(SIPAS_SPEC, answers))
    item = SIPAS_SPEC.question("sv_access").items[0]
    assert shown[f"{SIPAS_SPEC.question('sv_access').label} — {item.label}"].startswith("4 – ")
    sex = SIPAS_SPEC.question("r_sex")
    assert shown[sex.label] == dict(choices_of(sex))["female"]
