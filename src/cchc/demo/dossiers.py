"""Demo dossiers: a living one-stop shop over the last months, made through the real services.

Every dossier is received, processed and returned by the services, with the clock moved to the
moment each action happens (``time_machine`` through :mod:`cchc.demo.clock`: the ``demo`` extra,
which ``make demo`` installs), so deadlines, pauses and the hash-chained history are exactly what
real use would produce. Only the demo app moves the clock, and no page or API reaches it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from cchc.catalog.models import Procedure
from cchc.dossiers import services
from cchc.dossiers.models import Dossier, DossierComponent, Outcome, Status
from cchc.organisations.models import OrganisationUnit
from cchc.workdays import services as workdays

from .clock import travel

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Đức", "Thu", "Quang", "Thanh", "Hữu", "Kim"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hùng", "Lan", "Long", "Mai", "Nam"]
STREETS = [
    "Lê Lợi",
    "Trần Hưng Đạo",
    "Nguyễn Trãi",
    "Hai Bà Trưng",
    "Quang Trung",
    "Lý Thường Kiệt",
]
PDF_BYTES = b"%PDF-1.4\n% demo scan\n"


@dataclass
class Cast:
    officer: object
    processor: object
    leader: object
    unit: OrganisationUnit
    citizen: object = None


def _person(rng: random.Random) -> services.Applicant:
    name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    return services.Applicant(
        kind="individual",
        name=name,
        id_type="cccd",
        id_number=f"0{rng.randint(10, 96)}{rng.randint(0, 1)}{rng.randint(10**7, 10**8 - 1):08d}",
        phone=f"09{rng.randint(10**7, 10**8 - 1)}",
        email="",
        address=f"Số {rng.randint(1, 300)} đường {rng.choice(STREETS)}",
    )


def _at(engine, start: datetime, hours: float) -> datetime:
    local = engine.add_working_minutes(workdays.to_local_naive(start), max(1, int(hours * 60)))
    return workdays.to_aware(local)


def load_dossiers(cast: Cast, count: int = 120, days: int = 100, seed: int = 2026) -> int:
    """Create ``count`` dossiers received over the last ``days`` days; returns how many."""
    rng = random.Random(seed)
    procedures = list(
        Procedure.objects.active()
        .filter(level_commune=True, workflow_steps__isnull=False)
        .distinct()
        .prefetch_related("components", "workflow_steps")
    )
    engine = workdays.get_engine(cast.unit)
    now = timezone.now()
    created = 0
    for _ in range(count):
        span = 8 if rng.random() < 0.3 else days  # a busy last week: open work in every queue
        received = timezone.localtime(now - timedelta(days=rng.uniform(0.05, span)))
        received = received.replace(hour=rng.randint(7, 16), minute=rng.choice([5, 20, 35, 50]))
        if received >= now:
            continue
        local = workdays.to_local_naive(received)
        if not engine.calendar.is_working_day(local.date()):
            continue
        procedure = rng.choice(procedures)
        online = procedure.channel_online and rng.random() < 0.35
        with travel(received):
            dossier = _intake(cast, procedure, _person(rng), online, rng)
        created += 1
        _progress(cast, dossier, engine, received, now, rng)
    return created


def _intake(cast: Cast, procedure: Procedure, person, online: bool, rng) -> Dossier:
    if not online:
        components = [{"required_id": c.pk} for c in procedure.components.all() if c.mandatory]
        return services.receive_at_counter(cast.officer, cast.unit, procedure, person, components)
    owner = cast.citizen if cast.citizen is not None and rng.random() < 0.4 else None
    if owner is not None:
        person.name = owner.full_name
    draft = services.create_draft(owner, cast.unit, procedure, person)
    for component in procedure.components.filter(mandatory=True):
        DossierComponent.objects.create(
            dossier=draft,
            required=component,
            name=component.name,
            file=ContentFile(PDF_BYTES, name="ban-quet.pdf"),
            digitised=True,
        )
    return services.submit_online(draft.pk, owner)


def _progress(cast, dossier: Dossier, engine, start: datetime, now: datetime, rng) -> None:
    """Walk a dossier forward in time; stop where its next action would be in the future."""
    moment = start
    plan = rng.random()

    def later(hours: float) -> bool:
        nonlocal moment
        moment = _at(engine, moment, hours)
        return moment < now

    def seen() -> int:
        """The version an officer's page would show now (deadline actions must send it)."""
        return Dossier.objects.values_list("version", flat=True).get(pk=dossier.pk)

    def run(action, *args, **kwargs):
        if action.__name__ in services.DEADLINE_ACTIONS:
            kwargs.setdefault("expected_version", seen())
        with travel(moment):
            return action(dossier.pk, *args, **kwargs)

    if dossier.status == Status.SUBMITTED:
        if not later(rng.uniform(0.5, 6)):
            return
        if plan < 0.04:
            run(services.refuse_intake, cast.officer, "Hồ sơ không thuộc thẩm quyền giải quyết.")
            return
        run(services.accept, cast.officer)
    if plan < 0.06 and later(rng.uniform(2, 12)):
        run(services.withdraw, cast.officer, "Công dân có đơn xin rút hồ sơ.")
        return
    steps = list(dossier.procedure.workflow_steps.order_by("order"))
    slow = 1.35 if plan > 0.88 else rng.uniform(0.25, 0.85)
    for index, step in enumerate(steps):
        if index == 1 and 0.16 <= plan < 0.18:  # stopped: a dispute over the land, say
            if later(float(step.hours) * 0.4):
                run(
                    services.stop,
                    cast.leader,
                    "Có tranh chấp, chờ cơ quan có thẩm quyền giải quyết.",
                )
            return
        if index == 1 and 0.18 <= plan < 0.24:  # taxes or charges to pay before the result
            if not later(float(step.hours) * 0.3):
                return
            run(
                services.request_financial_obligation,
                cast.processor,
                rng.choice([150000, 500000]),
                "Nộp lệ phí trước bạ theo thông báo.",
            )
            if not later(rng.uniform(4, 24)):
                return
            run(services.record_payment, cast.officer, rng.random() < 0.5)
        if index == 1 and 0.06 <= plan < 0.16:
            if not later(float(step.hours) * 0.3):
                return
            run(
                services.request_supplement,
                cast.processor,
                "Bản sao giấy tờ còn thiếu.",
                "Hồ sơ thiếu giấy tờ theo quy định.",
            )
            if not later(rng.uniform(8, 40)):
                return
            run(services.complete_supplement, cast.officer)
        if index == 1 and plan > 0.88:  # a slow dossier: the unit apologises in good time
            if not later(1):
                return
            due_at = Dossier.objects.get(pk=dossier.pk).due_at
            new_appointment = _at(engine, due_at, 16)
            letter = run(
                services.draft_apology,
                cast.processor,
                "Hồ sơ cần xác minh thêm với cơ quan liên quan.",
                new_appointment,
            )
            if not later(2):
                return
            with travel(moment):
                services.approve_apology(letter.pk, cast.leader, expected_version=seen())
        if not later(max(0.5, float(step.hours) * slow)):
            return
        if step.role == "leader" or index == len(steps) - 1:
            number = f"{rng.randint(1, 999)}/QĐ-UBND"
            run(services.approve_result, cast.leader, Outcome.APPROVED, number, "")
            break
        handler = {"processing_officer": cast.processor, "leader": cast.leader}.get(
            steps[index + 1].role
        )
        actor = cast.officer if step.role == "one_stop_officer" else cast.processor
        run(services.forward, actor, handler)
    if later(rng.uniform(1, 16)):
        run(services.return_result, cast.officer, "counter", dossier.applicant_name)


def cast_for(
    unit_code: str, officer: str, processor: str, leader: str, citizen: str | None = None
) -> Cast:
    users = get_user_model().objects
    return Cast(
        officer=users.get(username=officer),
        processor=users.get(username=processor),
        leader=users.get(username=leader),
        unit=OrganisationUnit.objects.get(code=unit_code),
        citizen=users.get(username=citizen) if citizen else None,
    )
