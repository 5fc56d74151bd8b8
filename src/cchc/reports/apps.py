from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "cchc.reports"
    verbose_name = _("Statistics and reports")

    def ready(self) -> None:
        from cchc.dossiers.events import dossier_changed, dossiers_imported
        from cchc.feedback.events import feedback_changed

        from . import (
            hooks,  # noqa: F401  (registers its URLs, menu entries… docs/registries.md)
            subscribers,
        )

        dossier_changed.subscribe(subscribers.on_dossier_changed, key="reports.refresh_stats")
        feedback_changed.subscribe(subscribers.on_feedback_changed, key="reports.refresh_stats")
        dossiers_imported.subscribe(subscribers.on_dossiers_imported, key="reports.count_imported")
