from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Index766Config(AppConfig):
    name = "cchc.index766"
    verbose_name = _("Service index (Decision 766)")

    def ready(self) -> None:
        from . import hooks  # noqa: F401  (registers its URLs, menu entries… docs/registries.md)
