"""Forms of the inspection pages: they parse and show errors in Vietnamese; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.dossiers.forms import DatePickerInput
from cchc.formats.vi.formats import DATE_INPUT_FORMATS
from cchc.organisations.models import OrganisationUnit

from .models import FindingKind, RecommendationStatus

ACCEPT = ".pdf,.jpg,.jpeg,.png,.doc,.docx,.xls,.xlsx"


class StyledMixin:
    def _style(self):
        for item in self.fields.values():
            widget = item.widget
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


def date_field(label, required=True):
    return forms.DateField(
        label=label, required=required, widget=DatePickerInput(), input_formats=DATE_INPUT_FORMATS
    )


class FindingForm(StyledMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FindingKind.choices)
    text = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 2}))
    criteria = forms.CharField(
        label=_("PAR criteria affected (codes, comma separated)"), required=False, max_length=500
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()

    def codes(self) -> list[str]:
        raw = self.cleaned_data.get("criteria") or ""
        return [part.strip() for part in raw.replace(";", ",").split(",") if part.strip()]


class RecommendationForm(StyledMixin, forms.Form):
    text = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 2}))
    responsible_unit = forms.ModelChoiceField(
        label=_("Responsible unit"), queryset=OrganisationUnit.objects.none()
    )
    deadline = date_field(_("Deadline (empty: the remediation deadline)"), required=False)

    def __init__(self, *args, inspection=None, **kwargs):
        super().__init__(*args, **kwargs)
        if inspection is not None:
            self.fields["responsible_unit"].queryset = OrganisationUnit.objects.subtree_of(
                inspection.plan.organiser
            ).filter(active=True)
            self.fields["responsible_unit"].initial = inspection.target_id
        self._style()


class ConcludeForm(StyledMixin, forms.Form):
    number = forms.CharField(label=_("Notice number"), max_length=100)
    issued_on = date_field(_("Notice date"))
    signer = forms.CharField(label=_("Signed by"), max_length=255)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class RemediationForm(StyledMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (RecommendationStatus.DONE, RecommendationStatus.DONE.label),
            (RecommendationStatus.IN_PROGRESS, RecommendationStatus.IN_PROGRESS.label),
        ],
    )
    text = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(
        label=_("Evidence (PDF, image, Word, Excel)"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,.doc,.docx,.xls,.xlsx"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
