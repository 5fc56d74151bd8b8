"""A province for the campaign tests: its organiser, two communes (one served by a centre under
it), the staff who run, read or must not touch the campaign, and returned dossiers."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from cchc.catalog.models import Field, Procedure
from cchc.dossiers.models import Dossier, Status
from cchc.organisations.models import OrganisationUnit, Role, UnitKind
from cchc.surveys import campaigns as services
from cchc.surveys import services as questionnaires
from cchc.surveys.models import CampaignStatus

from . import campaign_factories, factories

VN = ZoneInfo("Asia/Ho_Chi_Minh")
_numbers = itertools.count(1)


@dataclass
class World:
    province: OrganisationUnit
    commune_a: OrganisationUnit
    centre_a: OrganisationUnit
    commune_b: OrganisationUnit
    outsider_unit: OrganisationUnit
    civil: Field
    land: Field
    procedures: dict = field(default_factory=dict)
    reform: object = None  # reform staff of the organiser: runs the campaigns
    commune_leader: object = None  # reads the campaign surveying the commune
    commune_reform: object = None  # reform staff below the organiser: may not run it
    other_reform: object = None  # another province's reform staff

    def dossier(
        self,
        unit,
        *,
        returned: datetime | None = None,
        status=Status.RETURNED,
        id_number: str | None = None,
        phone: str = "0900000000",
        email: str = "",
        field: Field | None = None,
    ) -> Dossier:
        number = next(_numbers)
        procedure = self.procedures[(field or self.civil).pk]
        return Dossier.objects.create(
            code=f"H99.{number:05d}",
            receiving_unit=unit,
            current_unit=unit,
            procedure=procedure,
            status=status,
            channel=1,
            applicant_kind="individual",
            applicant_name=f"Người nộp {number}",
            applicant_id_type="cccd",
            applicant_id_number=f"0010900{number:05d}" if id_number is None else id_number,
            applicant_phone=phone if phone != "0900000000" else f"09{number:08d}",
            applicant_email=email,
            returned_at=returned or datetime(2026, 5, 4, 10, 0, tzinfo=VN),
        )

    def dossiers(self, unit, count: int, **options) -> list[Dossier]:
        return [self.dossier(unit, **options) for _ in range(count)]

    def campaign(self, *, units=None, code="sipas-thu", **extra):
        extra.setdefault("channels", ("sms", "qr"))
        return campaign_factories.campaign(
            self.province,
            units or [self.commune_a, self.commune_b],
            code=code,
            status=CampaignStatus.DRAFT,
            **extra,
        )

    def setup(self, **change) -> services.CampaignSetup:
        values = {
            "code": "sipas-2026",
            "name": "Khảo sát SIPAS 2026",
            "questionnaire": questionnaires.ensure_builtin(),
            "organiser": self.province,
            "units": [self.commune_a, self.commune_b],
            "period_start": date(2026, 1, 1),
            "period_end": date(2026, 9, 30),
            "opens_on": date(2026, 10, 1),
            "closes_on": date(2026, 11, 30),
            "channels": ["sms", "qr"],
        }
        values.update(change)
        return services.CampaignSetup(**values)

    def create(self, **change):
        return services.create_campaign(self.reform, self.setup(**change))


def make_world() -> World:
    province = factories.unit("UBND tỉnh An Bình", kind=UnitKind.PROVINCE_COMMITTEE)
    commune_a = factories.unit("UBND xã Đông Thành", province, kind=UnitKind.COMMUNE_COMMITTEE)
    centre_a = factories.unit(
        "Trung tâm PVHCC xã Đông Thành", commune_a, kind=UnitKind.SERVICE_CENTRE
    )
    commune_b = factories.unit("UBND xã Tây Sơn", province, kind=UnitKind.COMMUNE_COMMITTEE)
    other = factories.unit("UBND tỉnh Bắc Hà", kind=UnitKind.PROVINCE_COMMITTEE)
    outsider_unit = factories.unit(
        "Trung tâm PVHCC tỉnh Bắc Hà", other, kind=UnitKind.SERVICE_CENTRE
    )
    civil = Field.objects.create(name="Hộ tịch", code="HT")
    land = Field.objects.create(name="Đất đai", code="DD")
    world = World(province, commune_a, centre_a, commune_b, outsider_unit, civil, land)
    for number, item in enumerate((civil, land)):
        world.procedures[item.pk] = Procedure.objects.create(
            code=f"1.00{number}",
            name=f"Thủ tục {item.name}",
            field=item,
            level_commune=True,
            time_limit_amount=5,
            time_limit_unit="working_days",
        )
    world.reform = factories.reform_staff(province)
    world.commune_leader = factories.user_with(Role.LEADER, commune_a)
    world.commune_reform = factories.reform_staff(commune_a)
    world.other_reform = factories.reform_staff(other)
    return world
