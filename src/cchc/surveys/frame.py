"""The sampling frame (khung mẫu) of a campaign, read from the dossiers, and its seeded draw.

Who is in the frame: the people whose dossiers were resolved and whose results were **returned**
(``Dossier.status`` RETURNED) on a day of the campaign's period (``returned_at`` from
``period_start`` to ``period_end``, both included, in the site's local time), at a surveyed unit
(QĐ 1001/QĐ-BNV: respondents are people who carried out a procedure in the survey period;
par-sipas-plan-sources §B).

At which unit: the dossier's ``receiving_unit`` (the one-stop unit that received it and returned
the result) lies in the surveyed unit's subtree — the unit itself or a unit below it, as the
reports app scopes a unit (``ReportRequest.unit_ids``). So a commune's People's Committee, whose
public administration service centre is a unit under it, is surveyed on the dossiers its centre
received. A unit whose dossiers a centre *outside* its subtree receives (a department served by
the province's centre) is surveyed by choosing that centre. When two surveyed units are nested, a
dossier belongs to the deepest one: a person is in one stratum only.

One record per person: dossiers are de-duplicated by the applicant's ID number (số định danh),
the most recently returned dossier kept (its unit, field and contact). A dossier without an ID
number counts as its own person. The frame record's id is the kept dossier's primary key, never
the ID number: the fingerprint recorded with the draw (``engine.sampling.frame_fingerprint``) can
be recomputed from the database without handling personal data.

The contact of a drawn person, in the order the campaign allows them: the phone for SMS, the
phone for Zalo, then the e-mail. A drawn person with no usable contact is counted and reported
(``no_contact``), not invited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from cchc.dossiers.models import Dossier, Status

from .engine import sampling
from .models import Campaign, ResponseChannel

PHONE = re.compile(r"^\+?[0-9 .()-]{9,20}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
#: Which contact each invitation channel uses, in the order tried.
CONTACT_ORDER = (
    (ResponseChannel.SMS, "phone"),
    (ResponseChannel.ZALO, "phone"),
    (ResponseChannel.EMAIL, "email"),
)


@dataclass(frozen=True)
class Person:
    """What the draw keeps of a frame record to invite it (never shown on a page)."""

    dossier_id: int
    unit_id: int
    field_code: str
    phone: str
    email: str


@dataclass
class Frame:
    """The frame of a campaign: engine records, and per record id the person behind it."""

    records: list[sampling.FrameRecord] = field(default_factory=list)
    people: dict[str, Person] = field(default_factory=dict)
    unit_keys: dict[int, str] = field(default_factory=dict)  # unit pk → the key in the engine


def local_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, the day after ``end`` 00:00) in the site's time zone."""
    zone = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), zone),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), zone),
    )


def _field_code(row: dict) -> str:
    """The procedure's field (lĩnh vực) code; its number when the catalogue has no code."""
    if row["procedure__field__code"]:
        return row["procedure__field__code"]
    return f"field-{row['procedure__field_id']}" if row["procedure__field_id"] else ""


def build_frame(campaign: Campaign) -> Frame:
    """The campaign's frame, in one query of the dossiers (see the module's docstring)."""
    units = list(campaign.units.select_related("unit"))
    frame = Frame(unit_keys={cu.unit_id: cu.unit.code for cu in units})
    if not units:
        return frame
    # Deepest first, so a dossier goes to the innermost surveyed unit containing it.
    paths = sorted(((cu.unit.path, cu.unit_id) for cu in units), key=lambda p: -len(p[0]))
    start, end = local_bounds(campaign.period_start, campaign.period_end)
    scope = Q(pk__in=[])
    for path, _unit in paths:
        scope |= Q(receiving_unit__path__startswith=path)
    rows = (
        Dossier.objects.filter(
            scope, status=Status.RETURNED, returned_at__gte=start, returned_at__lt=end
        )
        .order_by("returned_at", "pk")
        .values(
            "pk",
            "applicant_id_number",
            "applicant_phone",
            "applicant_email",
            "returned_at",
            "receiving_unit__path",
            "procedure__field__code",
            "procedure__field_id",
        )
    )
    latest: dict[str, dict] = {}
    for row in rows:  # ordered by return: a later dossier of the same person replaces the earlier
        person = (row["applicant_id_number"] or "").strip().upper() or f"dossier-{row['pk']}"
        latest[person] = row
    for row in latest.values():
        unit_id = next(u for path, u in paths if row["receiving_unit__path"].startswith(path))
        record = sampling.FrameRecord(
            id=str(row["pk"]), unit=frame.unit_keys[unit_id], field=_field_code(row)
        )
        frame.records.append(record)
        frame.people[record.id] = Person(
            dossier_id=row["pk"],
            unit_id=unit_id,
            field_code=record.field,
            phone=(row["applicant_phone"] or "").strip(),
            email=(row["applicant_email"] or "").strip(),
        )
    frame.records.sort(key=lambda r: (r.unit, int(r.id)))
    return frame


def contact_for(person: Person, channels) -> tuple[str, str] | None:
    """(channel, contact) by the first usable contact the campaign's channels allow, or None."""
    for channel, kind in CONTACT_ORDER:
        if channel not in channels:
            continue
        value = person.phone if kind == "phone" else person.email
        pattern = PHONE if kind == "phone" else EMAIL
        if value and pattern.match(value):
            return str(channel), value
    return None


def size_rule(campaign: Campaign) -> sampling.SizeRule:
    """The campaign's rule as the engine's value (raises ValueError when it is incomplete)."""
    table = (
        tuple((bound, float(share)) for bound, share in (campaign.volume_table or []))
        or sampling.DEFAULT_VOLUME_TABLE
    )
    return sampling.SizeRule(
        method=campaign.size_method,
        margin=float(campaign.margin),
        confidence=float(campaign.confidence),
        quota=campaign.quota,
        table=table,
    )


def targets(campaign: Campaign, frame: Frame) -> dict[str, int]:
    """The sizes set by hand (``CampaignUnit.target_override``), by engine unit key."""
    return {
        frame.unit_keys[cu.unit_id]: cu.target_override
        for cu in campaign.units.all()
        if cu.target_override is not None
    }


def draw(campaign: Campaign, frame: Frame, seed: int) -> sampling.Draw:
    """The seeded stratified draw of ``frame`` (engine.sampling.draw_sample)."""
    return sampling.draw_sample(
        frame.records,
        size_rule(campaign),
        seed,
        by_field=campaign.by_field,
        targets=targets(campaign, frame),
    )
