"""Organisation tree (materialised path), working hours, and the role-scoping rules."""

from datetime import datetime, time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from cchc.catalog.models import Field, Procedure, TimeUnit, WorkflowStep
from cchc.organisations import permissions
from cchc.organisations.models import OrganisationUnit, Role, RoleAssignment, UnitKind
from cchc.workdays import services as workdays
from cchc.workdays.engine import OfficeHours, Rule, TimeLimit

from .factories import OrganisationUnitFactory, RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db

UNITS_URL = "/api/v1/units/"


@pytest.fixture
def tree():
    """province ─┬─ dept_a ── division_a1 ── team_a1
                 └─ dept_b ── division_b1
    other_province (a second root)"""
    province = OrganisationUnitFactory(kind=UnitKind.PROVINCE_COMMITTEE, name="UBND tỉnh")
    dept_a = OrganisationUnitFactory(parent=province, name="Sở Tư pháp")
    division_a1 = OrganisationUnitFactory(
        parent=dept_a, kind=UnitKind.DIVISION, name="Phòng Hành chính tư pháp"
    )
    team_a1 = OrganisationUnitFactory(parent=division_a1, kind=UnitKind.DIVISION, name="Tổ hộ tịch")
    dept_b = OrganisationUnitFactory(parent=province, name="Sở Xây dựng")
    division_b1 = OrganisationUnitFactory(
        parent=dept_b, kind=UnitKind.DIVISION, name="Phòng Quản lý xây dựng"
    )
    other_province = OrganisationUnitFactory(
        kind=UnitKind.PROVINCE_COMMITTEE, name="UBND tỉnh khác"
    )
    return {
        "province": province,
        "dept_a": dept_a,
        "division_a1": division_a1,
        "team_a1": team_a1,
        "dept_b": dept_b,
        "division_b1": division_b1,
        "other_province": other_province,
    }


def fresh(user):
    """A new instance: assigned_paths caches per user object."""
    return type(user).objects.get(pk=user.pk)


def codes(queryset) -> set[str]:
    return set(queryset.values_list("code", flat=True))


def unit_codes(tree, *names) -> set[str]:
    return {tree[name].code for name in names}


# -- materialised path -----------------------------------------------------------------------
def test_path_and_depth_are_set_on_create(tree):
    province, dept_a = tree["province"], tree["dept_a"]
    division_a1, team_a1 = tree["division_a1"], tree["team_a1"]
    for unit in tree.values():
        unit.refresh_from_db()
    assert province.path == f"/{province.pk}/"
    assert province.depth == 0
    assert dept_a.path == f"/{province.pk}/{dept_a.pk}/"
    assert dept_a.depth == 1
    assert division_a1.path == f"/{province.pk}/{dept_a.pk}/{division_a1.pk}/"
    assert division_a1.depth == 2
    assert team_a1.path == f"{division_a1.path}{team_a1.pk}/"
    assert team_a1.depth == 3
    assert tree["other_province"].depth == 0


def test_subtree_and_ancestors(tree):
    assert codes(OrganisationUnit.objects.subtree_of(tree["dept_a"])) == unit_codes(
        tree, "dept_a", "division_a1", "team_a1"
    )
    team = OrganisationUnit.objects.get(pk=tree["team_a1"].pk)
    assert [unit.pk for unit in team.ancestors()] == [
        tree["province"].pk,
        tree["dept_a"].pk,
        tree["division_a1"].pk,
    ]
    assert tree["province"].ancestors() == []


def test_moving_a_unit_updates_all_descendant_paths(tree):
    dept_a = OrganisationUnit.objects.get(pk=tree["dept_a"].pk)
    dept_b = OrganisationUnit.objects.get(pk=tree["dept_b"].pk)
    dept_a.parent = dept_b
    dept_a.save()

    dept_a.refresh_from_db()
    division_a1 = OrganisationUnit.objects.get(pk=tree["division_a1"].pk)
    team_a1 = OrganisationUnit.objects.get(pk=tree["team_a1"].pk)
    division_b1 = OrganisationUnit.objects.get(pk=tree["division_b1"].pk)
    assert dept_a.path == f"{dept_b.path}{dept_a.pk}/"
    assert dept_a.depth == 2
    assert division_a1.path == f"{dept_a.path}{division_a1.pk}/"
    assert division_a1.depth == 3
    assert team_a1.path == f"{division_a1.path}{team_a1.pk}/"
    assert team_a1.depth == 4
    # The sibling subtree that was not moved is unchanged.
    assert division_b1.path == f"{dept_b.path}{division_b1.pk}/"
    assert division_b1.depth == 2
    assert codes(OrganisationUnit.objects.subtree_of(dept_b)) == unit_codes(
        tree, "dept_b", "division_b1", "dept_a", "division_a1", "team_a1"
    )
    assert [unit.pk for unit in team_a1.ancestors()] == [
        tree["province"].pk,
        dept_b.pk,
        dept_a.pk,
        division_a1.pk,
    ]


def test_moving_a_unit_to_the_top_and_to_another_tree(tree):
    division_a1 = OrganisationUnit.objects.get(pk=tree["division_a1"].pk)
    division_a1.parent = None
    division_a1.save()
    team = OrganisationUnit.objects.get(pk=tree["team_a1"].pk)
    assert team.path == f"/{division_a1.pk}/{team.pk}/"
    assert team.depth == 1

    division_a1.parent = OrganisationUnit.objects.get(pk=tree["other_province"].pk)
    division_a1.save()
    team.refresh_from_db()
    assert team.path == f"{tree['other_province'].path}{division_a1.pk}/{team.pk}/"
    assert team.depth == 2
    assert not OrganisationUnit.objects.subtree_of(tree["province"]).filter(pk=team.pk).exists()


def test_saving_without_moving_keeps_descendants(tree):
    dept_a = OrganisationUnit.objects.get(pk=tree["dept_a"].pk)
    before = dict(OrganisationUnit.objects.values_list("pk", "path"))
    dept_a.name = "Sở Tư pháp (đổi tên)"
    dept_a.save()
    assert dict(OrganisationUnit.objects.values_list("pk", "path")) == before


# -- validation ------------------------------------------------------------------------------
def test_clean_rejects_the_unit_itself_as_parent(tree):
    dept_a = OrganisationUnit.objects.get(pk=tree["dept_a"].pk)
    dept_a.parent = dept_a
    with pytest.raises(ValidationError) as excinfo:
        dept_a.clean()
    assert "parent" in excinfo.value.message_dict


@pytest.mark.parametrize("descendant", ["division_a1", "team_a1"])
def test_clean_rejects_a_descendant_as_parent(tree, descendant):
    dept_a = OrganisationUnit.objects.get(pk=tree["dept_a"].pk)
    dept_a.parent = OrganisationUnit.objects.get(pk=tree[descendant].pk)
    with pytest.raises(ValidationError) as excinfo:
        dept_a.clean()
    assert "parent" in excinfo.value.message_dict


def test_clean_accepts_a_sibling_subtree_and_a_new_unit(tree):
    dept_a = OrganisationUnit.objects.get(pk=tree["dept_a"].pk)
    dept_a.parent = tree["division_b1"]
    dept_a.clean()  # no error
    new = OrganisationUnit(kind=UnitKind.DIVISION, name="Mới", code="NEW.1", parent=dept_a)
    new.clean()


@pytest.mark.parametrize(
    "hours",
    [
        {"morning_start": time(11, 30), "morning_end": time(7, 30)},  # reversed morning
        {"morning_start": time(8, 0), "morning_end": time(8, 0)},  # empty morning
        {"morning_end": time(13, 30), "afternoon_start": time(13, 0)},  # overlap
        {"afternoon_start": time(17, 0), "afternoon_end": time(13, 0)},  # reversed afternoon
    ],
)
def test_clean_rejects_bad_working_hours(hours):
    unit = OrganisationUnit(kind=UnitKind.DIVISION, name="Giờ sai", code="BAD.1", **hours)
    with pytest.raises(ValidationError) as excinfo:
        unit.clean()
    assert "afternoon_start" in excinfo.value.message_dict


def test_clean_accepts_lunch_without_a_break():
    unit = OrganisationUnit(
        kind=UnitKind.DIVISION,
        name="Liền ca",
        code="OK.1",
        morning_end=time(12, 0),
        afternoon_start=time(12, 0),
    )
    unit.clean()


def test_office_hours_reflect_the_unit_configuration():
    default = OrganisationUnitFactory()
    assert default.office_hours() == OfficeHours()

    unit = OrganisationUnitFactory(
        morning_start=time(7, 0),
        morning_end=time(11, 0),
        afternoon_start=time(13, 30),
        afternoon_end=time(17, 0),
        same_day_cutoff=time(16, 0),
    )
    hours = unit.office_hours()
    assert hours.periods == ((time(7, 0), time(11, 0)), (time(13, 30), time(17, 0)))
    assert hours.same_day_cutoff == time(16, 0)
    assert hours.minutes_per_day == 4 * 60 + 3 * 60 + 30


def test_deadlines_use_the_unit_office_hours():
    unit = OrganisationUnitFactory(afternoon_start=time(13, 30))
    received = datetime(2025, 3, 3, 11, 0)  # Monday, a working day
    limit = TimeLimit(Rule.WORKING_HOURS, 2)
    # 30 minutes before lunch, then 90 minutes after the afternoon opens.
    assert workdays.compute_deadline(received, limit).due == workdays.to_aware(
        datetime(2025, 3, 3, 14, 30)
    )
    assert workdays.compute_deadline(received, limit, unit).due == workdays.to_aware(
        datetime(2025, 3, 3, 15, 0)
    )


# -- permissions -----------------------------------------------------------------------------
def test_a_role_covers_descendants_but_not_siblings_or_parents(tree):
    user = RoleAssignmentFactory(unit=tree["dept_a"]).user
    assert codes(permissions.units_for(user)) == unit_codes(
        tree, "dept_a", "division_a1", "team_a1"
    )
    assert permissions.has_role(user, unit=tree["team_a1"])
    assert permissions.has_role(user, unit=tree["dept_a"])
    assert not permissions.has_role(user, unit=tree["province"])
    assert not permissions.has_role(user, unit=tree["dept_b"])
    assert not permissions.has_role(user, unit=tree["division_b1"])
    assert not permissions.has_role(user, unit=tree["other_province"])


def test_a_role_in_a_leaf_covers_only_the_leaf(tree):
    user = RoleAssignmentFactory(unit=tree["team_a1"]).user
    assert codes(permissions.units_for(user)) == {tree["team_a1"].code}
    assert not permissions.has_role(user, unit=tree["division_a1"])


def test_path_prefix_does_not_leak_to_units_whose_id_starts_alike():
    # Paths "/7001/" and "/70012/": a naive prefix match would mix them up.
    unit = OrganisationUnitFactory(id=7001)
    lookalike = OrganisationUnitFactory(id=70012)
    child_of_lookalike = OrganisationUnitFactory(parent=lookalike)
    user = RoleAssignmentFactory(unit=unit).user
    assert codes(permissions.units_for(user)) == {unit.code}
    assert not permissions.has_role(user, unit=lookalike)
    assert not permissions.has_role(user, unit=child_of_lookalike)


def test_several_roles_in_several_units(tree):
    user = UserFactory()
    RoleAssignmentFactory(user=user, unit=tree["division_a1"], role=Role.PROCESSING_OFFICER)
    RoleAssignmentFactory(user=user, unit=tree["division_b1"], role=Role.LEADER)
    RoleAssignmentFactory(user=user, unit=tree["other_province"], role=Role.AUDITOR)

    assert codes(permissions.units_for(user)) == unit_codes(
        tree, "division_a1", "team_a1", "division_b1", "other_province"
    )
    assert codes(permissions.units_for(user, roles=Role.LEADER)) == {tree["division_b1"].code}
    assert codes(permissions.units_for(user, roles=[Role.PROCESSING_OFFICER])) == unit_codes(
        tree, "division_a1", "team_a1"
    )
    assert codes(
        permissions.units_for(user, roles=[Role.LEADER, Role.PROCESSING_OFFICER])
    ) == unit_codes(tree, "division_a1", "team_a1", "division_b1")
    assert not permissions.units_for(user, roles=Role.ONE_STOP_OFFICER).exists()
    assert not permissions.units_for(user, roles=[]).exists()

    assert permissions.has_role(user, Role.LEADER)
    assert permissions.has_role(user, Role.LEADER, tree["division_b1"])
    assert not permissions.has_role(user, Role.LEADER, tree["team_a1"])
    assert permissions.has_role(user, [Role.LEADER, Role.PROCESSING_OFFICER], tree["team_a1"])
    assert not permissions.has_role(user, Role.SYSTEM_ADMIN)


def test_nested_assignments_collapse_to_the_highest_unit(tree):
    user = UserFactory()
    RoleAssignmentFactory(user=user, unit=tree["dept_a"])
    RoleAssignmentFactory(user=user, unit=tree["team_a1"], role=Role.LEADER)
    assert permissions.assigned_paths(user) == [tree["dept_a"].path]
    assert permissions.assigned_paths(user, Role.LEADER) == [tree["team_a1"].path]


def test_inactive_assignments_are_ignored(tree):
    user = UserFactory()
    RoleAssignmentFactory(user=user, unit=tree["dept_a"], active=False)
    RoleAssignmentFactory(user=user, unit=tree["dept_b"])
    assert codes(permissions.units_for(user)) == unit_codes(tree, "dept_b", "division_b1")
    assert not permissions.has_role(user, unit=tree["dept_a"])


def test_assignments_in_inactive_units_are_ignored(tree):
    user = RoleAssignmentFactory(unit=tree["dept_a"]).user
    OrganisationUnit.objects.filter(pk=tree["dept_a"].pk).update(active=False)
    assert not permissions.has_role(fresh(user))
    assert not permissions.units_for(fresh(user)).exists()


def test_inactive_users_have_no_scope(tree):
    user = RoleAssignmentFactory(unit=tree["province"], role=Role.SYSTEM_ADMIN).user
    assert permissions.has_role(user)
    user.is_active = False
    user.save()
    user = fresh(user)
    assert permissions.assigned_paths(user) == []
    assert not permissions.has_role(user)
    assert not permissions.units_for(user).exists()
    assert not permissions.can_write(user)


def test_deactivating_an_assignment_takes_effect_for_a_new_request(tree):
    assignment = RoleAssignmentFactory(unit=tree["dept_a"])
    assert permissions.has_role(fresh(assignment.user))
    RoleAssignment.objects.filter(pk=assignment.pk).update(active=False)
    assert not permissions.has_role(fresh(assignment.user))


def test_anonymous_user_has_nothing(tree):
    anonymous = AnonymousUser()
    assert not permissions.has_role(anonymous)
    assert not permissions.units_for(anonymous).exists()
    assert not permissions.scope_to_units(RoleAssignment.objects.all(), anonymous).exists()
    assert not permissions.can_write(anonymous)


def test_superuser_sees_everything(tree):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    RoleAssignmentFactory(unit=tree["team_a1"])
    assert codes(permissions.units_for(superuser)) == {unit.code for unit in tree.values()}
    assert permissions.has_role(superuser, Role.LEADER, tree["other_province"])
    assert permissions.can_write(superuser, tree["province"])
    assert permissions.scope_to_units(RoleAssignment.objects.all(), superuser).count() == 1


def test_inactive_superuser_sees_nothing(tree):
    superuser = UserFactory(is_superuser=True, is_active=False)
    assert not permissions.sees_everything(superuser)
    assert not permissions.units_for(superuser).exists()


def test_scope_to_units_on_role_assignments(tree):
    user = RoleAssignmentFactory(unit=tree["dept_a"], role=Role.LEADER).user
    in_scope = [
        RoleAssignmentFactory(unit=tree["division_a1"]),
        RoleAssignmentFactory(unit=tree["team_a1"], role=Role.AUDITOR),
    ]
    out_of_scope = [
        RoleAssignmentFactory(unit=tree["province"]),
        RoleAssignmentFactory(unit=tree["division_b1"]),
        RoleAssignmentFactory(unit=tree["other_province"]),
    ]
    scoped = permissions.scope_to_units(RoleAssignment.objects.all(), user, field="unit")
    ids = set(scoped.values_list("pk", flat=True))
    assert ids == {a.pk for a in in_scope} | set(
        RoleAssignment.objects.filter(user=user).values_list("pk", flat=True)
    )
    assert not ids & {a.pk for a in out_of_scope}
    # roles= narrows the user's scope, not the rows: no auditor role → nothing.
    assert not permissions.scope_to_units(
        RoleAssignment.objects.all(), fresh(user), roles=Role.AUDITOR
    ).exists()
    assert permissions.scope_to_units(
        RoleAssignment.objects.all(), fresh(user), roles=[Role.LEADER]
    ).count() == len(ids)


def test_scope_to_units_on_the_units_themselves(tree):
    user = RoleAssignmentFactory(unit=tree["dept_b"]).user
    scoped = permissions.scope_to_units(OrganisationUnit.objects.all(), user, field="")
    assert codes(scoped) == unit_codes(tree, "dept_b", "division_b1")


def test_scope_to_units_on_workflow_steps(tree):
    field = Field.objects.create(name="Hộ tịch")
    procedure = Procedure.objects.create(
        code="1.000001",
        name="Thủ tục thử",
        field=field,
        time_limit_amount=1,
        time_limit_unit=TimeUnit.WORKING_DAYS,
    )

    def step(name, unit):
        return WorkflowStep.objects.create(
            procedure=procedure, name=name, role=Role.LEADER, hours=2, responsible_unit=unit
        )

    in_a = step("Thẩm định", tree["team_a1"])
    step("Ký", tree["province"])
    step("Phối hợp", tree["dept_b"])
    step("Trả kết quả", None)
    user = RoleAssignmentFactory(unit=tree["division_a1"]).user
    scoped = permissions.scope_to_units(WorkflowStep.objects.all(), user, field="responsible_unit")
    assert list(scoped) == [in_a]


def test_auditor_is_read_only(tree):
    auditor = RoleAssignmentFactory(unit=tree["province"], role=Role.AUDITOR).user
    assert permissions.has_role(auditor)
    assert permissions.has_role(auditor, unit=tree["team_a1"])
    assert not permissions.can_write(auditor)
    assert not permissions.can_write(auditor, tree["team_a1"])


def test_can_write_per_unit(tree):
    user = UserFactory()
    RoleAssignmentFactory(user=user, unit=tree["dept_a"], role=Role.AUDITOR)
    RoleAssignmentFactory(user=user, unit=tree["dept_b"], role=Role.ONE_STOP_OFFICER)
    assert permissions.can_write(user)
    assert permissions.can_write(user, tree["division_b1"])
    assert not permissions.can_write(user, tree["division_a1"])
    assert not permissions.can_write(user, tree["province"])


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.AUDITOR])
def test_every_role_but_auditor_can_write(tree, role):
    user = RoleAssignmentFactory(unit=tree["dept_a"], role=role).user
    assert permissions.can_write(user, tree["team_a1"])
    assert not permissions.can_write(user, tree["dept_b"])


# -- API -------------------------------------------------------------------------------------
def api_client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def listed_codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


def test_api_refuses_anonymous(tree):
    response = api_client().get(UNITS_URL)
    assert response.status_code in (401, 403)


def test_api_refuses_a_user_without_roles(tree):
    user = UserFactory()
    RoleAssignmentFactory(user=user, unit=tree["dept_a"], active=False)
    assert api_client(user).get(UNITS_URL).status_code == 403


def test_api_lists_only_the_users_scope_in_tree_order(tree):
    user = RoleAssignmentFactory(unit=tree["dept_a"]).user
    response = api_client(user).get(UNITS_URL)
    assert listed_codes(response) == [
        tree["dept_a"].code,
        tree["division_a1"].code,
        tree["team_a1"].code,
    ]
    first = response.json()["results"][0]
    assert first["parent"] == tree["province"].code
    assert first["depth"] == 1
    assert first["morning_start"].startswith("07:30")


def test_api_detail_outside_the_scope_is_not_found(tree):
    client = api_client(RoleAssignmentFactory(unit=tree["dept_a"]).user)
    assert client.get(f"{UNITS_URL}{tree['team_a1'].code}/").status_code == 200
    assert client.get(f"{UNITS_URL}{tree['dept_b'].code}/").status_code == 404
    assert client.get(f"{UNITS_URL}{tree['province'].code}/").status_code == 404


def test_api_for_superuser_and_auditor(tree):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    assert set(listed_codes(api_client(superuser).get(UNITS_URL))) == {
        unit.code for unit in tree.values()
    }
    auditor = RoleAssignmentFactory(unit=tree["dept_b"], role=Role.AUDITOR).user
    assert listed_codes(api_client(auditor).get(UNITS_URL)) == [
        tree["dept_b"].code,
        tree["division_b1"].code,
    ]


def test_api_is_read_only_and_auditors_may_not_write(tree):
    officer = RoleAssignmentFactory(unit=tree["dept_a"]).user
    auditor = RoleAssignmentFactory(unit=tree["dept_a"], role=Role.AUDITOR).user
    payload = {"code": "X.1", "name": "Mới", "kind": UnitKind.DIVISION}
    assert api_client(auditor).post(UNITS_URL, payload).status_code == 403
    assert api_client(officer).post(UNITS_URL, payload).status_code == 405
    assert not OrganisationUnit.objects.filter(code="X.1").exists()


@pytest.mark.django_db
def test_admin_lists_only_units_in_the_staff_members_scope(client):
    from django.contrib.auth.models import Permission

    root = OrganisationUnitFactory(name="UBND tỉnh")
    commune = OrganisationUnitFactory(name="UBND xã Một", parent=root)
    other = OrganisationUnitFactory(name="UBND xã Hai", parent=root)
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__endswith="organisationunit"))
    RoleAssignmentFactory(user=staff, unit=commune, role=Role.SYSTEM_ADMIN)
    client.force_login(staff)
    page = client.get("/quan-tri/organisations/organisationunit/").content.decode()
    assert commune.name in page
    assert other.name not in page and root.name not in page
