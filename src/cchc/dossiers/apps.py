from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "cchc.dossiers"
    verbose_name = _("Dossiers")

    def ready(self):
        from cchc.history import registry

        from . import hooks  # noqa: F401  (registers its URLs, menu entries… docs/registries.md)
        from .models import EVENT_SEALED_FIELDS

        registry.register(
            registry.ChainSpec(
                name="dossiers",
                owner_model="dossiers.Dossier",
                event_model="dossiers.DossierEvent",
                owner_field="dossier",
                label_field="code",
                noun="Hồ sơ",
                payload_fields=EVENT_SEALED_FIELDS,
            )
        )
