from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReformReportsConfig(AppConfig):
    name = "cchc.reformreports"
    label = "reformreports"
    verbose_name = _("Periodic reform reports")

    def ready(self):
        from . import hooks  # noqa: F401  (registers its URLs, menu entries… docs/registries.md)
