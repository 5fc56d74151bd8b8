"""The working calendar as data: dated exceptions to the weekly rule and the years they settle.

Each year the Prime Minister decides the days off around Tết, Giỗ Tổ, 30/4–1/5 and Quốc khánh,
and which Saturdays are worked in exchange (Công văn …/VPCP-KGVX, see ``docs/adr/0002``). An
administrator types that decision in here, with its document number, and marks the year official.
Until then the engine uses the statutory holidays of Bộ luật Lao động 2019, Điều 112, marked as
provisional (``cchc.workdays.engine.statutory``).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .engine import calendar as engine_calendar


class CalendarDayKind(models.TextChoices):
    HOLIDAY = engine_calendar.KIND_HOLIDAY, _("Public holiday or compensatory day off")
    DAY_OFF = engine_calendar.KIND_DAY_OFF, _("Weekday off by decision (swapped)")
    WORKING_DAY = engine_calendar.KIND_WORKING_DAY, _("Weekend day worked (make-up day)")


class CalendarYear(models.Model):
    """A year whose official schedule has been entered completely."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    official = models.BooleanField(
        _("official schedule complete"),
        default=True,
        help_text=_(
            "When ticked, only the days entered for this year are exceptions. When not, the "
            "statutory holidays are added automatically as provisional days."
        ),
    )
    documents = models.CharField(_("deciding documents"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """One dated exception: a weekday off (holiday, nghỉ bù, swap) or a worked weekend day."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=CalendarDayKind.choices)
    name = models.CharField(_("name"), max_length=255)
    document = models.CharField(
        _("deciding document"),
        max_length=255,
        blank=True,
        help_text=_("E.g. Công văn 2450/VPCP-KGVX."),
    )
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} – {self.name}"

    @property
    def is_working_day(self) -> bool:
        return self.kind == CalendarDayKind.WORKING_DAY

    def clean(self) -> None:
        if self.date is None:
            return
        weekend = self.date.weekday() >= 5
        if self.kind == CalendarDayKind.WORKING_DAY and not weekend:
            raise ValidationError(
                {"kind": _("Only a Saturday or Sunday can be made a working day.")}
            )
        if self.kind == CalendarDayKind.DAY_OFF and weekend:
            raise ValidationError({"kind": _("A weekend day is already a day off.")})

    def to_entry(self) -> engine_calendar.CalendarEntry:
        return engine_calendar.CalendarEntry(
            day=self.date,
            working=self.is_working_day,
            name=self.name,
            kind=self.kind,
            document=self.document,
        )
