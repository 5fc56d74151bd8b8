"""The reform report's forms: start a report, write its narrative, return it with a reason."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PeriodKind


class CreateForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=None, label=_("Unit"), empty_label=None)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class NarrativeForm(forms.Form):
    achievements = forms.CharField(
        label=_("Results achieved"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    shortcomings = forms.CharField(
        label=_("Shortcomings and limitations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    causes = forms.CharField(
        label=_("Causes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    next_tasks = forms.CharField(
        label=_("Tasks for the next period"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    document_number = forms.CharField(label=_("Number and symbol"), required=False)
    place = forms.CharField(label=_("Place name"), required=False)
    recipients = forms.CharField(
        label=_("Recipients (one a line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    signer_title = forms.CharField(label=_("Signer's title"), required=False)
    signer_name = forms.CharField(label=_("Signer's name"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control form-control-sm")
            field.strip = False


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for returning"), widget=forms.Textarea(attrs={"rows": 2})
    )
