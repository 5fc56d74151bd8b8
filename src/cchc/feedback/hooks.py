"""The feedback app's entries in the shared registries (docs/registries.md)."""

from django.utils.translation import gettext_lazy as _

from cchc.common.menu import MenuItem, menu
from cchc.common.routes import UrlInclude, includes
from cchc.organisations.models import Role

STAFF_ROLES = tuple(Role.values)

includes.register(UrlInclude("feedback", "phan-anh/", "cchc.feedback.urls", order=100))
includes.register(UrlInclude("feedback-api", "api/v1/", "cchc.feedback.api.urls", order=230))

menu.register(MenuItem(_("Feedback to handle"), "feedback:queue", roles=STAFF_ROLES, order=30))
menu.register(MenuItem(_("My feedback"), "feedback:mine", citizen_only=True, order=100))
menu.register(MenuItem(_("Feedback and answers"), "feedback:public_list", more=True, order=110))

from . import report_section  # noqa: E402,F401  (its section of the periodic reform report)
