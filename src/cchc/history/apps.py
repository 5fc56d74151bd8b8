from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HistoryConfig(AppConfig):
    name = "cchc.history"
    verbose_name = _("History integrity")

    def ready(self) -> None:
        from . import hooks  # noqa: F401  (the daily checkpoint job)
