"""The reformreports app's entries in the shared registries (docs/registries.md)."""

from cchc.common.routes import UrlInclude, includes

includes.register(
    UrlInclude("reformreports", "bao-cao-cchc/", "cchc.reformreports.urls", order=170)
)
includes.register(
    UrlInclude("reformreports-api", "api/v1/", "cchc.reformreports.api.urls", order=310)
)
