"""The organisations app's entries in the shared registries (docs/registries.md)."""

from cchc.common.routes import ApiRoute, api_routes

api_routes.register(
    ApiRoute("unit", "units", "cchc.organisations.api.views.OrganisationUnitViewSet", order=30)
)
