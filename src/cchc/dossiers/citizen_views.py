"""Citizen pages: sign up, submit online (draft, uploads, submit), follow, supplement, rate.

A citizen sees only dossiers whose ``applicant_user`` is themselves; every query here filters on it.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import UserCreationForm
from django.db import transaction
from django.forms.models import ModelChoiceIterator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cchc.catalog.models import Procedure
from cchc.common import downloads
from cchc.common.text import as_id, vietnamese_sort_key
from cchc.organisations.selectors import one_stop_units

from . import lookup, selectors, services
from .forms import ApplicantForm, check_upload
from .models import Dossier, DossierComponent, OnlineMode, Rating, Status


class SignupForm(UserCreationForm):
    full_name = forms.CharField(label=gettext_lazy("Full name"), max_length=150)
    email = forms.EmailField(label=gettext_lazy("Email"), required=False)

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "full_name", "email")


def signup(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Your account has been created."))
        return redirect("citizen:my_dossiers")
    return render(request, "citizen/signup.html", {"form": form})


class _ByVietnameseName(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for unit in sorted(self.queryset, key=lambda unit: vietnamese_sort_key(unit.name)):
            yield self.choice(unit)


class AuthorityChoiceField(forms.ModelChoiceField):
    """An authority by the name citizens know it by, in Vietnamese alphabetical order, with the
    one-stop unit that receives for it ("Ủy ban nhân dân phường Đông Thành – nộp tại Trung tâm
    Phục vụ hành chính công phường Đông Thành")."""

    iterator = _ByVietnameseName

    def __init__(self, *args, receivers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.receivers = receivers or {}

    def label_from_instance(self, unit):
        receiver = self.receivers.get(unit.pk)
        if receiver is None or receiver.pk == unit.pk:
            return unit.name
        return _("%(authority)s – received by %(receiver)s") % {
            "authority": unit.name,
            "receiver": receiver.name,
        }


class OnlineForm(ApplicantForm):
    unit = AuthorityChoiceField(label=gettext_lazy("Submit to"), queryset=None)
    online_mode = forms.ChoiceField(
        label=gettext_lazy("Online mode"), choices=OnlineMode.choices, initial=OnlineMode.FULL
    )

    def __init__(self, *args, procedure=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The authorities that handle the procedure (its implementing units, Nghị định 63/2010/NĐ-CP
        # Điều 8); the dossier then goes to the one-stop unit that receives for the chosen one.
        units = list(procedure.implementing_units.active())
        field = self.fields["unit"]
        field.queryset = procedure.implementing_units.active()
        field.receivers = one_stop_units({unit.pk for unit in units})
        if len(units) == 1:
            field.initial = units[0]


def _own(request, pk: int):
    return get_object_or_404(selectors.applicant_dossiers(request.user), pk=pk)


@login_required
def submit(request, code: str):
    """Fill the applicant data and upload each required document; save a draft or submit."""
    procedure = get_object_or_404(Procedure.objects.active(), code=code)
    if not procedure.channel_online:
        raise Http404
    user = request.user
    initial = {"applicant_name": user.full_name, "applicant_email": user.email}
    form = OnlineForm(request.POST or None, request.FILES or None, procedure=procedure,
                      initial=initial)  # fmt: skip
    required = list(procedure.components.all())
    if request.method == "POST" and form.is_valid():
        uploads, errors = {}, []
        for component in required:
            upload = request.FILES.get(f"file_{component.pk}")
            if upload is None:
                continue
            try:
                uploads[component.pk] = check_upload(upload)
            except forms.ValidationError as error:
                errors.append(f"{component.name}: {' '.join(error.messages)}")
        if errors:
            for error in errors:
                form.add_error(None, error)
        else:
            return _save_online(request, form, procedure, required, uploads)
    return render(
        request, "citizen/submit.html", {"form": form, "procedure": procedure, "required": required}
    )


def _save_online(request, form, procedure, required, uploads):
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
        with transaction.atomic():
            value = as_id(request.POST.get("variant"))
            variant = procedure.variants.filter(pk=value).first() if value is not None else None
            draft = services.create_draft(
                request.user, data["unit"], procedure, applicant, data["online_mode"], variant
            )
            for component in required:
                if component.pk in uploads:
                    DossierComponent.objects.create(
                        dossier=draft,
                        required=component,
                        name=component.name,
                        file=uploads[component.pk],
                        digitised=True,
                    )
            submitted = request.POST.get("submit") == "1"
            if submitted:
                dossier = services.submit_online(draft.pk, request.user)
                messages.success(
                    request, _("Submitted. Your dossier code is %(code)s.") % {"code": dossier.code}
                )
            else:
                messages.success(request, _("Draft saved. You can submit it later."))
    except services.DossierError as error:
        form.add_error(None, error.message)
        return render(
            request,
            "citizen/submit.html",
            {"form": form, "procedure": procedure, "required": required},
        )
    if submitted:
        return redirect("citizen:acknowledgement", pk=draft.pk)
    return redirect("citizen:my_dossier", pk=draft.pk)


@login_required
def my_dossiers(request):
    dossiers = (
        Dossier.objects.filter(applicant_user=request.user)
        .select_related("procedure")
        .order_by("-created_at")
    )
    return render(request, "citizen/my_dossiers.html", {"dossiers": dossiers})


@login_required
def my_dossier(request, pk: int):
    dossier = _own(request, pk)
    request_event = (
        dossier.events.filter(action="supplement_requested").order_by("-sequence").first()
        if dossier.status == Status.SUPPLEMENT_REQUESTED
        else None
    )
    return render(
        request,
        "citizen/my_dossier.html",
        {
            "dossier": dossier,
            "plain_status": lookup.PLAIN_STATUS.get(dossier.status, ""),
            "timeline": lookup.public_timeline(dossier),
            "late": selectors.is_late(dossier),
            "supplement": request_event,
            "required": dossier.procedure.components.all(),
            "components": dossier.components.all(),
            "ratings": Rating.choices,
            "rated": hasattr(dossier, "rating"),
            "acknowledged": selectors.acknowledgeable(dossier),
            "authorities": selectors.addressed_authorities(dossier),
            "receipt_ready": dossier.received_at is not None,
        },
    )


def _acknowledged(request, pk: int) -> Dossier:
    dossier = _own(request, pk)
    if not selectors.acknowledgeable(dossier):
        raise Http404
    return dossier


@login_required
def acknowledgement(request, pk: int):
    """After an online submission: what was sent, to whom, when, and what happens next and when
    (biên nhận nộp trực tuyến). ``?in=1`` gives the printable page."""
    dossier = _acknowledged(request, pk)
    context = {
        "ack": selectors.acknowledgement(dossier),
        "dossier": dossier,
        "components": dossier.components.exclude(file=""),
        "receipt_ready": dossier.received_at is not None,
    }
    if request.GET.get("in") == "1":
        return render(request, "citizen/acknowledgement_print.html", context)
    return render(request, "citizen/acknowledgement.html", context)


@login_required
def component_file(request, pk: int, component_pk: int):
    """A stored document of the citizen's own dossier; 404 for anyone else's."""
    dossier = _own(request, pk)
    component = selectors.stored_component(dossier, component_pk)
    if component is None:
        raise Http404
    return downloads.file_response(component.file, selectors.download_name(dossier, component))


@login_required
def result_file(request, pk: int):
    dossier = _own(request, pk)
    if not dossier.result_file:
        raise Http404
    return downloads.file_response(dossier.result_file, selectors.download_name(dossier))


@login_required
@require_POST
def submit_draft(request, pk: int):
    dossier = _own(request, pk)
    try:
        dossier = services.submit_online(dossier.pk, request.user)
    except services.DossierError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Submitted. Your dossier code is %(code)s.") % {"code": dossier.code}
        )
        return redirect("citizen:acknowledgement", pk=pk)
    return redirect("citizen:my_dossier", pk=pk)


@login_required
@require_POST
def supplement(request, pk: int):
    """The applicant uploads the requested documents; the clock resumes."""
    dossier = _own(request, pk)
    components = []
    for component in dossier.procedure.components.all():
        upload = request.FILES.get(f"file_{component.pk}")
        if upload is None:
            continue
        try:
            check_upload(upload)
        except forms.ValidationError as error:
            messages.error(request, f"{component.name}: {' '.join(error.messages)}")
            return redirect("citizen:my_dossier", pk=pk)
        components.append({"required_id": component.pk, "file": upload})
    if not components:
        messages.error(request, _("Attach at least one document."))
        return redirect("citizen:my_dossier", pk=pk)
    version = request.POST.get("version", "")
    try:
        services.complete_supplement(
            dossier.pk,
            request.user,
            components,
            expected_version=as_id(version),
        )
    except services.DossierError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Thank you: your supplement has been sent."))
    return redirect("citizen:my_dossier", pk=pk)


@login_required
@require_POST
def withdraw(request, pk: int):
    dossier = _own(request, pk)
    try:
        services.withdraw(dossier.pk, request.user, request.POST.get("reason", ""))
    except services.DossierError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your dossier has been withdrawn."))
    return redirect("citizen:my_dossier", pk=pk)


@login_required
@require_POST
def rate(request, pk: int):
    dossier = _own(request, pk)
    score = request.POST.get("score", "")
    try:
        services.rate(dossier.pk, as_id(score) or 0,
                      request.POST.get("comment", ""))  # fmt: skip
    except services.DossierError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Thank you for your rating."))
    return redirect("citizen:my_dossier", pk=pk)
