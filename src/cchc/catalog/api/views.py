from rest_framework import viewsets
from rest_framework.permissions import AllowAny

from cchc.common.text import as_id

from ..models import Field, Procedure
from ..selectors import public_procedures
from .serializers import FieldSerializer, ProcedureSerializer


class ProcedureViewSet(viewsets.ReadOnlyModelViewSet):
    """The public catalog.

    Filters: ``?q=`` (ranked best first: diacritics and case ignored, citizens' synonyms and
    filler words understood, not every word needs to match), ``?field=<id>``,
    ``?level=province|commune``.
    """

    serializer_class = ProcedureSerializer
    permission_classes = [AllowAny]
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"

    def get_queryset(self):
        if self.action == "retrieve":
            # Old links keep working: a retired procedure is served with "active": false.
            return Procedure.objects.select_related("field").prefetch_related(
                "fees", "components", "workflow_steps__responsible_unit"
            )
        params = self.request.query_params
        field = params.get("field", "")
        return public_procedures(
            params.get("q", "")[:200],
            as_id(field),
            params.get("level", ""),
        ).prefetch_related("fees", "components", "workflow_steps__responsible_unit")


class FieldViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = FieldSerializer
    permission_classes = [AllowAny]
    queryset = Field.objects.order_by("name")
    pagination_class = None
