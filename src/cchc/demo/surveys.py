"""Demo data: two SIPAS satisfaction survey campaigns of the demo province (issue 12).

* **Published** — the half-year before last: thirteen units (departments and communes), the
  sample drawn from each unit's frame with Yamane's rule (e = 5 %), invitations by SMS, Zalo and
  e-mail, answers also from the QR code, the counter kiosk and paper forms typed twice; close to
  3,000 responses. Each unit has its own level of satisfaction, so the ranking has a top, a
  bottom and overlapping intervals in between; three small units stay under the minimum of 30
  responses ("chưa đủ phiếu"). A few kiosk/QR answers were flagged as implausible (answered in
  seconds, every item the same): four were reviewed and counted, one rejected. One paper form's
  two typings disagree and were never resolved, so it is not counted. At closing, every
  invitation's contact and dossier were erased (Nghị định 13/2023/NĐ-CP: used only for sampling
  and de-duplication).
* **Open** — the last months: invitations sent (contacts kept while it is open; the invitations of
  phường Đông Thành point at its real returned demo dossiers), a handful of answers over every
  channel, two flagged answers waiting for review and one paper form whose typings differ.

Like the PAR INDEX demo rounds, the data are drawn from a seeded generator, so every load gives
the same campaigns. Unlike them, the responses are written with ``bulk_create`` (thousands of
rows through the answer services would make ``cchc load-demo`` slow); the lifecycle steps are
still recorded in each campaign's sealed history (``surveys-campaigns``) at the moment they
happened, so ``cchc verify-history`` finds every chain intact. Every answer set is checked with
the questionnaire's own rules (:func:`cchc.surveys.engine.answers.validate`) before it is stored.

The sampling frames of the published campaign are pseudonymous ids (``<unit>:<n>``), one per
person served in the period; the seed, the rule and the frame's fingerprint are recorded, as a
real draw records them.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cchc.dossiers.models import Dossier, Status
from cchc.organisations.models import OrganisationUnit
from cchc.surveys import services as questionnaire_services
from cchc.surveys.engine import answers as answer_rules
from cchc.surveys.engine.sampling import FrameRecord, SizeRule, draw_sample
from cchc.surveys.models import (
    Campaign,
    CampaignEvent,
    CampaignStatus,
    CampaignUnit,
    Invitation,
    InvitationStatus,
    PaperEntry,
    Response,
    ResponseChannel,
    ReviewStatus,
    SizeMethod,
)
from cchc.workflow.history import record_event

from .clock import travel

SEED = 2026
ORGANISER = "000.00.10.H99"  # Sở Nội vụ, the province's standing body for administrative reform
REFORM_OFFICER = "cchc.noivu"
TYPISTS = ("cchc.noivu", "hoidong.thanhvien")  # two officers of Sở Nội vụ type each paper form
LIVE_DOSSIER_CENTRE = "000.01.31.H99"  # the demo dossiers are received here for phường Đông Thành
LIVE_DOSSIER_UNIT = "000.00.31.H99"
CHANNELS = [c.value for c in ResponseChannel]


@dataclass(frozen=True)
class SurveyedUnit:
    code: str
    population: int  # people whose dossiers were returned in the period
    mean: float  # the unit's typical answer on the 1–5 scale: its level of satisfaction
    responses: int | None = None  # a small unit under the minimum: exactly this many


# The units and how they serve: land and construction lag, justice and Đông Thành lead.
SURVEYED = [
    SurveyedUnit("000.00.15.H99", 5200, 4.35),  # Sở Tư pháp
    SurveyedUnit("000.00.16.H99", 2100, 3.92),  # Sở Xây dựng
    SurveyedUnit("000.00.17.H99", 3600, 3.80),  # Sở Nông nghiệp và Môi trường
    SurveyedUnit("000.01.17.H99", 6800, 3.85),  # Văn phòng Đăng ký đất đai
    SurveyedUnit("000.00.18.H99", 1500, 4.12),  # Sở Tài chính
    SurveyedUnit("000.00.31.H99", 4100, 4.45),  # phường Đông Thành
    SurveyedUnit("000.00.32.H99", 3300, 4.20),  # phường Tây Sơn
    SurveyedUnit("000.00.33.H99", 1800, 4.10),  # xã Hòa Bình
    SurveyedUnit("000.00.34.H99", 1200, 4.10),  # xã Tân Lập
    SurveyedUnit("000.00.35.H99", 900, 4.02),  # xã Phú Mỹ
    # Few dossiers and few answers: shown as "not enough answers", not ranked.
    SurveyedUnit("000.00.10.H99", 60, 4.10, responses=17),  # Sở Nội vụ
    SurveyedUnit("000.00.19.H99", 90, 3.90, responses=11),  # Sở Công Thương
    SurveyedUnit("000.00.36.H99", 140, 4.05, responses=24),  # đặc khu Hòn Ngọc
]
#: How a sampled person is invited, and the share of walk-in answers (no invitation).
INVITATION_WEIGHTS = {ResponseChannel.SMS: 55, ResponseChannel.ZALO: 35, ResponseChannel.EMAIL: 10}
WALK_IN_WEIGHTS = {ResponseChannel.QR: 35, ResponseChannel.KIOSK: 40, ResponseChannel.PAPER: 25}
ANSWER_RATE = (0.42, 0.64)  # invited people who answer: each unit between these shares
WALK_IN_SHARE = 0.33  # walk-in answers, as a share of the unit's sample size

COMMENTS_GOOD = [
    "Cán bộ hướng dẫn tận tình, dễ hiểu.",
    "Trả kết quả đúng hẹn, tôi rất hài lòng.",
    "Nơi làm thủ tục sạch sẽ, có chỗ ngồi chờ.",
    "Nộp hồ sơ trực tuyến nhanh, không phải đi lại nhiều.",
]
COMMENTS_BAD = [
    "Phải bổ sung giấy tờ nhiều lần, đề nghị hướng dẫn một lần cho đủ.",
    "Thời gian chờ ở quầy còn lâu vào buổi sáng.",
    "Đề nghị niêm yết rõ phí, lệ phí tại quầy.",
    "Trang dịch vụ công thỉnh thoảng bị lỗi khi tải tệp lên.",
    "Hồ sơ đất đai trả chậm so với giấy hẹn.",
]
REVIEW_ACCEPTED = (
    "Đã xem xét: phiếu trả lời tại quầy, người trả lời quen thủ tục; tính vào kết quả."
)
REVIEW_REJECTED = "Đã xem xét: phiếu trả lời trong vài giây, mọi ý cùng một mức; không tính."
#: The reasons the answer checks give (``cchc.surveys.flags``): too fast, one level everywhere.
FLAGS = ["too_fast", "straight_line"]
OPEN_CAMPAIGN_QUOTA = 40


def _moment(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _month_start(day: date, months_back: int) -> date:
    month = day.year * 12 + day.month - 1 - months_back
    return date(month // 12, month % 12 + 1, 1)


def _token_hash(rng: random.Random) -> str:
    """The sha256 of a link token nobody keeps: the demo invitations' links cannot be opened."""
    return hashlib.sha256(rng.getrandbits(128).to_bytes(16, "big")).hexdigest()


class _Answers:
    """Answers to the built-in QĐ 1001 questionnaire: a unit's mean level, the respondent's mood
    and each item's own bias, rounded to the 1–5 scale; checked by the questionnaire's rules."""

    def __init__(self, questionnaire, rng: random.Random):
        self.spec = questionnaire_services.to_spec(questionnaire)
        self.rng = rng
        self.matrices = [
            (question.code, [item.code for item in question.items])
            for question in self.spec.questions()
            if question.kind == "matrix" and question.code.startswith("sv_")
        ]
        # Some items are harder everywhere (waiting, fees): the same bias in every unit.
        item_rng = random.Random(SEED)
        self.bias = {
            item: item_rng.gauss(0, 0.22) for _code, items in self.matrices for item in items
        }

    def _level(self, mean: float, mood: float, item: str) -> str:
        value = mean + mood + self.bias[item] + self.rng.gauss(0, 0.55)
        return str(min(5, max(1, round(value))))

    def draw(self, mean: float) -> dict:
        rng = self.rng
        mood = rng.gauss(0, 0.45)
        feedback = rng.random() < 0.22
        answers = {
            "r_age": rng.choices(["18_30", "31_45", "46_60", "over_60"], [24, 38, 26, 12])[0],
            "r_sex": rng.choices(["male", "female", "other"], [48, 51, 1])[0],
            "r_education": rng.choices(
                ["primary", "lower_secondary", "upper_secondary", "vocational", "university"],
                [6, 14, 30, 18, 32],
            )[0],
            "o_channel": rng.choices(
                ["counter", "online_full", "online_partial", "post"], [52, 22, 21, 5]
            )[0],
            "o_harassment": rng.choices(["none", "some", "many"], [93, 6, 1])[0],
            "o_extra_payment": rng.choices(["none", "some", "many"], [96, 3.5, 0.5])[0],
            "sv_feedback_made": "yes" if feedback else "no",
        }
        for code, items in self.matrices:
            if code == "sv_feedback" and not feedback:
                continue
            answers[code] = {item: self._level(mean, mood, item) for item in items}
        if rng.random() < 0.35:
            answers["e_improve_first"] = sorted(
                rng.sample(["access", "procedures", "officials", "results", "feedback"], 2)
            )
        if rng.random() < 0.08:
            low = mean + mood < 3.9
            answers["e_other"] = rng.choice(COMMENTS_BAD if low else COMMENTS_GOOD)
        return self.check(answers)

    def same_everywhere(self, level: str) -> dict:
        """The implausible pattern: every service item at one level."""
        answers = self.draw(4.0)
        for code, items in self.matrices:
            if code in answers:
                answers[code] = dict.fromkeys(items, level)
        return self.check(answers)

    def check(self, answers: dict) -> dict:
        result = answer_rules.validate(self.spec, answers)
        if not result.valid:  # a bug of this generator, not of the data: stop the load
            raise ValueError(f"demo answers refused: {result.errors}")
        return result.cleaned


class _Builder:
    """One campaign's rows, written in bulk at the end."""

    def __init__(self, campaign: Campaign, rng: random.Random, answers: _Answers, typists):
        self.campaign = campaign
        self.rng = rng
        self.answers = answers
        self.typists = typists
        self.invitations: list[Invitation] = []
        self.responses: list[Response] = []
        self.pending_typings: list[tuple[Response, int, str]] = []  # response, unit id, sheet
        self.unmatched: list[PaperEntry] = []
        self.sheets = 0

    def when(self, start: date, end: date, channel: str) -> datetime:
        """A submission moment: office hours at the counter, evenings too from a phone."""
        day = start + timedelta(days=self.rng.randrange(max(1, (end - start).days)))
        if channel in (ResponseChannel.KIOSK, ResponseChannel.PAPER):
            return _moment(day, self.rng.randint(8, 16), self.rng.randrange(60))
        return _moment(day, self.rng.randint(7, 21), self.rng.randrange(60))

    def response(self, unit, channel, answers, submitted, invitation=None, seconds=None):
        seconds = seconds or int(self.rng.uniform(95, 540))
        row = Response(
            campaign=self.campaign,
            unit=unit,
            channel=channel,
            invitation=invitation,
            answers=answers,
            started_at=None
            if channel == ResponseChannel.PAPER
            else submitted - timedelta(seconds=seconds),
            submitted_at=submitted,
            seconds=None if channel == ResponseChannel.PAPER else seconds,
            client_key=(
                f"quay-{unit.pk}:{self.rng.getrandbits(64):016x}"
                if channel == ResponseChannel.KIOSK
                else ""
            ),
        )
        self.responses.append(row)
        if channel == ResponseChannel.PAPER:
            self.sheets += 1
            self.pending_typings.append((row, unit.pk, f"{self.sheets:04d}"))
        return row

    def invite(self, unit, channel, sent: datetime, *, contact="", dossier=None) -> Invitation:
        invitation = Invitation(
            campaign=self.campaign,
            unit=unit,
            token_hash=_token_hash(self.rng),
            channel=channel,
            contact=contact,
            dossier=dossier,
            status=InvitationStatus.SENT,
            sent_at=sent,
        )
        self.invitations.append(invitation)
        return invitation

    def mismatch(self, unit, answers: dict) -> None:
        """A paper form whose two typings differ on one item: waits for resolution, not counted."""
        self.sheets += 1
        sheet = f"{self.sheets:04d}"
        differing = {**answers, "sv_access": {**answers["sv_access"]}}
        first_item = next(iter(differing["sv_access"]))
        differing["sv_access"][first_item] = "2" if answers["sv_access"][first_item] != "2" else "4"
        for entry, (typist, typed) in enumerate(
            zip(self.typists, (answers, differing), strict=True), start=1
        ):
            self.unmatched.append(
                PaperEntry(
                    campaign=self.campaign,
                    unit=unit,
                    sheet=sheet,
                    entry=entry,
                    answers=typed,
                    entered_by=typist,
                )
            )

    def save(self) -> None:
        Invitation.objects.bulk_create(self.invitations, batch_size=500)
        for row in self.responses:  # the invitation's key, now that it has one
            if row.invitation is not None:
                row.invitation_id = row.invitation.pk
        Response.objects.bulk_create(self.responses, batch_size=500)
        # received_at is set on insert: the demo's answers arrived when they were sent.
        Response.objects.filter(campaign=self.campaign).update(received_at=F("submitted_at"))
        typings = [
            PaperEntry(
                campaign=self.campaign,
                unit_id=unit_id,
                sheet=sheet,
                entry=entry,
                answers=row.answers,
                entered_by=typist,
                response=row,
            )
            for row, unit_id, sheet in self.pending_typings
            for entry, typist in enumerate(self.typists, start=1)
        ]
        PaperEntry.objects.bulk_create(typings + self.unmatched, batch_size=500)


STAMPS = {
    CampaignStatus.OPEN: "opened_at",
    CampaignStatus.CLOSED: "closed_at",
    CampaignStatus.PUBLISHED: "published_at",
}


def _step(campaign: Campaign, actor, moment: datetime, action: str, status: str, **data) -> None:
    """Move the campaign to ``status`` at ``moment`` and seal the step into its history, with
    the action names and data the campaign services record (``cchc.surveys.campaigns``)."""
    with travel(moment):
        before = campaign.status
        campaign.status = status
        campaign.version += 1  # what save_new_version does: pages read the campaign's version
        fields = ["status", "version"]
        stamp = STAMPS.get(status) if status != before else None
        if stamp:
            setattr(campaign, stamp, timezone.now())
            fields.append(stamp)
        if action == "drawn":
            campaign.drawn_at = timezone.now()
            fields += ["drawn_at", "seed", "frame_fingerprint"]
        campaign.save(update_fields=fields)
        event = CampaignEvent(action=action, unit=campaign.organiser.name)
        record_event(campaign, event, actor, status_before=before, data=data)


def _name(period_start: date, period_end: date) -> str:
    return (
        f"Khảo sát sự hài lòng (SIPAS) về hồ sơ trả kết quả {period_start:%m/%Y}–{period_end:%m/%Y}"
    )


def _new_campaign(code, questionnaire, organiser, actor, dates, **setup) -> Campaign:
    period_start, period_end, opens_on, closes_on = dates
    with travel(_moment(opens_on - timedelta(days=21), 10)):
        campaign = Campaign.objects.create(
            code=code,
            name=_name(period_start, period_end),
            questionnaire=questionnaire,
            organiser=organiser,
            period_start=period_start,
            period_end=period_end,
            opens_on=opens_on,
            closes_on=closes_on,
            channels=list(CHANNELS),
            created_by=actor,
            **setup,
        )
        event = CampaignEvent(action="created", unit=organiser.name)
        record_event(campaign, event, actor, status_before="", data={"units": len(SURVEYED)})
    return campaign


def _draw(campaign: Campaign, units: dict[str, OrganisationUnit], actor, moment) -> dict:
    """The sample of each unit from its frame (pseudonymous ids), by the campaign's rule; every
    drawn person is invited (the demo frames all have a contact)."""
    frame = [
        FrameRecord(f"{surveyed.code}:{n}", surveyed.code)
        for surveyed in SURVEYED
        for n in range(1, surveyed.population + 1)
    ]
    rule = SizeRule(campaign.size_method, float(campaign.margin), quota=campaign.quota)
    campaign.seed = SEED * 100 + campaign.pk % 100
    drawn = draw_sample(frame, rule, campaign.seed)
    campaign.frame_fingerprint = drawn.fingerprint
    sizes = {summary.unit: summary for summary in drawn.units}
    CampaignUnit.objects.bulk_create(
        CampaignUnit(
            campaign=campaign,
            unit=units[surveyed.code],
            population=surveyed.population,
            target=sizes[surveyed.code].sample_size,
        )
        for surveyed in SURVEYED
    )
    _step(
        campaign,
        actor,
        moment,
        "drawn",
        CampaignStatus.DRAFT,
        seed=campaign.seed,
        fingerprint=drawn.fingerprint,
        by_field=False,
        units={
            code: {
                "population": summary.population,
                "target": summary.sample_size,
                "rule": summary.rule,
                "invited": summary.sample_size,
                "no_contact": 0,
            }
            for code, summary in sizes.items()
        },
    )
    return {code: summary.sample_size for code, summary in sizes.items()}


def _open(campaign: Campaign, actor, opens_on: date, invitations: int) -> None:
    questionnaire = campaign.questionnaire
    _step(
        campaign,
        actor,
        _moment(opens_on, 7, 30),
        "opened",
        CampaignStatus.OPEN,
        questionnaire=questionnaire.code,
        version=questionnaire.version,
    )
    _step(
        campaign,
        actor,
        _moment(opens_on, 8),
        "invitations_sent",
        CampaignStatus.OPEN,
        count=invitations,
    )


def _published_campaign(questionnaire, organiser, units, people, today: date) -> Campaign:
    actor, typists = people
    period_end = _month_start(today, 5) - timedelta(days=1)
    period_start = _month_start(period_end, 5)
    opens_on = period_end + timedelta(days=15)
    closes_on = opens_on + timedelta(days=60)
    published_on = closes_on + timedelta(days=20)
    campaign = _new_campaign(
        f"sipas-{period_end:%Y-%m}",
        questionnaire,
        organiser,
        actor,
        (period_start, period_end, opens_on, closes_on),
    )
    rng = random.Random(SEED)
    answers = _Answers(questionnaire, rng)
    targets = _draw(campaign, units, actor, _moment(opens_on - timedelta(days=10), 14))
    _open(campaign, actor, opens_on, sum(targets.values()))

    build = _Builder(campaign, rng, answers, typists)
    for surveyed in SURVEYED:
        unit = units[surveyed.code]
        target = targets[surveyed.code]
        answering = round(target * rng.uniform(*ANSWER_RATE))
        walk_ins = round(target * WALK_IN_SHARE)
        if surveyed.responses is not None:  # a small unit: few answers in all
            answering = surveyed.responses * 2 // 3
            walk_ins = surveyed.responses - answering
        for n in range(target):
            channel = rng.choices(list(INVITATION_WEIGHTS), list(INVITATION_WEIGHTS.values()))[0]
            invitation = build.invite(unit, channel, _moment(opens_on, 8))
            if n < answering:
                submitted = _moment(opens_on, 8) + timedelta(hours=rng.uniform(0.2, 24 * 20))
                invitation.status = InvitationStatus.ANSWERED
                invitation.answered_at = submitted
                build.response(
                    unit, channel, answers.draw(surveyed.mean), submitted, invitation=invitation
                )
        for _n in range(walk_ins):
            channel = rng.choices(list(WALK_IN_WEIGHTS), list(WALK_IN_WEIGHTS.values()))[0]
            when = build.when(opens_on, closes_on, channel)
            build.response(unit, channel, answers.draw(surveyed.mean), when)
    # Implausible answers at the counter: flagged, then reviewed (four counted, one not).
    reviewer_moment = _moment(closes_on - timedelta(days=2), 10)
    flagged_units = ("000.00.31.H99", "000.00.15.H99", "000.00.32.H99", "000.00.16.H99")
    for number, code in enumerate((*flagged_units, "000.00.15.H99")):
        channel = ResponseChannel.KIOSK if number % 2 else ResponseChannel.QR
        row = build.response(
            units[code],
            channel,
            answers.same_everywhere("5" if number % 3 else "1"),
            build.when(opens_on, closes_on - timedelta(days=3), channel),
            seconds=rng.randint(6, 14),
        )
        row.flags = list(FLAGS)
        row.review = ReviewStatus.REJECTED if number == 4 else ReviewStatus.ACCEPTED
        row.review_note = REVIEW_REJECTED if number == 4 else REVIEW_ACCEPTED
        row.reviewed_by = actor
        row.reviewed_at = reviewer_moment
    build.mismatch(units["000.00.33.H99"], answers.draw(4.0))
    build.save()

    closing = _moment(closes_on, 17, 30)
    with travel(closing):  # as the close service: unanswered links expire, every link is erased
        invitations = Invitation.objects.filter(campaign=campaign)
        expired = invitations.filter(status=InvitationStatus.SENT).update(
            status=InvitationStatus.EXPIRED
        )
        erased = invitations.update(contact="", dossier=None, erased_at=timezone.now())
    _step(campaign, actor, closing, "closed", CampaignStatus.CLOSED, erased=erased, expired=expired)
    _step(campaign, actor, _moment(published_on, 15), "published", CampaignStatus.PUBLISHED)
    return campaign


def _live_dossiers() -> list[Dossier]:
    """Phường Đông Thành's returned demo dossiers: its invitations point at real dossiers."""
    return list(
        Dossier.objects.filter(
            receiving_unit__code=LIVE_DOSSIER_CENTRE,
            status=Status.RETURNED,
        ).order_by("pk")
    )


def _open_campaign(questionnaire, organiser, units, people, today: date) -> Campaign:
    """A quota of 40 people per unit (the rule some provinces use for communes), invited three
    weeks ago; the answers so far."""
    actor, typists = people
    period_start = _month_start(today, 5)
    period_end = _month_start(today, 1) - timedelta(days=1)
    opens_on = today - timedelta(days=20)
    closes_on = today + timedelta(days=21)
    campaign = _new_campaign(
        f"sipas-{period_end:%Y-%m}",
        questionnaire,
        organiser,
        actor,
        (period_start, period_end, opens_on, closes_on),
        size_method=SizeMethod.QUOTA,
        quota=OPEN_CAMPAIGN_QUOTA,
    )
    rng = random.Random(SEED + 1)
    answers = _Answers(questionnaire, rng)
    targets = _draw(campaign, units, actor, _moment(opens_on - timedelta(days=7), 14))
    _open(campaign, actor, opens_on, sum(targets.values()))

    build = _Builder(campaign, rng, answers, typists)
    dossiers = _live_dossiers()
    now = _moment(today, 7)
    sent = _moment(opens_on, 8)
    for position, surveyed in enumerate(SURVEYED):
        unit = units[surveyed.code]
        live = dossiers if surveyed.code == LIVE_DOSSIER_UNIT else []
        for n in range(targets[surveyed.code]):
            channel = rng.choices(list(INVITATION_WEIGHTS), list(INVITATION_WEIGHTS.values()))[0]
            dossier = live[n] if n < len(live) else None
            invitation = build.invite(
                unit, channel, sent, contact=_contact(channel, dossier, n, rng), dossier=dossier
            )
            if n < 2 + position % 3:  # a handful answered already
                submitted = sent + (now - sent) * rng.uniform(0.05, 0.95)
                invitation.status = InvitationStatus.ANSWERED
                invitation.answered_at = submitted
                build.response(
                    unit, channel, answers.draw(surveyed.mean), submitted, invitation=invitation
                )
        walk_in = (ResponseChannel.QR, ResponseChannel.KIOSK, ResponseChannel.PAPER)
        for channel in walk_in[: 1 + position % 3]:
            when = build.when(opens_on, today, channel)
            build.response(unit, channel, answers.draw(surveyed.mean), when)
    for code, channel in (
        ("000.00.16.H99", ResponseChannel.KIOSK),
        ("000.01.17.H99", ResponseChannel.QR),
    ):
        row = build.response(
            units[code],
            channel,
            answers.same_everywhere("1"),
            build.when(opens_on, today, channel),
            seconds=rng.randint(5, 12),
        )
        row.flags = list(FLAGS)
        row.review = ReviewStatus.FLAGGED
    build.mismatch(units["000.00.31.H99"], answers.draw(4.3))
    build.save()
    return campaign


def _contact(channel: str, dossier: Dossier | None, number: int, rng: random.Random) -> str:
    """The applicant's own contact for a real dossier, else an obviously fictional one."""
    if channel == ResponseChannel.EMAIL:
        return (dossier.applicant_email if dossier else "") or f"nguoidan{number}@example.vn"
    return (dossier.applicant_phone if dossier else "") or f"0900{rng.randrange(10**6):06d}"


def load_surveys(today: date | None = None) -> int:
    """The published and the open campaign (once each); the number made."""
    today = today or timezone.localdate()
    organiser = OrganisationUnit.objects.filter(code=ORGANISER).first()
    units = {
        u.code: u for u in OrganisationUnit.objects.filter(code__in=[s.code for s in SURVEYED])
    }
    User = get_user_model()
    actor = User.objects.filter(username=REFORM_OFFICER).first()
    typists = [User.objects.filter(username=name).first() for name in TYPISTS]
    if organiser is None or actor is None or None in typists or len(units) != len(SURVEYED):
        return 0
    questionnaire = questionnaire_services.ensure_builtin()
    people = (actor, typists)
    made = 0
    for build in (_published_campaign, _open_campaign):
        code = _code_for(build, today)
        if Campaign.objects.filter(code=code).exists():
            continue
        with transaction.atomic():
            build(questionnaire, organiser, units, people, today)
        made += 1
    return made


def _code_for(build, today: date) -> str:
    """The code each campaign gets (see the builders): one per half-year, stable within a month."""
    if build is _published_campaign:
        period_end = _month_start(today, 5) - timedelta(days=1)
    else:
        period_end = _month_start(today, 1) - timedelta(days=1)
    return f"sipas-{period_end:%Y-%m}"
