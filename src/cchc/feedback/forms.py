import re

from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.catalog.models import Procedure
from cchc.dossiers.lookup import normalise_digits
from cchc.dossiers.models import ApplicantKind
from cchc.organisations.models import OrganisationUnit

from . import codes, services
from .models import Category, FeedbackRating, SubjectKind


class StyledMixin:
    """Bootstrap classes on every widget, so the templates can render fields as they are."""

    def _style(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                continue
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{'— ' * obj.depth}{obj.name}"


# Fields required only for one kind of subject: the page marks them when that kind is chosen.
REQUIRED_FOR_SUBJECT = {
    "procedure": SubjectKind.PROCEDURE,
    "dossier_code": SubjectKind.DOSSIER,
    "officer_name": SubjectKind.OFFICER,
}


class SubmitForm(StyledMixin, forms.Form):
    """The public feedback form: every problem shown at once, required fields marked.

    Field-level checks, the service's own rules (``services.submission_problems``) and the dossier
    check run in one pass, so the sender sees all errors after one submission. "— let the system
    route it —" is a valid choice: ``services.route`` then picks the unit.
    """

    subject_kind = forms.ChoiceField(
        label=_("Your feedback is about"),
        choices=SubjectKind.choices,
        initial=SubjectKind.PROCEDURE,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Choose what your feedback is about.")},
    )
    procedure = forms.ModelChoiceField(
        label=_("Procedure"),
        queryset=Procedure.objects.active().order_by("name"),
        required=False,
        to_field_name="code",
    )
    dossier_code = forms.CharField(label=_("Dossier code"), max_length=120, required=False)
    dossier_digits = forms.CharField(
        label=_("Last 4 digits of the applicant's phone or ID number"),
        max_length=20,
        required=False,
        help_text=_("Not needed for your own dossiers when you are signed in."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    officer_name = forms.CharField(
        label=_("Officer's name, position or counter"), max_length=255, required=False
    )
    unit = UnitChoiceField(
        label=_("Unit concerned"),
        queryset=OrganisationUnit.objects.active().order_by("path"),
        required=False,
        empty_label=_("— let the system route it —"),
        help_text=_(
            "If you do not know, leave “let the system route it”: the feedback goes to the unit "
            "of the dossier or procedure, or to the service centre, which forwards it."
        ),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Give your feedback a short title.")},
    )
    content = forms.CharField(
        label=_("Content"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Describe your feedback.")},
    )
    sender_kind = forms.ChoiceField(
        label=_("Sent by"), choices=ApplicantKind.choices, initial=ApplicantKind.INDIVIDUAL
    )
    sender_name = forms.CharField(
        label=_("Full name or organisation name"),
        max_length=255,
        error_messages={"required": _("Enter your name.")},
    )
    sender_phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        help_text=_("A phone number or an email address: at least one, so the unit can answer."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    sender_email = forms.EmailField(
        label=_("Email"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    sender_address = forms.CharField(label=_("Address"), max_length=500, required=False)
    # Honeypot: hidden from people by CSS, filled in by naive bots.
    website = forms.CharField(required=False, label="Website")

    def __init__(self, *args, user=None, client_address: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.client_address = client_address
        self._style()
        self.fields["website"].widget.attrs.update(
            {"tabindex": "-1", "autocomplete": "off", "class": ""}
        )
        signed_in = bool(getattr(user, "is_authenticated", False))
        for name, field in self.fields.items():
            if name in REQUIRED_FOR_SUBJECT:
                field.widget.attrs["data-required-for"] = REQUIRED_FOR_SUBJECT[name]
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"{self[name].auto_id}_help"
            if name in self.required_now and not isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs.update({"required": True, "aria-required": "true"})
        if signed_in:
            self.fields["sender_phone"].help_text = ""

    @property
    def subject(self) -> str:
        """The subject kind chosen (or the initial one), to mark its required field."""
        chosen = self.data.get("subject_kind") if self.is_bound else None
        return chosen or self["subject_kind"].initial

    @property
    def required_now(self) -> set[str]:
        """Names of the fields required for the subject chosen (marked with * on the page)."""
        names = {name for name, field in self.fields.items() if field.required}
        return names | {name for name, kind in REQUIRED_FOR_SUBJECT.items() if kind == self.subject}

    def error_summary(self) -> list[dict]:
        """Every error, in the order of the page, each linking to its field."""
        items = [{"target": "", "label": "", "message": m} for m in self.non_field_errors()]
        for name in self.fields:
            bound = self[name]
            radio = isinstance(bound.field.widget, forms.RadioSelect)
            target = f"{bound.auto_id}_0" if radio else bound.auto_id
            items += [
                {"target": target, "label": bound.label, "message": message}
                for message in self.errors.get(name, ())
            ]
        return items

    def clean(self):
        data = super().clean()
        signed_in = bool(getattr(self.user, "is_authenticated", False))
        problems = services.submission_problems(
            sender=services.Sender(
                name=data.get("sender_name") or "",
                phone=data.get("sender_phone") or "",
                # An email the field refused still tells that a contact was given.
                email=data.get("sender_email") or self.data.get("sender_email", "") or "",
                address=data.get("sender_address") or "",
                kind=data.get("sender_kind") or ApplicantKind.INDIVIDUAL,
            ),
            subject_kind=data.get("subject_kind") or "",
            title=data.get("title") or "",
            content=data.get("content") or "",
            signed_in=signed_in,
            procedure=data.get("procedure"),
            dossier_code=data.get("dossier_code") or "",
            officer_name=data.get("officer_name") or "",
            unit=data.get("unit"),
        )
        for field, message in problems.items():
            if field not in self.errors:  # the field's own error already says it
                self.add_error(field if field in self.fields else None, message)
        code = data.get("dossier_code") or ""
        if code.strip() and not {"dossier_code", "dossier_digits"} & set(self.errors):
            problem = services.dossier_problem(
                code, data.get("dossier_digits") or "", self.user, self.client_address
            )
            if problem:
                field, message = problem
                self.add_error(field if field in self.fields else None, message)
        return data

    def full_clean(self):
        super().full_clean()
        # Screen readers hear a field's error with the field; the styles show it in red.
        for name, errors in self.errors.items():
            if name in self.fields and errors:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                described = [f"{self[name].auto_id}_error", attrs.get("aria-describedby", "")]
                attrs["aria-describedby"] = " ".join(part for part in described if part)
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()


class LookupForm(StyledMixin, forms.Form):
    """Code and digits as typed (case, spaces, dashes, full-width); a non-code costs no try."""

    code = forms.CharField(label=_("Feedback code"), max_length=60)
    digits = forms.CharField(label=_("Last 4 digits of your phone number"), max_length=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()

    def clean_code(self):
        code = codes.normalise(self.cleaned_data["code"])
        hint = codes.problem(code)
        if hint:
            raise forms.ValidationError(hint)
        return code

    def clean_digits(self):
        digits = normalise_digits(self.cleaned_data["digits"])
        if not re.fullmatch(r"[0-9]{4}", digits):
            raise forms.ValidationError(_("Enter exactly 4 digits."))
        return digits


class RatingForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("Your rating of the answer"),
        choices=FeedbackRating.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


# -- officers' actions ---------------------------------------------------------------------------
class ClassifyForm(StyledMixin, forms.Form):
    category = forms.ChoiceField(label=_("Classification"), choices=Category.choices)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, feedback=None, **kwargs):
        super().__init__(*args, **kwargs)
        if feedback is not None and feedback.category:
            self.fields["category"].initial = feedback.category
        self._style()


class ForwardForm(StyledMixin, forms.Form):
    unit = UnitChoiceField(
        label=_("Competent unit"), queryset=OrganisationUnit.objects.active().order_by("path")
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, feedback=None, **kwargs):
        super().__init__(*args, **kwargs)
        if feedback is not None:
            self.fields["unit"].queryset = self.fields["unit"].queryset.exclude(pk=feedback.unit_id)
        self._style()


class AnswerForm(StyledMixin, forms.Form):
    answer = forms.CharField(
        label=_("Answer to the sender"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args, feedback=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class PublishForm(StyledMixin, forms.Form):
    public_title = forms.CharField(
        label=_("Title as published"),
        max_length=200,
        required=False,
        help_text=_(
            "Left empty: the sender's title with personal data masked, or the start of the "
            "question."
        ),
    )
    public_content = forms.CharField(
        label=_("Question as published"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Remove names, phone numbers, emails, ID numbers and addresses."),
    )
    public_answer = forms.CharField(
        label=_("Answer as published"), max_length=10000, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, feedback=None, **kwargs):
        from .services import suggested_public_texts

        if feedback is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = suggested_public_texts(feedback)
        super().__init__(*args, **kwargs)
        self._style()


class RejectForm(StyledMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason, and where the sender should turn"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The sender sees this text when following the feedback: no personal data."),
    )

    def __init__(self, *args, feedback=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


ACTION_FORMS = {
    "classify": ClassifyForm,
    "forward": ForwardForm,
    "answer": AnswerForm,
    "publish": PublishForm,
    "reject": RejectForm,
}
ACTION_LABELS = {
    "classify": _("Classify"),
    "forward": _("Forward to another unit"),
    "answer": _("Answer"),
    "publish": _("Publish the answer"),
    "reject": _("Refuse: not within competence"),
}
