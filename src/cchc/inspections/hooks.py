"""The inspections app's entries in the shared registries (docs/registries.md)."""

from cchc.common.routes import UrlInclude, includes

includes.register(UrlInclude("inspections", "kiem-tra-cchc/", "cchc.inspections.urls", order=160))
includes.register(UrlInclude("inspections-api", "api/v1/", "cchc.inspections.api.urls", order=300))
