"""Officer pages: work queues, the dossier page with its actions, counter intake, the receipt."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cchc.catalog.models import Field, Procedure
from cchc.common import downloads
from cchc.common.client_address import client_address
from cchc.common.text import as_id
from cchc.organisations.models import Role
from cchc.organisations.permissions import has_role

from . import selectors, services
from .forms import (
    ACTION_FORMS,
    ACTION_LABELS,
    DOSSIER_AWARE_FORMS,
    IntakeForm,
    check_upload,
)
from .models import Channel, Dossier, DossierRating, Rating, Status

STAFF_ROLES = list(Role.values)


def _staff_required(request):
    if not has_role(request.user, STAFF_ROLES):
        raise Http404


@login_required
def queue(request, slug: str = "can-xu-ly"):
    _staff_required(request)
    if slug not in {item.slug for item in selectors.QUEUES}:
        raise Http404
    dossiers = selectors.search(selectors.queue(request.user, slug), request.GET.get("q", ""))
    status = as_id(request.GET.get("trang_thai"))
    if status is not None:
        dossiers = dossiers.filter(status=status)
    procedure = request.GET.get("thu_tuc", "")
    if procedure:
        dossiers = dossiers.filter(procedure__code=procedure)
    field = as_id(request.GET.get("linh_vuc"))
    if field is not None:
        dossiers = dossiers.filter(procedure__field_id=field)
    channel = request.GET.get("kenh", "")
    if channel in ("1", "2", "3"):
        dossiers = dossiers.filter(channel=int(channel))
    due_from, due_to = _date_param(request, "han_tu"), _date_param(request, "han_den")
    if due_from:
        dossiers = dossiers.filter(due_at__date__gte=due_from)
    if due_to:
        dossiers = dossiers.filter(due_at__date__lte=due_to)
    ordering = selectors.queue_ordering(slug)
    dossiers = dossiers.order_by(*ordering)
    splits = selectors.queue_splits(request.user, slug)
    if splits and slug != "can-xin-loi":
        paginator = selectors.MergedPaginator(dossiers, 25, splits, ordering)
    else:
        paginator = selectors.CappedPaginator(dossiers, 25)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "dossiers/queue.html",
        {
            "queues": selectors.QUEUES,
            "current": slug,
            "page": page,
            "query": query.urlencode(),
            "statuses": Status.choices[1:],
            "fields": Field.objects.order_by("name"),
            "channels": Channel.choices,
        },
    )


def _date_param(request, name: str):
    from datetime import datetime

    value = (request.GET.get(name) or "").strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def _visible(request, pk: int) -> Dossier:
    return get_object_or_404(selectors.visible_dossiers(request.user), pk=pk)


@login_required
def component_file(request, pk: int, component_pk: int):
    """A stored document of a dossier in the officer's scope (the dossier page's rule); 404 else."""
    _staff_required(request)
    dossier = _visible(request, pk)
    component = selectors.stored_component(dossier, component_pk)
    if component is None:
        raise Http404
    return downloads.file_response(component.file, selectors.download_name(dossier, component))


@login_required
def result_file(request, pk: int):
    _staff_required(request)
    dossier = _visible(request, pk)
    if not dossier.result_file:
        raise Http404
    return downloads.file_response(dossier.result_file, selectors.download_name(dossier))


@login_required
def detail(request, pk: int):
    _staff_required(request)
    dossier = _visible(request, pk)
    actions = []
    for name in selectors.available_actions(dossier, request.user):
        form_class = ACTION_FORMS[name]
        kwargs = {"dossier": dossier} if issubclass(form_class, DOSSIER_AWARE_FORMS) else {}
        actions.append({"name": name, "label": ACTION_LABELS[name], "form": form_class(**kwargs)})
    return render(
        request,
        "dossiers/detail.html",
        {
            "dossier": dossier,
            "events": dossier.events.select_related("actor").order_by("sequence"),
            "components": dossier.components.all(),
            "pauses": dossier.pauses.all(),
            "actions": actions,
            "remaining": selectors.remaining_working_minutes(dossier),
            "apologies": dossier.apologies.select_related("drafted_by", "approved_by"),
            "apology_form": _apology_form(request.user, dossier),
            "can_decide_apology": has_role(request.user, [Role.LEADER], dossier.current_unit),
            "apology_window": services.apology_window(dossier) if dossier.due_at else None,
        },
    )


def _apology_form(user, dossier):
    from .forms import ApologyForm

    if not has_role(user, list(services.PROCESSING_ROLES), dossier.current_unit):
        return None
    if not services.apology_offered(dossier):  # at risk of being late, no letter yet
        return None
    suggestion = services.suggested_apology(dossier)
    return ApologyForm(
        initial={
            "reason": suggestion["reason"],
            "new_appointment_at": timezone.localtime(suggestion["new_appointment_at"]).strftime(
                "%d/%m/%Y %H:%M"
            ),
        }
    )


@login_required
@require_POST
def apology_draft(request, pk: int):
    from .forms import ApologyForm

    _staff_required(request)
    dossier = _visible(request, pk)
    form = ApologyForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("dossiers:detail", pk=pk)
    try:
        services.draft_apology(
            dossier.pk, request.user, form.cleaned_data["reason"],
            form.cleaned_data["new_appointment_at"], expected_version=_posted_version(request),
        )  # fmt: skip
    except services.DossierError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The apology letter was sent to the leader for approval."))
    return redirect("dossiers:detail", pk=pk)


@login_required
@require_POST
def apology_decide(request, pk: int, letter_pk: int):
    _staff_required(request)
    dossier = _visible(request, pk)
    letter = get_object_or_404(dossier.apologies, pk=letter_pk)
    try:
        if request.POST.get("decision") == "approve":
            services.approve_apology(
                letter.pk, request.user, expected_version=_posted_version(request)
            )
            messages.success(request, _("The apology letter was signed and sent."))
        else:
            services.reject_apology(letter.pk, request.user, request.POST.get("note", ""))
            messages.success(request, _("The apology letter was rejected."))
    except services.DossierError as error:
        messages.error(request, error.message)
    return redirect("dossiers:detail", pk=pk)


@login_required
@require_POST
def act(request, pk: int, action: str):
    _staff_required(request)
    dossier = _visible(request, pk)
    if action not in ACTION_FORMS:
        raise Http404
    form_class = ACTION_FORMS[action]
    kwargs = {"dossier": dossier} if issubclass(form_class, DOSSIER_AWARE_FORMS) else {}
    form = form_class(request.POST, **kwargs)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
        return redirect("dossiers:detail", pk=pk)
    expected = _posted_version(request)
    data = form.cleaned_data
    try:
        _dispatch(action, dossier.pk, request.user, data, expected)
    except services.DossierError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Done: %(action)s.") % {"action": ACTION_LABELS[action]})
    return redirect("dossiers:detail", pk=pk)


def _posted_version(request) -> int | None:
    """The dossier version the page was showing (a hidden field of every action form)."""
    return as_id(request.POST.get("version"))


def _dispatch(action: str, pk: int, user, data: dict, expected: int | None):
    version = {"expected_version": expected}
    if action == "accept":
        return services.accept(pk, user, note=data["note"], **version)
    if action == "refuse_intake":
        return services.refuse_intake(pk, user, data["reason"], **version)
    if action == "request_supplement":
        return services.request_supplement(
            pk, user, data["items"], data["reason"], data["answer_within_days"], **version
        )
    if action == "complete_supplement":
        return services.complete_supplement(pk, user, **version)
    if action == "forward":
        return services.forward(pk, user, data["handler"], data["note"], **version)
    if action == "send_back":
        return services.send_back(pk, user, data["step"], data["note"], **version)
    if action == "reassign":
        return services.reassign(pk, user, data["handler"], **version)
    if action == "hand_off":
        return services.hand_off(pk, user, data["unit"], data["hours"], data["note"], **version)
    if action == "request_financial_obligation":
        return services.request_financial_obligation(
            pk, user, data["amount"], data["note"], **version
        )
    if action == "record_payment":
        return services.record_payment(pk, user, data["paid_online"], **version)
    if action == "extend":
        return services.extend(pk, user, data["new_due_at"], data["reason"], **version)
    if action == "approve_result":
        return services.approve_result(
            pk,
            user,
            data["outcome"],
            data["number"],
            data["signer"],
            data["result_date"],
            data["electronic"],
            data["note"],
            **version,
        )
    if action == "return_result":
        return services.return_result(pk, user, data["method"], data["received_by"], **version)
    if action == "withdraw":
        return services.withdraw(pk, user, data["reason"], **version)
    if action == "stop":
        return services.stop(pk, user, data["reason"], **version)
    raise Http404


@login_required
def intake(request):
    """Counter intake: applicant, procedure checklist and fees; receives and prints the receipt."""
    if not has_role(request.user, [Role.ONE_STOP_OFFICER]):
        raise Http404
    form = IntakeForm(request.POST or None, request.FILES or None, user=request.user)
    procedure = None
    if form.is_bound and as_id(form.data.get("procedure")) is not None:
        procedure = Procedure.objects.filter(pk=as_id(form.data["procedure"])).first()
    if request.method == "POST" and form.is_valid():
        procedure = form.cleaned_data["procedure"]
        components, upload_errors = _checked_components(request, procedure)
        if upload_errors:
            for error in upload_errors:
                messages.error(request, error)
        else:
            data = form.cleaned_data
            applicant = services.Applicant(
                kind=data["applicant_kind"],
                name=data["applicant_name"],
                id_type=data["applicant_id_type"],
                id_number=data["applicant_id_number"],
                birth_date=data["applicant_birth_date"],
                phone=data["applicant_phone"],
                email=data["applicant_email"],
                address=data["applicant_address"],
                representative_name=data["representative_name"],
                representative_id_number=data["representative_id_number"],
                authorisation_document=data["authorisation_document"],
            )
            try:
                dossier = services.receive_at_counter(
                    request.user,
                    data["unit"],
                    procedure,
                    applicant,
                    components,
                    channel=data["channel"],
                    note=data["note"],
                    variant=_variant(request, procedure),
                )
            except services.DossierError as error:
                field = error.field if error.field in form.fields else None
                form.add_error(field, error.message)
            else:
                messages.success(request, _("Dossier %(code)s received.") % {"code": dossier.code})
                return redirect("dossiers:receipt", pk=dossier.pk)
    return render(request, "dossiers/intake.html", {"form": form, "procedure": procedure})


def _checked_components(request, procedure: Procedure):
    components, errors = [], []
    for component in procedure.components.all():
        if request.POST.get(f"component_{component.pk}") != "on":
            continue
        upload = request.FILES.get(f"file_{component.pk}")
        if upload is not None:
            try:
                check_upload(upload)
            except Exception as error:  # ValidationError: report it with the document's name
                errors.append(f"{component.name}: {' '.join(getattr(error, 'messages', []))}")
                continue
        components.append({"required_id": component.pk, "file": upload})
    return components, errors


@login_required
def intake_checklist(request):
    """HTMX fragment: the chosen procedure's checklist and fees."""
    if not has_role(request.user, [Role.ONE_STOP_OFFICER]):
        raise Http404
    pk = as_id(request.GET.get("procedure"))
    procedure = Procedure.objects.filter(pk=pk).first() if pk is not None else None
    return render(request, "dossiers/_checklist.html", {"procedure": procedure})


@login_required
def applicant_lookup(request):
    """HTMX fragment: the applicant's details from their latest dossier, by ID number."""
    if not has_role(request.user, [Role.ONE_STOP_OFFICER]):
        raise Http404
    number = (request.GET.get("applicant_id_number") or "").strip()
    previous = None
    if len(number) >= 6:
        previous = (
            selectors.visible_dossiers(request.user)
            .filter(applicant_id_number=number)
            .order_by("-submitted_at")
            .first()
        )
    return render(request, "dossiers/_applicant_lookup.html", {"previous": previous})


@login_required
def receipt(request, pk: int):
    """Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01), printable."""
    _staff_required(request)
    dossier = _visible(request, pk)
    if dossier.received_at is None:
        raise Http404
    return render(
        request,
        "dossiers/receipt.html",
        {"dossier": dossier, "components": dossier.components.all()},
    )


def public_lookup(request):
    """Tra cứu hồ sơ: code plus the last 4 digits of the phone or ID number; no login."""
    from . import lookup
    from .forms import LookupForm

    form = LookupForm(request.POST or None, initial={"code": request.GET.get("ma", "")})
    context = {"form": form, "ratings": Rating.choices}
    if request.method == "POST" and form.is_valid():
        address = client_address(request)
        if lookup.blocked(address):
            context["error"] = _("Too many unsuccessful lookups. Please try again later.")
        else:
            dossier = lookup.find(form.cleaned_data["code"], form.cleaned_data["digits"], address)
            if dossier is None:
                context["error"] = _(
                    "No dossier matches this code and these digits. Check both and try again."
                )
            else:
                score = request.POST.get("score", "")
                if score:  # the rating form repeats the code and digits it was shown with
                    try:
                        services.rate(
                            dossier.pk,
                            as_id(score) or 0,
                            request.POST.get("comment", ""),
                        )
                        context["rated_now"] = True
                    except services.DossierError as error:
                        context["error"] = error.message
                context.update(
                    {
                        "rated": DossierRating.objects.filter(dossier=dossier).exists(),
                        "digits": form.cleaned_data["digits"],
                        "dossier": dossier,
                        "plain_status": lookup.PLAIN_STATUS.get(dossier.status, ""),
                        "timeline": lookup.public_timeline(dossier),
                        "late": selectors.is_late(dossier),
                    }
                )
    return render(request, "dossiers/lookup.html", context)


def _variant(request, procedure):
    """The case chosen in the checklist (``variant``), if the procedure has cases."""
    value = as_id(request.POST.get("variant"))
    return procedure.variants.filter(pk=value).first() if value is not None else None
