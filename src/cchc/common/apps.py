from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "cchc.common"
    verbose_name = _("Common")

    def ready(self) -> None:
        from . import hooks  # noqa: F401  (registers its URLs, menu entries… docs/registries.md)
