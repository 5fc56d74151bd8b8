"""The portal's entries in the shared registries (docs/registries.md)."""

from django.utils.translation import gettext_lazy as _

from cchc.common.menu import MenuItem, menu
from cchc.common.routes import UrlInclude, includes
from cchc.organisations.models import Role

includes.register(UrlInclude("portal", "", "cchc.portal.urls", order=10))
menu.register(
    MenuItem(_("My units"), "portal:my_units", roles=tuple(Role.values), more=True, order=150)
)
menu.register(MenuItem(_("Administration"), "admin:index", admin_only=True, order=170))
