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

from . import report_section  # noqa: E402,F401  (its section of the periodic reform report)
