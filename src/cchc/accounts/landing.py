"""Where each role starts after signing in (its own work, not the public home page).

- leaders (lãnh đạo) and administrative reform staff (công chức CCHC / Nội vụ) follow their
  units' work: the leaders' dashboard;
- one-stop-shop officers (cán bộ một cửa) and processing officers (chuyên viên): their queue;
- auditors (thanh tra, kiểm tra — read only): the reports;
- citizens and businesses (no role in any unit): their own dossiers.

With several roles, the first of these that the user holds wins (a leader who also processes
starts on the dashboard). A safe ``next`` address still wins over all of them (LoginView).
"""

from django.urls import reverse

from cchc.organisations.models import Role
from cchc.organisations.permissions import has_role

START_PAGES = (
    ((Role.LEADER, Role.SYSTEM_ADMIN), "dashboard:home"),
    ((Role.ONE_STOP_OFFICER, Role.PROCESSING_OFFICER), "dossiers:queue"),
    ((Role.REFORM_STAFF,), "dashboard:home"),
    ((Role.AUDITOR,), "reports:report"),
)


def start_page(user) -> str:
    """The address ``user`` lands on after signing in when no ``next`` address is given."""
    for roles, url_name in START_PAGES:
        if has_role(user, roles):
            return reverse(url_name)
    if getattr(user, "is_staff", False):
        return reverse("admin:index")  # a technical account with admin rights but no unit role
    return reverse("citizen:my_dossiers")
