"""The committee app's entries in the shared registries (docs/registries.md)."""

from django.utils.translation import gettext_lazy as _

from cchc.common.menu import MenuItem, menu
from cchc.common.report_sections import ReportSection, report_sections
from cchc.common.routes import UrlInclude, includes
from cchc.common.tiles import Tile, tiles
from cchc.organisations.models import Role

from . import figures

STAFF_ROLES = (Role.REFORM_STAFF, Role.LEADER, Role.AUDITOR, Role.SYSTEM_ADMIN)

includes.register(UrlInclude("committee", "ban-chi-dao/", "cchc.committee.urls", order=150))
includes.register(UrlInclude("committee-api", "api/v1/", "cchc.committee.api.urls", order=290))

menu.register(
    MenuItem(
        _("Reform steering committee"), "committee:index", roles=STAFF_ROLES, more=True, order=150
    )
)
tiles.register(
    Tile(
        "committee-conclusions",
        "committee/tile.html",
        order=150,
        data=figures.tile_data,
    )
)
report_sections.register(
    ReportSection(
        "committee",
        _("Reform steering committee"),
        figures.report_section,
        "committee/report_section.html",
        order=70,
        docx=figures.report_docx,
    )
)
