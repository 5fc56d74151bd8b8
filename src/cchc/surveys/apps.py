from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "cchc.surveys"
    label = "surveys"
    verbose_name = _("Satisfaction surveys")

    def ready(self):
        from cchc.history import registry

        from . import hooks  # noqa: F401  (registers its URLs, menu entry, built-in template)
        from .models import CAMPAIGN_EVENT_SEALED_FIELDS

        registry.register(
            registry.ChainSpec(
                name="surveys-campaigns",
                owner_model="surveys.Campaign",
                event_model="surveys.CampaignEvent",
                owner_field="campaign",
                label_field="code",
                noun="Đợt khảo sát",
                payload_fields=CAMPAIGN_EVENT_SEALED_FIELDS,
            )
        )
