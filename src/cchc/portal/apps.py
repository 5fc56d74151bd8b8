from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "cchc.portal"
    verbose_name = _("Portal")

    def ready(self):
        from . import (
            checks,  # noqa: F401 (registers the deployment checks)
            hooks,  # noqa: F401  (registers its URLs, menu entries… docs/registries.md)
        )
