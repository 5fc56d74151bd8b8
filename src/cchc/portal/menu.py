"""The menu, per role: each entry names the roles that see it (None: everyone).

The entries are registered by the app that owns each page (``hooks.py`` of each app, in
``cchc.common.menu``); this module only decides who sees which and which one is active.
"""

from django.urls import reverse

from cchc.common.menu import MenuItem, menu
from cchc.organisations.models import Role
from cchc.organisations.permissions import has_role, sees_everything

__all__ = ["STAFF_ROLES", "MenuItem", "menu_for"]

STAFF_ROLES = tuple(Role.values)


def menu_for(user, current_path: str = "") -> list[dict]:
    staff = has_role(user, STAFF_ROLES)
    items = []
    for item in menu:
        if item.admin_only and not (
            sees_everything(user) or (getattr(user, "is_staff", False) and has_role(user))
        ):
            continue
        if item.roles is not None and not has_role(user, item.roles):
            continue
        if item.citizen_only and not (user.is_authenticated and not has_role(user)):
            continue
        url = reverse(item.url_name)
        label = item.short if staff and item.short and not item.more else item.label
        items.append({"label": label, "url": url, "active": False, "more": item.more})
    # The most specific entry whose address starts the current path is the active one.
    matches = [i for i in items if i["url"] != "/" and current_path.startswith(i["url"])]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    return items
