"""Background jobs: schedules as configuration, once per slot however many workers ask, failures
recorded and retried, runs asked for after a commit (ADR 0014, docs/jobs.md)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from cchc.common import jobs as registry
from cchc.common.jobs import Job, jobs, request_run
from cchc.jobs import services
from cchc.jobs.models import JobRun, RunStatus
from cchc.jobs.schedule import ScheduleError, beat_schedule, parse, schedules
from cchc.workflow.testing import run_together

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MORNING = datetime(2026, 12, 7, 7, 0, tzinfo=VN)


class Counter:
    def __init__(self, fail_times=0):
        self.calls = 0
        self.fail_times = fail_times

    def __call__(self, now):
        self.calls += 1
        if self.calls <= self.fail_times:
            raise RuntimeError("the mail server is down")
        return f"run {self.calls}"


def daily(counter, key="test-daily"):
    return Job(key, counter, "0 7 * * *", "a test job", once_per="day")


def test_the_registered_jobs_and_their_default_schedules():
    assert schedules() == {
        "history-checkpoint": "30 0 * * *",
        "outbox": "* * * * *",
        "rebuild-stats-verify": "0 2 * * *",
        "par-reminders": "0 7 * * *",
        "anonymise-expired": "30 3 * * *",
        "clear-sessions": "45 3 * * *",
        "dashboard-refresh": "* * * * *",
        "dossier-near-due": "0 7 * * 1-6",
        "scheduled-reports": "0 6 * * *",
        **{job.key: job.schedule for job in jobs if job.key.startswith("plan")},
    }
    beat = beat_schedule()
    assert beat["outbox"]["task"] == "cchc.run_job"
    assert beat["outbox"]["args"] == ("outbox",)


def test_a_schedule_is_configuration(settings):
    settings.CCHC_JOB_SCHEDULE = {"outbox": "*/5 * * * *", "par-reminders": ""}
    active = schedules()
    assert active["outbox"] == "*/5 * * * *"
    assert "par-reminders" not in active  # switched off


@pytest.mark.parametrize(
    "value, message",
    [
        ({"no-such-job": "* * * * *"}, "unknown jobs: no-such-job"),
        ({"outbox": "every minute"}, "five fields"),
        ({"outbox": "61 * * * *"}, "61 * * * *"),
    ],
)
def test_a_wrong_schedule_is_named(settings, value, message):
    settings.CCHC_JOB_SCHEDULE = value
    with pytest.raises(ScheduleError, match=message):
        schedules()


def test_parse_reads_the_five_fields():
    schedule = parse("30 0 * * 1-5")
    assert schedule.minute == {30} and schedule.hour == {0}
    assert schedule.day_of_week == {1, 2, 3, 4, 5}


@pytest.mark.django_db
def test_a_daily_job_runs_once_in_its_day():
    counter = Counter()
    with jobs.temporarily(daily(counter)):
        first = services.run("test-daily", now=MORNING)
        again = services.run("test-daily", now=MORNING.replace(hour=15))
        tomorrow = services.run("test-daily", now=MORNING.replace(day=8))
    assert (first.ran, again.ran, tomorrow.ran) == (True, False, True)
    assert counter.calls == 2
    run = JobRun.objects.get(key="test-daily", slot="2026-12-07")
    assert run.status == RunStatus.DONE and run.output == "run 1" and run.finished_at


@pytest.mark.django_db
def test_the_slot_is_the_local_day():
    counter = Counter()
    late_evening_utc = datetime(2026, 12, 7, 18, 30, tzinfo=ZoneInfo("UTC"))  # 01:30 on the 8th
    with jobs.temporarily(daily(counter)):
        assert services.run("test-daily", now=late_evening_utc).slot == "2026-12-08"


@pytest.mark.django_db
def test_a_failed_run_is_recorded_and_may_be_retried_in_its_slot():
    counter = Counter(fail_times=1)
    with jobs.temporarily(daily(counter)):
        with pytest.raises(RuntimeError, match="mail server"):
            services.run("test-daily", now=MORNING)
        failed = JobRun.objects.get(key="test-daily")
        assert failed.status == RunStatus.FAILED and "mail server" in failed.error
        retried = services.run("test-daily", now=MORNING.replace(minute=5))
    assert retried.ran and counter.calls == 2
    run = JobRun.objects.get(key="test-daily")
    assert (run.status, run.attempts, run.error) == (RunStatus.DONE, 2, "")


@pytest.mark.django_db
def test_a_run_whose_worker_died_is_taken_over_after_its_lease():
    counter = Counter()
    JobRun.objects.create(
        key="test-daily", slot="2026-12-07", status=RunStatus.RUNNING, started_at=MORNING
    )
    with jobs.temporarily(daily(counter)):
        assert not services.run("test-daily", now=MORNING.replace(hour=8)).ran  # within lease
        assert services.run("test-daily", now=MORNING.replace(hour=10)).ran  # lease over
    assert counter.calls == 1


@pytest.mark.django_db
def test_a_job_without_a_slot_runs_every_time():
    counter = Counter()
    with jobs.temporarily(Job("test-any", counter, "* * * * *")):
        services.run("test-any", now=MORNING)
        services.run("test-any", now=MORNING)
    assert counter.calls == 2
    assert not JobRun.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_run_a_daily_job_once():
    counter = Counter()
    with jobs.temporarily(daily(counter)):
        results = run_together(
            lambda: services.run("test-daily", now=MORNING),
            lambda: services.run("test-daily", now=MORNING),
            lambda: services.run("test-daily", now=MORNING),
        )
    assert sorted(result.ran for result in results) == [False, False, True], results
    assert counter.calls == 1


@pytest.mark.django_db(transaction=True)
def test_a_run_is_asked_for_once_per_transaction_and_only_after_the_commit():
    sent = []
    registry.set_dispatcher(sent.append)
    try:
        with transaction.atomic():
            request_run("outbox")
            request_run("outbox")
            request_run("par-reminders")
            assert sent == []
        assert sent == ["outbox", "par-reminders"]
        sent.clear()
        with pytest.raises(RuntimeError), transaction.atomic():
            request_run("outbox")
            raise RuntimeError("rolled back")
        assert sent == []
    finally:
        registry.set_dispatcher(None)


@pytest.mark.django_db(transaction=True)
def test_queuing_a_notification_asks_for_a_delivery():
    from cchc.notifications.services import enqueue

    sent = []
    registry.set_dispatcher(sent.append)
    try:
        with transaction.atomic():
            for number in range(3):
                enqueue(channel="sms", recipient="0912345678", body="x", dedup_key=f"t{number}")
        assert sent == ["outbox"]
    finally:
        registry.set_dispatcher(None)


def test_without_a_queue_nothing_is_sent(settings):
    assert settings.CCHC_QUEUE_URL == ""
    assert registry._dispatch == []
    request_run("outbox")  # no error, nothing to do: cron runs the job


@pytest.mark.django_db
def test_run_job_command(capsys):
    counter = Counter()
    with jobs.temporarily(daily(counter)):
        call_command("run-job", "test-daily")
        call_command("run-job", "test-daily")
    out = capsys.readouterr().out
    assert "test-daily: run 1" in out
    assert "đã được chạy hoặc đang chạy ở nơi khác" in out
    assert counter.calls == 1
    with pytest.raises(CommandError, match="Không có công việc “khong-co”"):
        call_command("run-job", "khong-co")


@pytest.mark.django_db
def test_run_job_command_reports_a_failure():
    failing = daily(Counter(fail_times=5))
    with jobs.temporarily(failing), pytest.raises(CommandError, match="test-daily lỗi: the mail"):
        call_command("run-job", "test-daily")


@pytest.mark.django_db
def test_jobs_command_lists_schedules_and_last_runs(capsys):
    counter = Counter()
    with jobs.temporarily(daily(counter)):
        services.run("test-daily", now=MORNING)
        call_command("jobs")
    out = capsys.readouterr().out
    assert "outbox" in out and "* * * * *" in out
    assert "07/12/2026 07:00" in out and "một lần mỗi ngày" in out


@pytest.mark.django_db(transaction=True)  # the outbox refuses to send inside a transaction
def test_the_real_jobs_run():
    from cchc.history.models import Checkpoint

    assert services.run("history-checkpoint", now=MORNING).output.startswith("CCHC-CHECKPOINT")
    assert Checkpoint.objects.count() == 1
    assert services.run("rebuild-stats-verify", now=MORNING).output == "statistics match a recount"
    assert "reminders queued" in services.run("par-reminders", now=MORNING).output
    assert services.run("outbox", now=MORNING).output.startswith("sent 0")
