from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "cchc.reports"
    verbose_name = _("Statistics and reports")

    def ready(self) -> None:
        from . import (
            hooks,  # noqa: F401  (registers its URLs, menu entries… docs/registries.md)
            signals,  # noqa: F401  (connects the receiver)
        )
