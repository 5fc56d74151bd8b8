"""Personal data (Nghị định 13/2023/NĐ-CP on personal data protection): export and anonymisation.

* :func:`export_subject` — everything the platform holds about one person, found by ID number,
  phone or email (exact, after normalisation), as JSON-able data with English keys
  (docs/privacy.md): the data subject's right to access and obtain their data (Điều 9, Điều 14).
  :func:`export_account` is the citizen's own export (their account's dossiers and feedback).
  Every export is recorded, append-only, with a keyed hash of the identifier.
* :func:`anonymise_expired` — storage limitation (Điều 3 khoản 7): once a record has been closed
  for longer than its retention (``CCHC_RETENTION_YEARS``), its personal fields are replaced by a
  marker or blanked and its uploaded files deleted, keeping everything the statistics and reports
  read (units, procedure, dates, statuses, channel, due times, lateness, counts, flags).

The sealed histories are not touched: an entry cannot change without breaking its seal and the
published checkpoints. They hold the names of the people who acted (officers, and a citizen
acting from their own account) and, for a returned result, the name of who received it; these
stay as part of the processing record the agency archives (docs/privacy.md).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.functions import Replace
from django.utils import timezone
from django.utils.crypto import salted_hmac

from cchc.conf import conf
from cchc.dossiers.models import FINAL_STATUSES, Dossier, DossierComponent, DossierRating, Status
from cchc.feedback.models import Feedback, FeedbackStatus
from cchc.notifications.models import OutboxMessage, OutboxStatus
from cchc.surveys.models.campaigns import Invitation
from cchc.workflow.events import Topic
from cchc.workflow.locking import locked

from .engine import retention
from .models import AnonymisedRecord, ExportChannel, ExportRecord, IdentifierKind, RecordKind

EXPORT_FORMAT = "cchc-personal-data/1"
MARKER = "[đã ẩn danh]"  # stored in place of a name or a citizen's own text

records_anonymised = Topic("privacy.records_anonymised", ["kind", "ids"])
"""A run of :func:`anonymise_expired` replaced the personal data of these records."""


class StaleRecord(Exception):
    pass


# -- export --------------------------------------------------------------------------------------
def identifier_hash(kind: str, value: str) -> str:
    """Keyed (SECRET_KEY) hash of a normalised identifier: recomputable by the agency to answer
    "was this person's data exported?", not reversible by reading the log."""
    return salted_hmac("cchc.privacy.export", f"{kind}:{value}", algorithm="sha256").hexdigest()


def normalise(kind: str, value: str) -> str:
    if kind == IdentifierKind.EMAIL:
        return retention.normalise_email(value)
    if kind == IdentifierKind.PHONE:
        return retention.normalise_phone(value)
    if kind == IdentifierKind.ID_NUMBER:
        return retention.normalise_id_number(value)
    raise ValueError(f"unknown identifier kind {kind!r}")


def guess_kind(identifier: str) -> str:
    """An email has "@"; a 10–11 digit number starting with 0 or +84 is a phone; else an ID."""
    if "@" in identifier:
        return IdentifierKind.EMAIL
    phone = retention.normalise_phone(identifier)
    if phone.startswith("0") and len(phone) in (10, 11) and phone.isdigit():
        return IdentifierKind.PHONE
    return IdentifierKind.ID_NUMBER


def _moment(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _file_name(field) -> str:
    return os.path.basename(field.name) if field else ""


def _dossier_data(dossier: Dossier, role: str) -> dict:
    try:
        rating = dossier.rating
    except DossierRating.DoesNotExist:
        rating = None
    return {
        "code": dossier.code or "",
        "role": role,
        "procedure": {"code": dossier.procedure.code, "name": dossier.procedure.name},
        "receiving_unit": {
            "code": dossier.receiving_unit.code,
            "name": dossier.receiving_unit.name,
        },
        "status": dossier.status,
        "status_label": str(dossier.get_status_display()),
        "channel": dossier.channel,
        "created_at": _moment(dossier.created_at),
        "submitted_at": _moment(dossier.submitted_at),
        "received_at": _moment(dossier.received_at),
        "due_at": _moment(dossier.due_at),
        "appointment_at": _moment(dossier.appointment_at),
        "resolved_at": _moment(dossier.resolved_at),
        "returned_at": _moment(dossier.returned_at),
        "closed_at": _moment(dossier.closed_at),
        "outcome": dossier.outcome,
        "applicant": {
            "kind": dossier.applicant_kind,
            "name": dossier.applicant_name,
            "id_type": dossier.applicant_id_type,
            "id_number": dossier.applicant_id_number,
            "birth_date": _day(dossier.applicant_birth_date),
            "phone": dossier.applicant_phone,
            "email": dossier.applicant_email,
            "address": dossier.applicant_address,
        },
        "representative": {
            "name": dossier.representative_name,
            "id_number": dossier.representative_id_number,
            "phone": dossier.representative_phone,
            "authorisation_document": dossier.authorisation_document,
        },
        "result_received_by": dossier.returned_to,
        "files": [
            {"document": component.name, "file_name": _file_name(component.file)}
            for component in dossier.components.all()
            if component.file
        ],
        "result_file_name": _file_name(dossier.result_file),
        "rating": (
            {
                "score": rating.score,
                "comment": rating.comment,
                "rated_at": _moment(rating.created_at),
            }
            if rating
            else None
        ),
    }


def _feedback_data(feedback: Feedback) -> dict:
    return {
        "code": feedback.code,
        "received_at": _moment(feedback.received_at),
        "status": feedback.status,
        "status_label": str(feedback.get_status_display()),
        "unit": {"code": feedback.unit.code, "name": feedback.unit.name},
        "dossier_code": feedback.dossier.code if feedback.dossier_id else None,
        "title": feedback.title,
        "content": feedback.content,
        "sender": {
            "kind": feedback.sender_kind,
            "name": feedback.sender_name,
            "phone": feedback.sender_phone,
            "email": feedback.sender_email,
            "address": feedback.sender_address,
        },
        "answered_at": _moment(feedback.answered_at),
        "published_at": _moment(feedback.published_at),
        "published_answer": feedback.public_answer,
        "rating": feedback.rating,
        "rating_comment": feedback.rating_comment,
    }


def _invitation_data(invitation: Invitation) -> dict:
    return {
        "campaign": {"code": invitation.campaign.code, "name": invitation.campaign.name},
        "unit": {"code": invitation.unit.code, "name": invitation.unit.name},
        "channel": invitation.channel,
        "contact": invitation.contact,
        "dossier_code": invitation.dossier.code if invitation.dossier_id else None,
        "status": invitation.status,
        "sent_at": _moment(invitation.sent_at),
        "answered_at": _moment(invitation.answered_at),
    }


def _message_data(message: OutboxMessage) -> dict:
    return {
        "channel": message.channel,
        "recipient": message.recipient,
        "subject": message.subject,
        "body": message.body,
        "dossier_code": message.dossier.code if message.dossier_id else None,
        "kind": message.kind,
        "status": message.status,
        "created_at": _moment(message.created_at),
        "sent_at": _moment(message.sent_at),
    }


def _account_data(user) -> dict:
    return {
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email,
        "phone": user.phone,
        "date_joined": _moment(user.date_joined),
        "last_login": _moment(user.last_login),
    }


def _stripped(name: str):
    """The column without the spaces, dots and dashes people type into numbers."""
    expression = F(name)
    for character in (" ", ".", "-"):
        expression = Replace(expression, Value(character), Value(""))
    return expression


def _matching(queryset, fields: tuple[str, ...], kind: str, value: str):
    """Rows whose ``fields`` hold ``value`` once normalised. The database narrows (the email
    case-insensitively; a number without its separators, a phone by its national digits after
    the leading 0 or +84), the exact test is here."""
    if not value:
        return []
    condition = Q()
    for name in fields:
        if kind == IdentifierKind.EMAIL:
            condition |= Q(**{f"{name}__iexact": value})
        else:
            alias = f"_plain_{name}"
            queryset = queryset.alias(**{alias: _stripped(name)})
            if kind == IdentifierKind.PHONE:
                condition |= Q(**{f"{alias}__endswith": value[1:]})
            else:
                condition |= Q(**{f"{alias}__iexact": value})
    found = []
    for row in queryset.filter(condition):
        if any(normalise(kind, getattr(row, name)) == value for name in fields):
            found.append(row)
    return found


def _dossiers():
    return Dossier.objects.select_related("procedure", "receiving_unit", "rating").prefetch_related(
        "components"
    )


def _subject_data(kind: str, value: str) -> dict:
    dossiers: list[tuple[Dossier, str]] = []
    if kind == IdentifierKind.ID_NUMBER:
        for dossier in _matching(_dossiers(), ("applicant_id_number",), kind, value):
            dossiers.append((dossier, "applicant"))
        for dossier in _matching(_dossiers(), ("representative_id_number",), kind, value):
            dossiers.append((dossier, "representative"))
    elif kind == IdentifierKind.PHONE:
        for dossier in _matching(_dossiers(), ("applicant_phone",), kind, value):
            dossiers.append((dossier, "applicant"))
        for dossier in _matching(_dossiers(), ("representative_phone",), kind, value):
            dossiers.append((dossier, "representative"))
    else:
        for dossier in _matching(_dossiers(), ("applicant_email",), kind, value):
            dossiers.append((dossier, "applicant"))
    seen: set[int] = set()
    unique = []
    for dossier, role in dossiers:
        if dossier.pk not in seen:
            seen.add(dossier.pk)
            unique.append((dossier, role))
    applicant_of = [dossier.pk for dossier, role in unique if role == "applicant"]

    feedback, accounts, invitations, messages = [], [], [], []
    if kind in (IdentifierKind.PHONE, IdentifierKind.EMAIL):
        field = "sender_phone" if kind == IdentifierKind.PHONE else "sender_email"
        feedback = _matching(
            Feedback.objects.select_related("unit", "dossier"), (field,), kind, value
        )
        from django.contrib.auth import get_user_model

        field = "phone" if kind == IdentifierKind.PHONE else "email"
        accounts = _matching(get_user_model().objects.all(), (field,), kind, value)
        invitations = _matching(
            Invitation.objects.select_related("campaign", "unit", "dossier"),
            ("contact",),
            kind,
            value,
        )
        messages = _matching(
            OutboxMessage.objects.select_related("dossier"), ("recipient",), kind, value
        )
    # What was sent about the dossiers they applied for reached them, whatever the contact.
    invitation_ids = {invitation.pk for invitation in invitations}
    invitations += [
        invitation
        for invitation in Invitation.objects.select_related("campaign", "unit", "dossier").filter(
            dossier_id__in=applicant_of
        )
        if invitation.pk not in invitation_ids
    ]
    message_ids = {message.pk for message in messages}
    messages += [
        message
        for message in OutboxMessage.objects.select_related("dossier").filter(
            dossier_id__in=applicant_of
        )
        if message.pk not in message_ids
    ]
    return {
        "dossiers": [_dossier_data(dossier, role) for dossier, role in unique],
        "feedback": [_feedback_data(item) for item in feedback],
        "survey_invitations": [_invitation_data(item) for item in invitations],
        "notifications": [_message_data(item) for item in messages],
        "accounts": [_account_data(user) for user in accounts],
    }


def _count(data: dict) -> int:
    return sum(len(data[key]) for key in ("dossiers", "feedback", "survey_invitations",
                                          "notifications", "accounts"))  # fmt: skip


@transaction.atomic
def _record(actor, channel: str, kind: str, value: str, data: dict) -> ExportRecord:
    return ExportRecord.objects.create(
        at=timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=(actor.get_full_name() if getattr(actor, "pk", None) else "")
        or (os.environ.get("USER", "") if channel == ExportChannel.CONSOLE else ""),
        channel=channel,
        identifier_kind=kind,
        identifier_hash=identifier_hash(kind, value),
        records=_count(data),
    )


def export_subject(
    identifier: str,
    kind: str | None = None,
    *,
    actor=None,
    channel: str = ExportChannel.CONSOLE,
) -> dict:
    """Everything held about the person with this ID number, phone or email (``kind``; guessed
    from the identifier when None), as JSON-able data; the export is recorded."""
    kind = kind or guess_kind(identifier)
    value = normalise(kind, identifier)
    if not value:
        raise ValueError("empty identifier")
    data = _subject_data(kind, value)
    _record(actor, channel, kind, value, data)
    return {
        "format": EXPORT_FORMAT,
        "exported_at": _moment(timezone.now()),
        "identifier": {"kind": kind, "value": value},
        **data,
    }


def export_account(user) -> dict:
    """A signed-in citizen's own data: their account, the dossiers submitted from it (with their
    files and the notifications sent about them) and the feedback sent from it. Recorded."""
    dossiers = list(_dossiers().filter(applicant_user=user))
    data = {
        "dossiers": [_dossier_data(dossier, "applicant") for dossier in dossiers],
        "feedback": [
            _feedback_data(item)
            for item in Feedback.objects.select_related("unit", "dossier").filter(sender_user=user)
        ],
        "survey_invitations": [],
        "notifications": [
            _message_data(message)
            for message in OutboxMessage.objects.select_related("dossier").filter(
                dossier__in=dossiers
            )
        ],
        "accounts": [_account_data(user)],
    }
    _record(user, ExportChannel.CITIZEN_PAGE, IdentifierKind.ACCOUNT, str(user.pk), data)
    return {
        "format": EXPORT_FORMAT,
        "exported_at": _moment(timezone.now()),
        "identifier": {"kind": IdentifierKind.ACCOUNT, "value": user.username},
        **data,
    }


# -- anonymisation -------------------------------------------------------------------------------
DOSSIER_PERSONAL_FIELDS = {
    "applicant_name": MARKER,
    "applicant_id_number": "",
    "applicant_birth_date": None,
    "applicant_phone": "",
    "applicant_email": "",
    "applicant_address": "",
    "representative_name": "",
    "representative_id_number": "",
    "representative_phone": "",
    "authorisation_document": "",
    "returned_to": "",
    "applicant_user": None,
}
FEEDBACK_PERSONAL_FIELDS = {
    "sender_name": MARKER,
    "sender_phone": "",
    "sender_email": "",
    "sender_address": "",
    "sender_user": None,
    "title": MARKER,
    "content": MARKER,
    "rating_comment": "",
}
INVITATION_PERSONAL_FIELDS = {"contact": "", "dossier": None}
OUTBOX_PERSONAL_FIELDS = {"recipient": "", "subject": "", "body": MARKER}


def retention_years() -> dict[str, int | None]:
    """The configured years per record type, the declared defaults filling the missing keys."""
    from cchc.conf import BY_NAME

    years = dict(BY_NAME["CCHC_RETENTION_YEARS"].default)
    years.update(conf.RETENTION_YEARS)
    return years


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _not_done(kind: str):
    return ~Exists(AnonymisedRecord.objects.filter(kind=kind, record_id=OuterRef("pk")))


@dataclass(frozen=True)
class _Kind:
    key: str
    candidates: Callable[[datetime], object]  # before this moment → queryset
    closed: Callable[[object], datetime | None]
    anonymise: Callable[[object], None]
    model: type


def _delete_files(dossier: Dossier) -> None:
    """Uploaded documents and the result file: deleted from storage after the commit."""
    names = [c.file.name for c in dossier.components.all() if c.file]
    if dossier.result_file:
        names.append(dossier.result_file.name)
    DossierComponent.objects.filter(dossier=dossier).exclude(file="").update(file="")
    storage = Dossier._meta.get_field("result_file").storage

    def remove() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(remove)


def _anonymise_dossier(dossier: Dossier) -> None:
    _delete_files(dossier)
    DossierRating.objects.filter(dossier=dossier).update(comment="")
    # An UPDATE, not save(): the row's other columns (and its modification time) stay as they are.
    Dossier.objects.filter(pk=dossier.pk).update(
        **DOSSIER_PERSONAL_FIELDS, result_file="", version=F("version") + 1
    )


def _anonymise_feedback(feedback: Feedback) -> None:
    Feedback.objects.filter(pk=feedback.pk).update(
        **FEEDBACK_PERSONAL_FIELDS, version=F("version") + 1
    )


def _anonymise_invitation(invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk).update(
        **INVITATION_PERSONAL_FIELDS, erased_at=invitation.erased_at or timezone.now()
    )


def _anonymise_message(message: OutboxMessage) -> None:
    OutboxMessage.objects.filter(pk=message.pk).update(**OUTBOX_PERSONAL_FIELDS)


FEEDBACK_CLOSED = (FeedbackStatus.PUBLISHED, FeedbackStatus.RATED, FeedbackStatus.REJECTED)
OUTBOX_CLOSED = (OutboxStatus.SENT, OutboxStatus.FAILED, OutboxStatus.DEAD)


def _feedback_closed(feedback: Feedback) -> datetime | None:
    return feedback.rated_at or feedback.published_at or feedback.rejected_at


def _invitation_closed(invitation: Invitation) -> datetime | None:
    return invitation.campaign.closed_at or invitation.answered_at or invitation.sent_at


KINDS = (
    _Kind(
        RecordKind.DOSSIERS,
        lambda before: Dossier.objects.filter(
            status__in=FINAL_STATUSES, closed_at__lt=before
        ).filter(_not_done(RecordKind.DOSSIERS)),
        lambda dossier: dossier.closed_at,
        _anonymise_dossier,
        Dossier,
    ),
    _Kind(
        RecordKind.DRAFTS,
        lambda before: Dossier.objects.filter(status=Status.DRAFT, updated_at__lt=before).filter(
            _not_done(RecordKind.DRAFTS)
        ),
        lambda dossier: dossier.updated_at,
        _anonymise_dossier,
        Dossier,
    ),
    _Kind(
        RecordKind.FEEDBACK,
        lambda before: (
            Feedback.objects.filter(status__in=FEEDBACK_CLOSED)
            .filter(
                Q(rated_at__lt=before)
                | Q(rated_at__isnull=True, published_at__lt=before)
                | Q(rated_at__isnull=True, published_at__isnull=True, rejected_at__lt=before)
            )
            .filter(_not_done(RecordKind.FEEDBACK))
        ),
        _feedback_closed,
        _anonymise_feedback,
        Feedback,
    ),
    _Kind(
        RecordKind.SURVEY_CONTACTS,
        lambda before: (
            Invitation.objects.select_related("campaign")
            .filter(
                Q(campaign__closed_at__lt=before)
                | Q(campaign__closed_at__isnull=True, answered_at__lt=before)
                | Q(campaign__closed_at__isnull=True, answered_at__isnull=True, sent_at__lt=before)
            )
            .filter(_not_done(RecordKind.SURVEY_CONTACTS))
        ),
        _invitation_closed,
        _anonymise_invitation,
        Invitation,
    ),
    _Kind(
        RecordKind.OUTBOX,
        lambda before: (
            OutboxMessage.objects.filter(status__in=OUTBOX_CLOSED)
            .filter(Q(sent_at__lt=before) | Q(sent_at__isnull=True, created_at__lt=before))
            .filter(_not_done(RecordKind.OUTBOX))
        ),
        lambda message: message.sent_at or message.created_at,
        _anonymise_message,
        OutboxMessage,
    ),
)


def expired_records(kind: _Kind, years: int, today: date) -> Iterator[tuple[int, date]]:
    """(id, closing day) of the records of ``kind`` past retention on ``today``, oldest id first."""
    before = _midnight(retention.latest_candidate(years, today) + timedelta(days=1))
    for record in kind.candidates(before).order_by("pk").iterator(chunk_size=1000):
        closed = kind.closed(record)
        if closed is None:
            continue
        closed_on = timezone.localdate(closed)
        if retention.expired(closed_on, years, today):
            yield record.pk, closed_on


@transaction.atomic
def _anonymise_one(kind: _Kind, record_id: int, closed_on: date, years: int) -> bool:
    record = locked(kind.model.objects.all(), record_id, None, stale_error=StaleRecord())
    if AnonymisedRecord.objects.filter(kind=kind.key, record_id=record_id).exists():
        return False  # another run did it meanwhile
    kind.anonymise(record)
    AnonymisedRecord.objects.create(
        kind=kind.key, record_id=record_id, closed_on=closed_on, years=years, at=timezone.now()
    )
    records_anonymised.publish(kind=kind.key, ids=[record_id])
    return True


def anonymise_expired(today: date | None = None, *, dry_run: bool = False) -> dict[str, int]:
    """Anonymise every record past its retention on ``today`` (default: the local date); with
    ``dry_run`` only count them. Returns the count per record type. Idempotent: a record is
    anonymised once (``AnonymisedRecord``), each in its own transaction under its row lock."""
    today = today or timezone.localdate()
    years_by_kind = retention_years()
    counts: dict[str, int] = {}
    for kind in KINDS:
        years = years_by_kind.get(kind.key)
        counts[kind.key] = 0
        if years is None:
            continue
        for record_id, closed_on in list(expired_records(kind, years, today)):
            if dry_run or _anonymise_one(kind, record_id, closed_on, years):
                counts[kind.key] += 1
    return counts


def summary_line(counts: dict[str, int], *, dry_run: bool = False) -> str:
    parts = ", ".join(f"{key} {count}" for key, count in counts.items())
    verb = "would anonymise" if dry_run else "anonymised"
    return f"{verb}: {parts}"
