"""REST API for dossiers: the same services, the same scoping and the same rules as the pages."""

from django.contrib.auth import get_user_model
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from cchc.common import downloads
from cchc.common.client_address import client_address
from cchc.common.schema import ErrorSerializer
from cchc.common.text import as_id
from cchc.organisations.permissions import HasAnyUnitRole

from .. import lookup, selectors, services
from ..forms import check_upload
from ..models import Dossier
from . import serializers as s


def _applicant(data) -> services.Applicant:
    return services.Applicant(
        kind=data["applicant_kind"],
        name=data["applicant_name"],
        id_type=data["applicant_id_type"],
        id_number=data["applicant_id_number"],
        birth_date=data.get("applicant_birth_date"),
        phone=data.get("applicant_phone", ""),
        email=data.get("applicant_email", ""),
        address=data.get("applicant_address", ""),
        representative_name=data.get("representative_name", ""),
        representative_id_number=data.get("representative_id_number", ""),
        authorisation_document=data.get("authorisation_document", ""),
    )


def _user(username: str):
    if not username:
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise services.DossierError(f"Không tìm thấy cán bộ “{username}”.", "handler")
    return user


ACTIONS = {
    # name: (serializer, call(pk, user, data, version))
    "accept": (s.NoteSerializer, lambda pk, u, d, v: services.accept(pk, u, v, d["note"])),
    "refuse_intake": (
        s.ReasonSerializer,
        lambda pk, u, d, v: services.refuse_intake(pk, u, d["reason"], v),
    ),
    "request_supplement": (
        s.SupplementSerializer,
        lambda pk, u, d, v: services.request_supplement(
            pk, u, d["items"], d["reason"], d["answer_within_days"], expected_version=v
        ),
    ),
    "complete_supplement": (
        s.VersionedSerializer,
        lambda pk, u, d, v: services.complete_supplement(pk, u, expected_version=v),
    ),
    "forward": (
        s.ForwardSerializer,
        lambda pk, u, d, v: services.forward(pk, u, _user(d["handler"]), d["note"], v),
    ),
    "send_back": (
        s.SendBackSerializer,
        lambda pk, u, d, v: services.send_back(pk, u, d["step"], d["note"], v),
    ),
    "reassign": (
        s.ReassignSerializer,
        lambda pk, u, d, v: services.reassign(pk, u, _user(d["handler"]), v),
    ),
    "hand_off": (
        s.HandOffSerializer,
        lambda pk, u, d, v: services.hand_off(pk, u, d["unit"], d["hours"], d["note"], v),
    ),
    "request_financial_obligation": (
        s.FinancialSerializer,
        lambda pk, u, d, v: services.request_financial_obligation(
            pk, u, d["amount"], d["note"], expected_version=v
        ),
    ),
    "record_payment": (
        s.PaymentSerializer,
        lambda pk, u, d, v: services.record_payment(pk, u, d["paid_online"], expected_version=v),
    ),
    "extend": (
        s.ExtendSerializer,
        lambda pk, u, d, v: services.extend(
            pk, u, d["new_due_at"], d["reason"], expected_version=v
        ),
    ),
    "approve_result": (
        s.ApproveSerializer,
        lambda pk, u, d, v: services.approve_result(
            pk,
            u,
            d["outcome"],
            d["number"],
            d["signer"],
            d.get("result_date"),
            d["electronic"],
            d["note"],
            v,
        ),
    ),
    "return_result": (
        s.ReturnSerializer,
        lambda pk, u, d, v: services.return_result(pk, u, d["method"], d["received_by"], v),
    ),
    "withdraw": (s.ReasonSerializer, lambda pk, u, d, v: services.withdraw(pk, u, d["reason"], v)),
    "stop": (s.ReasonSerializer, lambda pk, u, d, v: services.stop(pk, u, d["reason"], v)),
    "apology": (
        s.ApologySerializer,
        lambda pk, u, d, v: services.draft_apology(
            pk, u, d["reason"], d["new_appointment_at"], expected_version=v
        ),
    ),
}


# A stored file: an attachment of one of the accepted types (docs/security.md, "Files").
FILE_RESPONSES = {
    (200, media): OpenApiTypes.BINARY
    for media in ("application/pdf", "image/jpeg", "image/png", "application/octet-stream")
}
COMPONENT_ID = OpenApiParameter("component_id", int, OpenApiParameter.PATH)


def _component_file(dossier: Dossier, component_id):
    component = selectors.stored_component(dossier, int(component_id))
    if component is None:
        raise NotFound()
    return downloads.file_response(component.file, selectors.download_name(dossier, component))


class DossierViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Dossiers in the user's units. Filters: ``status``, ``procedure`` (code), ``q``, ``queue``.

    Every action is ``POST /api/v1/dossiers/{id}/{action}/`` with its payload and the dossier's
    ``version`` you acted on (a stale one is refused with 409). ``version`` is required (400 when
    missing) for the actions that move a deadline: request-supplement, complete-supplement,
    request-financial-obligation, record-payment, extend and apology; optional for the others.
    Refusals: 400 invalid input, 403 not your role, 409 not allowed in the current state.
    """

    permission_classes = [HasAnyUnitRole]
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_serializer_class(self):
        if self.action == "retrieve":
            return s.DossierDetailSerializer
        if self.action == "create":
            return s.IntakeSerializer
        return s.DossierSerializer

    def get_queryset(self):
        params = self.request.query_params
        queue = params.get("queue", "tat-ca")
        if queue not in {item.slug for item in selectors.QUEUES}:
            queue = "tat-ca"
        dossiers = selectors.search(selectors.queue(self.request.user, queue), params.get("q", ""))
        status_value = as_id(params.get("status"))
        if status_value is not None:
            dossiers = dossiers.filter(status=status_value)
        if params.get("procedure"):
            dossiers = dossiers.filter(procedure__code=params["procedure"])
        return dossiers.order_by("-id")

    @extend_schema(request=s.IntakeSerializer, responses={201: s.DossierSerializer})
    def create(self, request):
        """Counter or postal intake of a complete dossier (Mẫu 01)."""
        payload = s.IntakeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        components = [{"required_id": pk} for pk in data["components"]]
        dossier = services.receive_at_counter(
            request.user, data["unit"], data["procedure"], _applicant(data), components,
            channel=data["channel"], note=data["note"], variant=data["variant"],
        )  # fmt: skip
        return Response(s.DossierSerializer(dossier).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=FILE_RESPONSES, parameters=[COMPONENT_ID])
    @action(detail=True, methods=["get"], url_path=r"components/(?P<component_id>[0-9]+)/file")
    def component_file(self, request, pk=None, component_id=None):
        """The stored file of one document of the dossier, as an attachment."""
        return _component_file(self.get_object(), component_id)

    @extend_schema(request=None, responses=FILE_RESPONSES)
    @action(detail=True, methods=["get"], url_path="result-file")
    def result_file(self, request, pk=None):
        """The result document's file, as an attachment (404 when none is stored)."""
        dossier = self.get_object()
        if not dossier.result_file:
            raise NotFound()
        return downloads.file_response(dossier.result_file, selectors.download_name(dossier))


def _make_action(name: str, serializer_class, call):
    @extend_schema(
        request=serializer_class, responses={200: s.DossierSerializer}, operation_id=name
    )
    def handler(self, request, pk=None):
        dossier = self.get_object()
        payload = serializer_class(data=request.data)
        payload.is_valid(raise_exception=True)
        version = request.data.get("version")
        expected = as_id(version)
        call(dossier.pk, request.user, payload.validated_data, expected)
        dossier.refresh_from_db()
        return Response(s.DossierSerializer(dossier).data)

    handler.__name__ = name
    handler.__doc__ = f"Action “{name}” on the dossier."
    return action(detail=True, methods=["post"], url_path=name.replace("_", "-"))(handler)


for _name, (_serializer, _call) in ACTIONS.items():
    setattr(DossierViewSet, _name, _make_action(_name, _serializer, _call))


class OnlineDossierViewSet(viewsets.GenericViewSet):
    """Online submission by a signed-in applicant: draft, upload each document, submit."""

    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    serializer_class = s.OnlineDraftSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Dossier.objects.none()
        return Dossier.objects.filter(applicant_user=self.request.user)

    def _own(self, pk) -> Dossier:
        dossier = self.get_queryset().filter(pk=pk).first()
        if dossier is None:
            raise NotFound()
        return dossier

    @extend_schema(request=s.OnlineDraftSerializer, responses={201: s.DossierSerializer})
    def create(self, request):
        payload = s.OnlineDraftSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        dossier = services.create_draft(
            request.user,
            data["unit"],
            data["procedure"],
            _applicant(data),
            data["online_mode"],
            data["variant"],
        )
        return Response(s.DossierSerializer(dossier).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ComponentUploadSerializer, responses={201: None})
    @action(detail=True, methods=["post"])
    def components(self, request, pk=None):
        dossier = self._own(pk)
        payload = s.ComponentUploadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        upload = payload.validated_data["file"]
        from django import forms

        try:
            check_upload(upload)
        except forms.ValidationError as error:
            return Response({"file": error.messages}, status=status.HTTP_400_BAD_REQUEST)
        services.attach_to_draft(
            dossier.pk, request.user, payload.validated_data["required_id"], upload
        )
        return Response(status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: s.DossierSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        dossier = self._own(pk)
        dossier = services.submit_online(dossier.pk, request.user)
        return Response(s.DossierSerializer(dossier).data)

    @extend_schema(request=None, responses=FILE_RESPONSES, parameters=[COMPONENT_ID])
    @action(detail=True, methods=["get"], url_path=r"components/(?P<component_id>[0-9]+)/file")
    def component_file(self, request, pk=None, component_id=None):
        """The stored file of one of your documents, as an attachment."""
        return _component_file(self._own(pk), component_id)


class LookupView(APIView):
    """Public lookup: code + last 4 digits of the phone or ID number; rate-limited."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        request=s.LookupSerializer,
        responses={200: s.PublicDossierSerializer, 404: ErrorSerializer, 429: ErrorSerializer},
    )
    def post(self, request):
        payload = s.LookupSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        address = client_address(request)
        if lookup.blocked(address):
            return Response(
                {"detail": "Tra cứu không thành công quá nhiều lần. Vui lòng thử lại sau."},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        dossier = lookup.find(payload.validated_data["code"], payload.validated_data["digits"],
                              address)  # fmt: skip
        if dossier is None:
            return Response(
                {"detail": "Không tìm thấy hồ sơ khớp với mã và 4 chữ số đã nhập."},
                status=status.HTTP_404_NOT_FOUND,
            )
        data = s.PublicDossierSerializer(dossier).data
        data["late"] = selectors.is_late(dossier)
        data["timeline"] = [
            {"label": str(item["label"]), "at": item["at"].isoformat(), "unit": item["unit"]}
            for item in lookup.public_timeline(dossier)
        ]
        return Response(data)
