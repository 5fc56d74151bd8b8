"""Organisation units and the roles users hold in them.

Since 1/7/2025 local government has two tiers (province and commune; Nghị định 118/2025/NĐ-CP and
the 2025 Law on Local Government); older data has a district tier in between. The tree therefore
has any depth, and a unit kind for district committees is kept for history.
"""

from datetime import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from cchc.workdays.engine import OfficeHours

PATH_SEPARATOR = "/"


class UnitKind(models.TextChoices):
    PROVINCE_COMMITTEE = "province_committee", _("Provincial People's Committee")  # UBND tỉnh
    DEPARTMENT = "department", _("Department or agency")  # sở, ban, ngành
    SERVICE_CENTRE = "service_centre", _("Public administration service centre")  # TTPVHCC
    DISTRICT_COMMITTEE = "district_committee", _("District People's Committee (before 1/7/2025)")
    COMMUNE_COMMITTEE = "commune_committee", _("Commune, ward or special zone People's Committee")
    DIVISION = "division", _("Division or office")  # phòng, đơn vị


class Role(models.TextChoices):
    ONE_STOP_OFFICER = "one_stop_officer", _("One-stop-shop officer")  # cán bộ một cửa
    PROCESSING_OFFICER = "processing_officer", _("Processing officer")  # chuyên viên
    LEADER = "leader", _("Unit leader")  # lãnh đạo
    REFORM_STAFF = "reform_staff", _("Administrative reform staff")  # CCHC / Nội vụ
    AUDITOR = "auditor", _("Auditor (read only)")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


class OrganisationUnitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def subtree_of(self, unit: "OrganisationUnit"):
        """The unit and all its descendants."""
        return self.filter(path__startswith=unit.path)


class OrganisationUnit(models.Model):
    """A unit of the administration: an authority, a division, or a one-stop unit.

    ``one_stop_unit`` says who receives for whom. Dossiers addressed to an authority are received
    (and their results returned) by its one-stop unit, not by the authority's own divisions: the
    Bộ phận Một cửa of Nghị định 61/2018/NĐ-CP (as amended by Nghị định 107/2021/NĐ-CP) and,
    since 1/7/2025, the Trung tâm Phục vụ hành chính công at province and commune level of Nghị
    định 118/2025/NĐ-CP, which receive for the People's Committee and the departments of their
    level through every channel (Điều 15 and Điều 17: at the counter, by post and online). The
    relation is data an administrator edits; :mod:`cchc.organisations.selectors` derives it when it
    is empty (the service centre under the unit's People's Committee).
    """

    kind = models.CharField(_("kind"), max_length=32, choices=UnitKind.choices)
    name = models.CharField(_("name"), max_length=255)
    code = models.CharField(
        _("identifier code"),
        max_length=64,
        unique=True,
        help_text=_("Official electronic identifier of the unit (mã định danh, QCVN 102:2016)."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=1024, editable=False, db_index=True, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    address = models.CharField(_("address"), max_length=500, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    morning_start = models.TimeField(_("morning opens"), default=time(7, 30))
    morning_end = models.TimeField(_("morning closes"), default=time(11, 30))
    afternoon_start = models.TimeField(_("afternoon opens"), default=time(13, 0))
    afternoon_end = models.TimeField(_("afternoon closes"), default=time(17, 0))
    same_day_cutoff = models.TimeField(
        _("same-day cut-off"),
        default=time(15, 0),
        help_text=_("Same-day dossiers received after this time are due the next working day."),
    )
    one_stop_unit = models.ForeignKey(
        "self",
        verbose_name=_("one-stop unit receiving its dossiers"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="receives_for",
        help_text=_(
            "The one-stop unit (Bộ phận Một cửa or public administration service centre) that "
            "receives this authority's dossiers at the counter, by post and online, and returns "
            "its results. Empty: a service centre directly under the unit's People's Committee "
            "(for a department: the province's centre); none: the unit receives them itself."
        ),
    )
    active = models.BooleanField(_("active"), default=True)

    objects = OrganisationUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # The path holds the primary keys from the root ("/1/7/42/"): descendants of a unit are one
        # indexed prefix query, on SQLite and PostgreSQL alike.
        with transaction.atomic():
            creating = self.pk is None
            if creating:
                super().save(*args, **kwargs)
            old_path = self.path
            parent_path = self.parent.path if self.parent_id else PATH_SEPARATOR
            self.path = f"{parent_path}{self.pk}{PATH_SEPARATOR}"
            self.depth = self.path.count(PATH_SEPARATOR) - 2
            if creating:
                OrganisationUnit.objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)
                return
            super().save(*args, **kwargs)
            if old_path and old_path != self.path:
                self._move_descendants(old_path)

    def office_hours(self) -> OfficeHours:
        return OfficeHours(
            periods=(
                (self.morning_start, self.morning_end),
                (self.afternoon_start, self.afternoon_end),
            ),
            same_day_cutoff=self.same_day_cutoff,
        )

    def ancestors(self) -> list["OrganisationUnit"]:
        ids = [int(part) for part in self.path.strip(PATH_SEPARATOR).split(PATH_SEPARATOR)[:-1]]
        units = {unit.pk: unit for unit in OrganisationUnit.objects.filter(pk__in=ids)}
        return [units[pk] for pk in ids if pk in units]

    def clean(self) -> None:
        errors = {}
        if (
            self.parent_id
            and self.pk
            and (self.parent_id == self.pk or self.parent.path.startswith(self.path or "-"))
        ):
            errors["parent"] = _("A unit cannot be placed under itself or its descendants.")
        try:
            self.office_hours()
        except ValueError:
            errors["afternoon_start"] = _(
                "Working hours must be in order: morning opens < closes ≤ afternoon opens < closes."
            )
        if self.one_stop_unit_id:
            if self.pk and self.one_stop_unit_id == self.pk:
                errors["one_stop_unit"] = _(
                    "Leave this empty for a unit that receives its own dossiers."
                )
            elif not self.one_stop_unit.active:
                errors["one_stop_unit"] = _("The one-stop unit must be active.")
        if errors:
            raise ValidationError(errors)

    def _move_descendants(self, old_path: str) -> None:
        for unit in OrganisationUnit.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
            unit.path = self.path + unit.path[len(old_path) :]
            unit.depth = unit.path.count(PATH_SEPARATOR) - 2
            OrganisationUnit.objects.filter(pk=unit.pk).update(path=unit.path, depth=unit.depth)


class RoleAssignment(models.Model):
    """A user holds a role in a unit; the role covers the unit's descendants too."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    unit = models.ForeignKey(
        OrganisationUnit,
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    active = models.BooleanField(_("active"), default=True)
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="unique_role_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit}"
