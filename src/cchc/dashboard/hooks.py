"""The dashboard's entries in the shared registries (docs/registries.md): its pages, its menu
entries and its own tiles (the dossier figures it computes itself, ``selectors.dashboard``).

Another app adds a tile by registering a ``Tile`` with a ``data`` callable from its own hooks;
the orders here are spaced by ten to leave room between today's tiles.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cchc.common.jobs import Job, jobs
from cchc.common.menu import MenuItem, menu
from cchc.common.routes import UrlInclude, includes
from cchc.common.tiles import Tile, tiles

from .selectors import DASHBOARD_ROLES, REFRESH_JOB, refresh_pending

includes.register(UrlInclude("dashboard", "dieu-hanh/", "cchc.dashboard.urls", order=120))
includes.register(UrlInclude("transparency", "minh-bach/", "cchc.dashboard.public_urls", order=130))

menu.register(
    MenuItem(
        _("Leaders' dashboard"),
        "dashboard:home",
        roles=DASHBOARD_ROLES,
        short=pgettext_lazy("menu", "Dashboard"),
        order=40,
    )
)
menu.register(MenuItem(_("Service results"), "transparency:index", more=True, order=120))

for order, key in enumerate(
    (
        "received-today",
        "on-time",
        "overdue",
        "near-due",
        "apologies",
        "766",
        "satisfaction",
        "feedback",
    ),
    start=1,
):
    tiles.register(Tile(key, f"dashboard/tiles/{key}.html", order=order * 10))


def _refresh(now) -> str:
    return f"{refresh_pending(now)} dashboard entries computed again"


# Started by the pages when an entry is older than CCHC_DASHBOARD_CACHE_SECONDS (a queue is
# configured); the schedule only catches requests whose start was lost.
jobs.register(
    Job(
        REFRESH_JOB,
        _refresh,
        "* * * * *",
        _("Compute again the leaders' dashboard figures that pages asked for."),
    )
)
