"""The organisations app's entries in the shared registries (docs/registries.md)."""

from django.utils.translation import gettext_lazy as _

from cchc.common.menu import MenuItem, menu
from cchc.common.routes import ApiRoute, UrlInclude, api_routes, includes

from .models import Role

includes.register(UrlInclude("organisations", "don-vi/", "cchc.organisations.urls", order=35))
api_routes.register(
    ApiRoute("unit", "units", "cchc.organisations.api.views.OrganisationUnitViewSet", order=30)
)
menu.register(
    MenuItem(
        _("Import organisation units"),
        "organisations:import",
        roles=(Role.SYSTEM_ADMIN,),
        more=True,
        order=165,
    )
)
