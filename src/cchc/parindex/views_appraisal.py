"""The appraisal council's pages (thẩm định): the round's units across the fields assigned to
the member, and one unit's leaves of those fields with accept / adjust and explanation requests.

The chair and the secretary see every field (Hà Nội QĐ 4762/QĐ-UBND 2024: the council fixes the
final score of each criterion); the organiser's reform staff may read them. Services decide.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cchc.common.text import as_id

from . import selectors, services
from .errors import ParIndexError
from .forms import AppraiseForm, DecideForm, ExplanationRequestForm
from .models import RoundStatus
from .views import ROUND_ACTION_LABELS, visible_leaf


def _reviewer(request, round_) -> None:
    """Council members and the organiser only (404 otherwise: nothing is revealed)."""
    user = request.user
    if not (round_.council.filter(user=user).exists() or services.is_organiser(user, round_)):
        raise Http404


@login_required
def appraisal_round(request, pk: int):
    round_ = get_object_or_404(selectors.visible_rounds(request.user), pk=pk)
    _reviewer(request, round_)
    assessments = list(
        selectors.visible_assessments(request.user).filter(round=round_).order_by("unit__name")
    )
    actions = [
        {"name": name, "label": ROUND_ACTION_LABELS[name]}
        for name in selectors.round_actions(round_, request.user)
        if name in ("decide", "publish")
    ]
    fields = selectors.assigned_fields(request.user, round_)
    tops = round_.criteria_set.criteria.filter(parent__isnull=True).order_by("position")
    return render(
        request,
        "parindex/appraisal_round.html",
        {
            "round": round_,
            "summaries": selectors.assessment_summaries(round_, assessments),
            "fields": [top for top in tops if fields is None or top.pk in fields],
            "actions": actions,
            "decide_form": DecideForm(),
            "open": round_.status == RoundStatus.APPRAISAL,
        },
    )


@login_required
def appraisal_assessment(request, pk: int):
    assessment = get_object_or_404(selectors.visible_assessments(request.user), pk=pk)
    round_ = assessment.round
    _reviewer(request, round_)
    user = request.user
    rows = []
    for leaf in selectors.visible_leaves(user, assessment):
        allowed = selectors.leaf_permissions(user, leaf, assessment)
        rows.append(
            {
                "leaf": leaf,
                "allowed": allowed,
                "evidence": list(leaf.evidence.all()),
                "requests": list(leaf.explanation_requests.all()),
                "appraise_form": AppraiseForm(
                    prefix=f"l{leaf.pk}",
                    initial={
                        "decision": "adjust" if leaf.appraisal_state == "adjusted" else "accept",
                        "score": leaf.appraised_score if leaf.appraisal_state == "adjusted" else "",
                        "reason": leaf.appraisal_reason,
                    },
                ),
                "request_form": ExplanationRequestForm(prefix=f"r{leaf.pk}"),
            }
        )
    return render(
        request,
        "parindex/appraisal_assessment.html",
        {"assessment": assessment, "round": round_, "rows": rows},
    )


@login_required
@require_POST
def appraisal_act(request, pk: int, action: str):
    leaf, assessment = visible_leaf(request, pk)
    _reviewer(request, assessment.round)
    back = reverse("parindex:appraisal_assessment", args=[assessment.pk]) + f"#leaf-{leaf.pk}"
    try:
        if action == "appraise":
            form = AppraiseForm(request.POST, prefix=f"l{leaf.pk}")
            if not form.is_valid():
                raise _Invalid(form)
            data = form.cleaned_data
            services.appraise_leaf(
                leaf.pk,
                request.user,
                accept=data["decision"] == "accept",
                score=data.get("score"),
                reason=data.get("reason", ""),
                expected_version=as_id(request.POST.get("version")),
            )
        elif action == "request":
            form = ExplanationRequestForm(request.POST, prefix=f"r{leaf.pk}")
            if not form.is_valid():
                raise _Invalid(form)
            services.request_explanation(
                leaf.pk, request.user, form.cleaned_data["message"], form.cleaned_data["due_on"]
            )
        else:
            raise Http404
    except _Invalid as invalid:
        for name, errors in invalid.form.errors.items():
            label = invalid.form.fields[name].label if name in invalid.form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    except ParIndexError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Saved."))
    return redirect(back)


class _Invalid(Exception):
    def __init__(self, form):
        super().__init__()
        self.form = form
