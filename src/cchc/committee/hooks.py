"""The committee app's entries in the shared registries (docs/registries.md)."""

from cchc.common.routes import UrlInclude, includes

includes.register(UrlInclude("committee", "ban-chi-dao/", "cchc.committee.urls", order=150))
includes.register(UrlInclude("committee-api", "api/v1/", "cchc.committee.api.urls", order=290))
