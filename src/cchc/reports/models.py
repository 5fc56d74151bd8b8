"""Incremental statistics: one row of facts per dossier and counters per day and month.

``StatCell`` holds the counters of :mod:`cchc.reports.engine.contribution` for one (grain, period,
unit, procedure): grain ``D`` is a day, ``M`` a month (period = its first day); procedure 0 is
"all procedures". Four rows per touched day keep every report query small: the province-year
report reads month rows without the procedure dimension (a few thousand rows), a custom period
adds day rows only for its partial months. See ADR 0005.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .engine.contribution import COLUMNS

ALL_PROCEDURES = 0


class Grain(models.TextChoices):
    DAY = "D", _("Day")
    MONTH = "M", _("Month")


class DossierStat(models.Model):
    """What the counters hold for one dossier (to subtract it when the dossier changes)."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", primary_key=True, on_delete=models.CASCADE, related_name="stat"
    )
    unit_id = models.IntegerField(db_index=False)
    procedure_id = models.IntegerField()
    received_on = models.DateField(null=True)
    open_until = models.DateField(null=True)
    closed_kind = models.CharField(max_length=20, blank=True)
    closed_on = models.DateField(null=True)
    overdue_from = models.DateField(null=True)
    overdue_until = models.DateField(null=True)
    working_days = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    anomalies = models.CharField(max_length=200, blank=True)
    # "Due in the period" basis: the legal due day and "in_time" | "late" | "" (unknown end)
    due_on = models.DateField(null=True)
    due_kind = models.CharField(max_length=7, blank=True)
    # [[day ordinal, column index, n], …]: exactly what was added to the counters
    cells = models.JSONField(default=list)

    class Meta:
        indexes = [
            models.Index(fields=["unit_id", "received_on"], name="reports_stat_unit_recv"),
            models.Index(fields=["unit_id", "closed_on"], name="reports_stat_unit_closed"),
            models.Index(
                fields=["due_on", "unit_id"],
                name="reports_stat_due",
                condition=models.Q(due_on__isnull=False),
            ),
            # Overdue at the end of a day (the dashboard's overdue list, the report's drill of
            # in_progress_late): only the dossiers that ever were overdue, by when they stopped
            # being so (NULL: still open), so "overdue today" reads the backlog, not every row.
            models.Index(
                fields=["overdue_until", "unit_id"],
                name="reports_stat_overdue",
                condition=models.Q(overdue_from__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"stat {self.dossier_id}"


class StatCell(models.Model):
    grain = models.CharField(max_length=1, choices=Grain.choices)
    period = models.DateField()
    unit_id = models.IntegerField()
    procedure_id = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "procedure_id", "unit_id", "period"], name="reports_cell_key"
            )
        ]
        # The whole tree over a period: read by period range, whatever the units (ADR 0005).
        indexes = [
            models.Index(fields=["grain", "procedure_id", "period"], name="reports_cell_period"),
            # 766 indicators 3.2 and 3.5 ask, per procedure, whether any dossier was received
            # or paid online: read from this index alone (PostgreSQL), not from the wide rows.
            models.Index(
                fields=["grain", "period", "procedure_id"],
                include=["received_online", "paid_online"],
                condition=~models.Q(procedure_id=0),
                name="reports_cell_procedures",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grain} {self.period} unit {self.unit_id} procedure {self.procedure_id}"


for _column in COLUMNS:
    # db_default: the counter upsert names only the columns it changes.
    StatCell.add_to_class(_column, models.IntegerField(default=0, db_default=0))
