"""The answers part's entries in the shared registries; imported by ``hooks``."""

from django.utils.translation import gettext_lazy as _

from cchc.common.menu import MenuItem, menu
from cchc.organisations.models import Role

from . import slip  # noqa: F401  (the survey slip among the dossier's documents)

# The counter staff's way in: the kiosk tablet and the paper typing of the open campaigns.
menu.register(
    MenuItem(
        _("Surveys at the counter"),
        "surveys:counter",
        roles=(Role.ONE_STOP_OFFICER, Role.REFORM_STAFF),
        more=True,
        order=156,
    )
)
