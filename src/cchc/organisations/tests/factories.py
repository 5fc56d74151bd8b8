"""factory_boy factories for users, organisation units and role assignments."""

import factory
from factory.django import DjangoModelFactory

from cchc.accounts.models import User
from cchc.organisations.models import OrganisationUnit, Role, RoleAssignment, UnitKind

PASSWORD = "pw-123456"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"canbo{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.gov.vn")
    is_active = True
    password = PASSWORD

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # create_user hashes the password, so the user can sign in with PASSWORD.
        return model_class.objects.create_user(*args, **kwargs)


class OrganisationUnitFactory(DjangoModelFactory):
    class Meta:
        model = OrganisationUnit

    code = factory.Sequence(lambda n: f"H99.{n:03d}")
    kind = UnitKind.DEPARTMENT
    name = factory.Sequence(lambda n: f"Đơn vị thử nghiệm {n}")
    parent = None


class RoleAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(OrganisationUnitFactory)
    role = Role.PROCESSING_OFFICER
    active = True
