"""Administrators' overrides of the Decision 766 rules (points and thresholds per indicator).

Only three indicator maxima are confirmed by a source (1.2 = 4, 2.1 = 20, 5.4 = 6; domain
reference index766.md §2.3); the others are defaults in ``cchc.index766.engine.rules``. When the
Government Office publishes other figures, an administrator records them here from a date, with
the document as source. ``cchc.index766.config.rules_for`` applies them; every save is checked so
that each group still adds up to its maximum (Quyết định 766/QĐ-TTg: 18/20/22/22/18).
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import overrides
from .engine import DEFAULT_RULES, OFFICIAL_START

INDICATOR_CHOICES = [
    (indicator.id, f"{indicator.id} – {indicator.name}")
    for indicator in DEFAULT_RULES.indicators
    if not indicator.display_only
]


class IndicatorOverride(models.Model):
    """New maximum points and/or full-points threshold of one indicator from a date on."""

    effective_from = models.DateField(
        _("effective from"),
        help_text=_("Scores of this day and later use the new value."),
    )
    indicator = models.CharField(_("indicator"), max_length=8, choices=INDICATOR_CHOICES)
    max_points = models.DecimalField(
        _("maximum points"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Leave empty to keep the points in force."),
    )
    threshold = models.DecimalField(
        _("full-points threshold"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(
                Decimal("0.0001"), message=_("The threshold must be above 0 (e.g. 0.8 for 80%%).")
            ),
            MaxValueValidator(
                Decimal(1), message=_("The threshold is a share: at most 1 (e.g. 0.8 for 80%%).")
            ),
        ],
        help_text=_(
            "The rate at which the indicator earns full points, as a share: 0.8 means 80%. "
            "Leave empty to keep the threshold in force."
        ),
    )
    note = models.TextField(
        _("note and source"),
        blank=True,
        help_text=_("The document or page the new value comes from."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("indicator override")
        verbose_name_plural = _("indicator overrides")
        ordering = ["-effective_from", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["effective_from", "indicator"], name="index766_one_override_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} – {self.effective_from:%d/%m/%Y}"

    def clean_values(self) -> None:
        """Checks on this row alone (no database access)."""
        if self.max_points is None and self.threshold is None:
            raise ValidationError(_("Enter new maximum points, a new threshold, or both."))
        if self.effective_from and self.effective_from < OFFICIAL_START:
            raise ValidationError(
                {
                    "effective_from": _(
                        "The index is computed from 01/08/2022 (official operation of "
                        "Decision 766/QĐ-TTg): choose that day or later."
                    )
                }
            )

    def clean(self) -> None:
        """This row and every other saved override must still give a valid rule set."""
        if not self.indicator:
            return  # the field error is reported by clean_fields
        self.clean_values()
        if self.effective_from is None:
            return
        others = IndicatorOverride.objects.exclude(pk=self.pk).exclude(
            effective_from=self.effective_from, indicator=self.indicator
        )
        failures = overrides.check_rows([*others, self])
        if failures:
            raise ValidationError(overrides.failure_messages(failures))
