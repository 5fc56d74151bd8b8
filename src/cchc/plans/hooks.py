"""The plans app's entries in the shared registries (docs/registries.md)."""

from django.utils.translation import gettext_lazy as _

from cchc.common.jobs import Job, jobs
from cchc.common.menu import MenuItem, menu
from cchc.common.routes import UrlInclude, includes
from cchc.organisations.models import Role

from . import hooks_progress  # noqa: F401  (the reading side: completion, tiles, figures)

# Staff roles: the plans are the reform staff's and leaders' work; every officer may report on
# the tasks their unit leads, and the auditor reads.
STAFF_ROLES = tuple(Role.values)

includes.register(UrlInclude("plans", "ke-hoach-cchc/", "cchc.plans.urls", order=140))
includes.register(UrlInclude("plans-api", "api/v1/", "cchc.plans.api.urls", order=280))

menu.register(
    MenuItem(
        _("Reform plans"),
        "plans:list",
        roles=STAFF_ROLES,
        short=_("Plans"),
        more=True,
        order=140,
    )
)


def reminders(now) -> str:
    from django.utils import timezone

    from .services import send_reminders

    return f"{send_reminders(timezone.localdate(now))} reminders queued"


jobs.register(
    Job(
        "plan-reminders",
        reminders,
        "0 7 * * *",
        _("Reform plan task reminders: before deadlines and milestones, and once when overdue."),
        once_per="day",
    )
)
