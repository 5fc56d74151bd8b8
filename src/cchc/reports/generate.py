"""A realistic synthetic history for the demo and the benchmarks (``cchc generate-demo``).

Dossiers are written straight into the tables (COPY on PostgreSQL, bulk inserts elsewhere): the
services cannot be used for history, because they take no time from the caller (no back-dating).
Everything the statistics read is written too (pauses, ratings, apology letters), and the
counters are filled from the same contribution function the live path uses, so ``cchc
rebuild-stats --verify`` agrees with what this module writes.

What is drawn, per receiving unit (provincial centre and commune centres of unequal size):
receipts on working days only, busier before Tết and slower right after it, growing slowly over the
years; the procedure mix is skewed (a few procedures carry most dossiers); the online share grows
from about 30% to 60%, 2% by public postal service; each unit has its own quality, so the share of
late dossiers differs between units (ranks differ); 8% of dossiers wait once for a supplement,
0.3% twice (late by rule); refusals, withdrawals and stops are rare; a third of returned dossiers
are rated, late ones worse; late dossiers mostly got an apology letter one day before the due
time; a small share is named in a citizen complaint.
"""

from __future__ import annotations

import json
import random
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from cchc.catalog.models import Procedure
from cchc.catalog.selectors import procedures_handled_by
from cchc.dossiers.models import (
    ApologyLetter,
    DailySequence,
    Dossier,
    DossierEvent,
    DossierPause,
    DossierRating,
    Status,
)
from cchc.feedback import services as feedback_services
from cchc.feedback.models import Feedback, FeedbackEvent
from cchc.organisations.models import OrganisationUnit, UnitKind
from cchc.workdays import services as workdays
from cchc.workdays.engine import Rule

from .engine.contribution import COLUMNS, Facts, Pause, contribution
from .models import DossierStat, StatCell
from .services import _expand, encode_cells, working_days_between

COMMUNE_NAMES = [
    "An Phú",
    "Bình Minh",
    "Cát Tiên",
    "Đông Hòa",
    "Gia Lộc",
    "Hòa Bình",
    "Hưng Đạo",
    "Kim Sơn",
    "Long Điền",
    "Mỹ Lộc",
    "Nam Sơn",
    "Phước Long",
    "Quảng Trị",
    "Sơn Tây",
    "Tân Phú",
    "Thạnh Xuân",
    "Trung Hòa",
    "Vĩnh Hòa",
    "Xuân Trường",
    "Yên Bình",
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Đức", "Thu", "Quang", "Thanh", "Hữu", "Kim", "Xuân"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hùng", "Lan", "Long", "Mai", "Nam"]
PROVINCE_CODE = "000.00.00.H99"
EVENTS_UP_TO = 100_000  # above this many dossiers, no per-dossier history events are written


@dataclass
class Summary:
    dossiers: int = 0
    units: int = 0
    pauses: int = 0
    ratings: int = 0
    apologies: int = 0
    events: int = 0
    cells: int = 0
    feedback: int = 0

    def __str__(self) -> str:
        def n(value: int) -> str:
            return f"{value:,}".replace(",", ".")

        return (
            f"{n(self.dossiers)} hồ sơ ở {self.units} đơn vị tiếp nhận; {n(self.pauses)} lần tạm "
            f"dừng, {n(self.ratings)} đánh giá, {n(self.apologies)} thư xin lỗi, {n(self.events)} "
            f"sự kiện lịch sử, {n(self.feedback)} phản ánh, {n(self.cells)} ô thống kê"
        )


# -- units and procedures ------------------------------------------------------------------------
def receiving_units(wanted: int) -> list[OrganisationUnit]:
    """Existing service centres first, then new communes with their centre until ``wanted``."""
    province = OrganisationUnit.objects.filter(code=PROVINCE_CODE).first()
    if province is None:
        province = OrganisationUnit.objects.filter(parent__isnull=True).order_by("pk").first()
    if province is None:
        province = OrganisationUnit.objects.create(
            code=PROVINCE_CODE,
            kind=UnitKind.PROVINCE_COMMITTEE,
            name="Ủy ban nhân dân tỉnh An Bình",
        )
    centres = list(
        OrganisationUnit.objects.filter(kind=UnitKind.SERVICE_CENTRE, active=True).order_by("code")
    )
    number = 100
    while len(centres) < wanted:
        number += 1
        name = f"{COMMUNE_NAMES[number % len(COMMUNE_NAMES)]} {number - 100}"
        is_ward = number % 3 == 0
        label = f"{'phường' if is_ward else 'xã'} {name}"
        commune, _ = OrganisationUnit.objects.get_or_create(
            code=f"000.{number // 100:02d}.{number % 100:02d}.H98",
            defaults={
                "kind": UnitKind.COMMUNE_COMMITTEE,
                "name": f"Ủy ban nhân dân {label}",
                "parent": province,
            },
        )
        centre, _ = OrganisationUnit.objects.get_or_create(
            code=f"000.{number // 100:02d}.{number % 100:02d}.H97",
            defaults={
                "kind": UnitKind.SERVICE_CENTRE,
                "parent": commune,
                "name": f"Bộ phận Một cửa {label}",
            },
        )
        _implement_commune_procedures(commune)
        centres.append(centre)
    return centres[:wanted]


def _implement_commune_procedures(commune: OrganisationUnit) -> None:
    """A new commune implements the commune-level procedures (all, when none is marked so), as the
    demo catalog's communes do, so its centre handles them (``cchc.catalog.selectors.handles``)."""
    procedures = Procedure.objects.at_level("commune")
    if not procedures.exists():
        procedures = Procedure.objects.all()
    commune.procedures.add(*procedures)


def procedures_for(unit: OrganisationUnit) -> list[Procedure]:
    """The procedures the unit handles by the catalog's rule (the one intake applies): commune-level
    ones at a commune's centre, province-level ones at the provincial centre."""
    handled = procedures_handled_by([unit]).prefetch_related("fees").order_by("code")
    return list(handled)


# -- calendar ------------------------------------------------------------------------------------
def working_days(first: date, last: date) -> list[date]:
    calendar = workdays.get_calendar()
    days, day = [], first
    while day <= last:
        if calendar.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def day_weights(days: list[date]) -> np.ndarray:
    """Busier before Tết, slow right after it, a little more at month end, slow growth."""
    calendar = workdays.get_calendar()
    weights = np.ones(len(days))
    tet_starts = []
    for year in sorted({d.year for d in days} | {days[-1].year + 1}):
        # Tết: the longest run of days off in January–February.
        day, run, best, best_start = date(year, 1, 1), 0, 0, None
        while day <= date(year, 3, 1):
            if not calendar.is_working_day(day):
                run += 1
                if run > best:
                    best, best_start = run, day - timedelta(days=run - 1)
            else:
                run = 0
            day += timedelta(days=1)
        if best_start and best >= 5:
            tet_starts.append((best_start, best_start + timedelta(days=best)))
    for i, day in enumerate(days):
        for start, end in tet_starts:
            before = (start - day).days
            after = (day - end).days
            if 0 < before <= 14:
                weights[i] *= 1.35
            elif 0 <= after <= 10:
                weights[i] *= 0.6
        if day.day >= 25:
            weights[i] *= 1.1
        weights[i] *= 1 + 0.15 * (i / max(len(days) - 1, 1))
    return weights / weights.sum()


# -- drawing -------------------------------------------------------------------------------------
_ZONE = None


def _aware(moment: datetime) -> datetime:
    """Local wall time → aware (the zone has no daylight saving, so ``replace`` is exact)."""
    global _ZONE
    if _ZONE is None:
        _ZONE = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return moment.replace(tzinfo=_ZONE) if moment.tzinfo is None else moment


def _naive(values: np.ndarray) -> list[datetime]:
    return [v.astype("datetime64[s]").item() for v in values]


class Writer:
    """COPY on PostgreSQL, bulk inserts elsewhere; ids are assigned here so rows can refer."""

    def __init__(self) -> None:
        from cchc.history.keys import ring

        self.postgres = connection.vendor == "postgresql"
        self.rows: dict[type, list] = defaultdict(list)
        self.key_ring = ring()  # read once: every generated history is sealed with it

    def next_id(self, model) -> int:
        last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
        return (last or 0) + 1

    def add(self, model, values: dict) -> None:
        self.rows[model].append(values)

    def flush(self) -> None:
        for model, rows in self.rows.items():
            if not rows:
                continue
            if self.postgres:
                self._copy(model, rows)
            else:
                model.objects.bulk_create([model(**row) for row in rows], batch_size=1000)
        self.rows.clear()

    def _copy(self, model, rows: list[dict]) -> None:
        pk = model._meta.pk
        # An auto id the rows do not give is left to the database's sequence.
        fields = [f for f in model._meta.concrete_fields if f is not pk or pk.attname in rows[0]]
        plan = [
            (
                f.attname,
                None if f.primary_key else f.get_default(),
                f.get_internal_type() == "JSONField",
            )
            for f in fields
        ]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(
                        [
                            json.dumps(row.get(name, default))
                            if is_json
                            else row.get(name, default)
                            for name, default, is_json in plan
                        ]
                    )

    def reset_sequences(self, models) -> None:
        if not self.postgres:
            return
        with connection.cursor() as cursor:
            for model in models:
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"COALESCE((SELECT max(id) FROM {table}), 1))"
                )


def generate(
    dossiers: int,
    units: int,
    years: float,
    seed: int = 2026,
    now: datetime | None = None,
    events: bool | None = None,
    progress=None,
    shard: tuple[int, int] = (0, 1),
) -> Summary:
    """Write ``dossiers`` synthetic dossiers received over the last ``years`` at ``units`` units.

    ``shard=(k, n)`` writes only the units whose position is k modulo n, with ids in their own
    range, so n processes can fill one database at once; each unit draws from its own seeded
    generator, so the history is the same however it is split.
    """
    rng = np.random.default_rng(seed)
    now = now or timezone.now()
    local_now = workdays.to_local_naive(now)
    events = dossiers <= EVENTS_UP_TO if events is None else events
    centres = receiving_units(units)
    first_day = (local_now - timedelta(days=int(365.25 * years))).date()
    days = working_days(first_day, local_now.date())
    if not days:
        raise ValueError("no working day in the period")
    weights = day_weights(days)
    # Unequal units: the provincial centre is largest, communes vary.
    sizes = np.array([4.0 if i == 0 else rng.lognormal(0, 0.5) for i in range(len(centres))])
    counts = rng.multinomial(dossiers, sizes / sizes.sum())
    summary = Summary(units=len(centres))
    writer = Writer()
    k, n = shard
    offset = k * 10**11  # far apart id ranges per shard
    ids = {
        "dossier": writer.next_id(Dossier) + offset,
        "pause": writer.next_id(DossierPause) + offset,
        "apology": writer.next_id(ApologyLetter) + offset,
        "rating": writer.next_id(DossierRating) + offset,
        "event": writer.next_id(DossierEvent) + offset,
        "feedback": writer.next_id(Feedback) + offset,
    }
    for position, (unit, count) in enumerate(zip(centres, counts, strict=True)):
        if count == 0 or position % n != k:
            continue
        unit_rng = np.random.default_rng([seed, position])
        pyrng = random.Random(seed * 100_003 + position)
        with transaction.atomic():
            raw_cells: dict = {}
            _generate_unit(
                unit,
                int(count),
                unit_rng,
                pyrng,
                days,
                weights,
                local_now,
                writer,
                ids,
                raw_cells,
                summary,
                events,
            )
            writer.flush()
            cells: dict = defaultdict(dict)
            for procedure_id, per_day in raw_cells.items():
                encoded = [[o, c, n] for (o, c), n in per_day.items()]
                _expand(unit.pk, procedure_id, encoded, +1, cells)
            summary.cells += _write_cells(writer, cells)
        if progress:
            progress(summary)
    writer.reset_sequences(
        [Dossier, DossierPause, ApologyLetter, DossierRating, DossierEvent, Feedback]
    )
    if writer.postgres:
        with connection.cursor() as cursor:
            for table in ("dossiers_dossier", "reports_dossierstat", "reports_statcell"):
                cursor.execute(f"ANALYZE {table}")
    return summary


def _write_cells(writer: Writer, cells: dict) -> int:
    """Add this unit's counters to the table (existing rows, e.g. live demo dossiers, are kept)."""
    from .services import apply_deltas

    rows = {k: v for k, v in cells.items() if any(v.values())}
    existing = StatCell.objects.filter(unit_id__in={k[2] for k in rows}).exists()
    if writer.postgres and not existing:
        for (grain, period, unit_id, procedure_id), values in rows.items():
            writer.add(
                StatCell,
                {
                    "grain": grain,
                    "period": period,
                    "unit_id": unit_id,
                    "procedure_id": procedure_id,
                    **{c: values.get(c, 0) for c in COLUMNS},
                },
            )
        writer.flush()
    else:
        apply_deltas(rows)
    return len(rows)


def _generate_unit(
    unit,
    count,
    rng,
    pyrng,
    days,
    weights,
    local_now,
    writer,
    ids,
    cells,
    summary,
    events,
) -> None:
    procedures = procedures_for(unit)
    if not procedures:
        return
    deadlines = workdays.get_bulk(unit)
    quality = float(np.clip(rng.normal(0.92, 0.05), 0.7, 0.995))  # share resolved in time
    # Skewed procedure mix (Zipf-like).
    mix = 1 / np.arange(1, len(procedures) + 1) ** 1.1
    mix = rng.permutation(mix) / mix.sum()
    chosen_days = rng.choice(len(days), size=count, p=weights)
    offsets = rng.integers(0, 480, size=count)  # minutes into the office day
    proc_index = rng.choice(len(procedures), size=count, p=mix)
    received = []
    for d_index, minute in zip(chosen_days, offsets, strict=True):
        start = 7 * 60 + 30 + int(minute)
        if start >= 11 * 60 + 30:
            start += 90  # the lunch break 11:30–13:00
        received.append(datetime.combine(days[d_index], time(start // 60, start % 60)))
    order = np.argsort(np.array(received, dtype="datetime64[m]"), kind="stable")
    received = [received[i] for i in order]
    proc_index = proc_index[order]
    received = [min(r, local_now - timedelta(minutes=5)) for r in received]
    due = [None] * count
    for p_index, procedure in enumerate(procedures):
        mask = np.nonzero(proc_index == p_index)[0]
        if mask.size == 0:
            continue
        limit = procedure.time_limit()
        values = deadlines.due(
            np.array([received[i] for i in mask], dtype="datetime64[m]"),
            limit.rule,
            max(limit.amount, 0 if limit.rule == Rule.SAME_DAY else 1),
        )
        for i, value in zip(mask, _naive(values), strict=True):
            due[i] = value
    sequence: dict[date, int] = defaultdict(int)
    sequence.update(DailySequence.objects.filter(unit=unit).values_list("day", "last_value"))
    span_days = (local_now.date() - days[0]).days or 1
    engine = workdays.get_engine(unit)
    for i in range(count):
        procedure = procedures[int(proc_index[i])]
        _one_dossier(
            unit,
            procedure,
            received[i],
            due[i],
            quality,
            pyrng,
            local_now,
            span_days,
            days[0],
            writer,
            ids,
            cells,
            summary,
            events,
            sequence,
            engine,
        )
    # The daily counters continue after the generated codes (a later run or the counter today).
    DailySequence.objects.bulk_create(
        [DailySequence(unit=unit, day=day, last_value=value) for day, value in sequence.items()],
        update_conflicts=True,
        unique_fields=["unit", "day"],
        update_fields=["last_value"],
        batch_size=2000,
    )


def _one_dossier(
    unit,
    procedure,
    received,
    due,
    quality,
    rng,
    now,
    span_days,
    first_day,
    writer,
    ids,
    cells,
    summary,
    events,
    sequence,
    engine,
) -> None:
    dossier_id = ids["dossier"]
    ids["dossier"] += 1
    age = (received.date() - first_day).days / span_days  # 0 = oldest, 1 = today
    online_share = 0.3 + 0.3 * age
    r = rng.random()
    channel = 2 if r < online_share else (3 if r < online_share + 0.02 else 1)
    allowed = (due - received).total_seconds()
    # Outcome draws: how long it took relative to the time limit, and whether it was late.
    pauses: list[Pause] = []
    supplement_count = 0
    late_by_rule = False
    if rng.random() < 0.08:
        supplement_count = 1
        start = received + timedelta(seconds=allowed * rng.uniform(0.1, 0.5))
        length = timedelta(days=rng.uniform(1, 8))
        pauses.append(Pause("supplement", start, start + length))
        due = due + length
        if rng.random() < 0.04:
            supplement_count = 2
            late_by_rule = True
    if rng.random() < 0.03:
        start = received + timedelta(seconds=allowed * rng.uniform(0.6, 0.8))
        length = timedelta(days=rng.uniform(1, 4))
        if not pauses or start > pauses[-1].end:
            pauses.append(Pause("financial", start, start + length))
            due = due + length
    paused = sum(((p.end - p.start) for p in pauses), timedelta())
    fate = rng.random()
    if fate < 0.02:
        kind = "refused"
    elif fate < 0.03:
        kind = "withdrawn"
    elif fate < 0.035:
        kind = "stopped"
    else:
        kind = "resolved"
    if kind == "resolved" and rng.random() > quality:
        end = due + timedelta(hours=rng.expovariate(1 / 40))
    else:
        end = received + paused + timedelta(seconds=allowed * rng.uniform(0.25, 1.0))
        end = min(end, due)
    status = Status.PROCESSING
    resolved_at = closed_at = returned_at = None
    open_pauses = []
    for pause in pauses:
        if pause.start > now:
            continue
        open_pauses.append(Pause(pause.kind, pause.start, pause.end if pause.end <= now else None))
    pauses = open_pauses
    if end <= now:
        if kind in ("resolved", "refused"):
            resolved_at = end
            status = Status.RESOLVED
            returned = end + timedelta(hours=rng.uniform(1, 72))
            if returned <= now:
                returned_at = closed_at = returned
                status = Status.RETURNED
        else:
            closed_at = end
            status = Status.WITHDRAWN if kind == "withdrawn" else Status.STOPPED
    else:
        active = [p for p in pauses if p.end is None]
        if active:
            status = (
                Status.SUPPLEMENT_REQUESTED
                if active[0].kind == "supplement"
                else Status.FINANCIAL_OBLIGATION
            )
        elif (now - received) < timedelta(hours=4):
            status = Status.RECEIVED
    if status in (Status.WITHDRAWN, Status.STOPPED, Status.RESOLVED, Status.RETURNED):
        pauses = [Pause(p.kind, p.start, p.end or closed_at or resolved_at) for p in pauses]
    outcome = ""
    if resolved_at:
        outcome = "refused" if kind == "refused" else "approved"
    fee = _fee(procedure)
    paid_online = fee > 0 and channel == 2 and rng.random() < 0.55
    digitised = rng.random() < 0.55 + 0.35 * age
    electronic = bool(resolved_at) and rng.random() < 0.4 + 0.4 * age
    late = resolved_at is not None and (late_by_rule or resolved_at > due)
    rating = None
    if status == Status.RETURNED and rng.random() < 0.33:
        rating = rng.choices(
            [5, 4, 3, 2, 1], weights=[20, 35, 25, 15, 5] if late else [62, 26, 7, 4, 1]
        )[0]
    apology_at = None
    if (
        late or (status in (Status.PROCESSING, Status.RECEIVED) and due < now)
    ) and rng.random() < 0.7:
        apology_at = min(due - timedelta(days=1), now)
        if apology_at < received:
            apology_at = None
    # A few dossiers draw a complaint (more when late or badly rated).
    has_feedback = rng.random() < (0.02 if late or (rating or 5) <= 2 else 0.002)
    feedback_at = (resolved_at or received) + timedelta(days=rng.uniform(0.5, 10))
    has_feedback = has_feedback and feedback_at <= now
    day = received.date()
    sequence[day] += 1
    code = f"{unit.code}-{day:%y%m%d}-{sequence[day]:04d}"
    online_full = channel == 2 and rng.random() < 0.7
    family, middle, given = rng.choice(FAMILY), rng.choice(MIDDLE), rng.choice(GIVEN)
    facts = Facts(
        status=status,
        channel=channel,
        received_at=received,
        due_at=due,
        resolved_at=resolved_at,
        closed_at=closed_at,
        outcome=outcome,
        online_full=online_full,
        late_by_rule=late_by_rule,
        pauses=tuple(pauses),
        fee_bearing=fee > 0,
        paid_online=paid_online,
        digitised=digitised,
        result_electronic=electronic,
        rating=rating,
        has_feedback=has_feedback,
        apology_sent_at=apology_at,
    )
    if resolved_at is not None and outcome == "approved" and resolved_at >= received:
        taken = working_days_between(
            engine, received, resolved_at, [(p.start, p.end) for p in pauses]
        )
        facts = replace(facts, working_days_x100=int(taken * 100))
    result = contribution(facts)
    aware = _aware
    writer.add(
        Dossier,
        {
            "id": dossier_id,
            "code": code,
            "receiving_unit_id": unit.pk,
            "current_unit_id": unit.pk,
            "procedure_id": procedure.pk,
            "variant_id": None,
            "status": int(status),
            "channel": channel,
            "online_mode": ("full" if online_full else "partial") if channel == 2 else "",
            "applicant_kind": "individual",
            "applicant_name": f"{family} {middle} {given}",
            "applicant_id_type": "cccd",
            "applicant_id_number": f"0{rng.randrange(10**10, 10**11)}",
            "applicant_phone": f"09{rng.randrange(10**7, 10**8)}",
            "applicant_email": "",
            "applicant_address": f"Số {rng.randint(1, 300)}, {unit.name}",
            "submitted_at": aware(received),
            "received_at": aware(received),
            "effective_received_at": aware(received),
            "due_at": aware(due),
            "appointment_at": aware(due),
            "resolved_at": resolved_at and aware(resolved_at),
            "returned_at": returned_at and aware(returned_at),
            "closed_at": closed_at and aware(closed_at),
            "outcome": outcome,
            "result_number": f"{rng.randint(1, 999)}/QĐ-UBND" if resolved_at else "",
            "result_signer": "Lãnh đạo đơn vị" if resolved_at else "",
            "result_date": resolved_at.date() if resolved_at else None,
            "result_electronic": electronic,
            "return_method": "counter" if returned_at else "",
            "returned_to": f"{family} {given}" if returned_at else "",
            "fee_amount": fee,
            "fee_paid_online": paid_online,
            "payment_gateway": 1 if paid_online else 0,
            "digitised": digitised,
            "supplement_count": supplement_count,
            "pause_count": len(pauses),
            "late_by_rule": late_by_rule,
            "close_reason": "Theo đề nghị của người nộp hồ sơ"
            if kind in ("withdrawn", "stopped") and closed_at
            else "",
            "version": 1,
            "created_at": aware(received),
            "updated_at": aware(closed_at or resolved_at or received),
            "imported": False,
            "engine_due_at": None,
            "extension_count": 0,
        },
    )
    summary.dossiers += 1
    for pause in pauses:
        writer.add(
            DossierPause,
            {
                "id": ids["pause"],
                "dossier_id": dossier_id,
                "kind": pause.kind,
                "started_at": aware(pause.start),
                "ended_at": pause.end and aware(pause.end),
                "applicant_due_at": None,
                "reason": "Bổ sung giấy tờ còn thiếu"
                if pause.kind == "supplement"
                else "Nộp lệ phí",
            },
        )
        ids["pause"] += 1
        summary.pauses += 1
    if rating is not None:
        writer.add(
            DossierRating,
            {
                "id": ids["rating"],
                "dossier_id": dossier_id,
                "score": rating,
                "comment": "",
                "created_at": aware(returned_at),
            },
        )
        ids["rating"] += 1
        summary.ratings += 1
    if apology_at is not None:
        writer.add(
            ApologyLetter,
            {
                "id": ids["apology"],
                "dossier_id": dossier_id,
                "status": "sent",
                "reason": "Hồ sơ cần xác minh thêm với cơ quan liên quan",
                "original_appointment_at": aware(due),
                "new_appointment_at": aware(due + timedelta(days=3)),
                "drafted_by_id": None,
                "approved_by_id": None,
                "signer_name": "Lãnh đạo đơn vị",
                "created_at": aware(apology_at - timedelta(hours=2)),
                "approved_at": aware(apology_at),
                "sent_at": aware(apology_at),
            },
        )
        ids["apology"] += 1
        summary.apologies += 1
    if has_feedback:
        _feedback(writer, ids, dossier_id, unit, procedure, code, feedback_at, now, rng)
        summary.feedback += 1
    if events:
        count, head = _events(
            writer,
            ids,
            dossier_id,
            unit,
            received,
            status,
            resolved_at,
            returned_at,
            closed_at,
            summary,
        )
        dossier_row = writer.rows[Dossier][-1]  # this dossier's row, added above
        assert dossier_row["id"] == dossier_id
        dossier_row.update(history_count=count, history_head=head)
    encoded = encode_cells(result)
    writer.add(
        DossierStat,
        {
            "dossier_id": dossier_id,
            "unit_id": unit.pk,
            "procedure_id": procedure.pk,
            "received_on": result.received_on,
            "open_until": result.open_until,
            "closed_kind": result.closed_kind,
            "closed_on": result.closed_on,
            "overdue_from": result.overdue_from,
            "overdue_until": result.overdue_until,
            "working_days": None,
            "anomalies": ",".join(result.anomalies),
            "due_on": result.due_on,
            "due_kind": result.due_kind,
            "cells": encoded,
        },
    )
    per_procedure = cells.setdefault(procedure.pk, {})
    for ordinal, column_index, n in encoded:
        key = (ordinal, column_index)
        per_procedure[key] = per_procedure.get(key, 0) + n
    if len(writer.rows[Dossier]) >= 20_000:
        writer.flush()


def _fee(procedure: Procedure) -> int:
    amounts = [fee.amount for fee in procedure.fees.all() if fee.amount]
    return int(amounts[0]) if amounts else 0


def _events(
    writer, ids, dossier_id, unit, received, status, resolved_at, returned_at, closed_at, summary
) -> None:
    """A short sealed history: received, then the closing steps that happened.

    Returns the chain head (count, newest seal) for the dossier row."""
    from cchc.history import registry
    from cchc.history.services import seal_sequence

    steps = [("received", received, None, Status.RECEIVED)]
    if resolved_at:
        steps.append(("resolved", resolved_at, Status.PROCESSING, Status.RESOLVED))
    if returned_at:
        steps.append(("returned", returned_at, Status.RESOLVED, Status.RETURNED))
    if closed_at and not returned_at:
        steps.append(
            (
                "withdrawn" if status == Status.WITHDRAWN else "stopped",
                closed_at,
                Status.PROCESSING,
                status,
            )
        )
    built = []
    for sequence, (action, at, before, after) in enumerate(steps, start=1):
        event = DossierEvent(
            id=ids["event"],
            dossier_id=dossier_id,
            sequence=sequence,
            action=action,
            actor=None,
            actor_name="",
            at=_aware(at).astimezone(UTC).replace(microsecond=0),
            status_before=before,
            status_after=int(after),
            step_before="",
            step_after="",
            unit=unit.name,
            note="Dữ liệu minh họa",
            data={},
        )
        built.append(event)
        ids["event"] += 1
        summary.events += 1
    head = seal_sequence(registry.get("dossiers"), dossier_id, built, writer.key_ring)
    for event in built:
        writer.add(
            DossierEvent,
            {f.attname: getattr(event, f.attname) for f in DossierEvent._meta.concrete_fields},
        )
    return head


def _feedback_events(writer, feedback_id: int, unit, at: datetime, values: dict):
    """The sealed history of a generated feedback, as the services would have written it."""
    from cchc.history import registry
    from cchc.history.services import seal_sequence

    steps = [
        ("submitted", at, "", "received"),
        ("classified", at + timedelta(hours=4), "received", "classified"),
    ]
    if "answered_at" in values:
        steps.append(("answered", values["answered_at"], "classified", "answered"))
        steps.append(("published", values["published_at"], "answered", "published"))
    if "rated_at" in values:
        steps.append(("rated", values["rated_at"], "published", "rated"))
    events = [
        FeedbackEvent(
            action=action,
            actor=None,
            actor_name="",
            at=_aware(when).astimezone(UTC).replace(microsecond=0),
            status_before=before,
            status_after=after,
            unit=unit.name,
            note="",
            data={"rating": values["rating"]} if action == "rated" else {},
        )
        for action, when, before, after in steps
    ]
    count, head = seal_sequence(registry.get("feedback"), feedback_id, events, writer.key_ring)
    for event in events:
        row = {f.attname: getattr(event, f.attname) for f in FeedbackEvent._meta.concrete_fields}
        del row["id"]  # the database's sequence gives it
        writer.add(FeedbackEvent, row)
    writer.rows[Feedback][-1].update(history_count=count, history_head=head)


FEEDBACK_TOPICS = [
    ("processing_time", "Hồ sơ giải quyết chậm so với giấy hẹn"),
    ("officer_conduct", "Cán bộ hướng dẫn chưa rõ ràng"),
    ("procedure_content", "Đề nghị giảm bớt giấy tờ phải nộp"),
    ("fees", "Hỏi về mức lệ phí đã nộp"),
    ("online_service", "Không nộp được hồ sơ trực tuyến"),
]


def _feedback(writer, ids, dossier_id, unit, procedure, code, at, now, rng):
    """One complaint about the dossier, answered (mostly on time), published and often rated."""
    category, title = rng.choice(FEEDBACK_TOPICS)
    due = at + timedelta(days=21)  # about 15 working days (CCHC_FEEDBACK_ANSWER_DAYS)
    answered = at + timedelta(days=rng.uniform(1, 26))
    status = "classified"
    values = {}
    if answered <= now:
        status = "published"
        values = {
            "answered_at": _aware(answered),
            "answer": "Đơn vị đã kiểm tra và trả lời theo quy định.",
            "published_at": _aware(answered + timedelta(hours=2)),
            "public_title": title,  # published answers are listed by their title
            "public_answer": "Đơn vị đã kiểm tra và trả lời theo quy định.",
        }
        if rng.random() < 0.5:
            status = "rated"
            values["rating"] = rng.choices(
                ["satisfied", "neutral", "dissatisfied"], weights=[60, 25, 15]
            )[0]
            values["rated_at"] = _aware(answered + timedelta(days=1))
    writer.add(
        Feedback,
        {
            "id": ids["feedback"],
            # The one allocator of feedback codes (the day's counter), like every submission.
            "code": feedback_services.allocate_code(_aware(at)),
            "subject_kind": "dossier",
            "procedure_id": procedure.pk,
            "dossier_id": dossier_id,
            "title": title,
            "content": f"Về hồ sơ {code}: {title.lower()}.",
            "sender_name": "Người nộp hồ sơ",
            "rating_token_hash": "",
            "unit_id": unit.pk,
            "category": category,
            "status": status,
            "received_at": _aware(at),
            "due_at": _aware(due),
            "classified_at": _aware(at + timedelta(hours=4)),
            "public_content": f"Phản ánh về {title.lower()}.",
            "created_at": _aware(at),
            "updated_at": _aware(at),
            **values,
        },
    )
    _feedback_events(writer, ids["feedback"], unit, at, values)
    ids["feedback"] += 1
