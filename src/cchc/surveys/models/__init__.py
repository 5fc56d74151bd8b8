"""The surveys app's models: questionnaires (:mod:`.questionnaires`) and the campaigns that use
them, with their sample, invitations and responses (:mod:`.campaigns`)."""

from .campaigns import (  # noqa: F401
    CAMPAIGN_EVENT_SEALED_FIELDS,
    Campaign,
    CampaignEvent,
    CampaignStatus,
    CampaignUnit,
    Invitation,
    InvitationStatus,
    PaperEntry,
    Response,
    ResponseChannel,
    ReviewStatus,
    SizeMethod,
)
from .questionnaires import (  # noqa: F401
    KIND_CHOICES,
    Choice,
    Factor,
    MatrixItem,
    Question,
    Questionnaire,
    Section,
    conditions_from_json,
    conditions_to_json,
)
