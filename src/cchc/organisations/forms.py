from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cchc.common.importing import TABLE_SUFFIXES

from .importing import MAX_BYTES


class TreeImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (.csv or .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".csv,.xlsx"}),
    )
    deactivate_missing = forms.BooleanField(
        label=_("Deactivate the units here that the file does not name (they are never deleted)"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(TABLE_SUFFIXES):
            raise ValidationError(_("Unsupported file type: use .csv or .xlsx."))
        if upload.size > MAX_BYTES:
            raise ValidationError(_("The file is too large (at most 2 MB)."))
        return upload
