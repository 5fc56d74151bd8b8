from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReformReportsConfig(AppConfig):
    name = "cchc.reformreports"
    label = "reformreports"
    verbose_name = _("Periodic reform reports")

    def ready(self):
        from cchc.history import registry

        from . import hooks  # noqa: F401  (registers its URLs, menu entries… docs/registries.md)
        from .models import EVENT_SEALED_FIELDS

        registry.register(
            registry.ChainSpec(
                name="reformreports",
                owner_model="reformreports.ReformReport",
                event_model="reformreports.ReformReportEvent",
                owner_field="report",
                label_field="pk",
                noun="Báo cáo CCHC",
                payload_fields=EVENT_SEALED_FIELDS,
            )
        )
