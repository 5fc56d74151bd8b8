from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteeConfig(AppConfig):
    name = "cchc.committee"
    label = "committee"
    verbose_name = _("Reform steering committee")

    def ready(self):
        from cchc.history import registry

        from . import hooks  # noqa: F401  (registers its URLs, menu entries… docs/registries.md)
        from .models import EVENT_SEALED_FIELDS

        registry.register(
            registry.ChainSpec(
                name="committee",
                owner_model="committee.Committee",
                event_model="committee.CommitteeEvent",
                owner_field="committee",
                label_field="name",
                noun="Ban chỉ đạo",
                payload_fields=EVENT_SEALED_FIELDS,
            )
        )
        registry.register(
            registry.ChainSpec(
                name="committee-meetings",
                owner_model="committee.Meeting",
                event_model="committee.MeetingEvent",
                owner_field="meeting",
                label_field="pk",
                noun="Phiên họp Ban chỉ đạo",
                payload_fields=EVENT_SEALED_FIELDS,
            )
        )
