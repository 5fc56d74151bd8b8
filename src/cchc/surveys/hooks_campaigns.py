"""The campaigns part's entries in the shared registries (menu entries…); imported by ``hooks``."""

from django.utils.translation import gettext_lazy as _

from cchc.common.menu import MenuItem, menu

from .transitions import READER_ROLES

menu.register(
    MenuItem(
        _("Survey campaigns"),
        "surveys:campaigns",
        roles=READER_ROLES,
        more=True,
        order=158,
    )
)
