import re

from django import forms
from django.contrib.auth import get_user_model
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cchc.catalog.models import Procedure, WorkflowStep
from cchc.catalog.selectors import procedures_handled_by
from cchc.common.uploads import UploadRefused, check_upload_bytes
from cchc.formats.vi.formats import DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS
from cchc.organisations.models import OrganisationUnit, Role
from cchc.organisations.permissions import units_for
from cchc.workdays.engine.calendar import OfficeHours

from . import services
from .lookup import code_problem, normalise_code, normalise_digits
from .models import ApplicantKind, Channel, IdType, Outcome, ReturnMethod

UPLOAD_TYPES = {  # extension: (declared content types, leading bytes of the real content)
    ".pdf": ({"application/pdf"}, (b"%PDF-",)),
    ".jpg": ({"image/jpeg"}, (b"\xff\xd8\xff",)),
    ".jpeg": ({"image/jpeg"}, (b"\xff\xd8\xff",)),
    ".png": ({"image/png"}, (b"\x89PNG\r\n\x1a\n",)),
}


def check_upload(upload):
    """PDF, JPEG or PNG up to ``CCHC_UPLOAD_MAX_BYTES``, judged by the file's own bytes, not by its
    name or header (``cchc.common.uploads``). The stored name keeps the accepted extension, so
    downloads take their content type from it (``cchc.common.files``)."""
    signatures = {extension: leading for extension, (_types, leading) in UPLOAD_TYPES.items()}
    try:
        check_upload_bytes(upload, signatures, _("Only PDF, JPEG or PNG files are accepted."))
    except UploadRefused as refusal:
        raise forms.ValidationError(str(refusal)) from None
    return upload


class DatePickerInput(forms.DateInput):
    """A text input for dd/mm/yyyy (or dd/mm/yyyy hh:mm) with a calendar button beside it.

    Typing stays the main way in: the field is plain text, so the browser's locale never changes
    the format (a native ``type="date"`` shows and sends what the browser's language wants); the
    button opens the calendar of ``portal/datepicker.js`` (vendored, no CDN), which writes the same
    dd/mm/yyyy. The server parses the Vietnamese input formats (``cchc.formats.vi``).
    """

    def __init__(self, attrs=None, *, with_time: bool = False):
        self.with_time = with_time
        placeholder = "dd/mm/yyyy hh:mm" if with_time else "dd/mm/yyyy"
        defaults = {"placeholder": placeholder, "autocomplete": "off", "spellcheck": "false"}
        defaults["data-datepicker"] = "datetime" if with_time else "date"
        super().__init__(
            {**defaults, **(attrs or {})}, format="%d/%m/%Y %H:%M" if with_time else "%d/%m/%Y"
        )

    def render(self, name, value, attrs=None, renderer=None):
        field = super().render(name, value, attrs, renderer)
        target = (attrs or {}).get("id") or self.attrs.get("id") or f"id_{name}"
        closing = OfficeHours().periods[-1][1].strftime("%H:%M")
        return format_html(
            '<div class="input-group input-group-sm datepicker" data-default-time="{time}"'
            ' data-month="{month}" data-weekdays="{weekdays}" data-previous="{previous}"'
            ' data-next="{next}" data-today="{today}" data-close="{close}">{field}'
            '<button type="button" class="btn btn-outline-secondary" data-datepicker-for="{target}"'
            ' aria-label="{label}" title="{label}" aria-haspopup="dialog" aria-expanded="false">'
            '<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">'
            '<rect x="1.5" y="2.5" width="13" height="12" rx="1.5" fill="none"'
            ' stroke="currentColor"/>'
            '<path d="M1.5 6h13M5 1v3M11 1v3" stroke="currentColor"/></svg></button></div>',
            field=field,
            target=target,
            time=closing if self.with_time else "",
            label=_("Choose a date"),
            month=_("Month"),
            weekdays=_("Mo,Tu,We,Th,Fr,Sa,Su"),
            previous=_("Previous month"),
            next=_("Next month"),
            today=_("Today"),
            close=_("Close"),
        )


class StyledForm(forms.Form):
    """Bootstrap classes on every widget, so the templates can render fields as they are.

    ``has_required``: the form has a required field, so the page shows the "* required" legend.
    """

    @property
    def has_required(self) -> bool:
        return any(field.required for field in self.fields.values())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select form-select-sm")
            else:
                widget.attrs.setdefault("class", "form-control form-control-sm")


class ApplicantForm(forms.Form):
    applicant_kind = forms.ChoiceField(
        label=_("Applicant"), choices=ApplicantKind.choices, initial=ApplicantKind.INDIVIDUAL
    )
    applicant_name = forms.CharField(label=_("Full name or organisation name"), max_length=255)
    applicant_id_type = forms.ChoiceField(
        label=_("ID type"), choices=IdType.choices, initial=IdType.CITIZEN_ID
    )
    applicant_id_number = forms.CharField(label=_("ID number"), max_length=30)
    applicant_birth_date = forms.DateField(
        label=_("Date of birth"), required=False, input_formats=DATE_INPUT_FORMATS
    )
    applicant_phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    applicant_email = forms.EmailField(label=_("Email"), required=False)
    applicant_address = forms.CharField(label=_("Address"), max_length=500, required=False)
    representative_name = forms.CharField(
        label=_("Authorised representative"), max_length=255, required=False
    )
    representative_id_number = forms.CharField(
        label=_("Representative ID number"), max_length=30, required=False
    )
    authorisation_document = forms.CharField(
        label=_("Authorisation document"), max_length=255, required=False
    )


class IntakeForm(ApplicantForm):
    procedure = forms.ModelChoiceField(
        label=_("Procedure"), queryset=Procedure.objects.active().order_by("field__name", "name")
    )
    unit = forms.ModelChoiceField(label=_("Receiving unit"), queryset=OrganisationUnit.objects)
    channel = forms.TypedChoiceField(
        label=_("Channel"),
        coerce=int,
        choices=[(Channel.COUNTER, Channel.COUNTER.label), (Channel.POSTAL, Channel.POSTAL.label)],
        initial=Channel.COUNTER,
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = units_for(user, [Role.ONE_STOP_OFFICER]).filter(active=True).order_by("path")
        self.fields["unit"].queryset = units
        # Only procedures one of these units handles (the rule intake itself applies per unit).
        self.fields["procedure"].queryset = (
            procedures_handled_by(units).active().order_by("field__name", "name")
        )
        # The counter an officer sits at is usually the deepest unit they hold the role in.
        self.fields["unit"].initial = units.order_by("-depth", "path").first()


class NoteForm(StyledForm):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class SupplementForm(StyledForm):
    items = forms.CharField(
        label=_("Documents to supplement"), widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    answer_within_days = forms.IntegerField(
        label=_("Applicant's time (working days)"), min_value=1, max_value=60, initial=10
    )


class HandlerForm(StyledForm):
    """Forward: the officer for the next step, among those who handle it in its unit
    (``services.handler_candidates``: never inspectors, reform staff or administrators)."""

    handler = forms.ModelChoiceField(
        label=_("Officer"), queryset=get_user_model().objects.none(), required=False
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, dossier=None, **kwargs):
        super().__init__(*args, **kwargs)
        if dossier is not None:
            self.fields["handler"].queryset = services.handler_candidates(
                dossier, self.step_for(dossier)
            )
            self.fields["handler"].label_from_instance = _officer_label

    def step_for(self, dossier):
        return services.next_step(dossier)


def _officer_label(user) -> str:
    return user.get_full_name() or user.get_username()


class ReassignForm(HandlerForm):
    """Reassign: another officer for the current step."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].required = True

    def step_for(self, dossier):
        return dossier.current_step


class SendBackForm(StyledForm):
    step = forms.ModelChoiceField(label=_("Back to step"), queryset=WorkflowStep.objects.none())
    note = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, dossier=None, **kwargs):
        super().__init__(*args, **kwargs)
        if dossier is not None and dossier.current_step is not None:
            self.fields["step"].queryset = dossier.procedure.workflow_steps.filter(
                order__lt=dossier.current_step.order
            )


class HandOffForm(StyledForm):
    unit = forms.ModelChoiceField(
        label=_("To unit"), queryset=OrganisationUnit.objects.active().order_by("path")
    )
    hours = forms.DecimalField(
        label=_("Its share of time (working hours)"), min_value=1, max_value=2000, initial=8
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class FinancialForm(StyledForm):
    amount = forms.IntegerField(label=_("Amount (VND)"), min_value=1, max_value=10**12)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PaymentForm(StyledForm):
    paid_online = forms.BooleanField(label=_("Paid online"), required=False)


class ExtendForm(StyledForm):
    new_due_at = forms.DateTimeField(
        label=_("New due time"),
        input_formats=DATETIME_INPUT_FORMATS,
        widget=DatePickerInput(with_time=True),
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ApproveForm(StyledForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    number = forms.CharField(label=_("Result document number"), max_length=100)
    signer = forms.CharField(label=_("Signed by"), max_length=255, required=False)
    result_date = forms.DateField(
        label=_("Result date"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=DatePickerInput(),
    )
    electronic = forms.BooleanField(label=_("Electronic result (digitally signed)"), required=False)
    note = forms.CharField(
        label=_("Note (reasons, when refused)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReturnForm(StyledForm):
    method = forms.ChoiceField(label=_("Returned"), choices=ReturnMethod.choices)
    received_by = forms.CharField(label=_("Received by"), max_length=255, required=False)


ACTION_FORMS = {
    "accept": NoteForm,
    "refuse_intake": ReasonForm,
    "request_supplement": SupplementForm,
    "complete_supplement": NoteForm,
    "forward": HandlerForm,
    "send_back": SendBackForm,
    "reassign": ReassignForm,
    "hand_off": HandOffForm,
    "request_financial_obligation": FinancialForm,
    "record_payment": PaymentForm,
    "extend": ExtendForm,
    "approve_result": ApproveForm,
    "return_result": ReturnForm,
    "withdraw": ReasonForm,
    "stop": ReasonForm,
}
DOSSIER_AWARE_FORMS = (HandlerForm, SendBackForm)

ACTION_LABELS = {
    "accept": _("Receive"),
    "refuse_intake": _("Refuse"),
    "request_supplement": _("Request supplement"),
    "complete_supplement": _("Supplement received"),
    "forward": _("Forward to next step"),
    "send_back": _("Send back"),
    "reassign": _("Reassign"),
    "hand_off": _("Hand over to another unit"),
    "request_financial_obligation": _("Request financial obligation"),
    "record_payment": _("Record payment"),
    "extend": _("Extend"),
    "approve_result": _("Approve result"),
    "return_result": _("Return result"),
    "withdraw": _("Withdraw at applicant's request"),
    "stop": _("Stop processing"),
}


class LookupForm(forms.Form):
    """Code and digits as people type them (case, spaces, separators, full-width characters)."""

    code = forms.CharField(label=_("Dossier code"), max_length=120)
    digits = forms.CharField(label=_("Last 4 digits of your phone or ID number"), max_length=20)

    def clean_code(self):
        code = normalise_code(self.cleaned_data["code"])
        problem = code_problem(code)
        if problem:
            raise forms.ValidationError(problem)
        return code

    def clean_digits(self):
        digits = normalise_digits(self.cleaned_data["digits"])
        if not re.fullmatch(r"[0-9]{4}", digits):
            raise forms.ValidationError(_("Enter exactly 4 digits."))
        return digits


class ApologyForm(StyledForm):
    reason = forms.CharField(
        label=_("Reason for the delay"), widget=forms.Textarea(attrs={"rows": 3})
    )
    new_appointment_at = forms.DateTimeField(
        label=_("New appointment"),
        input_formats=DATETIME_INPUT_FORMATS,
        widget=DatePickerInput(with_time=True),
    )
