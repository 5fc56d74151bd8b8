"""One code format from one allocator, and a published answer always has a title to click.

Before: the synthetic-history generator wrote ``PA-YYMMDD-NNNNNNN`` codes of its own and no public
title, so /phan-anh/ mixed two code formats and listed 7 of 20 answers as empty links.
"""

import re

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from cchc.feedback import codes, services
from cchc.feedback.models import Feedback, FeedbackEvent, FeedbackSequence
from cchc.history import registry
from cchc.history.services import verify_chains, verify_checkpoint, write_checkpoint

from .conftest import NAME, submit, to_state

pytestmark = pytest.mark.django_db
NEW_FORM = re.compile(r"^PA-[0-9]{6}-[0-9]{4}$")
EMPTY_LINK = re.compile(r'<a href="/phan-anh/cong-khai/[^"]+/">\s*</a>')


@pytest.fixture
def generated(settings):
    from cchc.demo import province as demo
    from cchc.demo.generate import generate

    units = demo.load_units()
    demo.load_catalog(units)
    generate(3000, units=4, years=1.5, events=False, seed=8)  # enough dossiers to draw complaints
    assert Feedback.objects.filter(status__in=["published", "rated"]).exists()


def test_generated_feedback_takes_codes_from_the_allocator_and_has_titles(client, generated):
    rows = list(Feedback.objects.values_list("code", "status", "public_title"))
    assert all(NEW_FORM.match(code) for code, _status, _title in rows), rows[:3]
    assert all(title.strip() for _code, status, title in rows if status in ("published", "rated"))
    per_day = {}
    for code, _status, _title in rows:
        day = code[3:9]
        per_day[day] = max(per_day.get(day, 0), int(code[-4:]))
    for sequence in FeedbackSequence.objects.all():
        # The counter is where the generator left it: the next submission gets a fresh number.
        assert sequence.last_value >= per_day.get(f"{sequence.day:%y%m%d}", 0)
    listing = client.get(reverse("feedback:public_list")).content.decode()
    assert not EMPTY_LINK.search(listing)


def test_a_block_of_codes_continues_the_days_counter(unit, clock):
    first, _ = submit(unit)
    block = services.allocate_codes(first.received_at, 3)
    assert block == ["PA-250303-0002", "PA-250303-0003", "PA-250303-0004"]
    assert submit(unit)[0].code == "PA-250303-0005"


def test_publishing_with_an_empty_title_derives_one(unit, officer, leader, clock):
    feedback, _ = submit(unit, title=f"{NAME} đề nghị thêm ghế chờ")
    feedback = to_state(feedback, "answered", officer, leader)
    published = services.publish(
        feedback.pk, leader, "Khu vực chờ quá tải.", "Đã bố trí ghế.", public_title="  "
    )
    assert published.public_title == "*** đề nghị thêm ghế chờ"  # the name is masked


def test_the_start_of_the_question_when_nothing_else(unit, officer, leader, clock):
    feedback, _ = submit(unit)
    feedback.title = ""
    content = "Khu vực chờ của bộ phận một cửa thường quá tải vào đầu tuần " * 4
    assert services.derived_public_title(feedback, content).endswith("…")
    assert len(services.derived_public_title(feedback, content)) <= 121


def test_a_published_feedback_without_a_title_is_refused_by_the_database(
    unit, officer, leader, clock
):
    feedback = to_state(submit(unit)[0], "published", officer, leader)
    with pytest.raises(IntegrityError), transaction.atomic():
        Feedback.objects.filter(pk=feedback.pk).update(public_title="")


def test_old_codes_are_rewritten_only_where_safe_and_the_chain_holds(
    unit, other_unit, officer, leader, clock
):
    held, _token = submit(unit)  # a private link was issued: the sender holds the code
    free, _ = submit(unit)
    quoted, _ = submit(unit)
    Feedback.objects.filter(pk=held.pk).update(code="PA-250303-0000041")
    Feedback.objects.filter(pk=free.pk).update(
        code="PA-250303-0000042", rating_token_hash="", sender_phone=""
    )
    Feedback.objects.filter(pk=quoted.pk).update(
        code="PA-250303-0000043", rating_token_hash="", sender_phone=""
    )
    services.forward(quoted.pk, officer, other_unit, "Trùng nội dung PA-250303-0000043.")
    checkpoint = write_checkpoint()

    assert codes.rewrite_old_codes(Feedback, FeedbackEvent, FeedbackSequence) == (1, 2)

    codes_now = dict(Feedback.objects.values_list("pk", "code"))
    assert codes_now[free.pk] == "PA-250303-0004"  # after the day's 3 numbers
    assert codes_now[held.pk] == "PA-250303-0000041"  # kept, and still valid
    assert codes_now[quoted.pk] == "PA-250303-0000043"
    assert FeedbackSequence.objects.get().last_value == 4
    assert submit(unit)[0].code == "PA-250303-0005"
    assert list(verify_chains(registry.get("feedback"))) == []
    assert verify_checkpoint(checkpoint) == []
    assert codes.rewrite_old_codes(Feedback, FeedbackEvent, FeedbackSequence) == (0, 2)


def test_the_migration_titles_untitled_answers_from_what_they_have():
    import importlib

    migration = importlib.import_module(
        "cchc.feedback.migrations.0003_public_titles_and_uniform_codes"
    )
    row = {"code": "PA-250303-0001", "title": " Hỏi  lệ phí ", "public_content": "x"}
    assert migration._title(row) == "Hỏi lệ phí"
    assert migration._title({**row, "title": ""}) == "x"
    assert migration._title({**row, "title": "", "public_content": ""}) == "Phản ánh PA-250303-0001"
