"""The PAR INDEX app's entries in the shared registries (docs/registries.md)."""

from cchc.common.routes import UrlInclude, includes

includes.register(UrlInclude("parindex", "chi-so-cchc/", "cchc.parindex.urls", order=120))
includes.register(
    UrlInclude(
        "parindex-criteria", "chi-so-cchc/", "cchc.parindex.urls_criteria", extends="parindex"
    )
)
includes.register(
    UrlInclude("parindex-results", "chi-so-cchc/", "cchc.parindex.urls_results", extends="parindex")
)
includes.register(UrlInclude("parindex-api", "api/v1/", "cchc.parindex.api.urls", order=260))

from . import figures  # noqa: E402, F401  (registers the platform figures of computed criteria)
