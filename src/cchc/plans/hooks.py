"""The plans app's entries in the shared registries (docs/registries.md)."""

from cchc.common.routes import UrlInclude, includes

from . import hooks_progress  # noqa: F401  (the reading side: completion, tiles, figures)

includes.register(UrlInclude("plans", "ke-hoach-cchc/", "cchc.plans.urls", order=140))
includes.register(UrlInclude("plans-api", "api/v1/", "cchc.plans.api.urls", order=280))
