"""Every write to a feedback (phản ánh, kiến nghị), each checking state, actor and input first.

Lifecycle (Nghị định 20/2008/NĐ-CP, amended by Nghị định 92/2017/NĐ-CP; technical deadlines of the
766 index, see docs/feedback.md)::

    received ──classify──▶ classified ──answer──▶ answered ──publish (leader)──▶ published
       │  ▲                   │  ▲                                                  │
       │  └─forward (unit)────┘  └─forward                                  rate (sender, once)
       └──────reject (not within competence)──▶ rejected                            ▼
                                                                                   rated

Every action locks the feedback row (``select_for_update``) inside one transaction and re-checks
the state after the lock, so of two officers answering at once one wins and the other is told; an
optional ``expected_version`` refuses an action taken on a stale page. A refused action raises a
:class:`FeedbackError` (an application error of ``cchc.common.errors``, so the API maps it to
400/403/409 like any other) before anything is written. Times are the server's. The lock, guards,
sealed events and code counter are the workflow kit's (``cchc.workflow``); the state machine is
``transitions.TRANSITIONS``, the table the selectors list the page's actions from.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.catalog.models import Procedure
from cchc.conf import conf
from cchc.dossiers import lookup as dossier_lookup
from cchc.dossiers.models import ApplicantKind, Dossier, Status
from cchc.organisations.models import OrganisationUnit, UnitKind
from cchc.workdays import services as workdays
from cchc.workdays.engine import Rule, TimeLimit
from cchc.workflow.history import record_event
from cchc.workflow.locking import locked, save_new_version
from cchc.workflow.sequences import reserve_numbers

from . import codes, privacy
from .errors import (
    ActionForbidden,
    FeedbackError,
    StaleFeedback,
    SubmissionInvalid,
    TransitionNotAllowed,
)
from .events import feedback_changed
from .models import (
    Category,
    Feedback,
    FeedbackEvent,
    FeedbackRating,
    FeedbackSequence,
    FeedbackStatus,
    SubjectKind,
    token_digest,
)
from .transitions import TRANSITIONS

TITLE_MAX, CONTENT_MAX, ANSWER_MAX = 200, 5000, 10000


# -- configuration -------------------------------------------------------------------------------
def answer_days() -> int:
    """Working days to answer and publish: ``CCHC_FEEDBACK_ANSWER_DAYS``, default 15."""
    return conf.FEEDBACK_ANSWER_DAYS


def answer_deadline(received_at: datetime, unit: OrganisationUnit) -> datetime:
    """Due time of the answer: ``answer_days()`` working days after receipt, by the unit's hours.

    The receipt day does not count and the due time is the close of the last working day
    (Bộ luật Dân sự 2015, Điều 147; the working-day engine of ``cchc.workdays``).
    """
    deadline = workdays.compute_deadline(
        received_at, TimeLimit(Rule.WORKING_DAYS, answer_days()), unit
    )
    return deadline.due


# -- codes ---------------------------------------------------------------------------------------
def allocate_codes(moment: datetime, count: int = 1) -> list[str]:
    """The next ``count`` public codes for the local day of ``moment``: ``PA-YYMMDD-NNNN``.

    The one allocator of feedback codes: submissions take one, generators a block. One
    INSERT … ON CONFLICT statement creates or moves the day's counter atomically (PostgreSQL and
    SQLite alike), so concurrent callers never get the same number. The format is
    ``codes.CODE_FORMAT``.
    """
    if count < 1:
        return []
    day = timezone.localtime(moment).date()
    return [
        codes.format_code(day, seq)
        for seq in reserve_numbers(FeedbackSequence, {"day": day}, count=count)
    ]


def allocate_code(moment: datetime) -> str:
    """Next public code for the local day of ``moment`` (:func:`allocate_codes`)."""
    return allocate_codes(moment, 1)[0]


# -- history and notification --------------------------------------------------------------------
def append_event(
    feedback: Feedback, actor, action: str, *, status_before: str, note: str = "", data=None
) -> FeedbackEvent:
    """Append one sealed event to the feedback's history (call inside the action's transaction).

    ``feedback`` is the row read under its lock (or just created); its chain head gives the
    sequence and previous seal and moves with the event (``cchc.history.services.append``).
    """
    event = FeedbackEvent(action=action, unit=feedback.unit.name)
    return record_event(
        feedback, event, actor, status_before=status_before or "", note=note, data=data
    )


def _changed(feedback: Feedback) -> None:
    feedback_changed.publish(feedback=feedback, dossier_id=feedback.dossier_id)


# -- checks --------------------------------------------------------------------------------------
def _locked(feedback_id: int, expected_version: int | None) -> Feedback:
    """The feedback's row, locked until the transaction ends; every rule is checked on it after."""
    return locked(
        Feedback.objects.select_related("unit"),
        feedback_id,
        expected_version,
        stale_error=StaleFeedback(
            _("Someone else has just updated this feedback. Reload the page and check again.")
        ),
        missing_error=FeedbackError(_("This feedback does not exist.")),
    )


def _guard(actor, feedback: Feedback, action: str) -> None:
    """The officer's role in the feedback's unit, then the state (``transitions.TRANSITIONS``)."""
    TRANSITIONS.require(actor, feedback, action)
    TRANSITIONS.check(feedback, action)


def _require_text(value: str, message: str, field: str, maximum: int) -> str:
    value = (value or "").strip()
    if not value:
        raise FeedbackError(message, field)
    if len(value) > maximum:
        raise FeedbackError(
            _("This text is too long (at most %(n)d characters).") % {"n": maximum}, field
        )
    return value


# -- routing -------------------------------------------------------------------------------------
def default_unit() -> OrganisationUnit:
    """Where feedback goes when nothing names its unit ("— let the system route it —").

    ``CCHC_FEEDBACK_DEFAULT_UNIT`` (a unit code) when set and active; otherwise the highest active
    public administration service centre (the Trung tâm Phục vụ hành chính công of the province,
    which receives for the People's Committee and its departments, Nghị định 118/2025/NĐ-CP);
    otherwise the highest active unit. Its officers classify the feedback and forward it to the
    competent unit when it is not theirs (the forward keeps the first due date).
    """
    units = OrganisationUnit.objects.active()
    code = conf.FEEDBACK_DEFAULT_UNIT
    if code:
        configured = units.filter(code=code).first()
        if configured is not None:
            return configured
    for candidates in (units.filter(kind=UnitKind.SERVICE_CENTRE), units):
        unit = candidates.order_by("depth", "path").first()
        if unit is not None:
            return unit
    raise FeedbackError(_("No unit can receive feedback yet. Please try again later."), "unit")


def route(
    *,
    dossier: Dossier | None = None,
    procedure: Procedure | None = None,
    chosen_unit: OrganisationUnit | None = None,
) -> OrganisationUnit:
    """The unit responsible for a feedback — the one place that decides it.

    1. About a dossier: the unit that received the dossier (it answers for the whole handling).
    2. About a procedure with exactly one active implementing unit: that unit; with several, the
       chosen unit when it is one of them.
    3. Otherwise the active unit the sender chose.
    4. Otherwise (the sender left "let the system route it") :func:`default_unit`.
    """
    if dossier is not None and dossier.receiving_unit.active:
        return dossier.receiving_unit
    if procedure is not None:
        units = list(procedure.implementing_units.filter(active=True))
        if len(units) == 1:
            return units[0]
        if chosen_unit is not None and any(unit.pk == chosen_unit.pk for unit in units):
            return chosen_unit
    if chosen_unit is not None and chosen_unit.active:
        return chosen_unit
    return default_unit()


def _resolve_dossier(code: str, digits: str, user, client_address: str) -> Dossier:
    """The dossier named by the sender, if they may name it; the refusal never says it exists.

    The dossier's own applicant (signed in) needs nothing more; anyone else gives the last 4 digits
    of the applicant's phone or ID number, exactly as the public lookup, and failures count
    towards the same per-address limit (``cchc.dossiers.lookup``).
    """
    code = dossier_lookup.normalise_code(code)
    hint = dossier_lookup.code_problem(code)
    if hint:  # not a dossier code at all: a hint, and no lookup try is spent
        raise FeedbackError(hint, "dossier_code")
    if getattr(user, "is_authenticated", False):
        own = (
            Dossier.objects.exclude(status=Status.DRAFT)
            .filter(code=code, applicant_user=user)
            .select_related("receiving_unit", "procedure")
            .first()
        )
        if own is not None:
            return own
    if dossier_lookup.blocked(client_address):
        raise FeedbackError(
            _("Too many unsuccessful lookups. Please try again later."), "dossier_code"
        )
    digits = "".join(ch for ch in digits or "" if ch.isdigit())
    if len(digits) != 4:
        raise FeedbackError(
            _("Enter the last 4 digits of the applicant's phone or ID number for this dossier."),
            "dossier_digits",
        )
    dossier = dossier_lookup.find(code, digits, client_address)
    if dossier is None:
        raise FeedbackError(
            _("No dossier matches this code and these digits. Check both and try again."),
            "dossier_code",
        )
    return dossier


# -- submission ----------------------------------------------------------------------------------
@dataclass
class Sender:
    name: str
    phone: str = ""
    email: str = ""
    address: str = ""
    kind: str = ApplicantKind.INDIVIDUAL

    def problems(self, signed_in: bool) -> dict[str, str]:
        """Every problem of the sender's details, by field."""
        errors = {}
        if self.kind not in ApplicantKind.values:
            errors["sender_kind"] = _("Choose an individual or an organisation.")
        _check_text(errors, self.name, _("Enter your name."), "sender_name", 255)
        phone = (self.phone or "").replace(" ", "").replace(".", "")
        if phone and not (phone.lstrip("+").isdigit() and 9 <= len(phone.lstrip("+")) <= 12):
            errors["sender_phone"] = _("Enter a valid phone number.")
        email = (self.email or "").strip()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors["sender_email"] = _("Enter a valid email address.")
        if len(self.address or "") > 500:
            errors["sender_address"] = _("This text is too long (at most %(n)d characters).") % {
                "n": 500
            }
        if not signed_in and not (phone or email):
            errors.setdefault(
                "sender_phone",
                _("Give a phone number or an email address so the unit can answer you."),
            )
        return errors

    def validate(self, signed_in: bool) -> None:
        errors = self.problems(signed_in)
        if errors:
            raise SubmissionInvalid(errors)


def _check_text(errors: dict, value: str, message: str, field: str, maximum: int) -> None:
    try:
        _require_text(value, message, field, maximum)
    except FeedbackError as error:
        errors[field] = error.message


def submission_problems(
    *,
    sender: Sender,
    subject_kind: str,
    title: str,
    content: str,
    signed_in: bool,
    procedure: Procedure | None = None,
    dossier_code: str = "",
    officer_name: str = "",
    unit: OrganisationUnit | None = None,
) -> dict[str, str]:
    """Every problem of a submission that can be told without looking anything up, by field.

    The form shows them all at once (with the dossier check, :func:`dossier_problem`), and
    :func:`submit` refuses the same ones, so no rule lives in two places.
    """
    errors = {}
    if subject_kind not in SubjectKind.values:
        errors["subject_kind"] = _("Choose what your feedback is about.")
    _check_text(errors, title, _("Give your feedback a short title."), "title", TITLE_MAX)
    _check_text(errors, content, _("Describe your feedback."), "content", CONTENT_MAX)
    if "content" not in errors and len(content.strip()) < 20:
        errors["content"] = _("Describe your feedback in a few sentences (at least 20 characters).")
    errors.update(sender.problems(signed_in))
    if subject_kind == SubjectKind.PROCEDURE and procedure is None:
        errors["procedure"] = _("Choose the procedure.")
    if subject_kind == SubjectKind.DOSSIER and not (dossier_code or "").strip():
        errors["dossier_code"] = _("Enter the dossier code.")
    if subject_kind == SubjectKind.OFFICER and not (officer_name or "").strip():
        errors["officer_name"] = _("Enter the officer's name or position, or the counter.")
    if unit is not None and not unit.active:
        errors["unit"] = _("Choose another, active unit.")
    return errors


def dossier_problem(code: str, digits: str, user, client_address: str) -> tuple[str, str] | None:
    """``(field, message)`` when the dossier named by the sender cannot be used, else ``None``.

    Spends a lookup try like the public lookup does (``cchc.dossiers.lookup``), unless the code
    is not a dossier code at all.
    """
    try:
        _resolve_dossier(code, digits, user, client_address)
    except FeedbackError as error:
        return error.field, error.message
    return None


@transaction.atomic
def submit(
    *,
    sender: Sender,
    subject_kind: str,
    title: str,
    content: str,
    user=None,
    procedure: Procedure | None = None,
    dossier_code: str = "",
    dossier_digits: str = "",
    officer_name: str = "",
    unit: OrganisationUnit | None = None,
    client_address: str = "",
) -> tuple[Feedback, str]:
    """Receive a feedback from a citizen or business (signed in or not).

    Returns the feedback and its secret rating token, to give to the sender once (only its hash is
    stored). The due time counts ``answer_days()`` working days from now.
    """
    signed_in = bool(getattr(user, "is_authenticated", False))
    errors = submission_problems(
        sender=sender,
        subject_kind=subject_kind,
        title=title,
        content=content,
        signed_in=signed_in,
        procedure=procedure,
        dossier_code=dossier_code,
        officer_name=officer_name,
        unit=unit,
    )
    dossier_code = (dossier_code or "").strip()
    dossier = None
    if dossier_code and "dossier_code" not in errors:
        try:
            dossier = _resolve_dossier(dossier_code, dossier_digits, user, client_address)
        except FeedbackError as error:
            errors[error.field] = error.message
    if errors:
        raise SubmissionInvalid(errors)
    title, content = title.strip(), content.strip()
    officer_name = (officer_name or "").strip()[:255]
    if dossier is not None:
        procedure = procedure or dossier.procedure
    responsible = route(dossier=dossier, procedure=procedure, chosen_unit=unit)

    now = timezone.now()
    token = secrets.token_urlsafe(24)
    feedback = Feedback.objects.create(
        code=allocate_code(now),
        subject_kind=subject_kind,
        procedure=procedure,
        dossier=dossier,
        officer_name=officer_name,
        title=title,
        content=content,
        sender_kind=sender.kind,
        sender_name=sender.name.strip(),
        sender_phone=sender.phone.strip(),
        sender_email=sender.email.strip(),
        sender_address=sender.address.strip(),
        sender_user=user if signed_in else None,
        rating_token_hash=token_digest(token),
        unit=responsible,
        status=FeedbackStatus.RECEIVED,
        received_at=now,
        due_at=answer_deadline(now, responsible),
        version=1,
    )
    append_event(feedback, None, "submitted", status_before="", data={"days": answer_days()})
    _changed(feedback)
    return feedback, token


# -- officers' actions ---------------------------------------------------------------------------
@transaction.atomic
def classify(
    feedback_id: int, actor, category: str, note: str = "", expected_version: int | None = None
) -> Feedback:
    """Set the classification (766 indicator 5.1); may be corrected until the answer."""
    feedback = _locked(feedback_id, expected_version)
    _guard(actor, feedback, "classify")
    if category not in Category.values:
        raise FeedbackError(_("Choose a classification."), "category")
    if feedback.category == category:
        raise FeedbackError(_("The feedback already has this classification."), "category")
    status_before, previous = feedback.status, feedback.category
    feedback.category = category
    feedback.classified_at = timezone.now()
    feedback.status = FeedbackStatus.CLASSIFIED
    save_new_version(feedback)
    append_event(
        feedback,
        actor,
        "classified",
        status_before=status_before,
        note=(note or "").strip(),
        data={"category": category, "previous": previous},
    )
    _changed(feedback)
    return feedback


@transaction.atomic
def forward(
    feedback_id: int,
    actor,
    unit: OrganisationUnit,
    reason: str,
    expected_version: int | None = None,
) -> Feedback:
    """Hand the feedback to the competent unit, with the reason; the due time does not move.

    The sender's deadline runs from the first receipt: internal routing must not make them wait.
    """
    feedback = _locked(feedback_id, expected_version)
    _guard(actor, feedback, "forward")
    if unit is None or unit.pk == feedback.unit_id or not unit.active:
        raise FeedbackError(_("Choose another, active unit."), "unit")
    reason = _require_text(reason, _("Give the reason."), "reason", 2000)
    from_unit = feedback.unit
    feedback.unit = unit
    feedback.forward_count += 1
    save_new_version(feedback)
    append_event(
        feedback,
        actor,
        "forwarded",
        status_before=feedback.status,
        note=reason,
        data={
            "from_unit": from_unit.code,
            "from_unit_name": from_unit.name,
            "to_unit": unit.code,
            "to_unit_name": unit.name,
        },
    )
    _changed(feedback)
    return feedback


@transaction.atomic
def answer(feedback_id: int, actor, text: str, expected_version: int | None = None) -> Feedback:
    """The unit's answer to the sender; a leader then publishes it."""
    feedback = _locked(feedback_id, expected_version)
    TRANSITIONS.require(actor, feedback, "answer")
    if feedback.status == FeedbackStatus.RECEIVED:
        raise TransitionNotAllowed(_("Classify the feedback before answering it."))
    TRANSITIONS.check(feedback, "answer")
    text = _require_text(text, _("Write the answer."), "answer", ANSWER_MAX)
    feedback.answer = text
    feedback.answered_at = timezone.now()
    feedback.answered_by = actor
    feedback.status = FeedbackStatus.ANSWERED
    save_new_version(feedback)
    append_event(feedback, actor, "answered", status_before=FeedbackStatus.CLASSIFIED)
    _changed(feedback)
    return feedback


def personal_names(feedback: Feedback) -> tuple[str, ...]:
    """Strings that must not appear in the public texts."""
    return tuple(
        value
        for value in (
            feedback.sender_name,
            feedback.sender_phone,
            feedback.sender_email,
            feedback.sender_address,
        )
        if value
    )


def suggested_public_texts(feedback: Feedback) -> dict:
    """Starting point for the leader: both texts with personal data masked."""
    names = personal_names(feedback)
    return {
        "public_title": privacy.redact(feedback.title, names),
        "public_content": privacy.redact(feedback.content, names),
        "public_answer": privacy.redact(feedback.answer, names),
    }


PUBLIC_TITLE_WORDS = 120  # characters of the question a derived title keeps


def derived_public_title(feedback: Feedback, public_content: str) -> str:
    """The title published when the leader leaves it empty.

    The sender's title with personal data masked; when that is empty, the start of the published
    question, cut at a word (at most ``PUBLIC_TITLE_WORDS`` characters and an ellipsis).
    """
    title = privacy.redact(feedback.title or "", personal_names(feedback)).strip()
    if title:
        return title[:TITLE_MAX]
    text = " ".join((public_content or "").split())
    if len(text) <= PUBLIC_TITLE_WORDS:
        return text
    cut = text[:PUBLIC_TITLE_WORDS].rsplit(" ", 1)[0].rstrip(",.;:")
    return f"{cut}…"


@transaction.atomic
def publish(
    feedback_id: int,
    actor,
    public_content: str,
    public_answer: str,
    expected_version: int | None = None,
    public_title: str | None = None,
) -> Feedback:
    """A leader publishes the title, question and answer, edited free of personal data.

    ``public_title`` defaults to the sender's title (then checked like the rest); left empty, it
    is derived (:func:`derived_public_title`), so a published answer always has a title to click.
    """
    feedback = _locked(feedback_id, expected_version)
    _guard(actor, feedback, "publish")
    public_content = _require_text(
        public_content, _("Write the question as it will be published."), "public_content",
        CONTENT_MAX,
    )  # fmt: skip
    public_answer = _require_text(
        public_answer, _("Write the answer as it will be published."), "public_answer",
        ANSWER_MAX,
    )  # fmt: skip
    names = personal_names(feedback)
    if public_title is None:
        public_title = feedback.title
    public_title = (public_title or "").strip() or derived_public_title(feedback, public_content)
    public_title = _require_text(
        public_title, _("Write the title as it will be published."), "public_title", TITLE_MAX
    )
    texts = (
        ("public_title", public_title),
        ("public_content", public_content),
        ("public_answer", public_answer),
    )
    for field, value in texts:
        if privacy.personal_data_found(value, names):
            raise FeedbackError(
                _(
                    "The public text still contains personal data (a name, phone number, email, "
                    "ID number or address). Remove it before publishing."
                ),
                field,
            )
    feedback.public_title = public_title
    feedback.public_content = public_content
    feedback.public_answer = public_answer
    feedback.published_at = timezone.now()
    feedback.published_by = actor
    feedback.status = FeedbackStatus.PUBLISHED
    save_new_version(feedback)
    append_event(feedback, actor, "published", status_before=FeedbackStatus.ANSWERED)
    _changed(feedback)
    return feedback


@transaction.atomic
def reject(feedback_id: int, actor, reason: str, expected_version: int | None = None) -> Feedback:
    """Refuse a feedback that is not within the competence of the administration's units.

    It leaves the 766 indicator 5.2 denominator ("within competence"); the reason tells the
    sender where to turn (e.g. a court, a denunciation under the Law on Denunciations).
    """
    feedback = _locked(feedback_id, expected_version)
    _guard(actor, feedback, "reject")
    reason = _require_text(reason, _("Give the reason."), "reason", 2000)
    status_before = feedback.status
    feedback.status = FeedbackStatus.REJECTED
    feedback.rejected_at = timezone.now()
    feedback.reject_reason = reason
    save_new_version(feedback)
    append_event(feedback, actor, "rejected", status_before=status_before, note=reason)
    _changed(feedback)
    return feedback


# -- the sender's rating -------------------------------------------------------------------------
def is_sender(feedback: Feedback, user=None, token: str = "") -> bool:
    """The signed-in owner, or whoever holds the secret link given at submission."""
    if getattr(user, "is_authenticated", False) and feedback.sender_user_id == user.pk:
        return True
    return feedback.token_matches(token)


@transaction.atomic
def rate(
    feedback_id: int, rating: str, *, user=None, token: str = "", comment: str = ""
) -> Feedback:
    """The sender rates the published answer, once (like/dislike of 766 indicator 5.3)."""
    feedback = _locked(feedback_id, None)
    if not is_sender(feedback, user, token):
        raise ActionForbidden(_("Only the sender of the feedback can rate its answer."))
    if feedback.status == FeedbackStatus.RATED:
        raise TransitionNotAllowed(_("You have already rated this answer."))
    if feedback.status != FeedbackStatus.PUBLISHED:
        raise TransitionNotAllowed(_("The answer can be rated once it has been published."))
    if rating not in FeedbackRating.values:
        raise FeedbackError(_("Choose your rating."), "rating")
    comment = (comment or "").strip()
    if len(comment) > 2000:
        raise FeedbackError(
            _("This text is too long (at most %(n)d characters).") % {"n": 2000}, "comment"
        )
    feedback.rating = rating
    feedback.rating_comment = comment
    feedback.rated_at = timezone.now()
    feedback.status = FeedbackStatus.RATED
    save_new_version(feedback)
    # The actor is recorded only when it is the sender's own account (a link holder is anonymous).
    owner = user if getattr(user, "pk", None) == feedback.sender_user_id else None
    append_event(
        feedback, owner, "rated", status_before=FeedbackStatus.PUBLISHED, data={"rating": rating}
    )
    _changed(feedback)
    return feedback
