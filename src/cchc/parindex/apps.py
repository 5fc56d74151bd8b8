from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParIndexConfig(AppConfig):
    name = "cchc.parindex"
    label = "parindex"
    verbose_name = _("PAR INDEX")

    def ready(self):
        from cchc.history import registry

        from . import hooks  # noqa: F401  (registers its URLs, menu entries… docs/registries.md)
        from .models import ASSESSMENT_EVENT_SEALED_FIELDS, EVENT_SEALED_FIELDS

        registry.register(
            registry.ChainSpec(
                name="parindex-rounds",
                owner_model="parindex.Round",
                event_model="parindex.RoundEvent",
                owner_field="round",
                label_field="name",
                noun="Kỳ đánh giá",
                payload_fields=EVENT_SEALED_FIELDS,
            )
        )
        registry.register(
            registry.ChainSpec(
                name="parindex-assessments",
                owner_model="parindex.Assessment",
                event_model="parindex.AssessmentEvent",
                owner_field="assessment",
                label_field="pk",
                noun="Bản tự đánh giá",
                payload_fields=ASSESSMENT_EVENT_SEALED_FIELDS,
            )
        )
