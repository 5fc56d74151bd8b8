"""The PAR INDEX app's entries in the shared registries (docs/registries.md)."""

from django.utils.translation import gettext_lazy as _

from cchc.common.menu import MenuItem, menu
from cchc.common.routes import UrlInclude, includes
from cchc.organisations.models import Role

STAFF_ROLES = tuple(Role.values)

includes.register(UrlInclude("parindex", "chi-so-cchc/", "cchc.parindex.urls", order=120))
includes.register(
    UrlInclude(
        "parindex-criteria", "chi-so-cchc/", "cchc.parindex.urls_criteria", extends="parindex"
    )
)
includes.register(
    UrlInclude("parindex-results", "chi-so-cchc/", "cchc.parindex.urls_results", extends="parindex")
)
includes.register(
    UrlInclude(
        "parindex-appraisal", "chi-so-cchc/", "cchc.parindex.urls_appraisal", extends="parindex"
    )
)
includes.register(UrlInclude("parindex-api", "api/v1/", "cchc.parindex.api.urls", order=260))

menu.register(
    MenuItem(_("PAR INDEX"), "parindex:home", roles=STAFF_ROLES, short=_("PAR INDEX"), order=60)
)
