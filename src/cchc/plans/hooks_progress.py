"""The reading side of the plans app in the shared registries (docs/registries.md): its pages
and API, the dashboard tiles "plan completion by unit" and "overdue tasks", the PAR INDEX figures
``plans.completion`` and ``plans.issued_on_time``, and the periodic-report section "plans"."""

from django.utils.translation import gettext_lazy as _

from cchc.common.menu import MenuItem, menu
from cchc.common.report_sections import report_sections
from cchc.common.routes import UrlInclude, includes
from cchc.common.tiles import Tile, tiles
from cchc.organisations.models import Role
from cchc.parindex.metrics import Metric, metrics

from . import figures_progress, report_section, tiles_progress

includes.register(
    UrlInclude("plans-progress", "ke-hoach-cchc/", "cchc.plans.urls_progress", extends="plans")
)
includes.register(
    UrlInclude("plans-progress-api", "api/v1/", "cchc.plans.api.urls_progress", order=281)
)

menu.register(
    MenuItem(
        _("Plan completion"),
        "plans:progress_units",
        roles=tuple(Role.values),
        more=True,
        order=141,
    )
)

tiles.register(
    Tile("plan-completion", "plans/progress/tiles/plan-completion.html", 110, tiles_progress.units)
)
tiles.register(
    Tile("plan-overdue", "plans/progress/tiles/plan-overdue.html", 120, tiles_progress.overdue)
)

for metric in (
    Metric(
        "plans.completion",
        _("Yearly reform plan completion (%)"),
        figures_progress.completion,
        _("Tasks done ÷ tasks of the unit's yearly reform plan, as of 31/12 of the year."),
        order=60,
    ),
    Metric(
        "plans.issued_on_time",
        _("Yearly reform plan issued on time (100 or 0)"),
        figures_progress.issued_on_time,
        _("100 when the unit's plan was issued by the configured day of the previous year."),
        order=70,
    ),
):
    if metric.key not in metrics:
        metrics.register(metric)

if "plans" not in report_sections:
    report_sections.register(report_section.SECTION)
