"""Account administration: unlocking a sign-in locked by repeated failures (django-axes).

The lockout itself is django-axes' (settings ``AXES_*``, docs/security.md); this module only lets
a unit's system administrator lift it early for the accounts of their units.
"""

import logging

from axes.utils import reset
from django.utils.translation import gettext as _

from . import selectors

logger = logging.getLogger(__name__)


class AccountError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def unlock_sign_in(actor, username: str) -> int:
    """Clear the failed sign-ins of ``username`` from every address; the number of records cleared.

    Allowed to superusers and to a system administrator of a unit in which the user holds a role.
    """
    if not selectors.can_unlock_accounts(actor):
        raise AccountError(_("Only a unit's system administrator can unlock accounts."))
    username = (username or "").strip()
    if not username or not selectors.unlockable_users(actor).filter(username=username).exists():
        raise AccountError(_("This account is not one of your units' accounts."))
    cleared = reset(username=username)
    logger.info("Sign-in of %s unlocked by %s (%d records cleared)", username, actor, cleared)
    return cleared
