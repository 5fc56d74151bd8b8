"""The reports app's entries in the shared registries (docs/registries.md)."""

from django.utils.translation import gettext_lazy as _

from cchc.common.jobs import Job, jobs
from cchc.common.menu import MenuItem, menu
from cchc.common.routes import UrlInclude, includes
from cchc.organisations.models import Role

includes.register(UrlInclude("reports", "bao-cao/", "cchc.reports.urls", order=90))
includes.register(UrlInclude("reports-api", "api/v1/", "cchc.reports.api.urls", order=240))
menu.register(MenuItem(_("Reports"), "reports:report", roles=tuple(Role.values), order=50))


class StatisticsDiffer(RuntimeError):
    """The stored statistics differ from a recount: the job fails, and says how much."""


def verify_statistics(now) -> str:
    from . import services

    differences = services.verify()
    if differences:
        raise StatisticsDiffer(
            f"{len(differences)} stored statistics differ from a recount; first: {differences[0]}"
        )
    return "statistics match a recount"


jobs.register(
    Job(
        "rebuild-stats-verify",
        verify_statistics,
        "0 2 * * *",
        _("Recount the statistics from the dossiers and compare with the stored counters."),
        once_per="day",
    )
)


def scheduled_reports(now) -> str:
    from .scheduled import send_reports

    return send_reports(now).line()


# Every morning, before office hours: the job itself sees whether a reporting period closed
# yesterday (CCHC_SCHEDULED_REPORTS) and queues nothing otherwise. Once per day: with the outbox's
# key per user, unit and period, a second run sends nothing (docs/reports.md).
jobs.register(
    Job(
        "scheduled-reports",
        scheduled_reports,
        "0 6 * * *",
        _("Email the period report to each unit's leaders and reform staff when a period closes."),
        once_per="day",
    )
)

from . import report_section  # noqa: E402,F401  (its section of the periodic reform report)
