"""The surveys app's entries in the shared registries (docs/registries.md), and the built-in
questionnaire stored after every ``migrate`` (see :func:`.services.ensure_builtin`)."""

from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from cchc.common.menu import MenuItem, menu
from cchc.common.routes import UrlInclude, includes
from cchc.organisations.models import Role

from . import hooks_answers, hooks_campaigns, hooks_results  # noqa: F401  (each part's entries)

includes.register(UrlInclude("surveys", "khao-sat/", "cchc.surveys.urls", order=130))
# Each part of the app keeps its own urlconf; they join the "surveys" namespace and prefix.
for part in ("campaigns", "answers", "results", "xlsform"):
    includes.register(
        UrlInclude(f"surveys-{part}", "khao-sat/", f"cchc.surveys.urls_{part}", extends="surveys")
    )
includes.register(UrlInclude("surveys-api", "api/v1/", "cchc.surveys.api.urls", order=270))

menu.register(
    MenuItem(
        _("Questionnaires"),
        "surveys:questionnaires",
        roles=(Role.REFORM_STAFF, Role.LEADER, Role.SYSTEM_ADMIN),
        more=True,
        order=157,
    )
)


def store_builtin_questionnaires(sender, **kwargs):
    """After ``migrate``: the built-in templates exist (idempotent; also after a test flush)."""
    if getattr(sender, "label", "") != "surveys":
        return
    state = kwargs.get("apps")
    try:  # migrated back to zero (or not yet migrated): no table to store it in
        if state is not None:
            state.get_model("surveys", "Questionnaire")
    except LookupError:
        return
    from .services import ensure_all_builtin

    ensure_all_builtin()


post_migrate.connect(store_builtin_questionnaires, dispatch_uid="surveys-builtin-questionnaires")

from . import report_section  # noqa: E402,F401  (its section of the periodic reform report)
