"""Forms of the inspection pages: they parse and show errors in Vietnamese; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.dossiers.forms import DatePickerInput
from cchc.formats.vi.formats import DATE_INPUT_FORMATS
from cchc.organisations.models import OrganisationUnit

from .models import FindingKind, InspectionKind, InspectionMethod, RecommendationStatus

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


def _staff_users():
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(is_active=True, role_assignments__active=True)
        .distinct()
        .order_by("full_name", "username")
    )


class PlanForm(StyledMixin, forms.Form):
    organiser = forms.ModelChoiceField(
        label=_("Organised by"), queryset=OrganisationUnit.objects.none()
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("Name"), max_length=255)
    document_number = forms.CharField(label=_("Number and symbol"), required=False, max_length=100)
    document_date = date_field(_("Issued on"), required=False)
    document_file = forms.FileField(
        label=_("Document (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}),
    )

    def __init__(self, *args, organisers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisers is not None:
            self.fields["organiser"].queryset = organisers
        self._style()


class TeamForm(StyledMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    decision_number = forms.CharField(label=_("Decision number"), required=False, max_length=100)
    decision_date = date_field(_("Decision date"), required=False)
    decision_file = forms.FileField(
        label=_("Decision (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}),
    )
    head = forms.ModelChoiceField(label=_("Head of the team"), queryset=None)
    secretary = forms.ModelChoiceField(label=_("Team secretary"), queryset=None, required=False)
    members = forms.ModelMultipleChoiceField(
        label=_("Team members"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("head", "secretary", "members"):
            self.fields[name].queryset = _staff_users()
        self._style()

    def seats(self) -> list[tuple[object, str]]:
        data = self.cleaned_data
        seats = [(data["head"], "head")]
        if data.get("secretary"):
            seats.append((data["secretary"], "secretary"))
        seats += [(user, "member") for user in data.get("members") or []]
        return seats


class PlannedInspectionForm(StyledMixin, forms.Form):
    target = forms.ModelChoiceField(label=_("Inspected unit"), queryset=None)
    planned_start = date_field(_("Planned from"))
    planned_end = date_field(_("Planned to"))
    kind = forms.ChoiceField(label=_("Kind"), choices=InspectionKind.choices)
    method = forms.ChoiceField(label=_("Method"), choices=InspectionMethod.choices)
    fields_text = forms.CharField(
        label=_("PAR fields (codes, comma separated)"), required=False, max_length=200
    )
    topic = forms.CharField(label=_("Topic"), required=False, max_length=255)
    team = forms.ModelChoiceField(label=_("Inspection team"), queryset=None, required=False)

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        if plan is not None:
            self.fields["target"].queryset = (
                OrganisationUnit.objects.subtree_of(plan.organiser)
                .filter(active=True)
                .exclude(pk=plan.organiser_id)
            )
            self.fields["team"].queryset = plan.teams.all()
        self._style()

    def codes(self) -> list[str]:
        raw = self.cleaned_data.get("fields_text") or ""
        return [part.strip() for part in raw.replace(";", ",").split(",") if part.strip()]
