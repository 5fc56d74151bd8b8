from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "cchc.inspections"
    label = "inspections"
    verbose_name = _("Reform inspections")

    def ready(self):
        from cchc.history import registry

        from . import hooks  # noqa: F401  (registers its URLs, menu entries… docs/registries.md)
        from .models import EVENT_SEALED_FIELDS

        registry.register(
            registry.ChainSpec(
                name="inspections",
                owner_model="inspections.Inspection",
                event_model="inspections.InspectionEvent",
                owner_field="inspection",
                label_field="pk",
                noun="Cuộc kiểm tra CCHC",
                payload_fields=EVENT_SEALED_FIELDS,
            )
        )
