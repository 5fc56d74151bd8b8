"""The catalog's entries in the shared registries (docs/registries.md)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cchc.common.menu import MenuItem, menu
from cchc.common.routes import ApiRoute, UrlInclude, api_routes, includes

includes.register(UrlInclude("catalog", "thu-tuc/", "cchc.catalog.urls", order=40))
api_routes.register(
    ApiRoute("procedure", "procedures", "cchc.catalog.api.views.ProcedureViewSet", order=10)
)
api_routes.register(ApiRoute("field", "fields", "cchc.catalog.api.views.FieldViewSet", order=20))
menu.register(
    MenuItem(_("Procedures"), "catalog:list", short=pgettext_lazy("menu", "Procedures"), order=70)
)
