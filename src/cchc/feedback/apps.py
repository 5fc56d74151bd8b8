from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "cchc.feedback"
    verbose_name = _("Citizen feedback")

    def ready(self):
        from cchc.history import registry

        from . import hooks  # noqa: F401  (registers its URLs, menu entries… docs/registries.md)
        from .models import EVENT_SEALED_FIELDS

        registry.register(
            registry.ChainSpec(
                name="feedback",
                owner_model="feedback.Feedback",
                event_model="feedback.FeedbackEvent",
                owner_field="feedback",
                label_field="code",
                noun="Phản ánh",
                payload_fields=EVENT_SEALED_FIELDS,
            )
        )
