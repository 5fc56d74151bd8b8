"""``cchc process-outbox``: one Vietnamese summary line; --limit; --loop stops on request."""

import importlib
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from cchc.notifications import services

pytestmark = pytest.mark.django_db(transaction=True)


def _enqueue(count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        services.enqueue(
            channel="email", recipient=f"nguoi{n}@example.com", body="x", dedup_key=f"c:{n}"
        )


def _run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("process-outbox", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_summary_line_and_limit():
    _enqueue(3)
    out, err = _run("--limit", "2")
    assert out.strip() == (
        "Hộp thư đi: đã gửi 2, sẽ gửi lại 0, không gửi được 0; còn 1 thông báo đang chờ."
    )
    assert err == ""
    out, _ = _run()
    assert "đã gửi 1" in out and "còn 0 thông báo" in out
    assert len(mail.outbox) == 3


def test_undeliverable_messages_are_reported_on_stderr(settings):
    settings.EMAIL_BACKEND = "cchc.notifications.tests.fakes.RefusingMailServer"
    _enqueue(1)
    out, err = _run()
    assert "không gửi được 1" in out
    assert "1 thông báo không gửi được" in err


def test_bad_options_and_configuration(settings):
    with pytest.raises(CommandError):
        _run("--limit", "0")
    with pytest.raises(CommandError):
        _run("--loop", "0")
    settings.CCHC_NOTIFICATION_BACKENDS = {"sms": "cchc.nowhere.Sms"}
    with pytest.raises(CommandError, match="Cấu hình"):
        _run()


def test_loop_runs_until_stopped(monkeypatch):
    module = importlib.import_module("cchc.notifications.management.commands.process-outbox")
    rounds = []

    def fake_sleep(seconds, stopping):
        rounds.append(seconds)
        if len(rounds) == 1:
            _enqueue(1, start=2)  # arrives while the runner sleeps
        else:
            stopping.append("SIGTERM")

    monkeypatch.setattr(module.Command, "_sleep", staticmethod(fake_sleep))
    _enqueue(2)
    out, _ = _run("--loop", "30")
    assert rounds == [30.0, 30.0]
    assert len(mail.outbox) == 3
    lines = out.strip().splitlines()  # idle rounds print nothing
    assert [line.split(",")[0] for line in lines] == [
        "Hộp thư đi: đã gửi 2",
        "Hộp thư đi: đã gửi 1",
    ]
