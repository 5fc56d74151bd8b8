from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "cchc.inspections"
    label = "inspections"
    verbose_name = _("Reform inspections")

    def ready(self):
        from . import hooks  # noqa: F401  (registers its URLs, menu entries… docs/registries.md)
