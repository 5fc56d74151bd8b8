"""The procedure catalog (danh mục thủ tục hành chính).

A procedure record has the parts a TTHC must publish (Nghị định 63/2010/NĐ-CP, Điều 8 khoản 2, as
amended by Nghị định 92/2017/NĐ-CP): name, steps, channels, components, time limit, applicants,
implementing agency, and where applicable forms, result, conditions, fees; plus the attributes the
national database (CSDLQG về TTHC) keeps: code, field, level, online level, publishing decision.
"""

from decimal import Decimal

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Case, Value, When
from django.utils.translation import gettext_lazy as _

from cchc.common.text import fold
from cchc.organisations.models import OrganisationUnit, Role
from cchc.workdays.engine import Rule, TimeLimit

# National code d.dddddd (e.g. 1.001193), optionally followed by a local suffix
# (".000.00.00.H12", "-HN", …) that provinces append for their own variants.
PROCEDURE_CODE_PATTERN = r"^\d\.\d{6}([.\-_][0-9A-Za-z.\-_]{1,40})?$"

# How many working hours a legal time limit stands for when checking an internal workflow.
# 1 working day = 8 working hours (customary; domain reference calendar.md). A same-day procedure
# is planned as one working day. A calendar-day limit is planned as that many 8-hour days, which is
# how provincial internal procedures present them.
HOURS_PER_UNIT = {
    Rule.WORKING_DAYS: 8,
    Rule.CALENDAR_DAYS: 8,
    Rule.HALF_DAYS: 4,
    Rule.WORKING_HOURS: 1,
}
SAME_DAY_HOURS = 8


class Level(models.TextChoices):
    PROVINCE = "province", _("Province level")
    COMMUNE = "commune", _("Commune level")
    DISTRICT = "district", _("District level (before 1/7/2025)")


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Fully online")  # toàn trình
    PARTIAL = "partial", _("Partly online")  # một phần
    NONE = "none", _("Not online")


class TimeUnit(models.TextChoices):
    WORKING_DAYS = Rule.WORKING_DAYS.value, _("working days")
    WORKING_HOURS = Rule.WORKING_HOURS.value, _("working hours")
    HALF_DAYS = Rule.HALF_DAYS.value, _("half working days")
    SAME_DAY = Rule.SAME_DAY.value, _("same day")
    CALENDAR_DAYS = Rule.CALENDAR_DAYS.value, _("days")


class Channel(models.TextChoices):
    ALL = "all", _("All channels")
    COUNTER = "counter", _("At the counter")
    ONLINE = "online", _("Online")
    POSTAL = "postal", _("Public postal service")


class Field(models.Model):
    """A field (lĩnh vực) such as Hộ tịch or Đất đai."""

    code = models.CharField(_("code"), max_length=50, blank=True)
    name = models.CharField(_("name"), max_length=255, unique=True)
    search_text = models.CharField(max_length=255, editable=False, default="")

    class Meta:
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = fold(self.name)
        renamed = (
            self.pk is not None
            and Field.objects.filter(pk=self.pk).exclude(name=self.name).exists()
        )
        super().save(*args, **kwargs)
        if renamed:  # the field's name is part of every procedure's search document
            for procedure in self.procedures.all():
                procedure.field = self
                procedure.refresh_search_document()


class ProcedureQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def at_level(self, level: str):
        field = {
            Level.PROVINCE: "level_province",
            Level.COMMUNE: "level_commune",
            Level.DISTRICT: "level_district",
        }.get(level)
        return self.filter(**{field: True}) if field else self

    def search(self, query: str):
        """The procedures matching ``query``, best first (cchc.catalog.search: ranked, diacritic-
        and case-insensitive, with citizens' synonyms and filler words)."""
        from .search import rank

        ids = rank(self, query)
        if not ids:
            return self.none()
        order = Case(*(When(pk=pk, then=Value(index)) for index, pk in enumerate(ids)))
        return self.filter(pk__in=ids).order_by(order)


class Procedure(models.Model):
    code = models.CharField(
        _("procedure code"),
        max_length=60,
        unique=True,
        validators=[
            RegexValidator(
                PROCEDURE_CODE_PATTERN,
                _("Use the national code d.dddddd, optionally with a local suffix."),
            )
        ],
    )
    name = models.CharField(_("name"), max_length=500)
    field = models.ForeignKey(
        Field, verbose_name=_("field"), on_delete=models.PROTECT, related_name="procedures"
    )
    level_province = models.BooleanField(_("province level"), default=False)
    level_commune = models.BooleanField(_("commune level"), default=False)
    level_district = models.BooleanField(_("district level (historical)"), default=False)
    implementing_agency = models.TextField(_("implementing agency"), blank=True)
    implementing_units = models.ManyToManyField(
        OrganisationUnit,
        verbose_name=_("implementing units"),
        blank=True,
        related_name="procedures",
    )
    time_limit_amount = models.PositiveIntegerField(_("time limit"), default=0)
    time_limit_unit = models.CharField(
        _("time limit unit"), max_length=20, choices=TimeUnit.choices
    )
    time_limit_text = models.TextField(_("time limit as published"), blank=True)
    extension_amount = models.PositiveIntegerField(
        _("possible extension"),
        null=True,
        blank=True,
        help_text=_("In the same unit as the time limit."),
    )
    steps = models.TextField(_("steps"), blank=True)
    channel_counter = models.BooleanField(_("at the counter"), default=True)
    channel_online = models.BooleanField(_("online"), default=False)
    channel_postal = models.BooleanField(_("by public postal service"), default=False)
    online_level = models.CharField(
        _("online level"), max_length=10, choices=OnlineLevel.choices, default=OnlineLevel.NONE
    )
    result = models.TextField(_("result"), blank=True)
    applicants = models.TextField(_("eligible applicants"), blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    conditions = models.TextField(_("requirements and conditions"), blank=True)
    publishing_decision = models.CharField(_("publishing decision"), max_length=500, blank=True)
    sources = models.TextField(_("sources"), blank=True)
    active = models.BooleanField(_("in force"), default=True)
    retired_on = models.DateField(_("retired on"), null=True, blank=True)
    search_text = models.TextField(editable=False, default="")  # code and name, folded
    # Name, result, field and agency, applicants and conditions, folded (cchc.catalog.search).
    search_document = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["field__name", "name"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.code} {self.name}")
        self.search_document = self.build_search_document()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text", "search_document"}
        super().save(*args, **kwargs)

    def build_search_document(self) -> str:
        from .search import build_document

        return build_document(
            name=self.name,
            result=self.result,
            field_name=self.field.name if self.field_id else "",
            agency=self.implementing_agency,
            applicants=self.applicants,
            conditions=self.conditions,
        )

    def refresh_search_document(self) -> None:
        Procedure.objects.filter(pk=self.pk).update(search_document=self.build_search_document())

    @property
    def levels(self) -> list[str]:
        return [
            level
            for level, flag in (
                (Level.PROVINCE, self.level_province),
                (Level.COMMUNE, self.level_commune),
                (Level.DISTRICT, self.level_district),
            )
            if flag
        ]

    def get_levels_display(self) -> list[str]:
        return [Level(level).label for level in self.levels]

    def time_limit(self) -> TimeLimit:
        unit = Rule(self.time_limit_unit)
        return TimeLimit(unit, 0 if unit == Rule.SAME_DAY else self.time_limit_amount)

    def time_limit_label(self) -> str:
        if self.time_limit_unit == TimeUnit.SAME_DAY:
            return str(TimeUnit.SAME_DAY.label).capitalize()
        return f"{self.time_limit_amount} {TimeUnit(self.time_limit_unit).label}"

    def legal_hours(self) -> Decimal:
        """The legal time limit in working hours, which the internal workflow must add up to."""
        unit = Rule(self.time_limit_unit)
        if unit == Rule.SAME_DAY:
            return Decimal(SAME_DAY_HOURS)
        return Decimal(self.time_limit_amount * HOURS_PER_UNIT[unit])

    def workflow_hours(self) -> Decimal:
        return sum((step.hours for step in self.workflow_steps.all()), Decimal(0))


class ProcedureVariant(models.Model):
    """A case of a procedure with its own time limit (e.g. LLTP: 10 days, 15 when verifying).

    Empty time-limit fields mean the procedure's own limit applies.
    """

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="variants")
    name = models.CharField(_("case"), max_length=500)
    time_limit_amount = models.PositiveIntegerField(_("time limit"), null=True, blank=True)
    time_limit_unit = models.CharField(
        _("time limit unit"), max_length=20, choices=TimeUnit.choices, blank=True
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("procedure case")
        verbose_name_plural = _("procedure cases")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name

    def time_limit(self) -> TimeLimit:
        if not self.time_limit_unit:
            return self.procedure.time_limit()
        unit = Rule(self.time_limit_unit)
        return TimeLimit(unit, 0 if unit == Rule.SAME_DAY else (self.time_limit_amount or 0))

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        needs_amount = self.time_limit_unit and self.time_limit_unit != TimeUnit.SAME_DAY
        if needs_amount and not self.time_limit_amount:
            raise ValidationError({"time_limit_amount": _("Enter the case's time limit.")})


class ProcedureFee(models.Model):
    """A fee or charge (phí, lệ phí), per channel: online filing is often cheaper."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="fees")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    description = models.CharField(_("description"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("fee")
        verbose_name_plural = _("fees")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.amount}"


class ProcedureComponent(models.Model):
    """A required dossier component (thành phần hồ sơ)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="components")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.TextField(_("name"))
    originals = models.PositiveSmallIntegerField(_("originals"), default=1)
    copies = models.PositiveSmallIntegerField(_("copies"), default=0)
    mandatory = models.BooleanField(_("mandatory"), default=True)
    form_template = models.CharField(_("form template"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("dossier component")
        verbose_name_plural = _("dossier components")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class WorkflowStep(models.Model):
    """A step of the internal workflow (quy trình nội bộ) with its time budget in working hours."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="workflow_steps"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("step"), max_length=500)
    role = models.CharField(_("responsible role"), max_length=32, choices=Role.choices)
    responsible_unit = models.ForeignKey(
        OrganisationUnit,
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Empty: the unit that receives the dossier."),
    )
    hours = models.DecimalField(_("time budget (working hours)"), max_digits=7, decimal_places=2)

    class Meta:
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow steps")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class SearchSynonym(models.Model):
    """A citizen's word for the catalog search: a synonym ("sổ đỏ" means "giấy chứng nhận quyền
    sử dụng đất") or, with nothing in "means", a filler word the search ignores ("làm", "xin",
    "như thế nào"). Matching ignores diacritics and case; a phrase written with diacritics is not
    taken for another word that only differs by them when the citizen types diacritics too."""

    phrase = models.CharField(
        _("citizens' words"),
        max_length=200,
        help_text=_("What citizens type, e.g. “sổ đỏ”."),
    )
    means = models.CharField(
        _("means"),
        max_length=300,
        blank=True,
        help_text=_(
            "The catalog's wording, e.g. “giấy chứng nhận quyền sử dụng đất”. "
            "Leave empty for a filler word the search ignores."
        ),
    )
    search_phrase = models.CharField(max_length=200, editable=False, default="", db_index=True)

    class Meta:
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")
        ordering = ["search_phrase", "means"]
        constraints = [
            models.UniqueConstraint(
                fields=["search_phrase", "means"], name="catalog_synonym_unique_phrase_means"
            )
        ]

    def __str__(self) -> str:
        return f"{self.phrase} → {self.means}" if self.means else self.phrase

    def save(self, *args, **kwargs):
        from .search import words

        self.phrase = self.phrase.strip()
        self.means = self.means.strip()
        self.search_phrase = " ".join(words(self.phrase))
        super().save(*args, **kwargs)

    @property
    def is_filler(self) -> bool:
        return not self.means.strip()

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from .search import words

        if not words(self.phrase):
            raise ValidationError({"phrase": _("Enter at least one word.")})
        self.search_phrase = " ".join(words(self.phrase))
        duplicate = SearchSynonym.objects.filter(
            search_phrase=self.search_phrase, means=self.means.strip()
        ).exclude(pk=self.pk)
        if duplicate.exists():
            raise ValidationError({"phrase": _("This synonym is already in the table.")})
