"""The reports app's entries in the shared registries (docs/registries.md)."""

from django.utils.translation import gettext_lazy as _

from cchc.common.menu import MenuItem, menu
from cchc.common.routes import UrlInclude, includes
from cchc.organisations.models import Role

includes.register(UrlInclude("reports", "bao-cao/", "cchc.reports.urls", order=90))
includes.register(UrlInclude("reports-api", "api/v1/", "cchc.reports.api.urls", order=240))
menu.register(MenuItem(_("Reports"), "reports:report", roles=tuple(Role.values), order=50))

from . import report_section  # noqa: E402,F401  (its section of the periodic reform report)
