"""Reads for account administration: whose sign-in a user may unlock, and which are locked now."""

from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Max, QuerySet, Sum
from django.utils import timezone

from cchc.organisations.models import Role
from cchc.organisations.permissions import has_role, sees_everything, units_for

# The role that administers a unit's accounts; held in a unit it covers the unit's descendants.
UNLOCK_ROLE = Role.SYSTEM_ADMIN


def can_unlock_accounts(user) -> bool:
    return has_role(user, UNLOCK_ROLE)


def unlockable_users(actor) -> QuerySet:
    """Users ``actor`` may unlock: every user for a superuser; for a unit's system administrator,
    the users holding an active role in that unit or below (superusers excepted)."""
    users = get_user_model().objects.all()
    if sees_everything(actor):
        return users
    if not can_unlock_accounts(actor):
        return users.none()
    units = units_for(actor, UNLOCK_ROLE)
    return users.filter(
        is_superuser=False, role_assignments__active=True, role_assignments__unit__in=units
    ).distinct()


@dataclass(frozen=True)
class LockedSignIn:
    username: str
    full_name: str
    address: str
    failures: int
    last_failure: datetime
    locked_until: datetime


def locked_sign_ins(actor) -> list[LockedSignIn]:
    """User name and address pairs locked out now, for the users ``actor`` may unlock."""
    cool_off = settings.AXES_COOLOFF_TIME
    rows = (
        AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - cool_off)
        .filter(username__in=unlockable_users(actor).values("username"))
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last")
    )
    names = dict(
        get_user_model()
        .objects.filter(username__in={row["username"] for row in rows})
        .values_list("username", "full_name")
    )
    return [
        LockedSignIn(
            username=row["username"],
            full_name=names.get(row["username"], ""),
            address=row["ip_address"] or "",
            failures=row["failures"],
            last_failure=row["last"],
            locked_until=row["last"] + cool_off,
        )
        for row in rows
    ]
