from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.formats.vi.formats import DATETIME_INPUT_FORMATS

from .models import Level
from .selectors import fields_with_counts


class ProcedureSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    field = forms.TypedChoiceField(label=_("Field"), required=False, coerce=int, empty_value=None)
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All levels")), *Level.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("All fields"))] + [
            (field.pk, f"{field.name} ({field.active_count})") for field in fields_with_counts()
        ]


class PreviewForm(forms.Form):
    """When would a dossier submitted at this moment be due?"""

    submitted = forms.DateTimeField(
        label=_("Submitted at"), required=False, input_formats=DATETIME_INPUT_FORMATS
    )
