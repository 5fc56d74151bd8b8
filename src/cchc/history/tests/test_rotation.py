"""Rotating the history key (docs/security.md, "Rotating the history key").

New entries are sealed with ``CCHC_HISTORY_KEY``; entries sealed with a key that has moved to
``CCHC_HISTORY_OLD_KEYS`` still verify; once an old key is dropped while entries sealed with it
remain, those histories are reported as "sealed with an unknown key".
"""

from cchc.dossiers import services
from cchc.dossiers.models import DossierEvent
from cchc.history import chain, keys
from cchc.history.models import Checkpoint

from .conftest import run

OLD = "old-history-key-0123456789abcdef0123456789"
NEW = "new-history-key-fedcba9876543210fedcba9876"


def key_ids(dossier) -> list[str]:
    return list(
        DossierEvent.objects.filter(dossier=dossier)
        .order_by("sequence")
        .values_list("key_id", flat=True)
    )


def test_the_ring_reads_the_settings(settings):
    settings.CCHC_HISTORY_KEY = NEW
    settings.CCHC_HISTORY_OLD_KEYS = [OLD, "  "]
    ring = keys.ring()
    assert ring.current == NEW.encode()
    assert ring.retired == (OLD.encode(),)
    assert set(ring.by_id()) == {chain.key_id(NEW.encode()), chain.key_id(OLD.encode())}


def test_without_a_key_a_development_key_is_derived_from_the_secret_key(settings):
    settings.CCHC_HISTORY_KEY = ""
    first = keys.ring().current
    settings.SECRET_KEY = "another-secret"
    assert keys.ring().current != first
    assert keys.ring().current != b"another-secret"


def test_rotation_keeps_old_histories_verifiable_and_seals_new_entries_with_the_new_key(
    settings, make_dossier, leader
):
    settings.CCHC_HISTORY_KEY = OLD
    dossier = make_dossier()
    old_id, new_id = chain.key_id(OLD.encode()), chain.key_id(NEW.encode())
    assert key_ids(dossier) == [old_id] * 3

    settings.CCHC_HISTORY_KEY, settings.CCHC_HISTORY_OLD_KEYS = NEW, [OLD]
    assert run("verify-history")[0] == 0
    services.forward(dossier.pk, leader)
    assert key_ids(dossier) == [old_id] * 3 + [new_id]
    code, out, errors = run("verify-history")
    assert (code, errors) == (0, "")
    assert "1 hồ sơ, 4 sự kiện; 0 hồ sơ" in out


def test_dropping_an_old_key_still_in_use_is_reported(settings, make_dossier):
    settings.CCHC_HISTORY_KEY = OLD
    dossier = make_dossier()
    settings.CCHC_HISTORY_KEY, settings.CCHC_HISTORY_OLD_KEYS = NEW, []
    code, _out, errors = run("verify-history")
    assert code == 1
    assert errors.strip() == (
        f"Hồ sơ {dossier.code}: sự kiện số 1 – được niêm phong bằng khóa không xác định "
        f"({chain.key_id(OLD.encode())})."
    )


def test_checkpoints_signed_with_an_old_key_verify_while_it_is_kept(settings, make_dossier):
    settings.CCHC_HISTORY_KEY = OLD
    make_dossier()
    assert run("history-checkpoint")[0] == 0
    settings.CCHC_HISTORY_KEY, settings.CCHC_HISTORY_OLD_KEYS = NEW, [OLD]
    assert run("verify-history", "--since-checkpoint")[0] == 0
    settings.CCHC_HISTORY_OLD_KEYS = []
    code, _out, errors = run("verify-history", "--chain", "feedback", "--since-checkpoint")
    assert code == 1
    checkpoint = Checkpoint.objects.get()
    assert errors.strip() == (
        f"Điểm kiểm tra #{checkpoint.pk}: Chữ ký của điểm kiểm tra không hợp lệ."
    )
