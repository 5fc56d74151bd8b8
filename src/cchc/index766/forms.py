from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.reports.parsing import BadPeriod, check_period, parse_day


class PeriodForm(forms.Form):
    """Unit and period of the index page (dates typed dd/mm/yyyy)."""

    don_vi = forms.ChoiceField(label=_("Unit"), required=False)
    tu_ngay = forms.CharField(label=_("From"), required=False, max_length=20)
    den_ngay = forms.CharField(label=_("To"), required=False, max_length=20)

    def __init__(self, *args, units=(), today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.units = {u.code: u for u in units}
        self.fields["don_vi"].choices = [(u.code, u.name) for u in units]

    def clean_defaults(self) -> dict:
        """The page without a query: this year to date, the user's first unit."""
        return {"start": date(self.today.year, 1, 1), "end": self.today, "unit": None}

    def clean(self):
        data = super().clean()
        try:
            start = parse_day(data.get("tu_ngay"), "từ ngày") if data.get("tu_ngay") else None
            end = parse_day(data.get("den_ngay"), "đến ngày") if data.get("den_ngay") else None
        except BadPeriod as error:
            raise forms.ValidationError(str(error)) from None
        end = end or self.today
        start = start or date(end.year, 1, 1)
        try:
            check_period(start, end)
            from .scores import check_index_period

            check_index_period(end)
        except BadPeriod as error:
            raise forms.ValidationError(str(error)) from None
        data["start"], data["end"] = start, end
        data["unit"] = self.units.get(data.get("don_vi") or "")
        return data
