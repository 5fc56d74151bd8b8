"""Demo data: an illustrative province after the 2025 reform, its users, and the sample catalog.

The province "An Bình" is fictional (so nobody mistakes demo data for a real agency's); its unit
codes follow the shape of the official identifiers (QCVN 102:2016/BTTTT, level-1 code H99).
Loading is idempotent: units and users are matched by code and username. ``load_demo`` (``cchc
load-demo``) also makes the live dossiers and feedback (:mod:`cchc.demo.dossiers`,
:mod:`cchc.demo.feedback`) and the synthetic history (:mod:`cchc.demo.generate`).
"""

from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from cchc.catalog import importing
from cchc.catalog.models import Procedure
from cchc.dossiers.models import Dossier, DossierEvent
from cchc.organisations.models import OrganisationUnit, Role, RoleAssignment, UnitKind

from . import dossiers as demo_dossiers
from .clock import require_time_machine
from .committee import load_committee
from .feedback import load_feedback
from .generate import DEMO_NOTE, generate
from .inspections import load_inspections
from .par_criteria import load_par_criteria
from .par_rounds import load_par_rounds
from .plans import load_plans
from .reformreports import load_reformreports
from .surveys import load_surveys

SAMPLE_CATALOG = (
    Path(__file__).resolve().parent.parent / "catalog" / "data" / "sample_procedures.json"
)
DEMO_PASSWORD = "demo-cchc-2026"
DEMO_CITIZEN = "congdan"  # a citizen account (no role) that owns some online demo dossiers

PROVINCE = "000.00.00.H99"
OTHER_DEPARTMENTS = [
    ("000.00.02.H99", "Văn phòng Ủy ban nhân dân tỉnh"),
    ("000.00.19.H99", "Sở Công Thương"),
    ("000.00.20.H99", "Sở Y tế"),
    ("000.00.21.H99", "Sở Giáo dục và Đào tạo"),
    ("000.00.22.H99", "Sở Văn hóa, Thể thao và Du lịch"),
    ("000.00.23.H99", "Sở Khoa học và Công nghệ"),
    ("000.00.24.H99", "Sở Dân tộc và Tôn giáo"),
    ("000.00.25.H99", "Sở Ngoại vụ"),
    ("000.00.26.H99", "Thanh tra tỉnh"),
]
UNITS = [
    # code, kind, name, parent code
    (PROVINCE, UnitKind.PROVINCE_COMMITTEE, "Ủy ban nhân dân tỉnh An Bình", None),
    (
        "000.00.01.H99",
        UnitKind.SERVICE_CENTRE,
        "Trung tâm Phục vụ hành chính công tỉnh An Bình",
        PROVINCE,
    ),
    ("000.00.10.H99", UnitKind.DEPARTMENT, "Sở Nội vụ", PROVINCE),
    ("000.00.15.H99", UnitKind.DEPARTMENT, "Sở Tư pháp", PROVINCE),
    ("000.00.16.H99", UnitKind.DEPARTMENT, "Sở Xây dựng", PROVINCE),
    ("000.00.17.H99", UnitKind.DEPARTMENT, "Sở Nông nghiệp và Môi trường", PROVINCE),
    ("000.01.17.H99", UnitKind.DIVISION, "Văn phòng Đăng ký đất đai", "000.00.17.H99"),
    ("000.00.18.H99", UnitKind.DEPARTMENT, "Sở Tài chính", PROVINCE),
    # The rest of the provincial departments after the 2025 merger: assessed by the PAR INDEX
    # round (sở, ban, ngành), like the five above.
    *[(code, UnitKind.DEPARTMENT, name, PROVINCE) for code, name in OTHER_DEPARTMENTS],
    ("000.00.31.H99", UnitKind.COMMUNE_COMMITTEE, "Ủy ban nhân dân phường Đông Thành", PROVINCE),
    (
        "000.01.31.H99",
        UnitKind.SERVICE_CENTRE,
        "Trung tâm Phục vụ hành chính công phường Đông Thành",
        "000.00.31.H99",
    ),
    ("000.00.32.H99", UnitKind.COMMUNE_COMMITTEE, "Ủy ban nhân dân phường Tây Sơn", PROVINCE),
    (
        "000.01.32.H99",
        UnitKind.SERVICE_CENTRE,
        "Trung tâm Phục vụ hành chính công phường Tây Sơn",
        "000.00.32.H99",
    ),
    ("000.00.33.H99", UnitKind.COMMUNE_COMMITTEE, "Ủy ban nhân dân xã Hòa Bình", PROVINCE),
    (
        "000.01.33.H99",
        UnitKind.SERVICE_CENTRE,
        "Trung tâm Phục vụ hành chính công xã Hòa Bình",
        "000.00.33.H99",
    ),
    ("000.00.34.H99", UnitKind.COMMUNE_COMMITTEE, "Ủy ban nhân dân xã Tân Lập", PROVINCE),
    (
        "000.01.34.H99",
        UnitKind.SERVICE_CENTRE,
        "Trung tâm Phục vụ hành chính công xã Tân Lập",
        "000.00.34.H99",
    ),
    ("000.00.35.H99", UnitKind.COMMUNE_COMMITTEE, "Ủy ban nhân dân xã Phú Mỹ", PROVINCE),
    (
        "000.01.35.H99",
        UnitKind.SERVICE_CENTRE,
        "Trung tâm Phục vụ hành chính công xã Phú Mỹ",
        "000.00.35.H99",
    ),
    ("000.00.36.H99", UnitKind.COMMUNE_COMMITTEE, "Ủy ban nhân dân đặc khu Hòn Ngọc", PROVINCE),
]

# Who receives for whom (OrganisationUnit.one_stop_unit): the provincial centre receives for the
# provincial committee and its departments (and their divisions); each ward's or commune's centre
# for its People's Committee (Nghị định 118/2025/NĐ-CP). Đặc khu Hòn Ngọc has no centre in the demo:
# its committee receives its own dossiers.
PROVINCE_CENTRE = "000.00.01.H99"
RECEIVED_BY = {
    PROVINCE: PROVINCE_CENTRE,
    "000.00.10.H99": PROVINCE_CENTRE,
    "000.00.15.H99": PROVINCE_CENTRE,
    "000.00.16.H99": PROVINCE_CENTRE,
    "000.00.17.H99": PROVINCE_CENTRE,
    "000.01.17.H99": PROVINCE_CENTRE,
    "000.00.18.H99": PROVINCE_CENTRE,
    **{code: PROVINCE_CENTRE for code, _name in OTHER_DEPARTMENTS},
    "000.00.31.H99": "000.01.31.H99",
    "000.00.32.H99": "000.01.32.H99",
    "000.00.33.H99": "000.01.33.H99",
    "000.00.34.H99": "000.01.34.H99",
    "000.00.35.H99": "000.01.35.H99",
}

# Province-level procedures are implemented by the department of their field.
FIELD_DEPARTMENTS = {
    "Hộ tịch": "000.00.15.H99",
    "Chứng thực": "000.00.15.H99",
    "Nuôi con nuôi": "000.00.15.H99",
    "Trợ giúp pháp lý": "000.00.15.H99",
    "Hoạt động xây dựng": "000.00.16.H99",
    "Đất đai": "000.01.17.H99",
    "Đăng ký biện pháp bảo đảm": "000.01.17.H99",
    "Thành lập và hoạt động doanh nghiệp (hộ kinh doanh)": "000.00.18.H99",
    "Thành lập và hoạt động của doanh nghiệp": "000.00.18.H99",
}


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    position: str
    role: Role
    unit_code: str
    superuser: bool = False


USERS = [
    DemoUser("quantri", "Trần Quốc Bảo", "Quản trị hệ thống", Role.SYSTEM_ADMIN, PROVINCE, True),
    DemoUser(
        "motcua.tinh", "Nguyễn Thị Lan", "Cán bộ một cửa", Role.ONE_STOP_OFFICER, "000.00.01.H99"
    ),
    DemoUser(
        "motcua.dongthanh", "Lê Văn Minh", "Cán bộ một cửa", Role.ONE_STOP_OFFICER, "000.01.31.H99"
    ),
    DemoUser(
        "chuyenvien.tuphap", "Phạm Thu Hà", "Chuyên viên", Role.PROCESSING_OFFICER, "000.00.15.H99"
    ),
    DemoUser(
        "chuyenvien.dongthanh",
        "Hoàng Đức Anh",
        "Công chức Tư pháp – Hộ tịch",
        Role.PROCESSING_OFFICER,
        "000.00.31.H99",
    ),
    DemoUser(
        "lanhdao.dongthanh", "Vũ Thị Hương", "Chủ tịch UBND phường", Role.LEADER, "000.00.31.H99"
    ),
    DemoUser("lanhdao.tuphap", "Đỗ Mạnh Hùng", "Giám đốc Sở Tư pháp", Role.LEADER, "000.00.15.H99"),
    DemoUser(
        "cchc.noivu", "Bùi Thanh Tâm", "Chuyên viên CCHC, Sở Nội vụ", Role.REFORM_STAFF, PROVINCE
    ),
    DemoUser("kiemtra", "Ngô Minh Khoa", "Thanh tra (chỉ xem)", Role.AUDITOR, PROVINCE),
    # The PAR INDEX appraisal council (cchc.noivu is its secretary): demo/par_rounds.py.
    DemoUser(
        "hoidong.chutich",
        "Hoàng Văn Thành",
        "Giám đốc Sở Nội vụ, Chủ tịch Hội đồng thẩm định Chỉ số CCHC",
        Role.LEADER,
        "000.00.10.H99",
    ),
    DemoUser(
        "hoidong.thanhvien",
        "Trịnh Thu Trang",
        "Chuyên viên Sở Nội vụ, thành viên Hội đồng thẩm định",
        Role.PROCESSING_OFFICER,
        "000.00.10.H99",
    ),
]


@transaction.atomic
def load_units() -> dict[str, OrganisationUnit]:
    units: dict[str, OrganisationUnit] = {}
    for code, kind, name, parent_code in UNITS:
        unit, _ = OrganisationUnit.objects.update_or_create(
            code=code,
            defaults={
                "kind": kind,
                "name": name,
                "parent": units.get(parent_code) if parent_code else None,
                "address": f"{name}, tỉnh An Bình",
            },
        )
        units[code] = unit
    for code, receiver in RECEIVED_BY.items():
        if units[code].one_stop_unit_id != units[receiver].pk:
            units[code].one_stop_unit = units[receiver]
            units[code].save(update_fields=["one_stop_unit"])
    return units


@transaction.atomic
def load_users(units: dict[str, OrganisationUnit]) -> list[DemoUser]:
    User = get_user_model()
    for demo in USERS:
        user, _ = User.objects.update_or_create(
            username=demo.username,
            defaults={
                "full_name": demo.full_name,
                "position": demo.position,
                "is_staff": demo.superuser or demo.role in (Role.SYSTEM_ADMIN,),
                "is_superuser": demo.superuser,
                "email": f"{demo.username}@anbinh.example",
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        RoleAssignment.objects.get_or_create(
            user=user, unit=units[demo.unit_code], role=demo.role, defaults={"active": True}
        )
    citizen, _ = User.objects.update_or_create(
        username=DEMO_CITIZEN, defaults={"full_name": "Đinh Thị Thu", "is_staff": False}
    )
    citizen.set_password(DEMO_PASSWORD)
    citizen.save(update_fields=["password"])
    return USERS


def load_catalog(units: dict[str, OrganisationUnit]) -> importing.ImportReport:
    report = importing.import_file(SAMPLE_CATALOG.read_bytes(), SAMPLE_CATALOG.name)
    if not report.written:
        raise RuntimeError("; ".join(str(error) for error in report.errors))
    communes = [u for u in units.values() if u.kind == UnitKind.COMMUNE_COMMITTEE]
    with transaction.atomic():
        for procedure in Procedure.objects.select_related("field"):
            implementing = list(communes) if procedure.level_commune else []
            department = FIELD_DEPARTMENTS.get(procedure.field.name)
            if procedure.level_province and department:
                implementing.append(units[department])
            procedure.implementing_units.set(implementing)
    return report


DEMO_DOSSIER_UNIT = "000.01.31.H99"  # the service centre of phường Đông Thành


def load_dossiers() -> int:
    """Dossiers over the last months, once: a second run adds none."""
    if Dossier.objects.filter(receiving_unit__code=DEMO_DOSSIER_UNIT).exists():
        return 0
    cast = demo_dossiers.cast_for(
        DEMO_DOSSIER_UNIT,
        "motcua.dongthanh",
        "chuyenvien.dongthanh",
        "lanhdao.dongthanh",
        citizen=DEMO_CITIZEN,
    )
    with transaction.atomic():  # all or nothing, so a failed run can simply be repeated
        return demo_dossiers.load_dossiers(cast)


def load_demo() -> tuple[list[DemoUser], importing.ImportReport, int]:
    require_time_machine()  # before anything is written: the live dossiers move the clock
    units = load_units()
    users = load_users(units)
    report = load_catalog(units)
    created = load_dossiers()
    load_feedback()
    load_par_criteria()
    load_history()
    load_par_rounds()  # after the history: its computed criteria read last year's dossiers
    load_surveys()  # after the dossiers: the open campaign invites some of their applicants
    load_plans()  # the reform plans of the province and Sở Tư pháp (read by what follows)
    load_inspections()  # after the plans and surveys: the record freezes their figures
    load_committee()  # the provincial steering committee, its meetings and conclusions (tasks)
    load_reformreports()  # last: the reports' figures read every other module's data
    return users, report, created


def load_history() -> int:
    """Two years of synthetic history for the dashboard, reports and 766 page (once).

    ``CCHC_DEMO_HISTORY_DOSSIERS`` (default 6,000) sets its size; ``cchc generate-demo`` adds more.
    """
    from cchc.conf import conf

    size = conf.DEMO_HISTORY_DOSSIERS
    if size <= 0 or DossierEvent.objects.filter(note=DEMO_NOTE).exists():
        return 0
    return generate(size, units=8, years=2).dossiers
