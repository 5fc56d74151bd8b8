import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "cchc.documents"
    verbose_name = _("Official forms")

    def ready(self) -> None:
        from . import hooks  # noqa: F401  (registers its URLs, menu entries… docs/registries.md)

        # WeasyPrint logs seven INFO "Step n" lines per PDF; keep them out of the server log
        # unless LOGGING sets a level for this logger itself.
        progress = logging.getLogger("weasyprint.progress")
        if progress.level == logging.NOTSET:
            progress.setLevel(logging.WARNING)
