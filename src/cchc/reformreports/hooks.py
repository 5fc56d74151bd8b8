"""The reformreports app's entries in the shared registries (docs/registries.md): its pages and
API, the menu entry, the dashboard tile of missing reports and the PAR INDEX figure."""

from django.utils.translation import gettext_lazy as _

from cchc.common.menu import MenuItem, menu
from cchc.common.routes import UrlInclude, includes
from cchc.common.tiles import Tile, tiles
from cchc.organisations.models import Role

from . import figures  # noqa: F401  (registers the PAR INDEX figure reformreports.on_time)
from .tiles import missing_tile

STAFF_ROLES = (
    Role.REFORM_STAFF,
    Role.PROCESSING_OFFICER,
    Role.LEADER,
    Role.AUDITOR,
    Role.SYSTEM_ADMIN,
)

includes.register(
    UrlInclude("reformreports", "bao-cao-cchc/", "cchc.reformreports.urls", order=170)
)
includes.register(
    UrlInclude("reformreports-api", "api/v1/", "cchc.reformreports.api.urls", order=310)
)
menu.register(
    MenuItem(
        _("Periodic reform reports"),
        "reformreports:list",
        roles=STAFF_ROLES,
        more=True,
        order=158,
    )
)
if "reform-reports-missing" not in tiles:
    tiles.register(
        Tile(
            "reform-reports-missing",
            "reformreports/tile.html",
            order=230,
            data=missing_tile,
        )
    )
