"""The results part's entries in the shared registries: the menu entries of the results pages
and the SIPAS survey source of PAR INDEX (:mod:`.par_source`); imported by ``hooks``."""

from django.utils.translation import gettext_lazy as _

from cchc.common.menu import MenuItem, menu
from cchc.organisations.models import Role

from . import par_source  # noqa: F401  (registers the "sipas" PAR INDEX survey source)

menu.register(
    MenuItem(
        _("Survey results"),
        "surveys:results_index",
        roles=(Role.REFORM_STAFF, Role.LEADER, Role.SYSTEM_ADMIN),
        more=True,
        order=158,
    )
)
menu.register(MenuItem(_("Survey results (public)"), "surveys:public_index", more=True, order=159))
