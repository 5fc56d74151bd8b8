"""Campaign pages for the organiser: the list, the setup form, the page of a campaign (sampling
preview, buttons, live progress, history) and the printable QR code of a surveyed unit.

A campaign outside the reader's scope is a 404 (:func:`.selectors_campaigns.visible_campaigns`);
an action the reader may not take is a 403; every button is a POST confirmed in the page and calls
a service, whose refusal is shown as it worded it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cchc.common.text import as_id
from cchc.documents.rendering import qr_svg

from . import campaigns as services
from . import selectors_campaigns as selectors
from .errors import SurveyError
from .forms_campaigns import CampaignForm
from .models import CampaignStatus, CampaignUnit
from .transitions import CAMPAIGN_TRANSITIONS

ACTION_LABELS = {
    "draw": gettext_lazy("Draw the sample"),
    "open": gettext_lazy("Open the campaign"),
    "send": gettext_lazy("Send the invitations"),
    "close": gettext_lazy("Close the campaign"),
    "publish": gettext_lazy("Publish the results"),
}
ACTION_DONE = {
    "draw": gettext_lazy("The sample was drawn."),
    "open": gettext_lazy("The campaign is open; its questionnaire is frozen."),
    "send": gettext_lazy("The invitations were put in the outbox."),
    "close": gettext_lazy("The campaign is closed; the invitations' contacts were erased."),
    "publish": gettext_lazy("The results are published."),
}
EVENT_LABELS = {
    "created": gettext_lazy("Campaign created"),
    "updated": gettext_lazy("Setup changed"),
    "drawn": gettext_lazy("Sample drawn"),
    "opened": gettext_lazy("Campaign opened"),
    "invitations_sent": gettext_lazy("Invitations sent"),
    "closed": gettext_lazy("Campaign closed"),
    "published": gettext_lazy("Results published"),
    "response_accepted": gettext_lazy("Flagged response counted"),
    "response_rejected": gettext_lazy("Flagged response not counted"),
    "paper_settled": gettext_lazy("Paper form settled"),
}


def _reader(request) -> None:
    if not selectors.may_read_campaigns(request.user):
        raise Http404


def _visible(request, pk: int):
    _reader(request)
    return get_object_or_404(selectors.visible_campaigns(request.user), pk=pk)


def _setup(data, organiser=None) -> services.CampaignSetup:
    return services.CampaignSetup(
        code=data["code"],
        name=data["name"],
        questionnaire=data["questionnaire"],
        organiser=organiser or data["organiser"],
        units=list(data["units"]),
        period_start=data["period_start"],
        period_end=data["period_end"],
        opens_on=data["opens_on"],
        closes_on=data["closes_on"],
        channels=list(data["channels"]),
        size_method=data["size_method"],
        margin=data["margin"],
        confidence=data["confidence"],
        quota=data.get("quota"),
        volume_table=data.get("volume_table_rows") or [],
        by_field=bool(data.get("by_field")),
        minimum_responses=data["minimum_responses"],
        seed=data.get("seed"),
        targets=data.get("target_map") or {},
    )


def _refused(request, error: SurveyError, form) -> None:
    if error.field in form.fields:
        form.add_error(error.field, error.message)
    else:
        form.add_error(None, error.message)


@login_required
def campaign_list(request):
    _reader(request)
    rows = selectors.visible_campaigns(request.user).order_by("-opens_on", "code")
    return render(
        request,
        "surveys/campaigns.html",
        {
            "campaigns": rows,
            "may_create": selectors.organiser_units(request.user).exists(),
        },
    )


@login_required
def campaign_create(request):
    _reader(request)
    if not selectors.organiser_units(request.user).exists():
        raise PermissionDenied
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.create_campaign(request.user, _setup(form.cleaned_data))
        except SurveyError as error:
            _refused(request, error, form)
        else:
            messages.success(request, _("The campaign was created."))
            return redirect("surveys:campaign", pk=campaign.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "surveys/campaign_form.html", {"form": form, "campaign": None}, status=status
    )


@login_required
def campaign_edit(request, pk: int):
    campaign = _visible(request, pk)
    if not CAMPAIGN_TRANSITIONS["edit"].permits(request.user, campaign):
        raise PermissionDenied
    if campaign.status != CampaignStatus.DRAFT:
        messages.error(request, _("Only a draft campaign can be changed."))
        return redirect("surveys:campaign", pk=campaign.pk)
    form = CampaignForm(
        request.POST or None, user=request.user, initial=CampaignForm.initial_for(campaign)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_campaign(
                request.user,
                campaign,
                _setup(form.cleaned_data, organiser=campaign.organiser),
                expected_version=as_id(request.POST.get("version")),
            )
        except SurveyError as error:
            _refused(request, error, form)
        else:
            messages.success(request, _("The campaign was saved."))
            return redirect("surveys:campaign", pk=campaign.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "surveys/campaign_form.html",
        {"form": form, "campaign": campaign},
        status=status,
    )


@login_required
def campaign_detail(request, pk: int):
    campaign = _visible(request, pk)
    events = list(selectors.history(campaign))
    for event in events:
        event.label = EVENT_LABELS.get(event.action, event.action)
    return render(
        request,
        "surveys/campaign_detail.html",
        {
            "campaign": campaign,
            "runs": selectors.runs(request.user, campaign),
            "actions": [
                {"name": name, "label": ACTION_LABELS[name]}
                for name in selectors.campaign_actions(campaign, request.user)
            ],
            "may_edit": campaign.status == CampaignStatus.DRAFT
            and CAMPAIGN_TRANSITIONS["edit"].permits(request.user, campaign),
            "preview": selectors.sampling_preview(campaign),
            "progress": selectors.progress(campaign)
            if selectors.shows_progress(campaign)
            else None,
            "events": events,
            "channel_labels": selectors.channel_labels(campaign),
            "flagged": selectors.flagged_count(campaign),
        },
    )


@login_required
@require_POST
def campaign_act(request, pk: int, action: str):
    campaign = _visible(request, pk)
    if action not in services.ACTIONS:
        raise Http404
    if not CAMPAIGN_TRANSITIONS[action].permits(request.user, campaign):
        raise PermissionDenied
    try:
        result = services.ACTIONS[action](
            request.user, campaign, expected_version=as_id(request.POST.get("version"))
        )
    except SurveyError as error:
        messages.error(request, error.message)
    else:
        done = str(ACTION_DONE[action])
        if action == "draw":
            done += " " + _(
                "%(invited)s people to invite; %(missing)s drawn without a contact."
            ) % {"invited": result.invited, "missing": result.no_contact}
        elif action == "send":
            done += " " + _("%(count)s messages.") % {"count": result}
        messages.success(request, done)
    return redirect("surveys:campaign", pk=campaign.pk)


@login_required
def campaign_qr(request, pk: int, unit_pk: int):
    """A printable page: the QR code of the campaign at one surveyed unit."""
    campaign = _visible(request, pk)
    surveyed = get_object_or_404(
        CampaignUnit.objects.select_related("unit"), campaign=campaign, unit_id=unit_pk
    )
    address = selectors.qr_url(campaign, surveyed.unit)
    return render(
        request,
        "surveys/campaign_qr.html",
        {"campaign": campaign, "unit": surveyed.unit, "address": address, "qr": qr_svg(address)},
    )
