from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "cchc.catalog"
    verbose_name = _("Procedure catalog")

    def ready(self) -> None:
        from . import hooks  # noqa: F401  (registers its URLs, menu entries… docs/registries.md)
