"""PAR INDEX round pages for the units and the organiser: the start page, a round's setup and
status buttons, the unit's self-assessment workspace and the page of one leaf.

Every page reads through ``selectors`` (404 outside the reader's scope, so nothing is revealed)
and every button calls a service; a refusal is shown as the service worded it.
"""

from __future__ import annotations

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cchc.common import downloads, files
from cchc.common.text import as_id
from cchc.organisations.permissions import has_role

from . import engine, selectors, services
from .errors import ParIndexError
from .forms import (
    AnswerForm,
    AssignForm,
    ContestForm,
    CouncilMemberForm,
    DecideForm,
    EvidenceForm,
    ReasonForm,
    RoundForm,
    ScoreForm,
    SubmitForm,
)
from .models import Assessment, Evidence, LeafScore, RoundStatus
from .transitions import ORGANISER_ROLES

ROUND_ACTION_LABELS = {
    "open": gettext_lazy("Open the self-assessment"),
    "start_appraisal": gettext_lazy("Start the appraisal"),
    "decide": gettext_lazy("Close the appraisal with a decision"),
    "publish": gettext_lazy("Publish the results"),
}
# The unit sees the council's scores and reasons from the appraisal on: the exchange of
# "kết quả thẩm định và phản hồi giải trình" (Cần Thơ's PAR software, docs/parindex.md).
APPRAISAL_SHOWN = (RoundStatus.APPRAISAL, RoundStatus.DECIDED, RoundStatus.PUBLISHED)

EVENT_LABELS = {
    "created": gettext_lazy("Round created"),
    "updated": gettext_lazy("Setup changed"),
    "council_changed": gettext_lazy("Council changed"),
    "opened": gettext_lazy("Self-assessment opened"),
    "appraisal_started": gettext_lazy("Appraisal started"),
    "decided": gettext_lazy("Appraisal closed with a decision"),
    "published": gettext_lazy("Results published"),
    "scored": gettext_lazy("Score entered"),
    "contested": gettext_lazy("Computed figure contested"),
    "assigned": gettext_lazy("Responsible office changed"),
    "evidence_added": gettext_lazy("Evidence added"),
    "evidence_removed": gettext_lazy("Evidence removed"),
    "submitted": gettext_lazy("Self-assessment submitted"),
    "reopened": gettext_lazy("Returned to the unit"),
    "appraised": gettext_lazy("Appraised"),
    "explanation_requested": gettext_lazy("Explanation requested"),
    "explanation_answered": gettext_lazy("Explanation answered"),
    "computed": gettext_lazy("Platform figure read again"),
    "survey_points": gettext_lazy("Survey points imported"),
}


def labelled(events):
    events = list(events)
    for event in events:
        event.label = EVENT_LABELS.get(event.action, event.action)
    return events


def _staff(request) -> None:
    if not selectors.is_staff(request.user):
        raise Http404


def _version(request):
    return as_id(request.POST.get("version"))


def _form_errors(request, form) -> None:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        text = " ".join(errors)
        messages.error(request, f"{label}: {text}" if label else text)


def _refused(request, error: ParIndexError, form=None) -> None:
    if form is not None and error.field in form.fields:
        form.add_error(error.field, error.message)
    else:
        messages.error(request, error.message)


# -- start page -----------------------------------------------------------------------------------
@login_required
def home(request):
    """My unit's assessments, my council seats, the rounds I organise."""
    _staff(request)
    user = request.user
    return render(
        request,
        "parindex/home_page.html",
        {
            "assessments": selectors.own_assessments(user).order_by("-round__year", "unit__name"),
            "seats": user.par_council_seats.select_related("round").order_by("-round__year"),
            "organised": selectors.organised_rounds(user).order_by("-year", "name"),
            "may_create": has_role(user, list(ORGANISER_ROLES)),
        },
    )


# -- rounds ---------------------------------------------------------------------------------------
def _setup_from(data) -> services.RoundSetup:
    return services.RoundSetup(
        name=data["name"],
        year=data["year"],
        criteria_set=data["criteria_set"],
        organiser=data["organiser"],
        units=list(data["units"]),
        self_assessment_opens=data["self_assessment_opens"],
        self_assessment_closes=data["self_assessment_closes"],
        appraisal_closes=data["appraisal_closes"],
        explanation_days=data["explanation_days"],
        publication_date=data.get("publication_date"),
        grade_bands=data["grade_bands"],
        survey_scale=data["survey_scale"],
    )


@login_required
def round_create(request):
    _staff(request)
    if not has_role(request.user, list(ORGANISER_ROLES)):
        raise Http404
    form = RoundForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.create_round(request.user, _setup_from(form.cleaned_data))
        except ParIndexError as error:
            _refused(request, error, form)
        else:
            messages.success(request, _("The round was created."))
            return redirect("parindex:round_detail", pk=round_.pk)
    return render(request, "parindex/round_form.html", {"form": form, "round": None})


def _visible_round(request, pk):
    return get_object_or_404(selectors.visible_rounds(request.user), pk=pk)


@login_required
def round_edit(request, pk: int):
    _staff(request)
    round_ = _visible_round(request, pk)
    if not services.is_organiser(request.user, round_) or round_.status != RoundStatus.DRAFT:
        raise Http404
    form = RoundForm(request.POST or None, user=request.user, initial=RoundForm.initial_for(round_))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_round(
                round_.pk, request.user, _setup_from(form.cleaned_data), _version(request)
            )
        except ParIndexError as error:
            _refused(request, error, form)
        else:
            messages.success(request, _("The round was saved."))
            return redirect("parindex:round_detail", pk=round_.pk)
    return render(request, "parindex/round_form.html", {"form": form, "round": round_})


@login_required
def round_detail(request, pk: int):
    _staff(request)
    round_ = _visible_round(request, pk)
    user = request.user
    organiser = services.is_organiser(user, round_)
    assessments = selectors.visible_assessments(user).filter(round=round_).order_by("unit__name")
    actions = [
        {"name": name, "label": ROUND_ACTION_LABELS[name]}
        for name in selectors.round_actions(round_, user)
    ]
    council_open = organiser and round_.status in (RoundStatus.DRAFT, RoundStatus.SELF_ASSESSMENT)
    return render(
        request,
        "parindex/round_detail.html",
        {
            "round": round_,
            "organiser": organiser,
            "summaries": selectors.assessment_summaries(round_, list(assessments)),
            "council": round_.council.select_related("user").prefetch_related("fields"),
            "actions": actions,
            "decide_form": DecideForm(),
            "council_form": CouncilMemberForm(round_=round_) if council_open else None,
            "events": labelled(round_.events.order_by("sequence")),
            "seat": round_.council.filter(user=user).first(),
        },
    )


@login_required
@require_POST
def round_act(request, pk: int, action: str):
    _staff(request)
    round_ = _visible_round(request, pk)
    user, version = request.user, _version(request)
    try:
        if action == "open":
            services.open_round(round_.pk, user, version)
        elif action == "start_appraisal":
            services.start_appraisal(round_.pk, user, version)
        elif action == "publish":
            services.publish(round_.pk, user, version)
        elif action == "decide":
            form = DecideForm(request.POST)
            if not form.is_valid():
                _form_errors(request, form)
                return redirect("parindex:round_detail", pk=pk)
            data = form.cleaned_data
            services.decide(
                round_.pk, user, data["decision_number"], data["decision_date"], version
            )
        elif action == "council":
            form = CouncilMemberForm(request.POST, round_=round_)
            if not form.is_valid():
                _form_errors(request, form)
                return redirect("parindex:round_detail", pk=pk)
            data = form.cleaned_data
            services.set_council_member(
                round_.pk, user, data["username"], data["role"], data["fields_assigned"]
            )
        elif action == "council_remove":
            services.remove_council_member(round_.pk, user, as_id(request.POST.get("member")))
        else:
            raise Http404
    except ParIndexError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Done."))
    return redirect("parindex:round_detail", pk=pk)


# -- the unit's workspace -------------------------------------------------------------------------
def _visible_assessment(request, pk) -> Assessment:
    return get_object_or_404(selectors.visible_assessments(request.user), pk=pk)


@login_required
def assessment_detail(request, pk: int):
    """The self-assessment workspace: progress per field, leaves missing evidence, the leaves."""
    _staff(request)
    assessment = _visible_assessment(request, pk)
    user = request.user
    leaves = list(selectors.visible_leaves(user, assessment))
    mine = request.GET.get("cua_toi") == "1"
    shown = leaves
    if mine:
        shown = [leaf for leaf in leaves if services.may_score(user, leaf, assessment)]
    actions = selectors.assessment_actions(assessment, user)
    show_appraisal = assessment.round.status in APPRAISAL_SHOWN or (
        not has_role(user, None, assessment.unit)
    )
    return render(
        request,
        "parindex/assessment_workspace.html",
        {
            "assessment": assessment,
            "round": assessment.round,
            "leaves": shown,
            "mine": mine,
            "progress": selectors.progress(leaves, assessment.round.criteria_set),
            "missing": [leaf for leaf in leaves if selectors.lacks_support(leaf)],
            "actions": actions,
            "submit_form": SubmitForm(initial={"summary": assessment.summary}),
            "reopen_form": ReasonForm(),
            "show_appraisal": show_appraisal,
            "events": labelled(assessment.events.filter(criterion_code="").order_by("sequence")),
        },
    )


@login_required
@require_POST
def assessment_act(request, pk: int, action: str):
    _staff(request)
    assessment = _visible_assessment(request, pk)
    try:
        if action == "submit":
            form = SubmitForm(request.POST)
            if not form.is_valid():
                _form_errors(request, form)
                return redirect("parindex:assessment_detail", pk=pk)
            services.submit(
                assessment.pk, request.user, form.cleaned_data["summary"], _version(request)
            )
        elif action == "reopen":
            form = ReasonForm(request.POST)
            if not form.is_valid():
                _form_errors(request, form)
                return redirect("parindex:assessment_detail", pk=pk)
            services.reopen(
                assessment.pk, request.user, form.cleaned_data["reason"], _version(request)
            )
        else:
            raise Http404
    except ParIndexError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Done."))
    return redirect("parindex:assessment_detail", pk=pk)


# -- one leaf -------------------------------------------------------------------------------------
def visible_leaf(request, pk) -> tuple[LeafScore, Assessment]:
    leaf = get_object_or_404(LeafScore.objects.select_related("criterion"), pk=pk)
    assessment = _visible_assessment(request, leaf.assessment_id)
    leaf = get_object_or_404(selectors.visible_leaves(request.user, assessment), pk=pk)
    return leaf, assessment


def leaf_context(request, leaf: LeafScore, assessment: Assessment, **forms) -> dict:
    user = request.user
    allowed = selectors.leaf_permissions(user, leaf, assessment)
    criterion = leaf.criterion
    initial = {
        "value": leaf.value if leaf.value is not None else "",
        "explanation": leaf.explanation,
        "not_applicable": leaf.not_applicable,
    }
    requests = list(leaf.explanation_requests.select_related("requested_by", "answered_by"))
    own_unit = has_role(user, None, assessment.unit)
    return {
        "leaf": leaf,
        "criterion": criterion,
        "assessment": assessment,
        "round": assessment.round,
        "allowed": allowed,
        "is_computed": criterion.method == engine.COMPUTED,
        "is_survey": criterion.method == engine.SURVEY,
        "score_form": forms.get("score_form") or ScoreForm(initial=initial, criterion=criterion),
        "contest_form": forms.get("contest_form")
        or ContestForm(initial={"explanation": leaf.explanation}),
        "evidence_form": forms.get("evidence_form") or EvidenceForm(initial={"kind": "document"}),
        "assign_form": AssignForm(
            initial={"unit": services.responsible_unit(leaf, assessment)}, unit=assessment.unit
        )
        if allowed["assign"]
        else None,
        "answer_form": AnswerForm(),
        "requests": requests,
        "evidence": list(leaf.evidence.all()),
        "history": labelled(
            assessment.events.filter(criterion_code=criterion.code).order_by("sequence")
        ),
        "show_appraisal": not own_unit or assessment.round.status in APPRAISAL_SHOWN,
        "responsible": services.responsible_unit(leaf, assessment),
    }


@login_required
def leaf_detail(request, pk: int):
    _staff(request)
    leaf, assessment = visible_leaf(request, pk)
    return render(request, "parindex/leaf_detail.html", leaf_context(request, leaf, assessment))


@login_required
@require_POST
def leaf_act(request, pk: int, action: str):
    _staff(request)
    leaf, assessment = visible_leaf(request, pk)
    user, version = request.user, _version(request)
    back = reverse("parindex:leaf_detail", args=[pk])
    forms: dict = {}
    try:
        if action == "score":
            form = ScoreForm(request.POST, criterion=leaf.criterion)
            forms["score_form"] = form
            if form.is_valid():
                data = form.cleaned_data
                services.score_leaf(
                    leaf.pk,
                    user,
                    value=data.get("value"),
                    explanation=data.get("explanation", ""),
                    not_applicable=data.get("not_applicable", False),
                    expected_version=version,
                )
            else:
                raise _Invalid
        elif action == "contest":
            form = ContestForm(request.POST)
            forms["contest_form"] = form
            if not form.is_valid():
                raise _Invalid
            services.contest_computed(leaf.pk, user, form.cleaned_data["explanation"], version)
        elif action == "evidence":
            form = EvidenceForm(request.POST, request.FILES)
            forms["evidence_form"] = form
            if not form.is_valid():
                raise _Invalid
            data = form.cleaned_data
            services.add_evidence(
                leaf.pk,
                user,
                services.EvidenceInput(
                    kind=data["kind"],
                    upload=data.get("file"),
                    document_number=data.get("document_number", ""),
                    issued_on=data.get("issued_on"),
                    summary=data.get("summary", ""),
                    issuer=data.get("issuer", ""),
                    record_type=data.get("record_type", ""),
                    record_reference=data.get("record_reference", ""),
                    record_url=data.get("record_url", ""),
                ),
            )
        elif action == "assign":
            form = AssignForm(request.POST, unit=assessment.unit)
            if not form.is_valid():
                _form_errors(request, form)
                return redirect(back)
            services.assign_responsible(leaf.pk, user, form.cleaned_data["unit"], version)
        elif action == "answer":
            form = AnswerForm(request.POST)
            if not form.is_valid():
                _form_errors(request, form)
                return redirect(back)
            request_id = form.cleaned_data["request_id"]
            if not leaf.explanation_requests.filter(pk=request_id).exists():
                raise Http404
            services.answer_explanation(request_id, user, form.cleaned_data["answer"])
        else:
            raise Http404
    except _Invalid:
        return _rerender(request, leaf, assessment, forms)
    except ParIndexError as error:
        form = next(iter(forms.values()), None)
        if form is not None and error.field in form.fields:
            form.add_error(error.field, error.message)
            return _rerender(request, leaf, assessment, forms)
        messages.error(request, error.message)
        return redirect(back)
    messages.success(request, _("Saved."))
    return redirect(back)


class _Invalid(Exception):
    pass


def _rerender(request, leaf, assessment, forms):
    leaf.refresh_from_db()
    context = leaf_context(request, leaf, assessment, **forms)
    context["has_errors"] = True
    return render(request, "parindex/leaf_detail.html", context, status=400)


@login_required
@require_POST
def evidence_remove(request, pk: int):
    _staff(request)
    evidence = get_object_or_404(Evidence, pk=pk)
    leaf, _assessment = visible_leaf(request, evidence.leaf_id)
    try:
        services.remove_evidence(evidence.pk, request.user)
    except ParIndexError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The evidence was removed."))
    return redirect("parindex:leaf_detail", pk=leaf.pk)


@login_required
def evidence_file(request, pk: int):
    _staff(request)
    evidence = get_object_or_404(Evidence, pk=pk)
    visible_leaf(request, evidence.leaf_id)
    if not evidence.file:
        raise Http404
    # The platform's one way to serve a stored file (nosniff, sandboxed, not cached, offloaded
    # when configured), its content type from the validated extension.
    title = os.path.splitext(evidence.original_name)[0]
    return downloads.file_response(evidence.file, files.download_name(title, evidence.file.name))
