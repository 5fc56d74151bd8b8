"""The one place that decides which units a user may see or act in.

Every view and API endpoint scopes its queryset through :func:`scope_to_units` (or asks
:func:`units_for`), so the rule "a role held in a unit covers that unit and its descendants" is
written once. Superusers see everything; so does a system administrator assigned at a root unit,
which is the same rule applied to the whole tree.
"""

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from .models import OrganisationUnit, Role, RoleAssignment

READ_ONLY_ROLES = frozenset({Role.AUDITOR})


def _role_values(roles: Iterable[str] | str | None) -> list[str] | None:
    if roles is None:
        return None
    if isinstance(roles, str):
        return [roles]
    return [str(role) for role in roles]


def assigned_paths(user, roles: Iterable[str] | str | None = None) -> list[str]:
    """Paths of the units in which ``user`` holds one of ``roles`` (any role if None)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cache = user.__dict__.setdefault("_cchc_role_paths", {})
    wanted = _role_values(roles)
    key = tuple(sorted(wanted)) if wanted is not None else None
    if key not in cache:
        # One query per user object for all roles: a page asks for several role sets (menu,
        # queue scope, counter units), each answered from the same rows.
        if "_cchc_assignments" not in user.__dict__:
            user.__dict__["_cchc_assignments"] = list(
                RoleAssignment.objects.filter(user=user, active=True, unit__active=True)
                .values_list("role", "unit__path")
                .distinct()
            )
        paths = sorted(
            {
                path
                for role, path in user.__dict__["_cchc_assignments"]
                if key is None or role in key
            }
        )
        # Drop paths already covered by an ancestor path.
        cache[key] = [p for p in paths if not any(p != o and p.startswith(o) for o in paths)]
    return cache[key]


def sees_everything(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


def _path_filter(paths: list[str], field: str) -> Q:
    prefix = f"{field}__path__startswith" if field else "path__startswith"
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(**{prefix: path})
    return query


def units_for(user, roles: Iterable[str] | str | None = None) -> QuerySet[OrganisationUnit]:
    """Units (with descendants) in which ``user`` holds one of ``roles``."""
    units = OrganisationUnit.objects.all()
    if sees_everything(user):
        return units
    return units.filter(_path_filter(assigned_paths(user, roles), ""))


def scope_to_units(
    queryset: QuerySet, user, *, field: str = "unit", roles: Iterable[str] | str | None = None
) -> QuerySet:
    """Restrict ``queryset`` to rows whose ``field`` (a unit foreign key) the user may see."""
    if sees_everything(user):
        return queryset
    if not field:
        return queryset.filter(_path_filter(assigned_paths(user, roles), ""))
    return queryset.filter(_path_filter(assigned_paths(user, roles), field))


def has_role(user, roles: Iterable[str] | str | None = None, unit: OrganisationUnit | None = None):
    """Does ``user`` hold one of ``roles`` in ``unit`` (or anywhere, when unit is None)?"""
    if sees_everything(user):
        return True
    paths = assigned_paths(user, roles)
    if unit is None:
        return bool(paths)
    return any(unit.path.startswith(path) for path in paths)


def can_write(user, unit: OrganisationUnit | None = None) -> bool:
    """Any role but auditor allows writes (each service still checks its own role)."""
    writing_roles = [role for role in Role.values if role not in READ_ONLY_ROLES]
    return has_role(user, writing_roles, unit)


class HasAnyUnitRole(BasePermission):
    """DRF: signed-in user holding at least one role; auditors are read-only."""

    message = _("You do not have permission to use this function.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not has_role(user):
            return False
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return can_write(user)


def can_import_tree(user) -> bool:
    """May ``user`` import the organisation tree? A superuser, or a system administrator whose role
    is held in a root unit (the installation's administrator: the file may touch any unit)."""
    if sees_everything(user):
        return True
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return RoleAssignment.objects.filter(
        user=user, role=Role.SYSTEM_ADMIN, active=True, unit__active=True, unit__parent__isnull=True
    ).exists()
