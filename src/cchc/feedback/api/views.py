"""REST API for feedback: the same services, scoping and rules as the pages.

Refusals: 400 invalid input (field errors), 403 not your role, 404 not in your units, 409 not
allowed in the current state or acted on a stale version, 429 too many submissions.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from cchc.common.schema import ErrorSerializer
from cchc.common.text import as_id
from cchc.organisations.permissions import HasAnyUnitRole

from .. import limits, selectors, services
from ..models import Category, Feedback
from ..views import dispatch
from . import serializers as s


class SubmitView(APIView):
    """Send a feedback (anonymous with a phone or email, or as the signed-in citizen)."""

    permission_classes = [AllowAny]

    @extend_schema(
        request=s.SubmitSerializer, responses={201: s.SubmittedSerializer, 429: ErrorSerializer}
    )
    def post(self, request):
        payload = s.SubmitSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        address = limits.client_address(request)
        if not limits.submission_allowed(address):
            return Response(
                {
                    "detail": _(
                        "Too many feedback submissions from this connection. Try again later."
                    )
                },
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        data = payload.validated_data
        try:
            feedback, token = self._submit(request, data, address)
        except services.SubmissionInvalid as error:  # every problem at once, by field
            body = {
                field or "non_field_errors": [message] for field, message in error.errors.items()
            }
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        limits.record_submission(address)
        body = {
            "code": feedback.code,
            "unit": feedback.unit.name,
            "due_at": feedback.due_at,
            "rating_token": token,
        }
        return Response(s.SubmittedSerializer(body).data, status=status.HTTP_201_CREATED)

    @staticmethod
    def _submit(request, data, address):
        return services.submit(
            sender=services.Sender(
                name=data["sender_name"],
                phone=data["sender_phone"],
                email=data["sender_email"],
                address=data["sender_address"],
                kind=data["sender_kind"],
            ),
            subject_kind=data["subject_kind"],
            title=data["title"],
            content=data["content"],
            user=request.user,
            procedure=data["procedure"],
            dossier_code=data["dossier_code"],
            dossier_digits=data["dossier_digits"],
            officer_name=data["officer_name"],
            unit=data["unit"],
            client_address=address,
        )


class PublicFeedbackViewSet(viewsets.ReadOnlyModelViewSet):
    """Published answers, readable by anyone. Filters: ``q``, ``category``."""

    permission_classes = [AllowAny]
    authentication_classes = []
    serializer_class = s.PublicFeedbackSerializer
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        params = self.request.query_params
        feedback = selectors.public_search(selectors.published_feedback(), params.get("q", ""))
        category = params.get("category", "")
        return feedback.filter(category=category) if category in Category.values else feedback


class RateView(APIView):
    """The sender rates a published answer once: with the secret token, or signed in as owner."""

    permission_classes = [AllowAny]

    @extend_schema(request=s.RateSerializer, responses={200: s.PublicFeedbackSerializer})
    def post(self, request):
        payload = s.RateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        feedback = Feedback.objects.filter(code=data["code"].strip().upper()).first()
        if feedback is None or not services.is_sender(feedback, request.user, data["token"]):
            # Same answer for an unknown code and a wrong token: nothing is revealed.
            return Response(
                {"detail": _("Only the sender of the feedback can rate its answer.")},
                status=status.HTTP_403_FORBIDDEN,
            )
        feedback = services.rate(
            feedback.pk,
            data["rating"],
            user=request.user,
            token=data["token"],
            comment=data["comment"],
        )
        return Response(s.PublicFeedbackSerializer(feedback).data)


ACTIONS = {
    "classify": s.ClassifySerializer,
    "forward": s.ForwardSerializer,
    "answer": s.AnswerSerializer,
    "publish": s.PublishSerializer,
    "reject": s.RejectSerializer,
}


class FeedbackViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Feedback of the user's units. Filters: ``queue`` (slug), ``status``, ``category``, ``q``.

    Actions: ``POST /api/v1/feedback/officer/{id}/{action}/`` with the payload and an optional
    ``version`` (the feedback's ``version`` you acted on; a stale one is refused with 409).
    """

    permission_classes = [HasAnyUnitRole]

    def get_serializer_class(self):
        return s.FeedbackDetailSerializer if self.action == "retrieve" else s.FeedbackSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Feedback.objects.none()
        params = self.request.query_params
        slug = params.get("queue", "tat-ca")
        feedback = selectors.queue(
            self.request.user, slug if slug in selectors.QUEUE_SLUGS else "tat-ca"
        )
        feedback = selectors.filtered(
            feedback,
            status=params.get("status", ""),
            category=params.get("category", ""),
            text=params.get("q", ""),
        )
        return feedback.select_related("answered_by", "published_by").order_by("-id")


def _make_action(name: str, serializer_class):
    @extend_schema(
        request=serializer_class,
        responses={200: s.FeedbackSerializer},
        operation_id=f"feedback_{name}",
    )
    def handler(self, request, pk=None):
        feedback = self.get_object()
        payload = serializer_class(data=request.data)
        payload.is_valid(raise_exception=True)
        version = request.data.get("version")
        expected = as_id(version)
        dispatch(name, feedback.pk, request.user, payload.validated_data, expected)
        feedback.refresh_from_db()
        return Response(s.FeedbackSerializer(feedback).data)

    handler.__name__ = name
    handler.__doc__ = f"Action “{name}” on the feedback."
    return action(detail=True, methods=["post"], url_path=name)(handler)


for _name, _serializer in ACTIONS.items():
    setattr(FeedbackViewSet, _name, _make_action(_name, _serializer))
