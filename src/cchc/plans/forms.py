"""Forms of the plan pages: they parse and show errors in Vietnamese; the services decide."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.dossiers.forms import DatePickerInput
from cchc.formats.vi.formats import DATE_INPUT_FORMATS
from cchc.organisations.models import OrganisationUnit

from .models import TaskStatus

DOCUMENT_ACCEPT = ".pdf,.jpg,.jpeg,.png,.doc,.docx,.xls,.xlsx,.odt,.ods"


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


class PlanForm(StyledMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrganisationUnit.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=500, required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else OrganisationUnit.objects
        self._style()


class PlanEditForm(StyledMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    parent = forms.ModelChoiceField(label=_("Implements the plan"), queryset=None, required=False)

    def __init__(self, *args, parents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents
        self._style()


class IssueForm(StyledMixin, forms.Form):
    document_number = forms.CharField(label=_("Number and symbol"), max_length=100)
    issued_on = date_field(_("Issued on"))
    signer = forms.CharField(label=_("Signed by"), max_length=255)
    document = forms.FileField(
        label=_("Signed plan (PDF)"), widget=forms.ClearableFileInput(attrs={"accept": ".pdf"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class TaskForm(StyledMixin, forms.Form):
    field = forms.ModelChoiceField(label=_("Field"), queryset=None)
    code = forms.CharField(label=_("Number"), max_length=20, required=False)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 3}))
    lead_unit = forms.ModelChoiceField(label=_("Lead unit"), queryset=None)
    coordinating_units = forms.ModelMultipleChoiceField(
        label=_("Coordinating units"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    recurring = forms.BooleanField(label=_("Recurring (thường xuyên)"), required=False)
    deadline = date_field(_("Deadline"), required=False)
    milestones = forms.CharField(
        label=_("Reporting milestones (dd/mm/yyyy, separated by commas)"),
        required=False,
        max_length=500,
    )
    expected_output = forms.CharField(
        label=_("Expected output"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    budget = forms.DecimalField(
        label=_("Budget (VND)"), required=False, min_value=0, max_digits=16, decimal_places=0
    )
    par_criteria = forms.CharField(
        label=_("PAR INDEX criteria it should raise (codes, separated by commas)"),
        required=False,
        max_length=300,
    )
    implements = forms.ModelChoiceField(
        label=_("Implements the upper task"), queryset=None, required=False
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, plan, units, upper_tasks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].queryset = plan.fields.all()
        self.fields["lead_unit"].queryset = units
        self.fields["coordinating_units"].queryset = units
        self.fields["implements"].queryset = upper_tasks
        self._style()

    def clean_milestones(self):
        days = []
        for part in (self.cleaned_data.get("milestones") or "").replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            value = None
            for pattern in DATE_INPUT_FORMATS:
                try:
                    value = datetime.strptime(part, pattern).date()
                    break
                except ValueError:
                    continue
            if value is None:
                raise forms.ValidationError(_("Enter dates as dd/mm/yyyy."))
            days.append(value)
        return days

    def clean_par_criteria(self):
        text = self.cleaned_data.get("par_criteria") or ""
        return [code.strip() for code in text.replace(";", ",").split(",") if code.strip()]


class ReportForm(StyledMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (TaskStatus.IN_PROGRESS, TaskStatus.IN_PROGRESS.label),
            (TaskStatus.DONE, TaskStatus.DONE.label),
            (TaskStatus.NOT_STARTED, TaskStatus.NOT_STARTED.label),
        ],
        widget=forms.RadioSelect,
        initial=TaskStatus.IN_PROGRESS,
    )
    percent = forms.IntegerField(
        label=_("Percent done"), min_value=0, max_value=100, required=False
    )
    text = forms.CharField(
        label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    evidence_file = forms.FileField(
        label=_("Evidence document (file)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": DOCUMENT_ACCEPT}),
    )
    evidence_number = forms.CharField(
        label=_("Evidence: number and symbol of an issued document"),
        required=False,
        max_length=100,
    )
    evidence_issued_on = date_field(_("Evidence: issued on"), required=False)
    output_file = forms.FileField(
        label=_("Output document (file)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": DOCUMENT_ACCEPT}),
    )
    output_number = forms.CharField(
        label=_("Output: number and symbol of the document issued"),
        required=False,
        max_length=100,
    )
    output_issued_on = date_field(_("Output: issued on"), required=False)
    output_summary = forms.CharField(label=_("Output: summary"), required=False, max_length=2000)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class ReasonForm(StyledMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
