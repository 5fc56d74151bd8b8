"""A person's export: found by each identifier, everything of theirs, nothing of another's."""

import json

import pytest
from django.core.management import call_command

from cchc.privacy import services
from cchc.privacy.models import ExportChannel, ExportRecord, IdentifierKind

from .conftest import AN, BINH


def codes(data, key="dossiers"):
    return sorted(item["code"] for item in data[key])


def no_trace_of(data, person):
    text = json.dumps(data, ensure_ascii=False)
    return all(value not in text for value in person.values()) and "Trần Thị Bình" not in text


@pytest.mark.parametrize(
    "kind, identifier",
    [
        (IdentifierKind.ID_NUMBER, "001 090 012 345"),
        (IdentifierKind.PHONE, "+84 912.345.678"),
        (IdentifierKind.EMAIL, "  AN@example.COM "),
    ],
)
def test_each_identifier_finds_every_dossier_and_nothing_of_another_person(world, kind, identifier):
    data = services.export_subject(identifier, kind)
    assert data["format"] == "cchc-personal-data/1"
    assert data["identifier"] == {"kind": kind, "value": services.normalise(kind, identifier)}
    assert codes(data) == sorted([world.old.code, world.recent.code, world.running.code])
    old = next(item for item in data["dossiers"] if item["code"] == world.old.code)
    assert old["applicant"] == {
        "kind": "individual",
        "name": "Nguyễn Văn An",
        "id_type": "cccd",
        "id_number": AN["id_number"],
        "birth_date": "1990-05-17",
        "phone": AN["phone"],
        "email": AN["email"],
        "address": "Số 1 đường Lê Lợi, phường Đông Thành",
    }
    assert old["procedure"]["code"] == "1.004873"
    assert old["status"] == 7 and old["closed_at"].startswith("2014-03-10T")
    [file] = old["files"]
    assert file["document"] == "Tờ khai" and file["file_name"].startswith("to-khai")
    assert old["result_received_by"] == "Nguyễn Văn An"
    # The notifications and the survey invitation of the dossiers they applied for.
    recipients = {m["recipient"] for m in data["notifications"]}
    assert recipients == {AN["email"], AN["phone"]}
    assert {m["dossier_code"] for m in data["notifications"]} >= {world.old.code}
    assert [i["campaign"]["code"] for i in data["survey_invitations"]] == ["sipas-2015"]
    assert no_trace_of(data, BINH)


@pytest.mark.parametrize(
    "kind, identifier", [(IdentifierKind.PHONE, "0912345678"), (IdentifierKind.EMAIL, AN["email"])]
)
def test_phone_and_email_also_find_feedback_and_the_account(world, kind, identifier):
    data = services.export_subject(identifier, kind)
    assert codes(data, "feedback") == [world.feedback.code]
    assert data["feedback"][0]["sender"]["name"] == "Nguyễn Văn An"
    assert [account["username"] for account in data["accounts"]] == ["an.congdan"]
    assert no_trace_of(data, BINH)


def test_the_id_number_finds_no_feedback_or_account_which_hold_none(world):
    data = services.export_subject(AN["id_number"], IdentifierKind.ID_NUMBER)
    assert data["feedback"] == [] and data["accounts"] == []


def test_the_other_person_gets_only_hers(world):
    data = services.export_subject(BINH["phone"])  # kind guessed: a phone
    assert data["identifier"]["kind"] == IdentifierKind.PHONE
    assert codes(data) == [world.other.code]
    assert codes(data, "feedback") == [world.other_feedback.code]
    assert data["survey_invitations"] == [] and data["accounts"] == []
    assert "Nguyễn Văn An" not in json.dumps(data, ensure_ascii=False)


def test_a_representative_finds_the_dossiers_they_represented(world, officer, unit, procedure):
    from cchc.dossiers import services as dossiers

    from .conftest import _person

    someone = {"id_number": "003080011111", "phone": "0900000001", "email": "x@example.com"}
    represented = dossiers.receive_at_counter(
        officer,
        unit,
        procedure,
        _person("Lê Văn Cường", someone, representative_name="Nguyễn Văn An",
                representative_id_number=AN["id_number"], representative_phone=AN["phone"]),
    )  # fmt: skip
    data = services.export_subject(AN["id_number"], IdentifierKind.ID_NUMBER)
    roles = {item["code"]: item["role"] for item in data["dossiers"]}
    assert roles[represented.code] == "representative"
    # Not the applicant's notifications: those went to him.
    assert all(m["dossier_code"] != represented.code for m in data["notifications"])


def test_an_unknown_person_gets_an_empty_export(world):
    data = services.export_subject("nobody@example.com")
    assert all(data[key] == [] for key in ("dossiers", "feedback", "survey_invitations",
                                           "notifications", "accounts"))  # fmt: skip


def test_every_export_is_recorded_with_a_keyed_hash_and_the_log_is_append_only(world):
    data = services.export_subject(AN["phone"], IdentifierKind.PHONE)
    record = ExportRecord.objects.get()
    assert record.channel == ExportChannel.CONSOLE
    assert record.identifier_kind == IdentifierKind.PHONE
    assert record.identifier_hash == services.identifier_hash("phone", AN["phone"])
    assert AN["phone"] not in record.identifier_hash and len(record.identifier_hash) == 64
    assert record.records == sum(
        len(data[key])
        for key in ("dossiers", "feedback", "survey_invitations", "notifications", "accounts")
    )
    assert record.records >= 3 + 1 + 1 + 2 + 1  # dossiers, feedback, invitation, messages, account
    record.records = 0
    with pytest.raises(PermissionError):
        record.save()
    with pytest.raises(PermissionError):
        record.delete()


def test_the_command_writes_utf8_json_with_english_keys(world, tmp_path):
    output = tmp_path / "an.json"
    call_command("personal-data-export", "--email", AN["email"], "--output", str(output))
    data = json.loads(output.read_text(encoding="utf-8"))
    assert "Nguyễn Văn An" in output.read_text(encoding="utf-8")  # not \\u escapes
    assert set(data) == {"format", "exported_at", "identifier", "dossiers", "feedback",
                         "survey_invitations", "notifications", "accounts"}  # fmt: skip
    assert codes(data) == sorted([world.old.code, world.recent.code, world.running.code])
    assert ExportRecord.objects.filter(identifier_kind="email").count() == 1


def test_the_command_needs_exactly_one_identifier(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("personal-data-export")
    with pytest.raises(CommandError):
        call_command("personal-data-export", "--phone", " ")
