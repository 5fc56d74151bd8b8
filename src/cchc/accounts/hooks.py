"""The accounts app's entries in the shared registries (docs/registries.md)."""

from django.utils.translation import gettext_lazy as _

from cchc.common.menu import MenuItem, menu
from cchc.common.routes import UrlInclude, includes
from cchc.organisations.models import Role

includes.register(UrlInclude("accounts", "tai-khoan/", "cchc.accounts.urls", order=30))
menu.register(
    MenuItem(
        _("Locked accounts"), "accounts:unlock", roles=(Role.SYSTEM_ADMIN,), more=True, order=160
    )
)
