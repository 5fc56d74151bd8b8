from rest_framework import viewsets

from ..permissions import HasAnyUnitRole, units_for
from .serializers import OrganisationUnitSerializer


class OrganisationUnitViewSet(viewsets.ReadOnlyModelViewSet):
    """Units the signed-in user holds a role in, with their descendants."""

    serializer_class = OrganisationUnitSerializer
    permission_classes = [HasAnyUnitRole]
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"  # unit codes contain dots (000.00.00.H12)

    def get_queryset(self):
        return units_for(self.request.user).select_related("parent").order_by("path")
