"""Production refuses to start without a history key of its own (cchc.settings.production)."""

import os
import subprocess
import sys

import pytest

BASE = {
    "DJANGO_SECRET_KEY": "s" * 50,
    "DJANGO_ALLOWED_HOSTS": "cchc.example.gov.vn",
    "DATABASE_URL": "sqlite:////tmp/cchc-settings-test.sqlite3",
}


def load(**variables) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CCHC_HISTORY", "DJANGO_"))}
    env.update(BASE, **variables)
    code = "import cchc.settings.production as s; print(s.CCHC_HISTORY_OLD_KEYS)"
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("key", [None, "", "too-short"])
def test_production_refuses_to_start_without_a_history_key(key):
    variables = {} if key is None else {"CCHC_HISTORY_KEY": key}
    done = load(**variables)
    assert done.returncode != 0
    assert "CCHC_HISTORY_KEY must be set in production" in done.stderr


def test_production_refuses_the_secret_key_as_history_key():
    done = load(CCHC_HISTORY_KEY="s" * 50)
    assert done.returncode != 0
    assert "CCHC_HISTORY_KEY must differ from DJANGO_SECRET_KEY" in done.stderr


def test_production_reads_the_key_and_the_old_keys():
    done = load(CCHC_HISTORY_KEY="k" * 43, CCHC_HISTORY_OLD_KEYS="old-one, old-two ,")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['old-one', 'old-two']"
