"""The dossiers app's entries in the shared registries (docs/registries.md)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cchc.common.menu import MenuItem, menu
from cchc.common.routes import UrlInclude, includes
from cchc.organisations.models import Role

STAFF_ROLES = tuple(Role.values)

includes.register(UrlInclude("dossiers", "ho-so/", "cchc.dossiers.urls", order=50))
includes.register(UrlInclude("lookup", "tra-cuu/", "cchc.dossiers.lookup_urls", order=70))
includes.register(UrlInclude("citizen", "cong-dan/", "cchc.dossiers.citizen_urls", order=80))
includes.register(UrlInclude("dossiers-api", "api/v1/", "cchc.dossiers.api.urls", order=220))

menu.register(MenuItem(_("Dossiers"), "dossiers:queue", roles=STAFF_ROLES, order=10))
menu.register(
    MenuItem(
        _("Counter intake"),
        "dossiers:intake",
        roles=(Role.ONE_STOP_OFFICER,),
        short=pgettext_lazy("menu", "Intake"),
        order=20,
    )
)
menu.register(
    MenuItem(_("Dossier lookup"), "lookup", short=pgettext_lazy("menu", "Lookup"), order=80)
)
menu.register(MenuItem(_("My dossiers"), "citizen:my_dossiers", citizen_only=True, order=90))
