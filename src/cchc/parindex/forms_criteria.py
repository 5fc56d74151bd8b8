"""The criteria-set import form: an XLSX sheet with its year, level and name."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.conf import conf

from .models import Level

XLSX_SIGNATURE = b"PK\x03\x04"  # an .xlsx is a zip archive


class CriteriaImportForm(forms.Form):
    file = forms.FileField(
        label=_("XLSX file"),
        help_text=_(
            "Columns: STT | Tiêu chí | Điểm tối đa | Cách chấm | Tài liệu kiểm chứng; optionally "
            "Phương pháp, Không áp dụng được, Đơn vị chủ trì, Khối, Cộng dồn."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx", "class": "form-control"}),
    )
    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    level = forms.ChoiceField(
        label=_("Units assessed"),
        choices=Level.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=255,
        required=False,
        help_text=_("Empty: the sheet's title row."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=500,
        required=False,
        help_text=_("The decision that sets the criteria, e.g. 5666/QĐ-UBND of 17/11/2025."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        self.fields["level"].initial = Level.DEPARTMENT

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith(".xlsx"):
            raise forms.ValidationError(_("Only Excel .xlsx files are accepted."))
        if upload.size > conf.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.")
                % {"size": conf.IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        head = upload.read(4)
        upload.seek(0)
        if head != XLSX_SIGNATURE:
            raise forms.ValidationError(_("The file's content does not match its type."))
        return upload
