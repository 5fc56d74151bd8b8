"""Test helpers: units, users with a role, a small spec covering every kind, stored copies."""

from __future__ import annotations

from cchc.organisations.models import OrganisationUnit, Role, RoleAssignment, UnitKind
from cchc.organisations.tests.factories import OrganisationUnitFactory, UserFactory
from cchc.surveys import services
from cchc.surveys.engine.form import (
    Choice,
    Condition,
    Factor,
    FormSpec,
    MatrixItem,
    Question,
    Section,
)


def unit(name="Sở Nội vụ tỉnh An Bình", parent=None, **extra) -> OrganisationUnit:
    return OrganisationUnitFactory(
        name=name, parent=parent, kind=extra.pop("kind", UnitKind.DEPARTMENT), **extra
    )


def user_with(role, in_unit, **extra):
    user = UserFactory(**extra)
    RoleAssignment.objects.create(user=user, unit=in_unit, role=role)
    return user


def reform_staff(in_unit):
    return user_with(Role.REFORM_STAFF, in_unit)


def small_spec(code="phieu-thu") -> FormSpec:
    """Every kind once, a factor on a question and on matrix items, a skip chain."""
    likert = [
        Choice(str(n), label)
        for n, label in enumerate(["Rất kém", "Kém", "TB", "Tốt", "Rất tốt"], 1)
    ]
    return FormSpec(
        code=code,
        title="Phiếu thử nghiệm",
        version="1",
        source="Thử nghiệm",
        factors=[Factor("access", "Tiếp cận", 1), Factor("staff", "Công chức", 2)],
        sections=[
            Section(
                code="a",
                title="Phần A",
                questions=[
                    Question(code="used", label="Đã dùng dịch vụ?", kind="yes_no", required=True),
                    Question(
                        code="grade",
                        label="Chấm điểm",
                        kind="likert5",
                        factor="staff",
                        choices=likert,
                        show_when=[Condition("used", "=", "yes")],
                    ),
                    Question(
                        code="grid",
                        label="Tiếp cận",
                        kind="matrix",
                        required=True,
                        choices=likert,
                        items=[
                            MatrixItem("g1", "Biển hiệu", "access"),
                            MatrixItem("g2", "Ghế", ""),
                        ],
                    ),
                ],
            ),
            Section(
                code="b",
                title="Phần B",
                show_when=[Condition("grade", "<=", "2")],
                questions=[
                    Question(code="why", label="Vì sao?", kind="text", hint="Ngắn gọn"),
                    Question(code="n", label="Số lần", kind="number"),
                    Question(code="d", label="Ngày", kind="date"),
                    Question(
                        code="m",
                        label="Chọn nhiều",
                        kind="multiple",
                        choices=[Choice("x", "X"), Choice("y", "Y")],
                    ),
                    Question(
                        code="s4",
                        label="Mức độ",
                        kind="scale4",
                        choices=[Choice(str(n), f"Mức {n}") for n in range(1, 5)],
                    ),
                    Question(code="note", label="Cảm ơn", kind="note"),
                    Question(code="one", label="Một", kind="single", choices=[Choice("a", "A")]),
                ],
            ),
        ],
    )


def agency_questionnaire(owner, actor=None, code="phieu-thu"):
    """A unit's questionnaire stored through the service (as the owner's reform staff)."""
    return services.create_from_spec(actor or reform_staff(owner), small_spec(code), unit=owner)
