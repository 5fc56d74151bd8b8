"""The report request as people type it: a unit in their scope, a period, a grouping, filters.

Query parameters (Vietnamese, like the queues'): ``don_vi`` (unit code), ``ky`` (thang, quy,
6-thang, nam, tuy-chon), ``nam`` and ``so`` (year and month / quarter / half), ``tu`` and ``den``
(dd/mm/yyyy, for a custom period), ``theo`` (linh-vuc, thu-tuc, don-vi), ``linh_vuc`` (field id),
``thu_tuc`` (procedure code), ``cap`` (catalog level). The same string drives the report, its
drill-down and its downloads.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.catalog.models import Field, Level, Procedure
from cchc.organisations.models import OrganisationUnit
from cchc.organisations.permissions import assigned_paths, sees_everything, units_for

from .parsing import BadPeriod, check_period, named_period
from .selectors import ReportRequest

PERIOD_KINDS = (
    ("thang", _("Month")),
    ("quy", _("Quarter")),
    ("6-thang", _("Six months")),
    ("nam", _("Year")),
    ("tuy-chon", _("Custom period")),
)
KIND_NAMES = {"thang": "month", "quy": "quarter", "6-thang": "half", "nam": "year"}
KIND_MAX_NUMBER = {"thang": 12, "quy": 4, "6-thang": 2}
GROUPINGS = (
    ("", _("No grouping")),
    ("linh-vuc", _("By field")),
    ("thu-tuc", _("By procedure")),
    ("don-vi", _("By unit")),
)
BY = {"linh-vuc": "field", "thu-tuc": "procedure", "don-vi": "unit"}
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
PARAMETERS = ("don_vi", "ky", "nam", "so", "tu", "den", "theo", "linh_vuc", "thu_tuc", "cap")


class OutOfScope(Exception):
    """The unit asked for is not in the user's scope (the view answers 404)."""


def default_unit(user) -> OrganisationUnit | None:
    """None (the whole tree) for those who see everything, else the first unit of their roles."""
    if sees_everything(user):
        return None
    paths = assigned_paths(user)
    if not paths:
        raise OutOfScope
    return OrganisationUnit.objects.filter(path=paths[0]).first()


def unit_choices(user) -> list[tuple[str, str]]:
    """The units in the user's scope, as a tree (indented by depth)."""
    units = list(units_for(user).order_by("path").only("code", "name", "depth", "active"))
    top = min((unit.depth for unit in units), default=0)
    choices = [("", str(_("All units")))] if sees_everything(user) else []
    for unit in units:
        label = "— " * (unit.depth - top) + unit.name
        if not unit.active:
            label += f" ({_('inactive')})"
        choices.append((unit.code, label))
    return choices


def default_data(today: date | None = None) -> dict[str, str]:
    """The report of the current month (up to today)."""
    today = today or timezone.localdate()
    return {"ky": "thang", "nam": str(today.year), "so": str(today.month)}


class ReportForm(forms.Form):
    # Checked against the user's scope in clean_don_vi (outside it: OutOfScope, a 404).
    don_vi = forms.CharField(label=_("Unit"), required=False, max_length=64, widget=forms.Select)
    ky = forms.ChoiceField(
        label=_("Period"),
        choices=PERIOD_KINDS,
        error_messages={"invalid_choice": _("Choose a kind of period from the list.")},
    )
    nam = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=FIRST_DAY.year,
        max_value=LAST_DAY.year,
        error_messages={"invalid": _("Enter the year as four digits, for example 2026.")},
    )
    so = forms.IntegerField(
        label=_("Month/quarter no."),
        required=False,
        error_messages={"invalid": _("Enter a whole number.")},
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
    theo = forms.ChoiceField(
        label=_("Group by"),
        choices=GROUPINGS,
        required=False,
        error_messages={"invalid_choice": _("Choose a grouping from the list.")},
    )
    linh_vuc = forms.ModelChoiceField(
        label=_("Field"),
        queryset=Field.objects.order_by("name"),
        required=False,
        empty_label=_("All fields"),
        error_messages={"invalid_choice": _("This field does not exist.")},
    )
    thu_tuc = forms.CharField(label=_("Procedure code"), required=False, max_length=60)
    cap = forms.ChoiceField(
        label=_("Level"),
        choices=[("", _("All levels")), *Level.choices],
        required=False,
        error_messages={"invalid_choice": _("Choose a level from the list.")},
    )

    def __init__(self, data, *, user, today: date | None = None):
        super().__init__(data)
        self.user = user
        self.today = today or timezone.localdate()
        self.fields["don_vi"].widget.choices = unit_choices(user)
        self.clamped = False  # the period ends after today: reported up to today
        for name, item in self.fields.items():
            select = isinstance(item.widget, forms.Select)
            item.widget.attrs["class"] = "form-select" if select else "form-control"
            if name in ("tu", "den"):
                item.widget.attrs.update(placeholder="dd/mm/yyyy", inputmode="numeric")
            if name in ("nam", "so"):
                item.widget.attrs["inputmode"] = "numeric"
        self.fields["thu_tuc"].widget.attrs["placeholder"] = "1.004873"

    def clean_don_vi(self) -> OrganisationUnit | None:
        code = (self.data.get("don_vi") or "").strip()
        if not code:
            return default_unit(self.user)
        unit = units_for(self.user).filter(code=code).first()
        if unit is None:
            raise OutOfScope(code)
        return unit

    def clean_thu_tuc(self) -> Procedure | None:
        code = (self.cleaned_data.get("thu_tuc") or "").strip()
        if not code:
            return None
        procedure = Procedure.objects.filter(code=code).first()
        if procedure is None:
            raise forms.ValidationError(
                _("No procedure has the code “%(code)s”."), params={"code": code[:60]}
            )
        return procedure

    def _named_period(self, kind: str) -> tuple[date, date] | None:
        year = self.cleaned_data.get("nam") or self.today.year
        if kind == "nam":
            return named_period("year", year)
        number = self.cleaned_data.get("so")
        highest = KIND_MAX_NUMBER[kind]
        if number is None or not 1 <= number <= highest:
            if "so" not in self.errors:
                self.add_error(
                    "so",
                    _("Choose a number from 1 to %(highest)d for this kind of period.")
                    % {"highest": highest},
                )
            return None
        return named_period(KIND_NAMES[kind], year, number)

    def _custom_period(self) -> tuple[date, date] | None:
        start, end = self.cleaned_data.get("tu"), self.cleaned_data.get("den")
        if start is None and "tu" not in self.errors:
            self.add_error("tu", _("Enter the start date (dd/mm/yyyy)."))
        if end is None and "den" not in self.errors:
            self.add_error("den", _("Enter the end date (dd/mm/yyyy)."))
        if start is None or end is None:
            return None
        return start, end

    def clean(self):
        data = super().clean()
        kind = data.get("ky")
        if not kind:
            return data
        period = self._custom_period() if kind == "tuy-chon" else self._named_period(kind)
        if period is None:
            return data
        start, end = period
        for name, day in (("tu", start), ("den", end)):
            if not FIRST_DAY <= day <= LAST_DAY:
                self.add_error(
                    name if kind == "tuy-chon" else "nam",
                    _("Enter a date between 01/01/2000 and 31/12/2100."),
                )
                return data
        try:
            check_period(start, end)
        except BadPeriod as error:
            self.add_error("den" if kind == "tuy-chon" else None, str(error))
            return data
        if start > self.today:
            self.add_error(None, _("This period has not started yet."))
            return data
        if end > self.today:
            end, self.clamped = self.today, True
        data["start"], data["end"] = start, end
        return data

    def report_request(self) -> ReportRequest:
        """The request of a valid form."""
        data = self.cleaned_data
        field, procedure = data.get("linh_vuc"), data.get("thu_tuc")
        return ReportRequest(
            start=data["start"],
            end=data["end"],
            unit=data.get("don_vi"),
            by=BY.get(data.get("theo") or ""),
            field_id=field.pk if field else None,
            procedure_id=procedure.pk if procedure else None,
            level=data.get("cap") or None,
        )

    def query(self) -> str:
        """The canonical query string of a valid form (every link of the page carries it)."""
        data = self.cleaned_data
        unit, field, procedure = data.get("don_vi"), data.get("linh_vuc"), data.get("thu_tuc")
        values = {
            "don_vi": unit.code if unit else "",
            "ky": data["ky"],
            "nam": str(data["nam"]) if data.get("nam") else "",
            "so": str(data["so"]) if data.get("so") is not None and data["ky"] != "nam" else "",
            "tu": data["tu"].strftime("%d/%m/%Y") if data.get("tu") else "",
            "den": data["den"].strftime("%d/%m/%Y") if data.get("den") else "",
            "theo": data.get("theo") or "",
            "linh_vuc": str(field.pk) if field else "",
            "thu_tuc": procedure.code if procedure else "",
            "cap": data.get("cap") or "",
        }
        if data["ky"] != "tuy-chon":
            values["tu"] = values["den"] = ""
        else:
            values["nam"] = values["so"] = ""
        return urlencode({key: value for key, value in values.items() if value})


def report_form(params, user, today: date | None = None) -> ReportForm:
    """A bound form from the query (the current month when nothing was asked)."""
    wanted = {key: params.get(key, "") for key in PARAMETERS if params.get(key, "") != ""}
    if not wanted or "ky" not in wanted:
        wanted = {**default_data(today), **wanted}
    return ReportForm(wanted, user=user, today=today)
