"""The PAR INDEX app's entries in the shared registries (docs/registries.md)."""

from django.utils.translation import gettext_lazy as _

from cchc.common.jobs import Job, jobs
from cchc.common.menu import MenuItem, menu
from cchc.common.routes import UrlInclude, includes
from cchc.organisations.models import Role

from . import figures  # noqa: F401  (registers the platform figures of computed criteria)

STAFF_ROLES = tuple(Role.values)

includes.register(UrlInclude("parindex", "chi-so-cchc/", "cchc.parindex.urls", order=120))
# Each part of the app keeps its own urlconf; they join the "parindex" namespace and prefix.
for part in ("criteria", "results", "appraisal"):
    includes.register(
        UrlInclude(
            f"parindex-{part}", "chi-so-cchc/", f"cchc.parindex.urls_{part}", extends="parindex"
        )
    )
includes.register(UrlInclude("parindex-api", "api/v1/", "cchc.parindex.api.urls", order=260))

menu.register(
    MenuItem(
        _("PAR INDEX results"),
        "parindex:results_index",
        roles=tuple(Role.values),
        more=True,
        order=125,
    )
)
menu.register(MenuItem(_("PAR INDEX (public)"), "parindex:public_results", more=True, order=126))
menu.register(
    MenuItem(
        _("PAR criteria sets"),
        "parindex:criteria_sets",
        roles=(Role.REFORM_STAFF, Role.LEADER, Role.SYSTEM_ADMIN, Role.AUDITOR),
        more=True,
        order=155,
    )
)
menu.register(
    MenuItem(_("PAR INDEX"), "parindex:home", roles=STAFF_ROLES, short=_("PAR INDEX"), order=60)
)


def reminders(now) -> str:
    from django.utils import timezone

    from .services import send_reminders

    return f"{send_reminders(timezone.localdate(now))} reminders queued"


jobs.register(
    Job(
        "par-reminders",
        reminders,
        "0 7 * * *",
        _("PAR INDEX deadline reminders (self-assessment, explanations, publication)."),
        once_per="day",
    )
)
