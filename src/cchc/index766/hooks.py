"""The Decision 766 index's entries in the shared registries (docs/registries.md)."""

from django.utils.translation import gettext_lazy as _

from cchc.common.indexes import IndexEngine, engines
from cchc.common.menu import MenuItem, menu
from cchc.common.routes import UrlInclude, includes
from cchc.organisations.models import Role

from . import scores

includes.register(UrlInclude("index766", "chi-so-766/", "cchc.index766.urls", order=110))
includes.register(UrlInclude("index766-api", "api/v1/", "cchc.index766.api.urls", order=250))
menu.register(
    MenuItem(_("Service index 766"), "index766:index", roles=tuple(Role.values), order=60)
)
engines.register(
    IndexEngine(
        key="766",
        label=_("Service index 766"),
        url_name="index766:index",
        compute=scores.compute_index,
        ranking=scores.ranking,
        weekly_trend=scores.weekly_trend,
    )
)

from . import report_section  # noqa: E402,F401  (its section of the periodic reform report)
