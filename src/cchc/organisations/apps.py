from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "cchc.organisations"
    verbose_name = _("Organisations and roles")

    def ready(self) -> None:
        from . import hooks  # noqa: F401  (registers its URLs, menu entries… docs/registries.md)
