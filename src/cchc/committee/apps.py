from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteeConfig(AppConfig):
    name = "cchc.committee"
    label = "committee"
    verbose_name = _("Reform steering committee")

    def ready(self):
        from . import hooks  # noqa: F401  (registers its URLs, menu entries… docs/registries.md)
