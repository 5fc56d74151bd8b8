"""The accounts app's entries in the shared registries (docs/registries.md)."""

from django.utils.translation import gettext_lazy as _

from cchc.common.jobs import Job, jobs
from cchc.common.menu import MenuItem, menu
from cchc.common.routes import UrlInclude, includes
from cchc.organisations.models import Role

includes.register(UrlInclude("accounts", "tai-khoan/", "cchc.accounts.urls", order=30))
menu.register(
    MenuItem(
        _("Locked accounts"), "accounts:unlock", roles=(Role.SYSTEM_ADMIN,), more=True, order=160
    )
)


def clear_sessions(now) -> str:
    """Delete the sessions past their expiry from the database (Django keeps them otherwise); with
    sessions in the cache alone (CCHC_SESSION_ENGINE=cache) Redis expires them itself."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.sessions.models import Session

    before = Session.objects.filter(expire_date__lt=now).count()
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    return f"{before} expired sessions removed"


jobs.register(
    Job(
        "clear-sessions",
        clear_sessions,
        "45 3 * * *",
        _("Delete the expired sign-in sessions from the database."),
        once_per="day",
    )
)
