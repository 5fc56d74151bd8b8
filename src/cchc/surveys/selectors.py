"""Who sees and who edits which questionnaire, and the lists the pages show.

Scope (decided for issue 12):

* the national questionnaires (no owner unit: the built-in SIPAS template and its national
  versions) are read by every staff member (any role);
* a unit's questionnaires are read by staff holding a role in that unit or above it (the usual
  rule: a role covers the unit's descendants) **and by staff of the units below it**: a province's
  Sở Nội vụ questionnaire is the one its communes' campaigns use, so they may read it (read only);
  a sibling unit's questionnaires stay invisible;
* reform staff (CCHC / Nội vụ, ``Role.REFORM_STAFF``) and system administrators of the owning unit
  (or above it) edit; national ones are edited only by superusers and system administrators
  assigned at a root unit (they see the whole tree). A built-in version and a frozen version are
  edited by nobody: changing them means a new version.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from cchc.organisations.models import OrganisationUnit, Role, RoleAssignment
from cchc.organisations.permissions import assigned_paths, has_role, sees_everything

from .models import Questionnaire

EDITORS = (Role.REFORM_STAFF, Role.SYSTEM_ADMIN)


def _ancestor_ids(paths: list[str]) -> set[int]:
    ids: set[int] = set()
    for path in paths:
        ids.update(int(part) for part in path.strip("/").split("/") if part)
    return ids


def visible_questionnaires(user) -> QuerySet[Questionnaire]:
    """The questionnaires ``user`` may read (see the module's docstring)."""
    queryset = Questionnaire.objects.select_related("owner_unit")
    if sees_everything(user):
        return queryset
    paths = assigned_paths(user)
    if not paths:
        return queryset.none()
    scope = Q(owner_unit__isnull=True) | Q(owner_unit_id__in=_ancestor_ids(paths))
    for path in paths:
        scope |= Q(owner_unit__path__startswith=path)
    return queryset.filter(scope)


def can_view(user, questionnaire: Questionnaire) -> bool:
    return visible_questionnaires(user).filter(pk=questionnaire.pk).exists()


def is_national_editor(user) -> bool:
    """A superuser, or a system administrator assigned at a root unit."""
    if sees_everything(user):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return RoleAssignment.objects.filter(
        user=user, role=Role.SYSTEM_ADMIN, active=True, unit__active=True, unit__parent__isnull=True
    ).exists()


def may_edit_for(user, unit: OrganisationUnit | None) -> bool:
    """May ``user`` make or change questionnaires owned by ``unit`` (None: national)?"""
    if unit is None:
        return is_national_editor(user)
    return has_role(user, EDITORS, unit)


def can_edit(user, questionnaire: Questionnaire) -> bool:
    """May ``user`` change this version now (not frozen, not built in, and their unit's)?"""
    if questionnaire.frozen or questionnaire.is_builtin:
        return False
    return may_edit_for(user, questionnaire.owner_unit)


def can_make_version(user, questionnaire: Questionnaire) -> bool:
    """A new version of a national questionnaire is made by any editor (for their unit, or
    nationally); of a unit's one, by its editors."""
    if questionnaire.owner_unit_id is None:
        return bool(editable_units(user)) or is_national_editor(user)
    return may_edit_for(user, questionnaire.owner_unit)


def can_freeze(user, questionnaire: Questionnaire) -> bool:
    """Freezing is what starting a campaign does: any editor who may use (read) the version."""
    return has_role(user, EDITORS) and can_view(user, questionnaire)


def editable_units(user) -> list[OrganisationUnit]:
    """The units where ``user`` holds an editing role themselves (not their descendants: the
    list a "for which unit?" choice offers)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    return list(
        OrganisationUnit.objects.filter(
            role_assignments__user=user,
            role_assignments__role__in=EDITORS,
            role_assignments__active=True,
            active=True,
        )
        .distinct()
        .order_by("path")
    )


def questionnaire_list(user) -> list[Questionnaire]:
    """Built-in first, then national, then by unit and code, newest version first."""
    rows = visible_questionnaires(user).annotate(question_count=Count("questions"))
    return sorted(
        rows,
        key=lambda q: (
            not q.is_builtin,
            q.owner_unit_id is not None,
            q.owner_unit.path if q.owner_unit_id else "",
            q.code,
            -q.version,
        ),
    )


def questionnaire_detail(questionnaire: Questionnaire):
    """Sections with their questions, choices and items prefetched, for the preview."""
    return questionnaire.sections.prefetch_related(
        "questions__choices", "questions__items__factor", "questions__factor"
    ).order_by("order", "pk")
