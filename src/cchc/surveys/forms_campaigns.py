"""The campaign setup form: it parses and says what is wrong in Vietnamese; the services decide.

Sizes set by hand and the volume table are typed one per line (``unit code = 120``,
``200 = 1``, the last band ``= 0.2`` with no bound), as officers write them in a plan.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.dossiers.forms import DatePickerInput
from cchc.formats.vi.formats import DATE_INPUT_FORMATS
from cchc.organisations.models import OrganisationUnit

from . import selectors
from .models import Campaign, Questionnaire, ResponseChannel, SizeMethod
from .selectors_campaigns import organiser_units


def _date(label):
    return forms.DateField(label=label, widget=DatePickerInput(), input_formats=DATE_INPUT_FORMATS)


class CampaignForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=64, help_text=_("e.g. sipas-2026"))
    name = forms.CharField(label=_("Name"), max_length=255)
    questionnaire = forms.ModelChoiceField(label=_("Questionnaire"), queryset=Questionnaire.objects)
    organiser = forms.ModelChoiceField(label=_("Organised by"), queryset=OrganisationUnit.objects)
    units = forms.ModelMultipleChoiceField(
        label=_("Units surveyed"),
        queryset=OrganisationUnit.objects,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    period_start = _date(_("Transactions from"))
    period_end = _date(_("Transactions to"))
    opens_on = _date(_("Opens on"))
    closes_on = _date(_("Closes on"))
    channels = forms.MultipleChoiceField(
        label=_("Ways of answering"),
        choices=ResponseChannel.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    size_method = forms.ChoiceField(label=_("Sample size rule"), choices=SizeMethod.choices)
    margin = forms.DecimalField(
        label=_("Margin of error"), max_digits=4, decimal_places=3, initial="0.05"
    )
    confidence = forms.DecimalField(
        label=_("Confidence"), max_digits=4, decimal_places=3, initial="0.95"
    )
    quota = forms.IntegerField(label=_("Quota per unit"), min_value=1, required=False)
    volume_table = forms.CharField(
        label=_("Share by yearly volume"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "200 = 1\n1000 = 0.3\n= 0.2"}),
        help_text=_("One band a line: upper bound = share; the last band has no bound."),
    )
    targets = forms.CharField(
        label=_("Sample sizes set by hand"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "000.00.31.H99 = 120"}),
        help_text=_("One unit a line: unit code = number of people."),
    )
    by_field = forms.BooleanField(label=_("Stratify by field too"), required=False)
    minimum_responses = forms.IntegerField(
        label=_("Minimum responses to rank a unit"), min_value=1, initial=30
    )
    seed = forms.IntegerField(
        label=_("Random seed"),
        required=False,
        min_value=0,
        help_text=_("Empty: chosen at the draw and recorded."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        organisers = organiser_units(user)
        self.fields["organiser"].queryset = organisers
        self.fields["units"].queryset = organisers.order_by("path")
        self.fields["questionnaire"].queryset = selectors.visible_questionnaires(user).order_by(
            "code", "-version"
        )
        for name, item in self.fields.items():
            widget = item.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
            widget.attrs.setdefault("id", f"id_{name}")

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error(
                "period_end", _("The end of the transaction period comes on or after its start.")
            )
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("The campaign closes on or after the day it opens."))
        for name in ("margin", "confidence"):
            value = data.get(name)
            if value is not None and not 0 < value < 1:
                self.add_error(name, _("Enter a number between 0 and 1 (e.g. 0.05)."))
        if data.get("size_method") == SizeMethod.QUOTA and not data.get("quota"):
            self.add_error("quota", _("The quota rule needs the number of people per unit."))
        data["volume_table_rows"] = self._bands(data.get("volume_table") or "")
        data["target_map"] = self._targets(data.get("targets") or "", data.get("units") or [])
        return data

    def _bands(self, text: str) -> list:
        rows = []
        for line in text.splitlines():
            if not line.strip():
                continue
            bound, _sep, share = line.partition("=")
            try:
                rows.append([int(bound) if bound.strip() else None, float(share.replace(",", "."))])
            except ValueError:
                self.add_error(
                    "volume_table", _("Write each band as “upper bound = share”, e.g. 200 = 1.")
                )
                return []
        return rows

    def _targets(self, text: str, units) -> dict:
        by_code = {unit.code: unit.pk for unit in units}
        found = {}
        for line in text.splitlines():
            if not line.strip():
                continue
            code, _sep, number = line.partition("=")
            code = code.strip()
            if code not in by_code or not number.strip().isdigit():
                self.add_error(
                    "targets",
                    _("“%(line)s”: write the code of a surveyed unit = a whole number.")
                    % {"line": line.strip()},
                )
                return {}
            found[by_code[code]] = int(number)
        return found

    @staticmethod
    def initial_for(campaign: Campaign) -> dict:
        units = list(campaign.units.select_related("unit"))
        return {
            "code": campaign.code,
            "name": campaign.name,
            "questionnaire": campaign.questionnaire,
            "organiser": campaign.organiser,
            "units": [cu.unit for cu in units],
            "period_start": campaign.period_start,
            "period_end": campaign.period_end,
            "opens_on": campaign.opens_on,
            "closes_on": campaign.closes_on,
            "channels": list(campaign.channels),
            "size_method": campaign.size_method,
            "margin": campaign.margin,
            "confidence": campaign.confidence,
            "quota": campaign.quota,
            "volume_table": "\n".join(
                f"{'' if bound is None else bound} = {share}"
                for bound, share in campaign.volume_table or []
            ),
            "targets": "\n".join(
                f"{cu.unit.code} = {cu.target_override}"
                for cu in units
                if cu.target_override is not None
            ),
            "by_field": campaign.by_field,
            "minimum_responses": campaign.minimum_responses,
            "seed": campaign.seed,
        }
