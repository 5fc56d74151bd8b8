"""The dashboard's filters as people type them: a unit in their scope and a period.

Query parameters (as the report's): ``don_vi`` (unit code), ``ky`` (thang: this month, the
default; quy: this quarter; nam: this year; 30-ngay: the last 30 days; tuy-chon: ``tu`` … ``den``,
dd/mm/yyyy), and ``man-hinh=1`` for the wall-screen (kiosk) mode.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.reports.forms import OutOfScope
from cchc.reports.parsing import BadPeriod, check_period

from . import selectors

PERIOD_KINDS = (
    ("thang", _("This month")),
    ("quy", _("This quarter")),
    ("nam", _("This year")),
    ("30-ngay", _("Last 30 days")),
    ("tuy-chon", _("Custom period")),
)
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
DATE_FORMATS = ["%d/%m/%Y"]


class DashboardForm(forms.Form):
    don_vi = forms.CharField(label=_("Unit"), required=False, max_length=64, widget=forms.Select)
    ky = forms.ChoiceField(
        label=_("Period"),
        choices=PERIOD_KINDS,
        required=False,
        error_messages={"invalid_choice": _("Choose a period from the list.")},
    )
    tu = forms.DateField(
        label=_("From (dd/mm/yyyy)"),
        required=False,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": _("Enter a date as dd/mm/yyyy, for example 01/03/2026.")},
    )
    den = forms.DateField(
        label=_("To (dd/mm/yyyy)"),
        required=False,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": _("Enter a date as dd/mm/yyyy, for example 31/03/2026.")},
    )

    def __init__(self, data, *, user, today: date):
        super().__init__(data)
        self.user = user
        self.today = today
        self.units = list(selectors.dashboard_units(user).only("code", "name", "depth", "active"))
        top = min((unit.depth for unit in self.units), default=0)
        self.fields["don_vi"].widget.choices = [
            (unit.code, "— " * (unit.depth - top) + unit.name) for unit in self.units
        ]
        for name, item in self.fields.items():
            select = isinstance(item.widget, forms.Select)
            item.widget.attrs["class"] = "form-select" if select else "form-control"
            if name in ("tu", "den"):
                item.widget.attrs.update(placeholder="dd/mm/yyyy", inputmode="numeric")

    def clean_don_vi(self):
        code = (self.data.get("don_vi") or "").strip()
        if not code:
            return selectors.default_unit(self.user)
        unit = next((unit for unit in self.units if unit.code == code), None)
        if unit is None:
            raise OutOfScope(code)
        return unit

    def clean(self):
        data = super().clean()
        kind = data.get("ky") or "thang"
        data["ky"] = kind
        if kind != "tuy-chon":
            data["period"] = selectors.named_period(kind, self.today)
            return data
        start, end = data.get("tu"), data.get("den")
        if start is None and "tu" not in self.errors:
            self.add_error("tu", _("Enter the start date (dd/mm/yyyy)."))
        if end is None and "den" not in self.errors:
            self.add_error("den", _("Enter the end date (dd/mm/yyyy)."))
        if start is None or end is None:
            return data
        if not (FIRST_DAY <= start <= LAST_DAY and FIRST_DAY <= end <= LAST_DAY):
            self.add_error(None, _("Enter a date between 01/01/2000 and 31/12/2100."))
            return data
        try:
            check_period(start, end)
        except BadPeriod as error:
            self.add_error("den", str(error))
            return data
        if start > self.today:
            self.add_error("tu", _("This period has not started yet."))
            return data
        data["period"] = selectors.Period(kind, start, min(end, self.today))
        return data

    @property
    def clamped(self) -> bool:
        """The period asked for ends after today: figures up to today."""
        data = self.cleaned_data
        return data["ky"] == "tuy-chon" and data.get("den") is not None and data["den"] > self.today

    def query(self, **extra) -> str:
        """The canonical query of a valid form (the fragment and the links carry it)."""
        data = self.cleaned_data
        unit = data.get("don_vi")
        values = {"don_vi": unit.code if unit else "", "ky": data["ky"]}
        if data["ky"] == "tuy-chon":
            values["tu"] = data["tu"].strftime("%d/%m/%Y")
            values["den"] = data["den"].strftime("%d/%m/%Y")
        values.update(extra)
        return urlencode({key: value for key, value in values.items() if value})
