"""The menu, per role: each entry names the roles that see it (None: everyone)."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cchc.organisations.models import Role
from cchc.organisations.permissions import has_role, sees_everything

STAFF_ROLES = tuple(Role.values)


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    roles: tuple[str, ...] | None = None
    admin_only: bool = False
    citizen_only: bool = False
    more: bool = False  # under "More" (tools used now and then), to keep the bar on one line
    # Staff see up to eight entries: their bar uses the short label so it stays on one line at
    # 1200 px and wider (the visitor's and the citizen's few entries keep the long one).
    short: str = ""


MENU = (
    MenuItem(_("Dossiers"), "dossiers:queue", roles=STAFF_ROLES),
    MenuItem(
        _("Counter intake"),
        "dossiers:intake",
        roles=(Role.ONE_STOP_OFFICER,),
        short=pgettext_lazy("menu", "Intake"),
    ),
    MenuItem(_("Feedback to handle"), "feedback:queue", roles=STAFF_ROLES),
    MenuItem(
        _("Leaders' dashboard"),
        "dashboard:home",
        roles=(Role.LEADER, Role.REFORM_STAFF, Role.AUDITOR, Role.SYSTEM_ADMIN),
        short=pgettext_lazy("menu", "Dashboard"),
    ),
    MenuItem(_("Reports"), "reports:report", roles=STAFF_ROLES),
    MenuItem(_("Service index 766"), "index766:index", roles=STAFF_ROLES),
    MenuItem(_("Procedures"), "catalog:list", short=pgettext_lazy("menu", "Procedures")),
    MenuItem(_("Dossier lookup"), "lookup", short=pgettext_lazy("menu", "Lookup")),
    MenuItem(_("My dossiers"), "citizen:my_dossiers", citizen_only=True),
    MenuItem(_("My feedback"), "feedback:mine", citizen_only=True),
    MenuItem(_("Feedback and answers"), "feedback:public_list", more=True),
    MenuItem(_("Service results"), "transparency:index", more=True),
    MenuItem(_("Deadline calculator"), "workdays:calculator", more=True),
    MenuItem(_("Working calendar"), "workdays:calendar", more=True),
    MenuItem(_("My units"), "portal:my_units", roles=STAFF_ROLES, more=True),
    MenuItem(_("Locked accounts"), "accounts:unlock", roles=(Role.SYSTEM_ADMIN,), more=True),
    MenuItem(_("Administration"), "admin:index", admin_only=True),
)


def menu_for(user, current_path: str = "") -> list[dict]:
    staff = has_role(user, STAFF_ROLES)
    items = []
    for item in MENU:
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
