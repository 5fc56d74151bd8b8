"""Campaign services: the frame from real dossiers, the seeded draw, invitations through the
outbox, the lifecycle and its sealed history, and every refusal."""

from __future__ import annotations

import io
import json
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from cchc.dossiers.models import Status
from cchc.history import registry
from cchc.history.services import verify_owner
from cchc.notifications.models import OutboxMessage
from cchc.organisations.models import Role
from cchc.surveys import campaigns as services
from cchc.surveys import frame as frames
from cchc.surveys import selectors_campaigns as selectors
from cchc.surveys.engine import sampling
from cchc.surveys.errors import ActionForbidden, StaleRecord, SurveyError
from cchc.surveys.models import (
    Campaign,
    CampaignEvent,
    CampaignStatus,
    Invitation,
    InvitationStatus,
)
from cchc.surveys.tests import factories
from cchc.surveys.transitions import CAMPAIGN_TRANSITIONS, CampaignTransitionNotAllowed

from .campaign_world import World, make_world

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def world(db) -> World:
    return make_world()


def _ids(campaign) -> set[int]:
    return set(Invitation.objects.filter(campaign=campaign).values_list("dossier_id", flat=True))


# -- the frame -----------------------------------------------------------------------------------
def test_frame_holds_people_whose_results_were_returned_in_the_local_period(world):
    inside = world.dossier(world.centre_a, returned=datetime(2026, 9, 30, 23, 30, tzinfo=VN))
    first_day = world.dossier(world.centre_a, returned=datetime(2026, 1, 1, 0, 5, tzinfo=VN))
    world.dossier(world.centre_a, returned=datetime(2025, 12, 31, 23, 59, tzinfo=VN))
    world.dossier(world.centre_a, returned=datetime(2026, 10, 1, 0, 1, tzinfo=VN))
    world.dossier(world.centre_a, status=Status.RESOLVED)  # resolved, result not returned yet
    world.dossier(world.outsider_unit)  # another province's centre
    campaign = world.campaign()
    found = frames.build_frame(campaign)
    assert {person.dossier_id for person in found.people.values()} == {inside.pk, first_day.pk}
    # The commune's centre is under the commune: its dossiers are the commune's.
    assert {record.unit for record in found.records} == {world.commune_a.code}


def test_one_person_one_record_the_latest_dossier_kept(world):
    world.dossier(
        world.commune_b, id_number="001090000001", returned=datetime(2026, 3, 1, 9, tzinfo=VN)
    )
    latest = world.dossier(
        world.centre_a,
        id_number=" 001090000001 ",
        returned=datetime(2026, 6, 1, 9, tzinfo=VN),
        field=world.land,
    )
    world.dossier(world.commune_b, id_number="")  # no ID number: its own person
    world.dossier(world.commune_b, id_number="")
    found = frames.build_frame(world.campaign())
    assert len(found.records) == 3
    kept = found.people[str(latest.pk)]
    assert kept.unit_id == world.commune_a.pk and kept.field_code == "DD"
    assert not any(
        p.unit_id == world.commune_b.pk and p.field_code == "DD" for p in found.people.values()
    )


def test_a_dossier_goes_to_the_deepest_surveyed_unit(world):
    dossier = world.dossier(world.centre_a)
    campaign = world.campaign(units=[world.commune_a, world.centre_a])
    found = frames.build_frame(campaign)
    assert [r.unit for r in found.records] == [world.centre_a.code]
    assert found.people[str(dossier.pk)].unit_id == world.centre_a.pk


# -- the draw ------------------------------------------------------------------------------------
def test_same_seed_same_sample_and_the_fingerprint_is_recorded(world):
    world.dossiers(world.centre_a, 40)
    world.dossiers(world.commune_b, 25)
    campaign = world.campaign(size_method="quota", quota=10, seed=424242)
    report = services.draw_sample(world.reform, campaign)
    first = _ids(campaign)
    assert len(first) == 20 and report.seed == 424242
    campaign.refresh_from_db()
    expected = sampling.frame_fingerprint(frames.build_frame(campaign).records)
    assert campaign.frame_fingerprint == expected == report.fingerprint
    assert campaign.drawn_at is not None
    services.draw_sample(world.reform, campaign)
    assert _ids(campaign) == first  # redrawn: replaced by the very same people
    assert Invitation.objects.filter(campaign=campaign).count() == 20
    other = world.campaign(code="sipas-khac", size_method="quota", quota=10, seed=1)
    services.draw_sample(world.reform, other)
    assert _ids(other) != first


def test_a_draw_without_seed_chooses_and_records_one(world):
    world.dossiers(world.centre_a, 5)
    campaign = world.campaign(seed=None)
    report = services.draw_sample(world.reform, campaign)
    campaign.refresh_from_db()
    assert campaign.seed == report.seed and 0 <= report.seed < 2**31
    event = CampaignEvent.objects.filter(campaign=campaign, action="drawn").get()
    assert event.data["seed"] == campaign.seed
    assert event.data["fingerprint"] == campaign.frame_fingerprint


def test_each_unit_is_sized_by_the_rule_or_by_hand(world):
    world.dossiers(world.centre_a, 400)
    world.dossiers(world.commune_b, 30)
    campaign = world.campaign(size_method="yamane", channels=("qr",))
    campaign.units.filter(unit=world.commune_b).update(target_override=7)
    report = services.draw_sample(world.reform, campaign)
    sizes = {u.unit_code: (u.population, u.target, u.rule) for u in report.units}
    assert sizes[world.commune_a.code] == (400, 200, "yamane e=0.05")  # 400 / (1 + 400·0.0025)
    assert sizes[world.commune_b.code] == (30, 7, "target 7")
    stored = {cu.unit_id: (cu.population, cu.target) for cu in campaign.units.all()}
    assert stored == {world.commune_a.pk: (400, 200), world.commune_b.pk: (30, 7)}
    assert not Invitation.objects.filter(campaign=campaign).exists()  # QR only: nobody to invite


def test_a_unit_without_dossiers_has_nothing_to_draw(world):
    world.dossiers(world.centre_a, 3)
    report = services.draw_sample(world.reform, world.campaign(size_method="quota", quota=5))
    by_unit = {u.unit_code: u for u in report.units}
    assert (by_unit[world.commune_b.code].population, by_unit[world.commune_b.code].target) == (
        0,
        0,
    )
    assert by_unit[world.commune_a.code].target == 3


def test_contacts_sms_first_then_email_and_people_without_one_are_counted(world):
    phone = world.dossier(world.centre_a, phone="0912345678", email="a@example.vn")
    mail = world.dossier(world.centre_a, phone="", email="b@example.vn")
    world.dossier(world.centre_a, phone="12", email="")  # not a phone number
    campaign = world.campaign(channels=("sms", "email", "qr"), size_method="quota", quota=10)
    report = services.draw_sample(world.reform, campaign)
    rows = {
        i.dossier_id: (i.channel, i.contact) for i in Invitation.objects.filter(campaign=campaign)
    }
    assert rows == {
        phone.pk: ("sms", "0912345678"),
        mail.pk: ("email", "b@example.vn"),
    }
    assert (report.invited, report.no_contact) == (2, 1)
    event = CampaignEvent.objects.get(campaign=campaign, action="drawn")
    assert event.data["units"][world.commune_a.code]["no_contact"] == 1
    only_sms = world.campaign(code="sipas-sms", channels=("sms",), size_method="quota", quota=10)
    report = services.draw_sample(world.reform, only_sms)
    assert (report.invited, report.no_contact) == (1, 2)


def test_a_drawn_invitation_has_no_usable_token(world):
    world.dossiers(world.centre_a, 3)
    campaign = world.campaign(size_method="quota", quota=3)
    services.draw_sample(world.reform, campaign)
    hashes = set(Invitation.objects.filter(campaign=campaign).values_list("token_hash", flat=True))
    assert len(hashes) == 3 and all(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes)


# -- opening, sending ----------------------------------------------------------------------------
def test_open_needs_a_draw_when_inviting_and_freezes_the_questionnaire(world):
    questionnaire = factories.agency_questionnaire(world.province, world.reform)
    assert not questionnaire.frozen
    campaign = world.campaign(questionnaire=questionnaire)
    with pytest.raises(SurveyError, match=r"Draw the sample first|Hãy chọn mẫu trước"):
        services.open_campaign(world.reform, campaign)
    services.draw_sample(world.reform, campaign)
    opened = services.open_campaign(world.reform, campaign)
    assert opened.status == CampaignStatus.OPEN and opened.opened_at is not None
    questionnaire.refresh_from_db()
    assert questionnaire.frozen


def test_a_campaign_without_invitations_opens_without_a_draw(world):
    campaign = world.campaign(channels=("qr", "kiosk"))
    assert services.open_campaign(world.reform, campaign).status == CampaignStatus.OPEN


def _extract_token(body: str) -> str:
    return re.search(r"/khao-sat/tra-loi/([^/]+)/", body).group(1)


def test_send_enqueues_one_message_per_invitation_and_never_twice(world, settings):
    settings.CCHC_PUBLIC_URL = "https://dichvucong.anbinh.gov.vn/"
    world.dossiers(world.centre_a, 4)
    world.dossier(world.commune_b, phone="", email="c@example.vn")
    campaign = world.campaign(channels=("sms", "email"), size_method="quota", quota=10)
    services.draw_sample(world.reform, campaign)
    services.open_campaign(world.reform, campaign)
    assert services.send_invitations(world.reform, campaign) == 5
    messages = list(OutboxMessage.objects.filter(dedup_key__startswith=f"survey:{campaign.pk}:"))
    assert len(messages) == 5
    for message in messages:
        invitation = Invitation.objects.get(pk=int(message.dedup_key.rsplit(":", 1)[1]))
        assert invitation.status == InvitationStatus.SENT and invitation.sent_at is not None
        assert message.recipient == invitation.contact and message.channel == invitation.channel
        assert "https://dichvucong.anbinh.gov.vn/khao-sat/tra-loi/" in message.body
        token = _extract_token(message.body)
        assert token not in invitation.token_hash
        assert selectors.invitation_for_token(token) == invitation
        assert message.kind == "other"
    assert {m.channel for m in messages} == {"sms", "email"}
    with pytest.raises(SurveyError, match=r"already been sent|đã được gửi"):
        services.send_invitations(world.reform, campaign)
    assert OutboxMessage.objects.count() == 5
    assert CampaignEvent.objects.filter(campaign=campaign, action="invitations_sent").count() == 1


def test_invitation_for_token_finds_nothing_for_a_wrong_token(world):
    assert selectors.invitation_for_token("") is None
    assert selectors.invitation_for_token("x" * 500) is None
    assert selectors.invitation_for_token("khong-co") is None


# -- closing, publishing, history ----------------------------------------------------------------
def test_close_erases_contacts_and_dossier_links(world):
    world.dossiers(world.centre_a, 3)
    campaign = world.campaign(size_method="quota", quota=3)
    services.draw_sample(world.reform, campaign)
    services.open_campaign(world.reform, campaign)
    services.send_invitations(world.reform, campaign)
    answered = Invitation.objects.filter(campaign=campaign).first()
    Invitation.objects.filter(pk=answered.pk).update(status=InvitationStatus.ANSWERED)
    closed = services.close_campaign(world.reform, campaign)
    assert closed.status == CampaignStatus.CLOSED and closed.closed_at is not None
    rows = list(Invitation.objects.filter(campaign=campaign))
    assert all(r.contact == "" and r.dossier_id is None and r.erased_at for r in rows)
    assert {r.pk: r.status for r in rows} == {
        r.pk: (InvitationStatus.ANSWERED if r.pk == answered.pk else InvitationStatus.EXPIRED)
        for r in rows
    }
    event = CampaignEvent.objects.get(campaign=campaign, action="closed")
    assert event.data == {"erased": 3, "expired": 2}


def test_the_lifecycle_is_a_sealed_history(world):
    world.dossiers(world.centre_a, 2)
    campaign = world.create()
    services.draw_sample(world.reform, campaign)
    services.open_campaign(world.reform, campaign)
    services.send_invitations(world.reform, campaign)
    services.close_campaign(world.reform, campaign)
    services.publish_campaign(world.reform, campaign)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.PUBLISHED and campaign.published_at
    events = list(campaign.events.order_by("sequence"))
    assert [(e.action, e.status_before, e.status_after) for e in events] == [
        ("created", "", "draft"),
        ("drawn", "draft", "draft"),
        ("opened", "draft", "open"),
        ("invitations_sent", "open", "open"),
        ("closed", "open", "closed"),
        ("published", "closed", "published"),
    ]
    assert all(e.actor_id == world.reform.pk for e in events)
    spec = registry.get("surveys-campaigns")
    assert verify_owner(spec, campaign) is None
    CampaignEvent.objects.filter(pk=events[2].pk).update(note="sửa lén")
    assert verify_owner(spec, campaign) is not None


# -- refusals ------------------------------------------------------------------------------------
def test_only_the_organisers_staff_act(world):
    campaign = world.campaign()
    for outsider in (world.commune_leader, world.commune_reform, world.other_reform):
        with pytest.raises(ActionForbidden):
            services.draw_sample(outsider, campaign)
    admin = factories.user_with(Role.SYSTEM_ADMIN, world.province)
    services.draw_sample(admin, campaign)  # the organiser's system administrator may


def test_actions_follow_the_status(world):
    campaign = world.campaign(channels=("qr",))
    with pytest.raises(CampaignTransitionNotAllowed):
        services.close_campaign(world.reform, campaign)
    services.open_campaign(world.reform, campaign)
    for call in (services.open_campaign, services.draw_sample, services.publish_campaign):
        with pytest.raises(CampaignTransitionNotAllowed):
            call(world.reform, campaign)
    with pytest.raises(CampaignTransitionNotAllowed):
        services.update_campaign(world.reform, campaign, world.setup())
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.OPEN


def test_the_table_lists_what_the_services_accept(world):
    campaign = world.campaign()
    offered = {
        CampaignStatus.DRAFT: ["draw", "open"],
        CampaignStatus.OPEN: ["send", "close"],
        CampaignStatus.CLOSED: ["publish"],
        CampaignStatus.PUBLISHED: [],
    }
    for status, actions in offered.items():
        campaign.status = status
        assert CAMPAIGN_TRANSITIONS.available(campaign, world.reform) == actions
        assert CAMPAIGN_TRANSITIONS.available(campaign, world.commune_leader) == []


def test_a_stale_version_is_refused(world):
    campaign = world.campaign(channels=("qr",))
    services.draw_sample(world.reform, campaign, expected_version=0)
    with pytest.raises(StaleRecord):
        services.open_campaign(world.reform, campaign, expected_version=0)
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.DRAFT


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"period_end": date(2025, 12, 31)}, "period_end"),
        ({"closes_on": date(2026, 9, 1)}, "closes_on"),
        ({"size_method": "quota", "quota": None}, "quota"),
        ({"margin": 1.5}, "margin"),
        ({"confidence": 0}, "confidence"),
        ({"channels": []}, "channels"),
        ({"code": "Sai Mã"}, "code"),
        ({"units": []}, "units"),
        ({"volume_table": [[200, 1], [100, 0.3]], "size_method": "table"}, "volume_table"),
    ],
)
def test_setup_is_checked(world, change, field):
    with pytest.raises(SurveyError) as refused:
        services.create_campaign(world.reform, world.setup(**change))
    assert refused.value.field == field
    assert not Campaign.objects.exists()


def test_setup_refuses_units_outside_the_actors_tree(world):
    with pytest.raises(SurveyError) as refused:
        services.create_campaign(world.reform, world.setup(units=[world.outsider_unit]))
    assert refused.value.field == "units"
    with pytest.raises(ActionForbidden):
        services.create_campaign(world.commune_reform, world.setup())


def test_editing_a_draft_forgets_the_draw(world):
    world.dossiers(world.centre_a, 3)
    campaign = world.create()
    services.draw_sample(world.reform, campaign)
    assert Invitation.objects.filter(campaign=campaign).exists()
    campaign.refresh_from_db()
    services.update_campaign(
        world.reform,
        campaign,
        world.setup(name="Đổi tên", targets={world.commune_a.pk: 2}),
        expected_version=campaign.version,
    )
    campaign.refresh_from_db()
    assert campaign.name == "Đổi tên" and campaign.drawn_at is None
    assert not Invitation.objects.filter(campaign=campaign).exists()
    assert campaign.units.get(unit=world.commune_a).target_override == 2
    assert campaign.events.last().data == {"draw_cleared": True}


def test_qr_url_names_the_campaign_and_the_unit(world, settings):
    settings.CCHC_PUBLIC_URL = "https://dichvucong.anbinh.gov.vn"
    campaign = world.campaign()
    assert selectors.qr_url(campaign, world.commune_a) == (
        f"https://dichvucong.anbinh.gov.vn/khao-sat/qr/sipas-thu/{world.commune_a.code}/"
    )


# -- the audit command ---------------------------------------------------------------------------
def _audit(code: str) -> tuple[int, dict]:
    out = io.StringIO()
    try:
        call_command("sipas-draw", code, "--json", stdout=out)
        status = 0
    except SystemExit as stop:
        status = stop.code
    return status, json.loads(out.getvalue())


def test_the_audit_command_reproduces_the_draw_and_sees_a_changed_frame(world):
    world.dossiers(world.centre_a, 30)
    campaign = world.campaign(size_method="quota", quota=8)
    services.draw_sample(world.reform, campaign)
    status, report = _audit("sipas-thu")
    assert status == 0 and report["matches"] and report["invitations_checked"]
    assert {u["unit"]: u["target"] for u in report["units"]}[world.commune_a.code] == 8
    world.dossier(world.centre_a)  # a dossier of the period recorded after the draw
    status, report = _audit("sipas-thu")
    assert status == 1 and report["fingerprint"] != report["recorded_fingerprint"]
    with pytest.raises(CommandError):
        call_command("sipas-draw", "khong-co")


def test_by_field_shares_each_units_sample_among_its_fields(world):
    world.dossiers(world.centre_a, 20)
    world.dossiers(world.centre_a, 10, field=world.land)
    campaign = world.campaign(size_method="quota", quota=9, by_field=True)
    services.draw_sample(world.reform, campaign)
    fields = list(
        Invitation.objects.filter(campaign=campaign, unit=world.commune_a).values_list(
            "field_code", flat=True
        )
    )
    assert sorted(fields) == ["DD"] * 3 + ["HT"] * 6
    campaign.refresh_from_db()
    by_field = sampling.frame_fingerprint(frames.build_frame(campaign).records, by_field=True)
    assert campaign.frame_fingerprint == by_field


@given(
    phone=st.text(alphabet="0123456789 +-.", max_size=22),
    email=st.sampled_from(["", "a@b.vn", "khong-hop-le", "x@y"]),
    channels=st.sets(st.sampled_from(["sms", "zalo", "email", "qr"])),
)
def test_a_contact_is_one_the_campaign_allows_in_the_order_sms_zalo_email(phone, email, channels):
    person = frames.Person(1, 1, "", phone.strip(), email)
    found = frames.contact_for(person, channels)
    usable_phone = bool(frames.PHONE.match(phone.strip())) if phone.strip() else False
    usable_email = email == "a@b.vn"
    if found is None:
        assert not (usable_phone and channels & {"sms", "zalo"})
        assert not (usable_email and "email" in channels)
        return
    channel, contact = found
    assert channel in channels
    if channel == "email":
        assert contact == email and not (usable_phone and channels & {"sms", "zalo"})
    else:
        assert contact == phone.strip() and usable_phone
        assert channel == "sms" or "sms" not in channels


def test_a_code_is_used_once(world):
    world.create()
    with pytest.raises(SurveyError) as refused:
        world.create(name="Đợt khác")
    assert refused.value.field == "code"
    assert Campaign.objects.count() == 1
