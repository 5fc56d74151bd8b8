"""When each job runs: the job's default cron expression, or ``CCHC_JOB_SCHEDULE[key]`` (an
expression, or "" to switch the job off), in the server's time zone."""

from __future__ import annotations

from celery.schedules import crontab

from cchc.common.jobs import jobs
from cchc.conf import conf


class ScheduleError(ValueError):
    pass


def parse(expression: str) -> crontab:
    parts = expression.split()
    if len(parts) != 5:
        raise ScheduleError(
            f"“{expression}”: a schedule has five fields: minute hour day month weekday"
        )
    minute, hour, day, month, weekday = parts
    try:
        return crontab(
            minute=minute, hour=hour, day_of_month=day, month_of_year=month, day_of_week=weekday
        )
    except Exception as error:  # celery raises ValueError subclasses with English text
        raise ScheduleError(f"“{expression}”: {error}") from error


def schedules() -> dict[str, str]:
    """key -> cron expression of every job that is switched on."""
    overrides = conf.JOB_SCHEDULE
    unknown = sorted(set(overrides) - {job.key for job in jobs})
    if unknown:
        raise ScheduleError(f"CCHC_JOB_SCHEDULE names unknown jobs: {', '.join(unknown)}")
    result = {}
    for job in jobs:
        expression = overrides.get(job.key, job.schedule)
        if expression:
            parse(expression)
            result[job.key] = expression
    return result


def beat_schedule() -> dict:
    return {
        key: {"task": "cchc.run_job", "schedule": parse(expression), "args": (key,)}
        for key, expression in schedules().items()
    }
