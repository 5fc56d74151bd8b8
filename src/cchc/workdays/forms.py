from django import forms
from django.utils.translation import gettext_lazy as _

from cchc.formats.vi.formats import DATETIME_INPUT_FORMATS
from cchc.organisations.models import OrganisationUnit

from .engine import Rule, TimeLimit
from .engine.deadline import MAX_AMOUNT, DeadlineError


class DeadlineForm(forms.Form):
    received = forms.DateTimeField(
        label=_("Received at"),
        help_text=_("dd/mm/yyyy HH:MM"),
        input_formats=DATETIME_INPUT_FORMATS,
    )
    rule = forms.ChoiceField(
        label=_("Time limit unit"),
        choices=[
            (Rule.WORKING_DAYS.value, _("working days")),
            (Rule.WORKING_HOURS.value, _("working hours")),
            (Rule.HALF_DAYS.value, _("half working days")),
            (Rule.SAME_DAY.value, _("same day")),
            (Rule.CALENDAR_DAYS.value, _("days")),
        ],
    )
    amount = forms.IntegerField(label=_("Time limit"), min_value=0, required=False, initial=5)
    unit = forms.ModelChoiceField(
        label=_("Unit (working hours)"),
        queryset=OrganisationUnit.objects.active(),
        required=False,
        to_field_name="code",
    )

    def clean(self):
        data = super().clean()
        rule = data.get("rule")
        if not rule:
            return data
        amount = data.get("amount") or 0
        if rule != Rule.SAME_DAY and not 1 <= amount <= MAX_AMOUNT[Rule(rule)]:
            self.add_error("amount", _("Enter a time limit greater than 0."))
            return data
        try:
            data["limit"] = TimeLimit(Rule(rule), 0 if rule == Rule.SAME_DAY else amount)
        except DeadlineError as error:
            self.add_error("amount", str(error))
        return data


class YearForm(forms.Form):
    nam = forms.IntegerField(min_value=2000, max_value=2100, required=False)
