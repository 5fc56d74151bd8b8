"""Pages: the public form and lists (never any personal data), the sender's pages, officers'."""

import re

import pytest
from django.urls import reverse

from cchc.feedback import services
from cchc.feedback.models import Feedback, FeedbackStatus

from .conftest import ADDRESS, EMAIL, NAME, PHONE, submit, to_state

pytestmark = pytest.mark.django_db

PERSONAL = [PHONE, "0912 345 678", EMAIL, ADDRESS, NAME, "Lê Lợi"]


def assert_no_personal_data(html: str):
    for value in PERSONAL:
        assert value not in html, value


def form_data(**changes):
    data = {
        "subject_kind": "other",
        "unit": "",
        "title": "Đề nghị bố trí thêm ghế chờ",
        "content": "Khu vực chờ thường quá tải vào đầu tuần, nhiều người phải đứng chờ lâu.",
        "sender_kind": "individual",
        "sender_name": NAME,
        "sender_phone": PHONE,
        "sender_email": EMAIL,
        "sender_address": ADDRESS,
        "website": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def published(unit, officer, leader, clock):
    feedback, token = submit(
        unit,
        title=f"{NAME} đề nghị bố trí thêm ghế chờ",
        content=f"Tôi là {NAME}, điện thoại {PHONE}, nhà ở {ADDRESS}. Khu vực chờ quá tải.",
    )
    feedback = to_state(feedback, "answered", officer, leader)
    texts = services.suggested_public_texts(feedback)
    feedback = services.publish(
        feedback.pk,
        leader,
        texts["public_content"],
        "Đã bố trí ghế.",
        public_title=texts["public_title"],
    )
    return feedback, token


# -- public form ---------------------------------------------------------------------------------
def test_the_form_submits_and_shows_the_code_and_private_link(client, unit, clock):
    response = client.post(reverse("feedback:submit"), form_data(unit=unit.pk))
    feedback = Feedback.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("feedback:confirmation", args=[feedback.code])
    page = client.get(response["Location"]).content.decode()
    assert feedback.code in page
    link = re.search(r"/phan-anh/danh-gia/[^\"<\s]+", page).group()
    assert client.get(link).status_code == 200
    assert "24/03/2025" in page  # due: 15 working days after Monday 3/3/2025


def test_the_confirmation_page_is_only_for_the_sender_session(client, unit, clock):
    feedback, _ = submit(unit)
    assert client.get(reverse("feedback:confirmation", args=[feedback.code])).status_code == 404


def test_the_form_shows_field_errors_and_keeps_nothing(client, unit, clock):
    response = client.post(reverse("feedback:submit"), form_data(sender_phone="", sender_email=""))
    assert response.status_code == 200 and not Feedback.objects.exists()
    assert "sender_phone" in response.context["form"].errors


def test_an_empty_form_shows_every_error_at_once(client, unit, procedure, clock):
    """Form rules and the service's rules answer in one round, with a summary linking to them."""
    empty = {"subject_kind": "procedure", "sender_kind": "individual", "website": ""}
    response = client.post(reverse("feedback:submit"), empty)
    errors = response.context["form"].errors
    assert {"procedure", "title", "content", "sender_name", "sender_phone"} <= set(errors)
    page = response.content.decode()
    for target in ("id_procedure", "id_title", "id_content", "id_sender_name", "id_sender_phone"):
        assert f'href="#{target}"' in page  # the summary at the top links to the field
    title = re.search(r"<input[^>]*id=\"id_title\"[^>]*>", page).group()
    assert 'aria-invalid="true"' in title and 'aria-describedby="id_title_error"' in title
    assert 'id="id_title_error"' in page
    # A short content and a missing officer are found in the same round as the rest.
    response = client.post(
        reverse("feedback:submit"),
        form_data(subject_kind="officer", content="Quá ngắn", sender_phone="", sender_email=""),
    )
    assert {"officer_name", "content", "sender_phone"} <= set(response.context["form"].errors)


def test_required_fields_are_marked(client, unit, clock):
    page = client.get(reverse("feedback:submit")).content.decode()
    for name in ("title", "content", "sender_name"):
        tag = re.search(rf"<(input|textarea)[^>]*id=\"id_{name}\"[^>]*>", page).group()
        assert " required" in tag and 'aria-required="true"' in tag, tag
    procedure = re.search(r"<select[^>]*id=\"id_procedure\"[^>]*>", page).group()
    assert 'aria-required="true"' in procedure  # the default subject is a procedure
    officer = re.search(r"<input[^>]*id=\"id_officer_name\"[^>]*>", page).group()
    assert "aria-required" not in officer and 'data-required-for="officer"' in officer


def test_letting_the_system_route_is_accepted(client, unit, centre, clock):
    response = client.post(reverse("feedback:submit"), form_data(unit=""))
    assert response.status_code == 302
    assert Feedback.objects.get().unit == centre


def test_the_honeypot_stops_bots(client, unit, clock):
    response = client.post(reverse("feedback:submit"), form_data(unit=unit.pk, website="x.com"))
    assert response.status_code == 200 and not Feedback.objects.exists()


def test_submissions_are_rate_limited_per_address(client, unit, settings, clock):
    settings.CCHC_FEEDBACK_MAX_SUBMISSIONS = 2
    for _ in range(2):
        assert client.post(reverse("feedback:submit"), form_data(unit=unit.pk)).status_code == 302
    response = client.post(reverse("feedback:submit"), form_data(unit=unit.pk))
    assert response.status_code == 200 and Feedback.objects.count() == 2


def test_a_dossier_code_in_the_address_prefills_the_form(client, dossier, procedure, citizen):
    response = client.get(reverse("feedback:submit") + f"?ho_so={dossier.code}")
    assert response.context["form"].initial["dossier_code"] == dossier.code
    assert response.context["form"].initial["subject_kind"] == "dossier"
    client.force_login(citizen)
    response = client.get(reverse("feedback:submit") + f"?thu_tuc={procedure.code}")
    assert response.context["form"].initial["procedure"] == procedure.code
    assert response.context["form"].initial["sender_name"] == citizen.get_full_name()


def test_a_signed_in_owner_reports_on_their_dossier(client, dossier, citizen, clock):
    client.force_login(citizen)
    data = form_data(subject_kind="dossier", dossier_code=dossier.code, sender_phone="")
    assert client.post(reverse("feedback:submit"), data).status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.dossier == dossier and feedback.sender_user == citizen
    assert client.get(reverse("feedback:mine")).content.decode().count(feedback.code) >= 1


# -- public pages: never any personal data -------------------------------------------------------
def test_public_pages_show_no_personal_data(client, published):
    feedback, _ = published
    listing = client.get(reverse("feedback:public_list")).content.decode()
    assert feedback.public_title in listing and "đề nghị bố trí thêm ghế chờ" in listing
    assert_no_personal_data(listing)
    detail = client.get(reverse("feedback:public_detail", args=[feedback.code])).content.decode()
    assert "Đã bố trí ghế." in detail and "N.V.A." in detail
    assert_no_personal_data(detail)


def test_unpublished_feedback_is_not_public(client, unit, clock):
    feedback, _ = submit(unit)
    assert client.get(reverse("feedback:public_detail", args=[feedback.code])).status_code == 404
    assert feedback.code not in client.get(reverse("feedback:public_list")).content.decode()


def test_lookup_by_code_and_phone_digits(client, published):
    feedback, _ = published
    url = reverse("feedback:lookup")
    page = client.post(url, {"code": feedback.code, "digits": PHONE[-4:]}).content.decode()
    assert "Đã bố trí ghế." in page
    assert_no_personal_data(page)
    wrong = client.post(url, {"code": feedback.code, "digits": "0000"})
    unknown = client.post(url, {"code": "PA-250303-9999", "digits": PHONE[-4:]})
    assert wrong.context["error"] == unknown.context["error"]
    assert "feedback" not in wrong.context


def test_lookup_is_rate_limited(client, published, settings):
    feedback, _ = published
    settings.CCHC_FEEDBACK_LOOKUP_MAX_FAILURES = 3
    url = reverse("feedback:lookup")
    for _ in range(3):
        client.post(url, {"code": feedback.code, "digits": "0000"})
    response = client.post(url, {"code": feedback.code, "digits": PHONE[-4:]})
    assert "feedback" not in response.context


def test_guesses_on_one_code_from_many_addresses_lock_the_code(client, published, settings):
    feedback, _ = published
    settings.CCHC_LOOKUP_CODE_MAX_FAILURES = 5
    url = reverse("feedback:lookup")
    for number in range(5):  # one guess from each address: the per-address limit never bites
        client.post(url, {"code": feedback.code, "digits": f"{number:04d}"},
                    REMOTE_ADDR=f"198.51.100.{number}")  # fmt: skip
    right = client.post(url, {"code": feedback.code, "digits": PHONE[-4:]}, REMOTE_ADDR="10.0.0.9")
    unknown = client.post(url, {"code": "PA-250303-9999", "digits": PHONE[-4:]})
    assert "feedback" not in right.context
    assert right.context["error"] == unknown.context["error"]


# -- rating: once, and only by the sender --------------------------------------------------------
def test_the_private_link_rates_once(client, published):
    feedback, token = published
    url = reverse("feedback:rate", args=[feedback.code, token])
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"] is not None
    client.post(url, {"rating": "dissatisfied", "comment": "Chưa thỏa đáng"})
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.RATED and feedback.rating == "dissatisfied"
    client.post(url, {"rating": "satisfied"})
    feedback.refresh_from_db()
    assert feedback.rating == "dissatisfied"
    assert feedback.events.filter(action="rated").count() == 1


def test_a_wrong_token_is_not_found(client, published):
    feedback, token = published
    wrong = token[:-1] + ("y" if token.endswith("x") else "x")  # never equal to the real one
    url = reverse("feedback:rate", args=[feedback.code, wrong])
    assert client.get(url).status_code == 404
    assert client.post(url, {"rating": "satisfied"}).status_code == 404
    feedback.refresh_from_db()
    assert feedback.rating == ""


def test_only_the_sender_may_rate(published, citizen, leader):
    feedback, token = published
    for kwargs in ({}, {"user": citizen}, {"user": leader}, {"token": "guess"}):
        with pytest.raises(services.ActionForbidden):
            services.rate(feedback.pk, "satisfied", **kwargs)
    assert services.rate(feedback.pk, "satisfied", token=token).rating == "satisfied"
    with pytest.raises(services.TransitionNotAllowed):
        services.rate(feedback.pk, "dissatisfied", token=token)


def test_rating_waits_for_publication_and_needs_a_valid_choice(unit, officer, leader, clock):
    feedback, token = submit(unit)
    feedback = to_state(feedback, "answered", officer, leader)
    with pytest.raises(services.TransitionNotAllowed):
        services.rate(feedback.pk, "satisfied", token=token)
    feedback = to_state(Feedback.objects.get(pk=feedback.pk), "received", officer, leader)
    services.publish(feedback.pk, leader, "Câu hỏi.", "Trả lời.")
    with pytest.raises(services.FeedbackError) as error:
        services.rate(feedback.pk, "excellent", token=token)
    assert error.value.field == "rating"


def test_the_signed_in_owner_rates_from_their_page(client, unit, citizen, officer, leader, clock):
    feedback, _ = submit(unit, user=citizen)
    to_state(feedback, "published", officer, leader)
    client.force_login(citizen)
    url = reverse("feedback:my_detail", args=[feedback.code])
    client.post(url, {"rating": "satisfied"})
    feedback.refresh_from_db()
    assert feedback.rating == "satisfied"


def test_someone_elses_feedback_is_not_in_my_pages(client, unit, citizen, django_user_model, clock):
    feedback, _ = submit(unit, user=citizen)
    other = django_user_model.objects.create_user("khac", password="pw-123456")
    client.force_login(other)
    assert client.get(reverse("feedback:my_detail", args=[feedback.code])).status_code == 404
    assert feedback.code not in client.get(reverse("feedback:mine")).content.decode()


# -- officers ------------------------------------------------------------------------------------
def test_the_queue_shows_the_units_feedback(client, unit, officer, clock):
    feedback, _ = submit(unit)
    client.force_login(officer)
    page = client.get(reverse("feedback:queue")).content.decode()
    assert feedback.code in page
    for slug in ("can-xu-ly", "sap-den-han", "qua-han", "da-tra-loi", "da-cong-khai", "tat-ca"):
        assert client.get(reverse("feedback:queue_named", args=[slug])).status_code == 200
    assert client.get(reverse("feedback:queue_named", args=["khong-co"])).status_code == 404
    filtered = client.get(reverse("feedback:queue_named", args=["tat-ca"]) + "?loai=fees")
    assert feedback.code not in filtered.content.decode()


def test_an_officer_of_another_unit_sees_nothing(client, unit, stranger, clock):
    feedback, _ = submit(unit)
    client.force_login(stranger)
    assert feedback.code not in client.get(reverse("feedback:queue")).content.decode()
    assert client.get(reverse("feedback:detail", args=[feedback.pk])).status_code == 404
    url = reverse("feedback:act", args=[feedback.pk, "classify"])
    assert client.post(url, {"category": "fees"}).status_code == 404
    feedback.refresh_from_db()
    assert feedback.category == ""


def test_citizens_have_no_queue(client, citizen):
    client.force_login(citizen)
    assert client.get(reverse("feedback:queue")).status_code == 404


def test_detail_offers_actions_and_acts(client, unit, officer, leader, clock):
    feedback, _ = submit(unit)
    client.force_login(officer)
    page = client.get(reverse("feedback:detail", args=[feedback.pk]))
    names = [action["name"] for action in page.context["actions"]]
    assert names == ["classify", "forward", "reject"]
    assert PHONE in page.content.decode()  # officers of the unit see the contact details
    url = reverse("feedback:act", args=[feedback.pk, "classify"])
    client.post(url, {"category": "fees", "version": feedback.version})
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.CLASSIFIED and feedback.category == "fees"
    # A stale page: refused with a message, nothing changes.
    response = client.post(url, {"category": "other", "version": 1}, follow=True)
    feedback.refresh_from_db()
    assert feedback.category == "fees"
    assert list(response.context["messages"])
    # Leaders see the publish action once answered.
    services.answer(feedback.pk, officer, "Trả lời")
    client.force_login(leader)
    page = client.get(reverse("feedback:detail", args=[feedback.pk]))
    assert [action["name"] for action in page.context["actions"]] == ["publish"]


def test_unknown_action_is_not_found(client, unit, officer, clock):
    feedback, _ = submit(unit)
    client.force_login(officer)
    assert client.post(reverse("feedback:act", args=[feedback.pk, "delete"])).status_code == 404


def test_public_search_never_matches_private_text(client, published):
    feedback, _ = published
    url = reverse("feedback:public_list")
    assert feedback.code in client.get(url + "?q=bố trí ghế").content.decode()
    for private in (NAME, "Lê Lợi", PHONE):
        assert feedback.code not in client.get(url, {"q": private}).content.decode()
