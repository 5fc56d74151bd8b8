from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "cchc.plans"
    label = "plans"
    verbose_name = _("Reform plans")

    def ready(self):
        from cchc.history import registry

        from . import hooks  # noqa: F401  (registers its URLs, menu entries… docs/registries.md)
        from .models import EVENT_SEALED_FIELDS

        registry.register(
            registry.ChainSpec(
                name="plans",
                owner_model="plans.Plan",
                event_model="plans.PlanEvent",
                owner_field="plan",
                label_field="title",
                noun="Kế hoạch",
                payload_fields=EVENT_SEALED_FIELDS,
            )
        )
        registry.register(
            registry.ChainSpec(
                name="plans-tasks",
                owner_model="plans.Task",
                event_model="plans.TaskEvent",
                owner_field="task",
                label_field="code",
                noun="Nhiệm vụ",
                payload_fields=EVENT_SEALED_FIELDS,
            )
        )
