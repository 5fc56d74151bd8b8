from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.catalog.models import Procedure
from cchc.dossiers.models import ApplicantKind
from cchc.organisations.models import OrganisationUnit

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


class SubmitForm(StyledMixin, forms.Form):
    subject_kind = forms.ChoiceField(
        label=_("Your feedback is about"),
        choices=SubjectKind.choices,
        initial=SubjectKind.PROCEDURE,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    procedure = forms.ModelChoiceField(
        label=_("Procedure"),
        queryset=Procedure.objects.active().order_by("name"),
        required=False,
        to_field_name="code",
    )
    dossier_code = forms.CharField(label=_("Dossier code"), max_length=80, required=False)
    dossier_digits = forms.CharField(
        label=_("Last 4 digits of the applicant's phone or ID number"),
        max_length=4,
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
            "Needed when the feedback is not about a dossier or a single unit's procedure."
        ),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    content = forms.CharField(
        label=_("Content"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    sender_kind = forms.ChoiceField(
        label=_("Sent by"), choices=ApplicantKind.choices, initial=ApplicantKind.INDIVIDUAL
    )
    sender_name = forms.CharField(label=_("Full name or organisation name"), max_length=255)
    sender_phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    sender_email = forms.EmailField(
        label=_("Email"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    sender_address = forms.CharField(label=_("Address"), max_length=500, required=False)
    # Honeypot: hidden from people by CSS, filled in by naive bots.
    website = forms.CharField(required=False, label="Website")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
        self.fields["website"].widget.attrs.update(
            {"tabindex": "-1", "autocomplete": "off", "class": ""}
        )


class LookupForm(StyledMixin, forms.Form):
    code = forms.CharField(label=_("Feedback code"), max_length=30)
    digits = forms.RegexField(
        label=_("Last 4 digits of your phone number"),
        regex=r"^\d{4}$",
        error_messages={"invalid": _("Enter exactly 4 digits.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


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
    public_title = forms.CharField(label=_("Title as published"), max_length=200)
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
