from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo loaders and the synthetic-history generator: the top layer, imported by no app."""

    name = "cchc.demo"
    verbose_name = _("Demo data")
