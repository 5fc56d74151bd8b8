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

Every unit draws from its own seeded generators, in a fixed order, so a seed gives the same history
however the run is split (``shard``); the functions below keep that order of draws.
"""

from __future__ import annotations

import random
import zoneinfo
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
from django.conf import settings
from django.db import transaction
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
from cchc.reports.engine.contribution import COLUMNS, Facts, Pause, contribution
from cchc.reports.models import DossierStat, StatCell
from cchc.reports.services import apply_deltas, encode_cells, expand_stats, working_days_between
from cchc.workdays import services as workdays
from cchc.workdays.engine import Rule

from .writer import Writer

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
SHARD_ID_SPAN = 10**11  # far apart id ranges per shard
FLUSH_EVERY = 20_000  # dossier rows held before they are written
GENERATED = [Dossier, DossierPause, ApologyLetter, DossierRating, DossierEvent, Feedback]
ANALYZED_TABLES = ("dossiers_dossier", "reports_dossierstat", "reports_statcell")
DEMO_NOTE = "Dữ liệu minh họa"  # the note of generated events: ``load_history`` looks for it
FEEDBACK_TOPICS = [
    ("processing_time", "Hồ sơ giải quyết chậm so với giấy hẹn"),
    ("officer_conduct", "Cán bộ hướng dẫn chưa rõ ràng"),
    ("procedure_content", "Đề nghị giảm bớt giấy tờ phải nộp"),
    ("fees", "Hỏi về mức lệ phí đã nộp"),
    ("online_service", "Không nộp được hồ sơ trực tuyến"),
]
FEEDBACK_ANSWER = "Đơn vị đã kiểm tra và trả lời theo quy định."
CLOSED = (Status.WITHDRAWN, Status.STOPPED, Status.RESOLVED, Status.RETURNED)


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


@dataclass(frozen=True)
class GenerationParameters:
    """What a run is asked for (``cchc generate-demo``'s options)."""

    dossiers: int
    units: int
    years: float
    seed: int = 2026
    now: datetime | None = None
    events: bool | None = None  # None: each dossier's history only up to EVENTS_UP_TO dossiers
    shard: tuple[int, int] = (0, 1)  # (k, n): only the units at positions k modulo n

    @property
    def write_events(self) -> bool:
        return self.dossiers <= EVENTS_UP_TO if self.events is None else self.events


@dataclass
class Output:
    """Where every unit's rows go: the writer, the next id of each table, the running counts."""

    writer: Writer
    ids: dict[str, int]
    summary: Summary
    events: bool  # write each dossier's sealed history

    def take_id(self, table: str) -> int:
        value = self.ids[table]
        self.ids[table] += 1
        return value


@dataclass
class UnitHistory:
    """One receiving unit's share: what each of its dossiers is drawn from and written with."""

    unit: OrganisationUnit
    rng: random.Random  # the unit's per-dossier draws
    now: datetime  # local wall time
    first_day: date
    span_days: int
    quality: float  # the share of dossiers resolved in time
    engine: object  # the unit's deadline engine
    sequence: dict[date, int]  # the daily code counters
    cells: dict  # {procedure id: {(day ordinal, column index): count}}
    out: Output


@dataclass
class Course:
    """How a dossier would run if nothing stopped at "now": pauses, fate and end."""

    due: datetime  # moved by the pauses
    pauses: list[Pause]
    supplement_count: int
    late_by_rule: bool
    kind: str  # resolved, refused, withdrawn or stopped
    end: datetime


@dataclass
class State:
    """Where the dossier stands at "now"."""

    status: Status
    pauses: list[Pause]
    resolved_at: datetime | None = None
    returned_at: datetime | None = None
    closed_at: datetime | None = None
    outcome: str = ""


@dataclass
class Applicant:
    family: str
    middle: str
    given: str
    id_number: str
    phone: str
    address: str


@dataclass
class DrawnDossier:
    """Everything drawn for one dossier, before any row is written."""

    id: int
    code: str
    procedure: Procedure
    received: datetime
    channel: int
    course: Course
    state: State
    fee: int
    paid_online: bool
    digitised: bool
    electronic: bool
    late: bool
    rating: int | None
    apology_at: datetime | None
    has_feedback: bool
    feedback_at: datetime
    online_full: bool
    applicant: Applicant
    result_number: str
    facts: Facts = field(init=False)

    @property
    def due(self) -> datetime:
        return self.course.due


# -- units and procedures ------------------------------------------------------------------------
def receiving_units(wanted: int) -> list[OrganisationUnit]:
    """Existing service centres first, then new communes with their centre until ``wanted``."""
    province = _province()
    centres = list(
        OrganisationUnit.objects.filter(kind=UnitKind.SERVICE_CENTRE, active=True).order_by("code")
    )
    number = 100
    while len(centres) < wanted:
        number += 1
        centres.append(_new_commune_centre(province, number))
    return centres[:wanted]


def _province() -> OrganisationUnit:
    """The demo province, else the first top-level unit, else a new province committee."""
    province = OrganisationUnit.objects.filter(code=PROVINCE_CODE).first()
    if province is None:
        province = OrganisationUnit.objects.filter(parent__isnull=True).order_by("pk").first()
    if province is None:
        province = OrganisationUnit.objects.create(
            code=PROVINCE_CODE,
            kind=UnitKind.PROVINCE_COMMITTEE,
            name="Ủy ban nhân dân tỉnh An Bình",
        )
    return province


def _new_commune_centre(province: OrganisationUnit, number: int) -> OrganisationUnit:
    """Commune (or ward) ``number`` of the province with its one-stop centre (found again when
    they already exist)."""
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
    return centre


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
    tet_holidays = _tet_holidays({d.year for d in days} | {days[-1].year + 1})
    weights = np.ones(len(days))
    for i, day in enumerate(days):
        for start, end in tet_holidays:
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


def _tet_holidays(years) -> list[tuple[date, date]]:
    """(first day off, day after the last) of Tết in each year: the longest run of days off in
    January–February, when it is at least five days long."""
    calendar = workdays.get_calendar()
    holidays = []
    for year in sorted(years):
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
            holidays.append((best_start, best_start + timedelta(days=best)))
    return holidays


# -- local times ---------------------------------------------------------------------------------
_ZONE = None


def _aware(moment: datetime) -> datetime:
    """Local wall time → aware (the zone has no daylight saving, so ``replace`` is exact)."""
    global _ZONE
    if _ZONE is None:
        _ZONE = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return moment.replace(tzinfo=_ZONE) if moment.tzinfo is None else moment


def _naive(values: np.ndarray) -> list[datetime]:
    return [v.astype("datetime64[s]").item() for v in values]


def _event_time(moment: datetime) -> datetime:
    """A history event's time: UTC, to the second (as the services store it)."""
    return _aware(moment).astimezone(UTC).replace(microsecond=0)


# -- the run -------------------------------------------------------------------------------------
def generate(
    dossiers: int,
    units: int,
    years: float,
    seed: int = 2026,
    now: datetime | None = None,
    events: bool | None = None,
    progress: Callable[[Summary], None] | None = None,
    shard: tuple[int, int] = (0, 1),
) -> Summary:
    """Write ``dossiers`` synthetic dossiers received over the last ``years`` at ``units`` units.

    ``shard=(k, n)`` writes only the units whose position is k modulo n, with ids in their own
    range, so n processes can fill one database at once; each unit draws from its own seeded
    generator, so the history is the same however it is split.
    """
    parameters = GenerationParameters(dossiers, units, years, seed, now, events, shard)
    return generate_history(parameters, progress)


def generate_history(
    parameters: GenerationParameters, progress: Callable[[Summary], None] | None = None
) -> Summary:
    """The run behind :func:`generate`: the units' shares, then each unit in its transaction."""
    rng = np.random.default_rng(parameters.seed)
    local_now = workdays.to_local_naive(parameters.now or timezone.now())
    centres = receiving_units(parameters.units)
    first_day = (local_now - timedelta(days=int(365.25 * parameters.years))).date()
    days = working_days(first_day, local_now.date())
    if not days:
        raise ValueError("no working day in the period")
    weights = day_weights(days)
    counts = _dossiers_per_unit(rng, len(centres), parameters.dossiers)
    writer = Writer()
    k, n = parameters.shard
    out = Output(
        writer=writer,
        ids=_first_ids(writer, offset=k * SHARD_ID_SPAN),
        summary=Summary(units=len(centres)),
        events=parameters.write_events,
    )
    for position, (unit, count) in enumerate(zip(centres, counts, strict=True)):
        if count == 0 or position % n != k:
            continue
        with transaction.atomic():
            cells: dict = {}
            _generate_unit(
                unit,
                int(count),
                np.random.default_rng([parameters.seed, position]),
                random.Random(parameters.seed * 100_003 + position),
                days,
                weights,
                local_now,
                out,
                cells,
            )
            writer.flush()
            out.summary.cells += _write_cells(writer, _expanded(unit, cells))
        if progress:
            progress(out.summary)
    writer.reset_sequences(GENERATED)
    writer.analyze(ANALYZED_TABLES)
    return out.summary


def _dossiers_per_unit(rng: np.random.Generator, units: int, dossiers: int) -> np.ndarray:
    """Unequal units: the provincial centre is largest, communes vary."""
    sizes = np.array([4.0 if i == 0 else rng.lognormal(0, 0.5) for i in range(units)])
    return rng.multinomial(dossiers, sizes / sizes.sum())


def _first_ids(writer: Writer, offset: int) -> dict[str, int]:
    return {
        "dossier": writer.next_id(Dossier) + offset,
        "pause": writer.next_id(DossierPause) + offset,
        "apology": writer.next_id(ApologyLetter) + offset,
        "rating": writer.next_id(DossierRating) + offset,
        "event": writer.next_id(DossierEvent) + offset,
        "feedback": writer.next_id(Feedback) + offset,
    }


def _expanded(unit: OrganisationUnit, raw_cells: dict) -> dict:
    """The unit's per-day counts spread to every grain's counters (as the live path does)."""
    cells: dict = defaultdict(dict)
    for procedure_id, per_day in raw_cells.items():
        encoded = [[o, c, n] for (o, c), n in per_day.items()]
        expand_stats(unit.pk, procedure_id, encoded, +1, cells)
    return cells


def _write_cells(writer: Writer, cells: dict) -> int:
    """Add this unit's counters to the table (existing rows, e.g. live demo dossiers, are kept)."""
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


# -- one unit ------------------------------------------------------------------------------------
def _generate_unit(
    unit: OrganisationUnit,
    count: int,
    rng: np.random.Generator,
    pyrng: random.Random,
    days: list[date],
    weights: np.ndarray,
    local_now: datetime,
    out: Output,
    cells: dict,
) -> None:
    procedures = procedures_for(unit)
    if not procedures:
        return
    deadlines = workdays.get_bulk(unit)
    quality = float(np.clip(rng.normal(0.92, 0.05), 0.7, 0.995))  # share resolved in time
    proc_index, received = _draw_receipts(rng, count, len(procedures), days, weights, local_now)
    due = _due_times(deadlines, procedures, proc_index, received)
    history = UnitHistory(
        unit=unit,
        rng=pyrng,
        now=local_now,
        first_day=days[0],
        span_days=(local_now.date() - days[0]).days or 1,
        quality=quality,
        engine=workdays.get_engine(unit),
        sequence=_daily_counters(unit),
        cells=cells,
        out=out,
    )
    for i in range(count):
        procedure = procedures[int(proc_index[i])]
        _write_dossier(history, _draw_dossier(history, procedure, received[i], due[i]))
    _save_daily_counters(unit, history.sequence)


def _draw_receipts(
    rng: np.random.Generator,
    count: int,
    procedures: int,
    days: list[date],
    weights: np.ndarray,
    local_now: datetime,
) -> tuple[np.ndarray, list[datetime]]:
    """(procedure index, local receipt time) of each dossier, in receipt order."""
    # Skewed procedure mix (Zipf-like).
    mix = 1 / np.arange(1, procedures + 1) ** 1.1
    mix = rng.permutation(mix) / mix.sum()
    chosen_days = rng.choice(len(days), size=count, p=weights)
    offsets = rng.integers(0, 480, size=count)  # minutes into the office day
    proc_index = rng.choice(procedures, size=count, p=mix)
    received = []
    for d_index, minute in zip(chosen_days, offsets, strict=True):
        start = 7 * 60 + 30 + int(minute)
        if start >= 11 * 60 + 30:
            start += 90  # the lunch break 11:30–13:00
        received.append(datetime.combine(days[d_index], time(start // 60, start % 60)))
    order = np.argsort(np.array(received, dtype="datetime64[m]"), kind="stable")
    received = [received[i] for i in order]
    received = [min(r, local_now - timedelta(minutes=5)) for r in received]
    return proc_index[order], received


def _due_times(
    deadlines, procedures: list[Procedure], proc_index: np.ndarray, received: list[datetime]
) -> list[datetime]:
    """Each dossier's legal due time, computed in bulk per procedure."""
    due: list = [None] * len(received)
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
    return due


def _daily_counters(unit: OrganisationUnit) -> dict[date, int]:
    sequence: dict[date, int] = defaultdict(int)
    sequence.update(DailySequence.objects.filter(unit=unit).values_list("day", "last_value"))
    return sequence


def _save_daily_counters(unit: OrganisationUnit, sequence: dict[date, int]) -> None:
    """The daily counters continue after the generated codes (a later run or the counter today)."""
    DailySequence.objects.bulk_create(
        [DailySequence(unit=unit, day=day, last_value=value) for day, value in sequence.items()],
        update_conflicts=True,
        unique_fields=["unit", "day"],
        update_fields=["last_value"],
        batch_size=2000,
    )


# -- drawing one dossier (the order of the draws is the seed's contract) -------------------------
def _draw_dossier(
    history: UnitHistory, procedure: Procedure, received: datetime, due: datetime
) -> DrawnDossier:
    rng, now = history.rng, history.now
    dossier_id = history.out.take_id("dossier")
    age = (received.date() - history.first_day).days / history.span_days  # 0 = oldest, 1 = today
    channel = _draw_channel(rng, age)
    course = _draw_course(rng, received, due, history.quality)
    state = _state_at(rng, course, received, now)
    fee = _fee(procedure)
    paid_online = fee > 0 and channel == 2 and rng.random() < 0.55
    digitised = rng.random() < 0.55 + 0.35 * age
    electronic = bool(state.resolved_at) and rng.random() < 0.4 + 0.4 * age
    resolved_at = state.resolved_at
    late = resolved_at is not None and (course.late_by_rule or resolved_at > course.due)
    rating = _draw_rating(rng, state.status, late)
    apology_at = _draw_apology(rng, state.status, late, received, course.due, now)
    # A few dossiers draw a complaint (more when late or badly rated).
    has_feedback = rng.random() < (0.02 if late or (rating or 5) <= 2 else 0.002)
    feedback_at = (resolved_at or received) + timedelta(days=rng.uniform(0.5, 10))
    drawn = DrawnDossier(
        id=dossier_id,
        code=_next_code(history, received.date()),
        procedure=procedure,
        received=received,
        channel=channel,
        course=course,
        state=state,
        fee=fee,
        paid_online=paid_online,
        digitised=digitised,
        electronic=electronic,
        late=late,
        rating=rating,
        apology_at=apology_at,
        has_feedback=has_feedback and feedback_at <= now,
        feedback_at=feedback_at,
        online_full=channel == 2 and rng.random() < 0.7,
        applicant=_draw_applicant(rng, history.unit),
        result_number=f"{rng.randint(1, 999)}/QĐ-UBND" if resolved_at else "",
    )
    drawn.facts = _facts(drawn, history.engine)
    return drawn


def _draw_channel(rng: random.Random, age: float) -> int:
    """Counter (1), online (2, from about 30% to 60% over the years) or postal (3, 2%)."""
    online_share = 0.3 + 0.3 * age
    r = rng.random()
    return 2 if r < online_share else (3 if r < online_share + 0.02 else 1)


def _draw_course(rng: random.Random, received: datetime, due: datetime, quality: float) -> Course:
    """Pauses (supplement, financial obligation), fate, and the end relative to the time limit."""
    allowed = (due - received).total_seconds()
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
    kind = _draw_fate(rng)
    if kind == "resolved" and rng.random() > quality:
        end = due + timedelta(hours=rng.expovariate(1 / 40))
    else:
        end = received + paused + timedelta(seconds=allowed * rng.uniform(0.25, 1.0))
        end = min(end, due)
    return Course(due, pauses, supplement_count, late_by_rule, kind, end)


def _draw_fate(rng: random.Random) -> str:
    fate = rng.random()
    if fate < 0.02:
        return "refused"
    if fate < 0.03:
        return "withdrawn"
    if fate < 0.035:
        return "stopped"
    return "resolved"


def _state_at(rng: random.Random, course: Course, received: datetime, now: datetime) -> State:
    """The course cut at ``now``: pauses still running are open, later steps have not happened."""
    pauses = [
        Pause(pause.kind, pause.start, pause.end if pause.end <= now else None)
        for pause in course.pauses
        if pause.start <= now
    ]
    state = State(status=Status.PROCESSING, pauses=pauses)
    if course.end <= now:
        _close(rng, state, course, now)
    else:
        active = [p for p in pauses if p.end is None]
        if active:
            state.status = (
                Status.SUPPLEMENT_REQUESTED
                if active[0].kind == "supplement"
                else Status.FINANCIAL_OBLIGATION
            )
        elif (now - received) < timedelta(hours=4):
            state.status = Status.RECEIVED
    if state.status in CLOSED:
        end = state.closed_at or state.resolved_at
        state.pauses = [Pause(p.kind, p.start, p.end or end) for p in pauses]
    if state.resolved_at:
        state.outcome = "refused" if course.kind == "refused" else "approved"
    return state


def _close(rng: random.Random, state: State, course: Course, now: datetime) -> None:
    """A course that ended by ``now``: resolved (and perhaps returned), withdrawn or stopped."""
    if course.kind in ("resolved", "refused"):
        state.resolved_at = course.end
        state.status = Status.RESOLVED
        returned = course.end + timedelta(hours=rng.uniform(1, 72))
        if returned <= now:
            state.returned_at = state.closed_at = returned
            state.status = Status.RETURNED
    else:
        state.closed_at = course.end
        state.status = Status.WITHDRAWN if course.kind == "withdrawn" else Status.STOPPED


def _draw_rating(rng: random.Random, status: Status, late: bool) -> int | None:
    """A third of returned dossiers are rated, late ones worse."""
    if status == Status.RETURNED and rng.random() < 0.33:
        return rng.choices(
            [5, 4, 3, 2, 1], weights=[20, 35, 25, 15, 5] if late else [62, 26, 7, 4, 1]
        )[0]
    return None


def _draw_apology(
    rng: random.Random,
    status: Status,
    late: bool,
    received: datetime,
    due: datetime,
    now: datetime,
) -> datetime | None:
    """Late (or now overdue) dossiers mostly got an apology letter a day before the due time."""
    overdue = status in (Status.PROCESSING, Status.RECEIVED) and due < now
    if not (late or overdue) or rng.random() >= 0.7:
        return None
    apology_at = min(due - timedelta(days=1), now)
    return None if apology_at < received else apology_at


def _next_code(history: UnitHistory, day: date) -> str:
    """The unit's next code of the day, in the shape intake gives (the counter moves on)."""
    history.sequence[day] += 1
    return f"{history.unit.code}-{day:%y%m%d}-{history.sequence[day]:04d}"


def _draw_applicant(rng: random.Random, unit: OrganisationUnit) -> Applicant:
    family, middle, given = rng.choice(FAMILY), rng.choice(MIDDLE), rng.choice(GIVEN)
    return Applicant(
        family=family,
        middle=middle,
        given=given,
        id_number=f"0{rng.randrange(10**10, 10**11)}",
        phone=f"09{rng.randrange(10**7, 10**8)}",
        address=f"Số {rng.randint(1, 300)}, {unit.name}",
    )


def _fee(procedure: Procedure) -> int:
    amounts = [fee.amount for fee in procedure.fees.all() if fee.amount]
    return int(amounts[0]) if amounts else 0


def _facts(drawn: DrawnDossier, engine) -> Facts:
    """What the statistics read of the dossier (the live path's contribution input)."""
    state, course = drawn.state, drawn.course
    facts = Facts(
        status=state.status,
        channel=drawn.channel,
        received_at=drawn.received,
        due_at=course.due,
        resolved_at=state.resolved_at,
        closed_at=state.closed_at,
        outcome=state.outcome,
        online_full=drawn.online_full,
        late_by_rule=course.late_by_rule,
        pauses=tuple(state.pauses),
        fee_bearing=drawn.fee > 0,
        paid_online=drawn.paid_online,
        digitised=drawn.digitised,
        result_electronic=drawn.electronic,
        rating=drawn.rating,
        has_feedback=drawn.has_feedback,
        apology_sent_at=drawn.apology_at,
    )
    resolved_at = state.resolved_at
    if resolved_at is not None and state.outcome == "approved" and resolved_at >= drawn.received:
        taken = working_days_between(
            engine, drawn.received, resolved_at, [(p.start, p.end) for p in state.pauses]
        )
        facts = replace(facts, working_days_x100=int(taken * 100))
    return facts


# -- writing one dossier -------------------------------------------------------------------------
def _write_dossier(history: UnitHistory, drawn: DrawnDossier) -> None:
    out, unit = history.out, history.unit
    out.writer.add(Dossier, _dossier_row(drawn, unit))
    out.summary.dossiers += 1
    _add_pauses(out, drawn)
    _add_rating(out, drawn)
    _add_apology(out, drawn)
    if drawn.has_feedback:
        _feedback(out, drawn, unit, history.now, history.rng)
        out.summary.feedback += 1
    if out.events:
        count, head = _events(out, drawn, unit)
        dossier_row = out.writer.rows[Dossier][-1]  # this dossier's row, added above
        assert dossier_row["id"] == drawn.id
        dossier_row.update(history_count=count, history_head=head)
    _add_stat(out.writer, drawn, unit, history.cells)
    if len(out.writer.rows[Dossier]) >= FLUSH_EVERY:
        out.writer.flush()


def _dossier_row(drawn: DrawnDossier, unit: OrganisationUnit) -> dict:
    state, course, person = drawn.state, drawn.course, drawn.applicant
    received, resolved_at = drawn.received, state.resolved_at
    returned_at, closed_at = state.returned_at, state.closed_at
    aware = _aware
    return {
        "id": drawn.id,
        "code": drawn.code,
        "receiving_unit_id": unit.pk,
        "current_unit_id": unit.pk,
        "procedure_id": drawn.procedure.pk,
        "variant_id": None,
        "status": int(state.status),
        "channel": drawn.channel,
        "online_mode": ("full" if drawn.online_full else "partial") if drawn.channel == 2 else "",
        "applicant_kind": "individual",
        "applicant_name": f"{person.family} {person.middle} {person.given}",
        "applicant_id_type": "cccd",
        "applicant_id_number": person.id_number,
        "applicant_phone": person.phone,
        "applicant_email": "",
        "applicant_address": person.address,
        "submitted_at": aware(received),
        "received_at": aware(received),
        "effective_received_at": aware(received),
        "due_at": aware(course.due),
        "appointment_at": aware(course.due),
        "resolved_at": resolved_at and aware(resolved_at),
        "returned_at": returned_at and aware(returned_at),
        "closed_at": closed_at and aware(closed_at),
        "outcome": state.outcome,
        "result_number": drawn.result_number,
        "result_signer": "Lãnh đạo đơn vị" if resolved_at else "",
        "result_date": resolved_at.date() if resolved_at else None,
        "result_electronic": drawn.electronic,
        "return_method": "counter" if returned_at else "",
        "returned_to": f"{person.family} {person.given}" if returned_at else "",
        "fee_amount": drawn.fee,
        "fee_paid_online": drawn.paid_online,
        "payment_gateway": 1 if drawn.paid_online else 0,
        "digitised": drawn.digitised,
        "supplement_count": course.supplement_count,
        "pause_count": len(state.pauses),
        "late_by_rule": course.late_by_rule,
        "close_reason": "Theo đề nghị của người nộp hồ sơ"
        if course.kind in ("withdrawn", "stopped") and closed_at
        else "",
        "version": 1,
        "created_at": aware(received),
        "updated_at": aware(closed_at or resolved_at or received),
        "imported": False,
        "engine_due_at": None,
        "extension_count": 0,
    }


def _add_pauses(out: Output, drawn: DrawnDossier) -> None:
    for pause in drawn.state.pauses:
        out.writer.add(
            DossierPause,
            {
                "id": out.take_id("pause"),
                "dossier_id": drawn.id,
                "kind": pause.kind,
                "started_at": _aware(pause.start),
                "ended_at": pause.end and _aware(pause.end),
                "applicant_due_at": None,
                "reason": "Bổ sung giấy tờ còn thiếu"
                if pause.kind == "supplement"
                else "Nộp lệ phí",
            },
        )
        out.summary.pauses += 1


def _add_rating(out: Output, drawn: DrawnDossier) -> None:
    if drawn.rating is None:
        return
    out.writer.add(
        DossierRating,
        {
            "id": out.take_id("rating"),
            "dossier_id": drawn.id,
            "score": drawn.rating,
            "comment": "",
            "created_at": _aware(drawn.state.returned_at),
        },
    )
    out.summary.ratings += 1


def _add_apology(out: Output, drawn: DrawnDossier) -> None:
    apology_at, due = drawn.apology_at, drawn.due
    if apology_at is None:
        return
    out.writer.add(
        ApologyLetter,
        {
            "id": out.take_id("apology"),
            "dossier_id": drawn.id,
            "status": "sent",
            "reason": "Hồ sơ cần xác minh thêm với cơ quan liên quan",
            "original_appointment_at": _aware(due),
            "new_appointment_at": _aware(due + timedelta(days=3)),
            "drafted_by_id": None,
            "approved_by_id": None,
            "signer_name": "Lãnh đạo đơn vị",
            "created_at": _aware(apology_at - timedelta(hours=2)),
            "approved_at": _aware(apology_at),
            "sent_at": _aware(apology_at),
        },
    )
    out.summary.apologies += 1


def _add_stat(writer: Writer, drawn: DrawnDossier, unit: OrganisationUnit, cells: dict) -> None:
    """The dossier's statistics row, and its counts added to the unit's per-day cells."""
    result = contribution(drawn.facts)
    encoded = encode_cells(result)
    writer.add(
        DossierStat,
        {
            "dossier_id": drawn.id,
            "unit_id": unit.pk,
            "procedure_id": drawn.procedure.pk,
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
    per_procedure = cells.setdefault(drawn.procedure.pk, {})
    for ordinal, column_index, n in encoded:
        key = (ordinal, column_index)
        per_procedure[key] = per_procedure.get(key, 0) + n


# -- histories -----------------------------------------------------------------------------------
def _dossier_steps(drawn: DrawnDossier) -> list[tuple[str, datetime, Status | None, Status]]:
    """(action, local time, status before, status after): received, then the closing steps."""
    state = drawn.state
    steps = [("received", drawn.received, None, Status.RECEIVED)]
    if state.resolved_at:
        steps.append(("resolved", state.resolved_at, Status.PROCESSING, Status.RESOLVED))
    if state.returned_at:
        steps.append(("returned", state.returned_at, Status.RESOLVED, Status.RETURNED))
    if state.closed_at and not state.returned_at:
        action = "withdrawn" if state.status == Status.WITHDRAWN else "stopped"
        steps.append((action, state.closed_at, Status.PROCESSING, state.status))
    return steps


def _events(out: Output, drawn: DrawnDossier, unit: OrganisationUnit) -> tuple[int, str]:
    """A short sealed history: received, then the closing steps that happened.

    Returns the chain head (count, newest seal) for the dossier row."""
    from cchc.history import registry
    from cchc.history.services import seal_sequence

    built = []
    for sequence, (action, at, before, after) in enumerate(_dossier_steps(drawn), start=1):
        built.append(
            DossierEvent(
                id=out.take_id("event"),
                dossier_id=drawn.id,
                sequence=sequence,
                action=action,
                actor=None,
                actor_name="",
                at=_event_time(at),
                status_before=before,
                status_after=int(after),
                step_before="",
                step_after="",
                unit=unit.name,
                note=DEMO_NOTE,
                data={},
            )
        )
        out.summary.events += 1
    head = seal_sequence(registry.get("dossiers"), drawn.id, built, out.writer.key_ring)
    for event in built:
        out.writer.add(
            DossierEvent,
            {f.attname: getattr(event, f.attname) for f in DossierEvent._meta.concrete_fields},
        )
    return head


def _feedback(
    out: Output,
    drawn: DrawnDossier,
    unit: OrganisationUnit,
    now: datetime,
    rng: random.Random,
) -> None:
    """One complaint about the dossier, answered (mostly on time), published and often rated."""
    at = drawn.feedback_at
    category, title = rng.choice(FEEDBACK_TOPICS)
    due = at + timedelta(days=21)  # about 15 working days (CCHC_FEEDBACK_ANSWER_DAYS)
    values = _draw_feedback_answer(rng, at, title, now)
    feedback_id = out.take_id("feedback")
    out.writer.add(
        Feedback,
        {
            "id": feedback_id,
            # The one allocator of feedback codes (the day's counter), like every submission.
            "code": feedback_services.allocate_code(_aware(at)),
            "subject_kind": "dossier",
            "procedure_id": drawn.procedure.pk,
            "dossier_id": drawn.id,
            "title": title,
            "content": f"Về hồ sơ {drawn.code}: {title.lower()}.",
            "sender_name": "Người nộp hồ sơ",
            "rating_token_hash": "",
            "unit_id": unit.pk,
            "category": category,
            "status": values.pop("status"),
            "received_at": _aware(at),
            "due_at": _aware(due),
            "classified_at": _aware(at + timedelta(hours=4)),
            "public_content": f"Phản ánh về {title.lower()}.",
            "created_at": _aware(at),
            "updated_at": _aware(at),
            **values,
        },
    )
    _feedback_events(out.writer, feedback_id, unit, at, values)


def _draw_feedback_answer(rng: random.Random, at: datetime, title: str, now: datetime) -> dict:
    """The feedback's status and the answer fields it has by ``now``."""
    answered = at + timedelta(days=rng.uniform(1, 26))
    if answered > now:
        return {"status": "classified"}
    values = {
        "status": "published",
        "answered_at": _aware(answered),
        "answer": FEEDBACK_ANSWER,
        "published_at": _aware(answered + timedelta(hours=2)),
        "public_title": title,  # published answers are listed by their title
        "public_answer": FEEDBACK_ANSWER,
    }
    if rng.random() < 0.5:
        values["status"] = "rated"
        values["rating"] = rng.choices(
            ["satisfied", "neutral", "dissatisfied"], weights=[60, 25, 15]
        )[0]
        values["rated_at"] = _aware(answered + timedelta(days=1))
    return values


def _feedback_events(writer: Writer, feedback_id: int, unit, at: datetime, values: dict) -> None:
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
            at=_event_time(when),
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
