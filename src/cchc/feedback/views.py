"""Feedback pages: the public form, published answers, the sender's own pages, officers' queue.

Public pages never show the sender's phone, email, ID number or address; officers see a feedback
only when its responsible unit is in their scope (404 otherwise, so nothing is revealed).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cchc.common.public_url import absolute_url
from cchc.common.text import as_id

from . import limits, selectors, services
from .forms import ACTION_FORMS, ACTION_LABELS, LookupForm, RatingForm, SubmitForm
from .models import Category, Feedback, FeedbackStatus, SubjectKind

SESSION_TOKENS = "feedback_tokens"


# -- public --------------------------------------------------------------------------------------
def public_list(request):
    """Published answers: anyone may read them; no personal data."""
    feedback = selectors.public_search(selectors.published_feedback(), request.GET.get("q", ""))
    category = request.GET.get("loai", "")
    if category in Category.values:
        feedback = feedback.filter(category=category)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "feedback/public_list.html",
        {
            "page": selectors.page_of(feedback, request.GET.get("page"), 20),
            "categories": Category.choices,
            "query": query.urlencode(),
        },
    )


def public_detail(request, code: str):
    feedback = get_object_or_404(selectors.published_feedback(), code=code)
    return render(
        request,
        "feedback/public_detail.html",
        {"feedback": feedback, "overdue": selectors.is_overdue(feedback)},
    )


def submit(request):
    """The web form (phone-friendly); ``?ho_so=<dossier code>`` or ``?thu_tuc=<code>`` prefill."""
    user = request.user
    initial = {}
    if request.GET.get("ho_so"):
        initial.update(subject_kind=SubjectKind.DOSSIER, dossier_code=request.GET["ho_so"][:80])
    elif request.GET.get("thu_tuc"):
        initial.update(subject_kind=SubjectKind.PROCEDURE, procedure=request.GET["thu_tuc"][:60])
    if user.is_authenticated:
        initial.update(
            sender_name=user.get_full_name(),
            sender_email=user.email,
            sender_phone=getattr(user, "phone", ""),
        )
    address = limits.client_address(request)
    form = SubmitForm(request.POST or None, initial=initial, user=user, client_address=address)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["website"]:
            form.add_error(None, _("Your feedback could not be sent. Please try again."))
        elif not limits.submission_allowed(address):
            form.add_error(
                None, _("Too many feedback submissions from this connection. Try again later.")
            )
        else:
            try:
                feedback, token = services.submit(
                    sender=services.Sender(
                        name=data["sender_name"],
                        phone=data["sender_phone"],
                        email=data["sender_email"],
                        address=data["sender_address"],
                        kind=data["sender_kind"],
                    ),
                    subject_kind=data["subject_kind"],
                    title=data["title"],
                    content=data["content"],
                    user=user,
                    procedure=data["procedure"],
                    dossier_code=data["dossier_code"],
                    dossier_digits=data["dossier_digits"],
                    officer_name=data["officer_name"],
                    unit=data["unit"],
                    client_address=address,
                )
            except services.SubmissionInvalid as error:
                for field, message in error.errors.items():
                    form.add_error(field if field in form.fields else None, message)
            except services.FeedbackError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                limits.record_submission(address)
                tokens = dict(request.session.get(SESSION_TOKENS, {}))
                tokens[feedback.code] = token
                request.session[SESSION_TOKENS] = tokens
                return redirect("feedback:confirmation", code=feedback.code)
    return render(request, "feedback/submit.html", {"form": form})


def confirmation(request, code: str):
    """Shown to the sender right after submitting: the code and the private link (once)."""
    token = request.session.get(SESSION_TOKENS, {}).get(code)
    if not token:
        raise Http404
    feedback = get_object_or_404(Feedback.objects.select_related("unit"), code=code)
    link = absolute_url(reverse("feedback:rate", args=[feedback.code, token]), request)
    return render(request, "feedback/confirmation.html", {"feedback": feedback, "link": link})


def lookup(request):
    """Follow a feedback by its code and the last 4 digits of the sender's phone; rate-limited."""
    form = LookupForm(request.POST or None, initial={"code": request.GET.get("ma", "")})
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        address = limits.client_address(request)
        if limits.lookup_blocked(address):
            context["error"] = _("Too many unsuccessful lookups. Please try again later.")
        else:
            code = form.cleaned_data["code"]
            feedback = None
            if not limits.lookup_code_locked(code):  # a locked code reads as a wrong one
                feedback = _find(code, form.cleaned_data["digits"])
            if feedback is None:
                limits.record_lookup_failure(address, code)
                context["error"] = _(
                    "No feedback matches this code and these digits. Check both and try again."
                )
            else:
                context.update(
                    {
                        "feedback": feedback,
                        "timeline": selectors.public_timeline(feedback),
                        "overdue": selectors.is_overdue(feedback),
                    }
                )
    return render(request, "feedback/lookup.html", context)


def _find(code: str, digits: str) -> Feedback | None:
    feedback = Feedback.objects.filter(code=code.strip().upper()).select_related("unit").first()
    if feedback is None:
        return None
    phone = "".join(ch for ch in feedback.sender_phone if ch.isdigit())
    return feedback if len(phone) >= 4 and phone[-4:] == digits else None


def rate(request, code: str, token: str):
    """The sender's private page (link given at submission): follow, read the answer, rate once."""
    feedback = Feedback.objects.select_related("unit", "procedure").filter(code=code).first()
    if feedback is None or not feedback.token_matches(token):
        raise Http404
    return _sender_page(request, feedback, token=token)


def _sender_page(request, feedback: Feedback, token: str = ""):
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rate(
                feedback.pk,
                form.cleaned_data["rating"],
                user=request.user,
                token=token,
                comment=form.cleaned_data["comment"],
            )
        except services.FeedbackError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Thank you for your rating."))
        return redirect(request.path)
    return render(
        request,
        "feedback/sender.html",
        {
            "feedback": feedback,
            "form": form if feedback.status == FeedbackStatus.PUBLISHED else None,
            "timeline": selectors.public_timeline(feedback),
            "overdue": selectors.is_overdue(feedback),
        },
    )


@login_required
def mine(request):
    return render(
        request,
        "feedback/mine.html",
        {"feedback_list": selectors.own_feedback(request.user).order_by("-received_at")},
    )


@login_required
def my_detail(request, code: str):
    feedback = get_object_or_404(selectors.own_feedback(request.user), code=code)
    return _sender_page(request, feedback)


# -- officers ------------------------------------------------------------------------------------
def _staff_required(request):
    if not selectors.is_staff(request.user):
        raise Http404


@login_required
def queue(request, slug: str = "can-xu-ly"):
    _staff_required(request)
    if slug not in selectors.QUEUE_SLUGS:
        raise Http404
    feedback = selectors.filtered(
        selectors.queue(request.user, slug),
        status=request.GET.get("trang_thai", ""),
        category=request.GET.get("loai", ""),
        text=request.GET.get("q", ""),
    )
    feedback = feedback.order_by("due_at", "id") if slug != "tat-ca" else feedback
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "feedback/queue.html",
        {
            "queues": selectors.QUEUES,
            "current": slug,
            "page": selectors.page_of(feedback, request.GET.get("page")),
            "query": query.urlencode(),
            "statuses": FeedbackStatus.choices,
            "categories": Category.choices,
        },
    )


def _visible(request, pk: int) -> Feedback:
    return get_object_or_404(selectors.visible_feedback(request.user), pk=pk)


@login_required
def detail(request, pk: int):
    _staff_required(request)
    feedback = _visible(request, pk)
    actions = [
        {
            "name": name,
            "label": ACTION_LABELS[name],
            "form": ACTION_FORMS[name](feedback=feedback),
        }
        for name in selectors.available_actions(feedback, request.user)
    ]
    dossier_visible = False
    if feedback.dossier_id:
        from cchc.dossiers.selectors import visible_dossiers

        dossier_visible = visible_dossiers(request.user).filter(pk=feedback.dossier_id).exists()
    return render(
        request,
        "feedback/detail.html",
        {
            "feedback": feedback,
            "events": feedback.events.select_related("actor").order_by("at", "id"),
            "actions": actions,
            "remaining": selectors.remaining_working_minutes(feedback),
            "overdue": selectors.is_overdue(feedback),
            "dossier_visible": dossier_visible,
        },
    )


@login_required
@require_POST
def act(request, pk: int, action: str):
    _staff_required(request)
    feedback = _visible(request, pk)
    if action not in ACTION_FORMS:
        raise Http404
    form = ACTION_FORMS[action](request.POST, feedback=feedback)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
        return redirect("feedback:detail", pk=pk)
    expected = as_id(request.POST.get("version"))
    try:
        dispatch(action, feedback.pk, request.user, form.cleaned_data, expected)
    except services.FeedbackError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Done: %(action)s.") % {"action": ACTION_LABELS[action]})
    return redirect("feedback:detail", pk=pk)


def dispatch(action: str, pk: int, user, data: dict, expected: int | None):
    """Call the service of ``action`` with validated data (shared by the pages and the API)."""
    version = {"expected_version": expected}
    if action == "classify":
        return services.classify(pk, user, data["category"], data.get("note", ""), **version)
    if action == "forward":
        return services.forward(pk, user, data["unit"], data["reason"], **version)
    if action == "answer":
        return services.answer(pk, user, data["answer"], **version)
    if action == "publish":
        return services.publish(
            pk,
            user,
            data["public_content"],
            data["public_answer"],
            public_title=data.get("public_title"),
            **version,
        )
    if action == "reject":
        return services.reject(pk, user, data["reason"], **version)
    raise Http404
