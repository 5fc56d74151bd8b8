from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "cchc.reports"
    verbose_name = _("Statistics and reports")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the receiver)
