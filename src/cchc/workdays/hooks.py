"""The working calendar's entries in the shared registries (docs/registries.md)."""

from django.utils.translation import gettext_lazy as _

from cchc.common.api import register_input_error
from cchc.common.menu import MenuItem, menu
from cchc.common.routes import UrlInclude, includes

from .engine import DeadlineError

includes.register(UrlInclude("workdays", "", "cchc.workdays.urls", order=20))
includes.register(UrlInclude("workdays-api", "api/v1/", "cchc.workdays.api.urls", order=200))
menu.register(MenuItem(_("Deadline calculator"), "workdays:calculator", more=True, order=130))
menu.register(MenuItem(_("Working calendar"), "workdays:calendar", more=True, order=140))
# Bad input to the engine (a date it cannot count from, a limit out of range) is a 400 in the API.
register_input_error(DeadlineError)
