"""Forms of the round pages: they parse and show errors in Vietnamese; the services decide."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from cchc.dossiers.forms import DatePickerInput
from cchc.formats.vi.formats import DATE_INPUT_FORMATS
from cchc.organisations.models import OrganisationUnit
from cchc.organisations.permissions import units_for

from . import engine
from .models import CouncilRole, CriteriaSet, Criterion, EvidenceKind, Round
from .transitions import ORGANISER_ROLES

TEXT = {"rows": 3}


class StyledMixin:
    """Bootstrap classes on every widget (as the other apps' forms)."""

    def _style(self):
        for item in self.fields.values():
            widget = item.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


def date_field(label, required=True):
    return forms.DateField(
        label=label, required=required, widget=DatePickerInput(), input_formats=DATE_INPUT_FORMATS
    )


class RoundForm(StyledMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    year = forms.IntegerField(label=_("Assessment year"), min_value=2000, max_value=2100)
    criteria_set = forms.ModelChoiceField(label=_("Criteria set"), queryset=CriteriaSet.objects)
    organiser = forms.ModelChoiceField(label=_("Organised by"), queryset=OrganisationUnit.objects)
    units = forms.ModelMultipleChoiceField(
        label=_("Units assessed"),
        queryset=OrganisationUnit.objects.filter(active=True),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    self_assessment_opens = date_field(_("Self-assessment opens"))
    self_assessment_closes = date_field(_("Self-assessment closes"))
    appraisal_closes = date_field(_("Appraisal closes"))
    explanation_days = forms.IntegerField(
        label=_("Working days to answer an explanation request"),
        min_value=1,
        max_value=60,
        initial=5,
    )
    publication_date = date_field(_("Planned publication"), required=False)
    grade_preset = forms.ChoiceField(
        label=_("Grade bands"),
        choices=[
            ("abc", _("A ≥ 90 / B ≥ 80 / C ≥ 70 / D")),
            ("good_fair", _("Good ≥ 80 / Fair ≥ 70 / Average ≥ 50 / Weak")),
            ("custom", _("Custom")),
        ],
        initial="abc",
    )
    custom_bands = forms.CharField(
        label=_("Custom bands"),
        required=False,
        help_text=_("One band a line, highest first: label = minimum (the last without one)."),
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "Tốt = 80\nKhá = 65\nTrung bình"}),
    )
    survey_scale = forms.DecimalField(
        label=_("Survey points conversion"),
        initial=100,
        max_digits=7,
        decimal_places=2,
        help_text=_("A satisfaction index is converted to points as index ÷ this × maximum."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = units_for(user, list(ORGANISER_ROLES)).filter(
            active=True
        )
        self._style()

    def clean(self):
        data = super().clean()
        if data.get("grade_preset") == "custom":
            bands = []
            for line in (data.get("custom_bands") or "").splitlines():
                if not line.strip():
                    continue
                label, _sep, minimum = line.partition("=")
                bands.append({"label": label.strip(), "minimum": minimum.strip() or None})
            if not bands:
                self.add_error("custom_bands", _("Enter at least one band."))
            data["grade_bands"] = bands
        else:
            data["grade_bands"] = data.get("grade_preset") or "abc"
        return data

    @staticmethod
    def initial_for(round_: Round) -> dict:
        presets = {
            key: [
                {"label": b.label, "minimum": None if b.minimum is None else str(b.minimum)}
                for b in bands
            ]
            for key, bands in engine.GRADE_PRESETS.items()
        }
        preset = next((key for key, value in presets.items() if value == round_.grade_bands), "")
        lines = "\n".join(
            f"{band['label']} = {band['minimum']}" if band.get("minimum") else band["label"]
            for band in round_.grade_bands
        )
        return {
            "name": round_.name,
            "year": round_.year,
            "criteria_set": round_.criteria_set,
            "organiser": round_.organiser,
            "units": [a.unit for a in round_.assessments.select_related("unit")],
            "self_assessment_opens": round_.self_assessment_opens,
            "self_assessment_closes": round_.self_assessment_closes,
            "appraisal_closes": round_.appraisal_closes,
            "explanation_days": round_.explanation_days,
            "publication_date": round_.publication_date,
            "grade_preset": preset or "custom",
            "custom_bands": "" if preset else lines,
            "survey_scale": round_.survey_scale,
        }


class CouncilMemberForm(StyledMixin, forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    role = forms.ChoiceField(label=_("Role on the council"), choices=CouncilRole.choices)
    fields_assigned = forms.ModelMultipleChoiceField(
        label=_("Fields assigned"),
        queryset=Criterion.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, round_=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fields_assigned"].queryset = round_.criteria_set.criteria.filter(
            parent__isnull=True
        ).order_by("position")
        self._style()
        self.fields["fields_assigned"].widget.attrs["class"] = "form-check-input"

    def clean_username(self):
        name = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=name, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active user has this user name."))
        return user


class ScoreForm(StyledMixin, forms.Form):
    """The value by the leaf's method: radio buttons for levels and deductions, a number for a
    percentage or points."""

    value = forms.CharField(label=_("Value"), required=False, max_length=20)
    not_applicable = forms.BooleanField(label=_("Not applicable to this unit"), required=False)
    explanation = forms.CharField(
        label=_("Explanation"), required=False, widget=forms.Textarea(attrs=TEXT), max_length=5000
    )

    def __init__(self, *args, criterion: Criterion, **kwargs):
        super().__init__(*args, **kwargs)
        spec = criterion.method_spec or {}
        if criterion.method in (engine.LEVELS, engine.DEDUCTION):
            items = spec.get("levels" if criterion.method == engine.LEVELS else "deductions", [])
            choices = []
            for item in items:
                if criterion.method == engine.LEVELS:
                    detail = _("%(points)s points") % {"points": item.get("points")}
                else:
                    detail = _("minus %(percent)s%%") % {"percent": item.get("percent")}
                choices.append((item.get("key"), f"{item.get('label')} ({detail})"))
            self.fields["value"] = forms.ChoiceField(
                label=_("Level reached"), choices=choices, required=False, widget=forms.RadioSelect
            )
        elif criterion.method == engine.BANDS:
            self.fields["value"].label = _("Percentage achieved (%)")
            self.fields["value"].widget.attrs["inputmode"] = "decimal"
        else:
            self.fields["value"].label = _("Points")
            self.fields["value"].widget.attrs["inputmode"] = "decimal"
        if not criterion.may_be_not_applicable:
            del self.fields["not_applicable"]
        self._style()


class ContestForm(StyledMixin, forms.Form):
    explanation = forms.CharField(
        label=_("Why the figure is wrong"), widget=forms.Textarea(attrs=TEXT), max_length=5000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class AssignForm(StyledMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Responsible office"), queryset=OrganisationUnit.objects)

    def __init__(self, *args, unit: OrganisationUnit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrganisationUnit.objects.subtree_of(unit).filter(active=True)
        self._style()


class EvidenceForm(StyledMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=EvidenceKind.choices, widget=forms.RadioSelect
    )
    file = forms.FileField(
        label=_("File (PDF, image, Word, Excel)"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,.doc,.docx,.xls,.xlsx,.odt,.ods"}
        ),
    )
    document_number = forms.CharField(label=_("Number and symbol"), required=False, max_length=100)
    issued_on = date_field(_("Issued on"), required=False)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    issuer = forms.CharField(label=_("Issued by"), required=False, max_length=255)
    record_type = forms.ChoiceField(
        label=_("Record type"),
        required=False,
        choices=[
            ("", "—"),
            ("report", _("Report")),
            ("plan_task", _("Plan task")),
            ("inspection", _("Inspection")),
            ("dossier", _("Dossier")),
            ("other", _("Other record")),
        ],
    )
    record_reference = forms.CharField(label=_("Record"), required=False, max_length=255)
    record_url = forms.CharField(label=_("Record link"), required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class SubmitForm(StyledMixin, forms.Form):
    summary = forms.CharField(
        label=_("Difficulties and recommendations"),
        required=False,
        widget=forms.Textarea(attrs=TEXT),
        max_length=5000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class ReasonForm(StyledMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs=TEXT), max_length=5000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class AppraiseForm(StyledMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Appraisal"),
        choices=[("accept", _("Accept the self score")), ("adjust", _("Set another score"))],
        widget=forms.RadioSelect,
        initial="accept",
    )
    score = forms.CharField(label=_("Appraised score"), required=False, max_length=20)
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs=TEXT), max_length=5000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
        self.fields["score"].widget.attrs["inputmode"] = "decimal"


class ExplanationRequestForm(StyledMixin, forms.Form):
    message = forms.CharField(
        label=_("What needs explaining"), widget=forms.Textarea(attrs=TEXT), max_length=5000
    )
    due_on = date_field(_("Answer by"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class AnswerForm(StyledMixin, forms.Form):
    request_id = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs=TEXT), max_length=5000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class DecideForm(StyledMixin, forms.Form):
    decision_number = forms.CharField(label=_("Decision number"), max_length=100)
    decision_date = date_field(_("Decision date"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
