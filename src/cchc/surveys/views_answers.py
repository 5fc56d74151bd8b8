"""The respondent's pages (invitation link, QR code, counter kiosk), paper double entry and the
review of flagged responses.

The public pages ask for no login and no personal data; they never pass the client address or the
user agent to the services (the address only feeds the QR rate limit, hashed, in the cache).
A refused submission re-draws the form with every answer kept and each message next to its
question. The kiosk page stays signed in as the one-stop officer who opened it, and has no menu:
the respondent cannot navigate away (docs/surveys.md).
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cchc.common.client_address import client_address

from . import answering, flags, paper
from .engine.answers import MESSAGES
from .errors import ActionForbidden
from .forms_answers import (
    answers_from_post,
    layout,
    read_client_time,
    read_started,
    sign_started,
)
from .models import (
    Campaign,
    CampaignStatus,
    InvitationStatus,
    Response,
    ResponseChannel,
    ReviewStatus,
)


def _form_context(campaign, spec, answers=None, errors=None, *, request=None, **extra) -> dict:
    # A form drawn again after an error keeps its first start time (the answering time is real).
    started = request.POST.get("started", "") if request is not None else ""
    context = {
        "campaign": campaign,
        "spec": spec,
        "sections": layout(spec, answers, errors),
        "errors": errors or {},
        "started": started if read_started(started) else sign_started(),
        "msg_required": MESSAGES["required"],
        "msg_items": MESSAGES["items_missing"],
    }
    context.update(extra)
    return context


def _closed(request, campaign=None, message="", status=200):
    return render(
        request,
        "surveys/answer_closed.html",
        {"campaign": campaign, "message": message or _("This survey is not taking answers now.")},
        status=status,
    )


# -- the invitation link ------------------------------------------------------------------------
def answer_link(request, token: str):
    """A sampled person's one-time link (SMS, email, Zalo)."""
    invitation = answering.invitation_for(token)
    if invitation is None:
        return _closed(request, message=_("This survey link is not valid."), status=404)
    campaign = invitation.campaign
    if invitation.status == InvitationStatus.ANSWERED:
        return render(request, "surveys/answer_done.html", {"campaign": campaign})
    if invitation.status == InvitationStatus.EXPIRED or invitation.erased_at:
        return _closed(request, campaign, _("This survey link has expired."))
    if not answering.accepting(campaign):
        return _closed(request, campaign)
    spec = answering.spec_of(campaign)
    answers, errors, status = None, None, 200
    if request.method == "POST":
        answers = answers_from_post(spec, request.POST)
        try:
            answering.submit_invitation(token, answers, read_started(request.POST.get("started")))
        except answering.AnswersInvalid as error:
            errors, status = error.errors, 400
        except answering.AlreadyAnswered:
            return render(request, "surveys/answer_done.html", {"campaign": campaign})
        except answering.AnswerRefused as error:
            return _closed(request, campaign, error.message)
        else:
            return redirect("surveys:answer_thanks")
    context = _form_context(
        campaign, spec, answers, errors, request=request, unit=invitation.unit, action=request.path
    )
    return render(request, "surveys/answer.html", context, status=status)


# -- the QR code --------------------------------------------------------------------------------
def _campaign_and_unit(campaign_code: str, unit_code: str):
    campaign = get_object_or_404(
        Campaign.objects.select_related("questionnaire"), code=campaign_code
    )
    unit = answering.unit_of(campaign, unit_code)
    if unit is None:
        raise Http404
    return campaign, unit


def answer_qr(request, campaign_code: str, unit_code: str):
    """Anyone served at the unit answers from the QR code printed at the counter."""
    campaign, unit = _campaign_and_unit(campaign_code, unit_code)
    if "qr" not in (campaign.channels or []) or not answering.accepting(campaign):
        return _closed(request, campaign)
    spec = answering.spec_of(campaign)
    answers, errors, status, notice = None, None, 200, ""
    if request.method == "POST":
        answers = answers_from_post(spec, request.POST)
        address = client_address(request)
        if not flags.qr_post_allowed(address):
            status = 429
            notice = _(
                "Too many answers were sent from this connection in a short time. Your answers "
                "are kept below: please wait a few minutes and send them again."
            )
        else:
            flags.record_qr_post(address)
            try:
                answering.submit_open(
                    campaign,
                    unit,
                    ResponseChannel.QR,
                    answers,
                    read_started(request.POST.get("started")),
                )
            except answering.AnswersInvalid as error:
                errors, status = error.errors, 400
            except answering.AnswerRefused as error:
                return _closed(request, campaign, error.message)
            else:
                return redirect("surveys:answer_thanks")
    context = _form_context(
        campaign,
        spec,
        answers,
        errors,
        request=request,
        unit=unit,
        action=request.path,
        notice=notice,
    )
    return render(request, "surveys/answer.html", context, status=status)


def answer_thanks(request):
    return render(request, "surveys/answer_thanks.html")


# -- the counter kiosk --------------------------------------------------------------------------
def _kiosk_unit(request, campaign_code: str, unit_code: str):
    campaign, unit = _campaign_and_unit(campaign_code, unit_code)
    if not answering.may_run_kiosk(request.user, unit):
        raise PermissionDenied
    return campaign, unit


@login_required
def kiosk(request, campaign_code: str, unit_code: str):
    """The counter tablet: the form, a thank-you screen, then a fresh form (``kiosk.js``)."""
    campaign, unit = _kiosk_unit(request, campaign_code, unit_code)
    if "kiosk" not in (campaign.channels or []) or not answering.accepting(campaign):
        return _closed(request, campaign)
    spec = answering.spec_of(campaign)
    stored = answering.stored_at_kiosk(campaign, unit)
    context = _form_context(
        campaign,
        spec,
        unit=unit,
        stored=stored,
        submit_url=reverse("surveys:kiosk_submit", args=[campaign.code, unit.code]),
    )
    return render(request, "surveys/kiosk.html", context)


@login_required
@require_POST
def kiosk_submit(request, campaign_code: str, unit_code: str):
    """JSON: ``{client_key, started_at, submitted_at, answers}`` → ``{status, stored}``.

    The same ``client_key`` twice stores one response (a resend after a lost connection)."""
    campaign, unit = _kiosk_unit(request, campaign_code, unit_code)
    try:
        payload = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        payload = None
    if not isinstance(payload, dict) or not isinstance(payload.get("answers"), dict):
        return JsonResponse({"status": "invalid", "message": _("Unreadable answers.")}, status=400)
    client_key = payload.get("client_key")
    if not isinstance(client_key, str) or not 8 <= len(client_key) <= 64:
        return JsonResponse(
            {"status": "invalid", "message": _("Missing answer identifier.")}, status=400
        )
    spec = answering.spec_of(campaign)
    # The kiosk sends the form's own field names (``q``, ``q__item``) with a text or a list.
    answers = answers_from_post(
        spec, {key: value for key, value in payload["answers"].items() if isinstance(key, str)}
    )
    try:
        stored = answering.submit_open(
            campaign,
            unit,
            ResponseChannel.KIOSK,
            answers,
            read_client_time(payload.get("started_at")),
            client_key,
            submitted_at=read_client_time(payload.get("submitted_at")),
        )
    except answering.AnswersInvalid as error:
        return JsonResponse({"status": "invalid", "errors": error.errors}, status=400)
    except answering.AnswerRefused as error:
        return JsonResponse({"status": "refused", "message": error.message}, status=409)
    count = answering.stored_at_kiosk(campaign, unit)
    return JsonResponse(
        {"status": "ok", "created": stored.created, "stored": count},
        status=201 if stored.created else 200,
    )


# -- paper forms --------------------------------------------------------------------------------
@login_required
def paper_entry(request, campaign_code: str, unit_code: str):
    """Type one paper form (first or second typing); reform staff also see the differences."""
    campaign, unit = _campaign_and_unit(campaign_code, unit_code)
    if not paper.may_type(request.user, unit) and not paper.may_resolve(
        request.user, campaign, unit
    ):
        raise PermissionDenied
    spec = answering.spec_of(campaign)
    answers, errors, sheet, sheet_error, status = None, None, "", "", 200
    if request.method == "POST":
        sheet = request.POST.get("sheet", "").strip()[:40]
        answers = answers_from_post(spec, request.POST)
        try:
            typed = paper.type_sheet(campaign, unit, sheet, answers, request.user)
        except answering.AnswersInvalid as error:
            errors, status = error.errors, 400
        except (answering.AnswerRefused, ActionForbidden) as error:
            if error.field == "sheet":
                sheet_error = error.message
            else:
                messages.error(request, error.message)
            status = 400
        else:
            if typed.response is not None:
                messages.success(
                    request,
                    _("Form %(sheet)s: both typings agree, the response is stored.")
                    % {"sheet": sheet},
                )
            elif typed.differences:
                messages.warning(
                    request,
                    _(
                        "Form %(sheet)s: the two typings differ on %(count)d answers; "
                        "administrative reform staff will settle them."
                    )
                    % {"sheet": sheet, "count": len(typed.differences)},
                )
            else:
                messages.success(
                    request,
                    _("Form %(sheet)s: first typing saved. Another person must type it again.")
                    % {"sheet": sheet},
                )
            return redirect(request.path)
    context = _form_context(
        campaign,
        spec,
        answers,
        errors,
        unit=unit,
        sheet=sheet,
        sheet_error=sheet_error,
        may_resolve=paper.may_resolve(request.user, campaign, unit),
        pending=paper.pending(campaign, [unit]),
    )
    return render(request, "surveys/paper.html", context, status=status)


@login_required
def paper_resolve(request, campaign_code: str, unit_code: str):
    """Reform staff choose the right value of each answer the two typings disagree on."""
    campaign, unit = _campaign_and_unit(campaign_code, unit_code)
    if not paper.may_resolve(request.user, campaign, unit):
        raise PermissionDenied
    sheet = (request.POST.get("sheet") or request.GET.get("so") or "").strip()[:40]
    entries = paper.typings(campaign, unit, sheet)
    if len(entries) != 2 or entries[1].response_id:
        raise Http404
    spec = answering.spec_of(campaign)
    differences = paper.differences(spec, entries[0].answers, entries[1].answers)
    status = 200
    if request.method == "POST":
        chosen = {d.key: request.POST.get(f"pick_{d.key}", "") for d in differences}
        try:
            paper.resolve(campaign, unit, sheet, chosen, request.user)
        except answering.AnswerRefused as error:
            messages.error(request, error.message)
            status = 400
        except ActionForbidden as error:  # pragma: no cover - checked above
            raise PermissionDenied from error
        else:
            messages.success(
                request, _("Form %(sheet)s: the response is stored.") % {"sheet": sheet}
            )
            return redirect("surveys:paper", campaign.code, unit.code)
    return render(
        request,
        "surveys/paper_resolve.html",
        {
            "campaign": campaign,
            "unit": unit,
            "sheet": sheet,
            "entries": entries,
            "differences": differences,
        },
        status=status,
    )


# -- review of flagged responses ----------------------------------------------------------------
def _reviewable(request, campaign_code: str) -> Campaign:
    campaign = get_object_or_404(Campaign.objects.select_related("organiser"), code=campaign_code)
    if not answering.may_review(request.user, campaign):
        raise PermissionDenied
    return campaign


@login_required
def review(request, campaign_code: str):
    campaign = _reviewable(request, campaign_code)
    spec = answering.spec_of(campaign)
    flagged = list(
        campaign.responses.filter(review=ReviewStatus.FLAGGED)
        .select_related("unit")
        .order_by("submitted_at", "pk")
    )
    reviewed = list(
        campaign.responses.filter(review__in=(ReviewStatus.ACCEPTED, ReviewStatus.REJECTED))
        .select_related("unit", "reviewed_by")
        .order_by("-reviewed_at", "-pk")[:50]
    )
    return render(
        request,
        "surveys/review.html",
        {
            "campaign": campaign,
            "flagged": [_review_row(spec, r) for r in flagged],
            "reviewed": [_review_row(spec, r) for r in reviewed],
        },
    )


def _review_row(spec, response: Response) -> dict:
    return {
        "response": response,
        "reasons": [flags.reason_label(code) for code in response.flags],
        "answers": paper.readable_answers(spec, response.answers),
    }


@login_required
@require_POST
def review_decide(request, campaign_code: str, pk: int):
    campaign = _reviewable(request, campaign_code)
    decision = request.POST.get("decision", "")
    if decision not in ("accept", "reject"):
        raise Http404
    try:
        answering.review_response(
            campaign,
            pk,
            request.user,
            accept=decision == "accept",
            note=request.POST.get("note", ""),
        )
    except answering.AnswerRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Response %(number)s counted.") % {"number": pk}
            if decision == "accept"
            else _("Response %(number)s not counted.") % {"number": pk},
        )
    return redirect("surveys:review", campaign.code)


# -- the counter's start page ---------------------------------------------------------------------
@login_required
def counter(request):
    """Open campaigns the counter staff work for: the kiosk (one-stop officers of the unit) and
    the paper typing (one-stop officers and reform staff), per surveyed unit they serve."""
    rows = []
    campaigns = (
        Campaign.objects.filter(status=CampaignStatus.OPEN)
        .prefetch_related("units__unit")
        .order_by("closes_on", "code")
    )
    for campaign in campaigns:
        if not answering.accepting(campaign):
            continue
        channels = campaign.channels or []
        for surveyed in campaign.units.all():
            unit = surveyed.unit
            kiosk = "kiosk" in channels and answering.may_run_kiosk(request.user, unit)
            typing = "paper" in channels and paper.may_type(request.user, unit)
            if kiosk or typing:
                rows.append({"campaign": campaign, "unit": unit, "kiosk": kiosk, "paper": typing})
    return render(request, "surveys/counter.html", {"rows": rows})
