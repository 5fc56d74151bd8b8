"""Admin for the 766 overrides.

Adding opens one form for every indicator, so that points can be moved between indicators of a
group on the same date (each group must keep its maximum, Quyết định 766/QĐ-TTg); editing changes
one row. Every save and delete is checked by ``services`` and refused with the reason.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import config, services
from .engine import DEFAULT_RULES, OFFICIAL_START, RuleSet
from .labels import GROUP_LABELS, STATUS_LABELS
from .models import IndicatorOverride

OVERRIDABLE = [indicator for indicator in DEFAULT_RULES.indicators if not indicator.display_only]


def _key(indicator_id: str) -> str:
    return indicator_id.replace(".", "_")


def _percent(value) -> str:
    """0.8 → "80%", 0.8125 → "81,25%" (locale notation, no trailing zeros)."""
    return f"{config.number(value * 100)}%"


def _rules_today() -> RuleSet:
    try:
        return config.rules_for(timezone.localdate())
    except ValueError:  # also RuleSetError: show the defaults rather than fail the form
        return DEFAULT_RULES


class OverrideForm(forms.ModelForm):
    """Edit one override (numbers in Vietnamese notation, 0,8)."""

    class Meta:
        model = IndicatorOverride
        fields = ["effective_from", "indicator", "max_points", "threshold", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("max_points", "threshold"):
            self.fields[name].localize = True
            self.fields[name].widget.is_localized = True


class BatchOverrideForm(forms.ModelForm):
    """New points and/or thresholds of several indicators from one date."""

    class Meta:
        model = IndicatorOverride
        fields = ["effective_from", "note"]

    def changes(self) -> dict[str, dict]:
        result = {}
        for indicator in OVERRIDABLE:
            values = {
                "max_points": self.cleaned_data.get(f"max_points_{_key(indicator.id)}"),
                "threshold": self.cleaned_data.get(f"threshold_{_key(indicator.id)}"),
            }
            if any(value is not None for value in values.values()):
                result[indicator.id] = values
        return result

    def clean(self):
        cleaned = super().clean()
        if not self.changes():
            raise ValidationError(_("Change at least one indicator."))
        effective_from = cleaned.get("effective_from")
        if effective_from is not None and effective_from < OFFICIAL_START:
            self.add_error(
                "effective_from",
                _(
                    "The index is computed from 01/08/2022 (official operation of "
                    "Decision 766/QĐ-TTg): choose that day or later."
                ),
            )
        elif effective_from is not None:
            self.check_combined(effective_from)
        return cleaned

    def check_combined(self, effective_from) -> None:
        """These changes and every saved override must give valid rules at every date."""
        pending = {}
        changes = self.changes()
        existing = IndicatorOverride.objects.filter(
            effective_from=effective_from, indicator__in=list(changes)
        )
        for row in existing:
            pending[row.indicator] = row
        rows = []
        for indicator_id, values in changes.items():
            row = pending.get(indicator_id) or IndicatorOverride(
                effective_from=effective_from, indicator=indicator_id
            )
            row.max_points = (
                values["max_points"] if values["max_points"] is not None else row.max_points
            )
            row.threshold = (
                values["threshold"] if values["threshold"] is not None else row.threshold
            )
            rows.append(row)
        others = IndicatorOverride.objects.exclude(pk__in=[r.pk for r in rows if r.pk])
        failures = config.check_rows([*others, *rows])
        if failures:
            raise ValidationError(config.failure_messages(failures))


def batch_form_class(rules: RuleSet) -> type[BatchOverrideForm]:
    """The batch form with two fields per indicator; help texts show the values in force."""
    attrs = {}
    for indicator in OVERRIDABLE:
        current = rules.indicator(indicator.id)
        attrs[f"max_points_{_key(indicator.id)}"] = forms.DecimalField(
            label=f"{indicator.id} {indicator.name}",
            required=False,
            min_value=0,
            max_digits=5,
            decimal_places=2,
            localize=True,
            help_text=_("Maximum points. In force today: %(points)s (%(status)s).")
            % {
                "points": formats.number_format(current.max_points, use_l10n=True),
                "status": STATUS_LABELS[current.points_status],
            },
        )
        attrs[f"threshold_{_key(indicator.id)}"] = forms.DecimalField(
            label=_("Threshold for %(indicator)s") % {"indicator": indicator.id},
            required=False,
            min_value=0,
            max_value=1,
            max_digits=5,
            decimal_places=4,
            localize=True,
            help_text=_(
                "Share at which full points are reached (0.8 = 80%%). In force today: "
                "%(threshold)s (%(status)s)."
            )
            % {
                "threshold": _percent(current.threshold),
                "status": STATUS_LABELS[current.threshold_status],
            },
        )
    return type("BatchOverrideForm", (BatchOverrideForm,), attrs)


@admin.register(IndicatorOverride)
class IndicatorOverrideAdmin(admin.ModelAdmin):
    list_display = [
        "effective_from",
        "indicator",
        "max_points",
        "threshold_percent",
        "note",
        "created_by",
        "created_at",
    ]
    list_filter = ["indicator", "effective_from"]
    search_fields = ["indicator", "note"]
    date_hierarchy = "effective_from"
    readonly_fields = ["created_by", "created_at"]
    actions = ["delete_checked"]

    @admin.display(description=gettext_lazy("full-points threshold"))
    def threshold_percent(self, row: IndicatorOverride) -> str:
        return "" if row.threshold is None else _percent(row.threshold)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = batch_form_class(_rules_today())
            kwargs["fields"] = ["effective_from", "note"]
        else:
            kwargs["form"] = OverrideForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is not None:
            return [
                (None, {"fields": ["effective_from", "indicator", "max_points", "threshold"]}),
                (None, {"fields": ["note", "created_by", "created_at"]}),
            ]
        fieldsets = [
            (
                None,
                {
                    "fields": ["effective_from", "note"],
                    "description": _(
                        "Fill in only what changes; empty fields keep the value in force. Within "
                        "a group the maximum points must still add up to the group maximum."
                    ),
                },
            )
        ]
        for group in DEFAULT_RULES.groups:
            names = []
            for indicator in OVERRIDABLE:
                if indicator.group == group.key:
                    key = _key(indicator.id)
                    names.append((f"max_points_{key}", f"threshold_{key}"))
            title = _("%(group)s (%(points)s points)") % {
                "group": GROUP_LABELS[group.key],
                "points": formats.number_format(group.max_points, use_l10n=True),
            }
            fieldsets.append((title, {"fields": names}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            services.save_override(obj, request.user)
            return
        rows = services.add_overrides(
            form.cleaned_data["effective_from"],
            form.changes(),
            form.cleaned_data.get("note", ""),
            request.user,
        )
        # The admin logs and links ``obj``: make it the first row written.
        first = rows[0]
        obj.pk = first.pk
        obj.indicator = first.indicator
        obj.max_points = first.max_points
        obj.threshold = first.threshold
        obj.created_by = first.created_by
        obj.created_at = first.created_at
        obj._state.adding = False
        for row in rows[1:]:
            self.log_addition(request, row, [{"added": {}}])
        messages.info(
            request,
            _("Overrides saved from %(date)s for indicators %(indicators)s.")
            % {
                "date": first.effective_from.strftime("%d/%m/%Y"),
                "indicators": ", ".join(row.indicator for row in rows),
            },
        )

    def delete_view(self, request, object_id, extra_context=None):
        if object_id and str(object_id).isdigit():
            problems = services.deletion_problems([int(object_id)])
            if problems:
                for problem in problems:
                    messages.error(request, problem)
                return redirect(
                    reverse("admin:index766_indicatoroverride_change", args=[object_id])
                )
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj):
        services.delete_overrides([obj.pk])

    @admin.action(description=gettext_lazy("Delete the selected overrides"), permissions=["delete"])
    def delete_checked(self, request, queryset):
        problems = services.deletion_problems(queryset.values_list("pk", flat=True))
        if problems:
            for problem in problems:
                messages.error(request, problem)
            return None
        return delete_selected(self, request, queryset)

    def delete_queryset(self, request, queryset):
        services.delete_overrides(queryset.values_list("pk", flat=True))

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions
