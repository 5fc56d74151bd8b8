"""The campaign's state machine and who runs it, written once (``cchc.workflow.transitions``).

A campaign (đợt khảo sát)::

    draft ──open──▶ open ──close──▶ closed ──publish──▶ published
      ↺ edit, draw          ↺ send

* ``edit`` and ``draw`` only in draft: the setup and the sample may change until the campaign
  opens, and drawing again replaces the previous draw (no invitation has been sent yet);
* ``open`` freezes the questionnaire version (``services.freeze``) and needs a drawn sample when
  the campaign sends personal invitations (SMS, e-mail, Zalo);
* ``send`` enqueues the invitations not sent yet, while open;
* ``close`` stops the answers and erases the personal link of every invitation (Decree
  13/2023/NĐ-CP on personal data: the contact and the dossier were only needed to sample and to
  invite);
* ``publish`` makes the results public.

Who: the reform staff (cán bộ CCHC / Sở Nội vụ, ``Role.REFORM_STAFF``) and the system
administrators of the organising unit or of a unit above it (the role covers its descendants).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cchc.common import errors
from cchc.organisations.models import Role
from cchc.workflow.transitions import TransitionTable, transition

from .errors import ActionForbidden, SurveyError
from .models import CampaignStatus

ORGANISER_ROLES = (Role.REFORM_STAFF, Role.SYSTEM_ADMIN)
#: Who reads a campaign's pages (its organiser's staff and the surveyed units' staff).
READER_ROLES = (Role.REFORM_STAFF, Role.LEADER, Role.SYSTEM_ADMIN)


class CampaignTransitionNotAllowed(SurveyError, errors.TransitionNotAllowed):
    """The campaign's status does not allow the action (HTTP 409)."""


def _step(action: str, sources, label, **options):
    return transition(action, sources, label, roles=ORGANISER_ROLES, unit="organiser", **options)


CAMPAIGN_TRANSITIONS = TransitionTable(
    (
        _step("edit", [CampaignStatus.DRAFT], _("change the campaign's setup"), offered=False),
        _step("draw", [CampaignStatus.DRAFT], _("draw the sample")),
        _step("open", [CampaignStatus.DRAFT], _("open the campaign")),
        _step("send", [CampaignStatus.OPEN], _("send the invitations")),
        _step("close", [CampaignStatus.OPEN], _("close the campaign")),
        _step("publish", [CampaignStatus.CLOSED], _("publish the results")),
    ),
    status_message=_("Cannot %(action)s: the campaign is “%(status)s”."),
    error=CampaignTransitionNotAllowed,
    forbidden=ActionForbidden,
)
