from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "cchc.privacy"
    label = "privacy"
    verbose_name = _("Personal data")

    def ready(self):
        from . import hooks  # noqa: F401  (citizen page, menu entry, the anonymisation job)
