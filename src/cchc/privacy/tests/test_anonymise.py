"""Anonymisation of expired personal data (NĐ 13/2023: storage limitation) keeps the statistics,
the reports and the sealed histories intact, leaves records within retention untouched, and is
idempotent; a dry run changes nothing."""

from datetime import date

import pytest
from django.core.management import call_command

from cchc.dossiers.models import Dossier, DossierComponent
from cchc.feedback import selectors as feedback_selectors
from cchc.feedback.models import Feedback
from cchc.history import registry
from cchc.history import services as history
from cchc.notifications.models import OutboxMessage
from cchc.privacy import services
from cchc.privacy.models import AnonymisedRecord
from cchc.reports import services as reports
from cchc.reports.models import DossierStat, StatCell
from cchc.reports.selectors import ReportRequest, build_report
from cchc.surveys.models import Invitation

from .conftest import AN, TODAY

# Every personal field of a dossier, and what it becomes.
DOSSIER_BLANKED = {
    "applicant_name": "[đã ẩn danh]",
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
    "applicant_user_id": None,
    "result_file": "",
}
FEEDBACK_BLANKED = {
    "sender_name": "[đã ẩn danh]",
    "sender_phone": "",
    "sender_email": "",
    "sender_address": "",
    "sender_user_id": None,
    "title": "[đã ẩn danh]",
    "content": "[đã ẩn danh]",
    "rating_comment": "",
}
# What the statistics and reports read: never changed.
DOSSIER_KEPT = (
    "code", "receiving_unit_id", "current_unit_id", "procedure_id", "variant_id", "status",
    "channel", "online_mode", "applicant_kind", "applicant_id_type", "submitted_at",
    "received_at", "effective_received_at", "due_at", "appointment_at", "resolved_at",
    "returned_at", "closed_at", "outcome", "fee_amount", "fee_paid_online", "payment_gateway",
    "digitised", "supplement_count", "pause_count", "extension_count", "late_by_rule",
    "updated_at", "created_at", "history_count", "history_head",
)  # fmt: skip


def figures():
    """Everything the reports and the 766 feedback indicators show, and the stored counters."""
    report = build_report(ReportRequest(start=date(2014, 1, 1), end=date(2026, 12, 31), by="unit"))
    return (
        report,
        feedback_selectors.index_counts(None, date(2014, 1, 1), date(2026, 12, 31)),
        sorted(DossierStat.objects.values_list()),
        sorted(StatCell.objects.values_list()),
    )


def chains_intact() -> bool:
    return all(list(history.verify_chains(spec)) == [] for spec in registry.chains())


def row(model, pk, fields):
    return model.objects.values(*fields).get(pk=pk)


def test_expired_dossier_loses_every_personal_field_and_keeps_the_rest(
    world, django_capture_on_commit_callbacks
):
    kept_before = row(Dossier, world.old.pk, DOSSIER_KEPT)
    upload = DossierComponent.objects.get(dossier=world.old).file
    storage, name = upload.storage, upload.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.anonymise_expired(TODAY)
    assert counts["dossiers"] == 2  # An's and Bình's, closed 10/3/2014
    assert row(Dossier, world.old.pk, DOSSIER_BLANKED) == DOSSIER_BLANKED
    assert row(Dossier, world.old.pk, DOSSIER_KEPT) == kept_before
    component = DossierComponent.objects.get(dossier=world.old)
    assert component.file.name == "" and component.name == "Tờ khai"
    assert not storage.exists(name)  # the upload is deleted after the commit


def test_expired_uploads_are_deleted_from_the_bucket(
    bucket, world, django_capture_on_commit_callbacks
):
    """CCHC_MEDIA_STORAGE=s3 (moto): the objects go too, the others' stay."""
    old_key = "tep/" + DossierComponent.objects.get(dossier=world.old).file.name
    before = {item["Key"] for item in bucket.list_objects_v2(Bucket="cchc-media")["Contents"]}
    assert old_key in before
    with django_capture_on_commit_callbacks(execute=True):
        services.anonymise_expired(TODAY)
    after = {
        item["Key"] for item in bucket.list_objects_v2(Bucket="cchc-media").get("Contents", [])
    }
    assert old_key not in after
    kept = {
        "tep/" + c.file.name
        for c in DossierComponent.objects.exclude(file="").filter(
            dossier__in=[world.recent, world.running]
        )
    }
    assert kept and kept <= after


def test_records_within_retention_are_untouched(world):
    columns = [f.attname for f in Dossier._meta.concrete_fields if f.attname != "version"]
    before = {pk: row(Dossier, pk, columns) for pk in (world.recent.pk, world.running.pk)}
    services.anonymise_expired(TODAY)
    for pk, values in before.items():
        assert row(Dossier, pk, columns) == values
    assert Dossier.objects.get(pk=world.recent.pk).applicant_phone == AN["phone"]


def test_feedback_invitations_and_messages_past_retention_are_anonymised(world):
    counts = services.anonymise_expired(TODAY)
    assert counts["feedback"] == 2 and counts["survey_contacts"] == 1
    assert row(Feedback, world.feedback.pk, FEEDBACK_BLANKED) == FEEDBACK_BLANKED
    feedback = Feedback.objects.get(pk=world.feedback.pk)
    assert feedback.status == "rejected" and feedback.unit_id == world.feedback.unit_id
    assert feedback.received_at == world.feedback.received_at
    invitation = Invitation.objects.get(pk=world.invitation.pk)
    assert invitation.contact == "" and invitation.dossier_id is None and invitation.erased_at
    assert invitation.status == "sent" and invitation.sent_at == world.invitation.sent_at
    old_messages = OutboxMessage.objects.filter(dossier__in=[world.old, world.other])
    assert old_messages.exists()
    for message in old_messages:
        assert (message.recipient, message.subject, message.body) == ("", "", "[đã ẩn danh]")
        assert message.status == "sent" and message.channel in ("email", "sms")
    # A message about a dossier still within retention that was sent less than a year ago stays.
    recent = OutboxMessage.objects.filter(dossier=world.running)
    assert recent.exists() and all(m.recipient in (AN["email"], AN["phone"]) for m in recent)


def test_statistics_reports_and_histories_are_unchanged(world):
    assert reports.verify() == []
    assert chains_intact()
    before = figures()
    services.anonymise_expired(TODAY)
    assert figures() == before
    assert reports.verify() == []  # rebuild-stats --verify
    assert chains_intact()  # verify-history: no sealed field holds what was anonymised
    call_command("verify-history")  # exits 0


def test_it_is_idempotent_and_recorded_once(world):
    first = services.anonymise_expired(TODAY)
    after_first = sorted(Dossier.objects.values_list())
    second = services.anonymise_expired(TODAY)
    assert sum(first.values()) > 0 and sum(second.values()) == 0
    assert sorted(Dossier.objects.values_list()) == after_first
    assert AnonymisedRecord.objects.count() == sum(first.values())
    assert AnonymisedRecord.objects.get(kind="dossiers", record_id=world.old.pk).closed_on == (
        date(2014, 3, 10)
    )


def test_a_dry_run_counts_and_changes_nothing(world, capsys):
    before = sorted(Dossier.objects.values_list()), sorted(Feedback.objects.values_list())
    call_command("anonymise-expired", "--dry-run", "--date", TODAY.isoformat())
    assert "would anonymise: dossiers 2," in capsys.readouterr().out
    assert (sorted(Dossier.objects.values_list()), sorted(Feedback.objects.values_list())) == before
    assert AnonymisedRecord.objects.count() == 0
    call_command("anonymise-expired", "--date", TODAY.isoformat())
    assert "anonymised: dossiers 2," in capsys.readouterr().out


def test_the_command_refuses_a_bad_date(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("anonymise-expired", "--date", "01/06/2026")


@pytest.mark.parametrize(
    "today, expired",
    [
        (date(2024, 3, 9), False),
        (date(2024, 3, 10), False),  # exactly 10 years after closing: still kept
        (date(2024, 3, 11), True),  # from the next day
    ],
)
def test_the_retention_boundary(world, today, expired):
    counts = services.anonymise_expired(today)
    assert (counts["dossiers"] == 2) is expired
    assert (Dossier.objects.get(pk=world.old.pk).applicant_phone == "") is expired


def test_retention_is_configuration(world, settings):
    settings.CCHC_RETENTION_YEARS = {"dossiers": 20}  # the others keep their defaults
    counts = services.anonymise_expired(TODAY)
    assert counts["dossiers"] == 0 and counts["feedback"] == 2
    settings.CCHC_RETENTION_YEARS = {"dossiers": None, "feedback": None, "outbox": None,
                                     "survey_contacts": None, "drafts": None}  # fmt: skip
    assert sum(services.anonymise_expired(date(2100, 1, 1)).values()) == 0


def test_a_draft_never_submitted_is_anonymised_after_its_year(
    db, django_user_model, unit, procedure, applicant
):
    import time_machine

    from cchc.dossiers import services as dossiers

    from .conftest import local

    citizen = django_user_model.objects.create_user("congdan", password="pw-123456")
    with time_machine.travel(local(2025, 1, 5, 9, 0), tick=False):
        draft = dossiers.create_draft(citizen, unit, procedure, applicant)
    assert services.anonymise_expired(date(2026, 1, 5))["drafts"] == 0
    assert services.anonymise_expired(date(2026, 1, 6))["drafts"] == 1
    values = row(Dossier, draft.pk, DOSSIER_BLANKED)
    assert values == DOSSIER_BLANKED and Dossier.objects.get(pk=draft.pk).status == 0
    assert chains_intact()


def test_the_nightly_job_is_registered_once_per_day(db):
    from cchc.common.jobs import jobs

    from .conftest import local

    job = jobs.get("anonymise-expired")
    assert (job.schedule, job.once_per) == ("30 3 * * *", "day")
    assert job.run(local(2026, 6, 1, 3, 30)).startswith("anonymised: dossiers 0")


def test_a_record_done_by_a_concurrent_run_is_not_done_again(world):
    """Of two runs at once, the second to lock the row finds the first's record and stops."""
    kind = next(k for k in services.KINDS if k.key == "dossiers")
    [(record_id, closed_on), *_rest] = list(services.expired_records(kind, 10, TODAY))
    assert services._anonymise_one(kind, record_id, closed_on, 10) is True
    assert services._anonymise_one(kind, record_id, closed_on, 10) is False
    assert AnonymisedRecord.objects.filter(kind="dossiers", record_id=record_id).count() == 1
