"""Forms of the committee pages: they parse and show errors in Vietnamese; the services decide."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from cchc.dossiers.forms import DatePickerInput
from cchc.formats.vi.formats import DATE_INPUT_FORMATS
from cchc.organisations.models import OrganisationUnit
from cchc.organisations.permissions import units_for

from .models import CommitteeRole
from .transitions import MANAGER_ROLES

TEXT = {"rows": 3}
PDF_ACCEPT = {"accept": ".pdf,application/pdf"}


class StyledMixin:
    """Bootstrap classes on every widget (as the other apps' forms)."""

    def _style(self):
        for item in self.fields.values():
            widget = item.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


def date_field(label, required=True):
    return forms.DateField(
        label=label, required=required, widget=DatePickerInput(), input_formats=DATE_INPUT_FORMATS
    )


def pdf_field(label):
    return forms.FileField(label=label, required=False, widget=forms.FileInput(attrs=PDF_ACCEPT))


class CommitteeForm(StyledMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrganisationUnit.objects.none())
    name = forms.CharField(label=_("Name"), max_length=500)
    standing_unit = forms.ModelChoiceField(
        label=_("Standing body"), queryset=OrganisationUnit.objects.filter(active=True)
    )
    decision_number = forms.CharField(label=_("Decision number and symbol"), max_length=100)
    decision_date = date_field(_("Signed on"))
    decision_signer = forms.CharField(label=_("Signed by"), max_length=255)
    decision_file = pdf_field(_("Establishing decision (PDF)"))
    rules_number = forms.CharField(
        label=_("Rules of operation: decision number"), max_length=100, required=False
    )
    rules_date = date_field(_("Rules of operation: signed on"), required=False)
    rules_file = pdf_field(_("Rules of operation (PDF)"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for(user, MANAGER_ROLES).filter(active=True)
        self._style()


class RulesForm(StyledMixin, forms.Form):
    rules_number = forms.CharField(label=_("Decision number and symbol"), max_length=100)
    rules_date = date_field(_("Signed on"))
    rules_file = pdf_field(_("Rules of operation (PDF)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class MemberForm(StyledMixin, forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=255)
    position = forms.CharField(label=_("Position"), max_length=255)
    organisation = forms.CharField(label=_("Organisation"), max_length=255)
    role = forms.ChoiceField(label=_("Committee role"), choices=CommitteeRole.choices)
    start_on = date_field(_("From"))
    username = forms.CharField(
        label=_("Platform user (user name, optional)"), max_length=150, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if not username:
            return None
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active user has this user name."))
        return user


class EndMemberForm(StyledMixin, forms.Form):
    end_on = date_field(_("To"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class MeetingForm(StyledMixin, forms.Form):
    date = date_field(_("Date"))
    place = forms.CharField(label=_("Place"), max_length=255, required=False)
    online = forms.BooleanField(label=_("Online meeting"), required=False)
    agenda = forms.CharField(
        label=_("Agenda (one item per line)"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class DocumentForm(StyledMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class HoldForm(StyledMixin, forms.Form):
    guests = forms.CharField(
        label=_("Guests (one per line)"), required=False, widget=forms.Textarea(attrs=TEXT)
    )
    minutes = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    minutes_file = pdf_field(_("Minutes (signed PDF)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class NoticeForm(StyledMixin, forms.Form):
    notice_number = forms.CharField(label=_("Notice number and symbol"), max_length=100)
    notice_date = date_field(_("Notice date"))
    notice_file = pdf_field(_("Conclusion notice (PDF)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class ConclusionItemForm(StyledMixin, forms.Form):
    content = forms.CharField(
        label=_("Conclusion"), required=False, max_length=5000, widget=forms.Textarea(attrs=TEXT)
    )
    lead_unit = forms.ModelChoiceField(
        label=_("Lead unit"), required=False, queryset=OrganisationUnit.objects.none()
    )
    deadline = date_field(_("Deadline"), required=False)
    expected_output = forms.CharField(label=_("Expected output"), required=False, max_length=5000)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["lead_unit"].queryset = units
        self._style()

    @property
    def filled(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return any(data.get(name) for name in ("content", "lead_unit", "deadline"))


ConclusionItemFormSet = forms.formset_factory(ConclusionItemForm, extra=5, max_num=50)
