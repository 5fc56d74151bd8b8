"""The dossiers app's entries in the shared registries (docs/registries.md)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cchc.common.menu import MenuItem, menu
from cchc.common.monitoring import Gauge, gauges
from cchc.common.routes import UrlInclude, includes
from cchc.organisations.models import Role

STAFF_ROLES = tuple(Role.values)

includes.register(UrlInclude("dossiers", "ho-so/", "cchc.dossiers.urls", order=50))
includes.register(UrlInclude("lookup", "tra-cuu/", "cchc.dossiers.lookup_urls", order=70))
includes.register(UrlInclude("citizen", "cong-dan/", "cchc.dossiers.citizen_urls", order=80))
includes.register(UrlInclude("dossiers-api", "api/v1/", "cchc.dossiers.api.urls", order=220))

menu.register(MenuItem(_("Dossiers"), "dossiers:queue", roles=STAFF_ROLES, order=10))
menu.register(
    MenuItem(
        _("Counter intake"),
        "dossiers:intake",
        roles=(Role.ONE_STOP_OFFICER,),
        short=pgettext_lazy("menu", "Intake"),
        order=20,
    )
)
menu.register(
    MenuItem(_("Dossier lookup"), "lookup", short=pgettext_lazy("menu", "Lookup"), order=80)
)
menu.register(MenuItem(_("My dossiers"), "citizen:my_dossiers", citizen_only=True, order=90))


def _received_today() -> float:
    from datetime import datetime, time

    from django.utils import timezone

    from .models import Dossier

    midnight = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    return Dossier.objects.filter(received_at__gte=midnight).count()


def _overdue_now() -> float:
    from django.utils import timezone

    from .models import CLOCK_STATUSES, Dossier
    from .selectors import late_running

    return Dossier.objects.filter(late_running(timezone.now()), status__in=CLOCK_STATUSES).count()


def _apologies_not_sent() -> float:
    from .models import ApologyLetter, ApologyStatus

    pending = (ApologyStatus.DRAFT, ApologyStatus.APPROVED)
    return ApologyLetter.objects.filter(status__in=pending).count()


gauges.register(Gauge("cchc_dossiers_received_today", "Dossiers received today.", _received_today))
gauges.register(
    Gauge("cchc_dossiers_overdue", "Dossiers in handling past their due time now.", _overdue_now)
)
gauges.register(
    Gauge(
        "cchc_apology_letters_pending",
        "Apology letters drafted or approved but not yet sent to the applicant.",
        _apologies_not_sent,
    )
)
