"""The privacy app's entries in the shared registries: the citizen's page and the nightly job."""

from django.utils.translation import gettext_lazy as _

from cchc.common.jobs import Job, jobs
from cchc.common.menu import MenuItem, menu
from cchc.common.routes import UrlInclude, includes

# Joins the citizen pages' namespace (``citizen:``, under ``cong-dan/``) owned by cchc.dossiers.
includes.register(
    UrlInclude("privacy-citizen", "", "cchc.privacy.citizen_urls", order=86, extends="citizen")
)
menu.register(MenuItem(_("My personal data"), "citizen:personal_data", citizen_only=True, order=95))


def anonymise(now) -> str:
    from django.utils import timezone

    from . import services

    counts = services.anonymise_expired(timezone.localdate(now))
    return services.summary_line(counts)


jobs.register(
    Job(
        "anonymise-expired",
        anonymise,
        "30 3 * * *",
        _("Anonymise the personal data of records past their retention (CCHC_RETENTION_YEARS)."),
        once_per="day",
    )
)
