"""The inspections app's entries in the shared registries (docs/registries.md)."""

from django.utils.translation import gettext_lazy as _

from cchc.common.menu import MenuItem, menu
from cchc.common.report_sections import ReportSection, report_sections
from cchc.common.routes import UrlInclude, includes
from cchc.common.tiles import Tile, tiles
from cchc.organisations.models import Role

from . import sections

STAFF_ROLES = (
    Role.PROCESSING_OFFICER,
    Role.LEADER,
    Role.REFORM_STAFF,
    Role.AUDITOR,
    Role.SYSTEM_ADMIN,
)

includes.register(UrlInclude("inspections", "kiem-tra-cchc/", "cchc.inspections.urls", order=160))
includes.register(UrlInclude("inspections-api", "api/v1/", "cchc.inspections.api.urls", order=300))

menu.register(
    MenuItem(_("Reform inspections"), "inspections:index", roles=STAFF_ROLES, more=True, order=127)
)
tiles.register(
    Tile(
        "inspections",
        "inspections/dashboard_tile.html",
        order=95,
        data=sections.tile_data,
    )
)
report_sections.register(
    ReportSection(
        "inspections",
        _("Reform inspections"),
        compute=sections.report_section,
        template="inspections/report_section.html",
        order=40,
        docx=sections.write_docx,
    )
)
