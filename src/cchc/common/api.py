"""API conventions shared by every app: errors are Vietnamese, never a 500 for bad input."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter, SimpleRouter
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import ActionForbidden, ApplicationError, StaleRecord, TransitionNotAllowed

# Errors of pure engines (no Django, so not ApplicationErrors) whose message is safe to show and
# which carry a ``field``: each app registers its own from its hooks (e.g. the working-day
# engine's DeadlineError), so this module imports no app (docs/adr/0001, layers).
INPUT_ERRORS: list[type[Exception]] = []


def register_input_error(error: type[Exception]) -> type[Exception]:
    """Answer ``error`` with 400 and ``{field: [message]}`` in every API view."""
    if error not in INPUT_ERRORS:
        INPUT_ERRORS.append(error)
    return error


def exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        code = status.HTTP_400_BAD_REQUEST
        if isinstance(exc, ActionForbidden):
            code = status.HTTP_403_FORBIDDEN
        elif isinstance(exc, TransitionNotAllowed | StaleRecord):
            code = status.HTTP_409_CONFLICT
        return Response(
            {exc.field or "non_field_errors": [exc.message], "code": exc.code}, status=code
        )
    if isinstance(exc, tuple(INPUT_ERRORS)):
        field = getattr(exc, "field", "") or "non_field_errors"
        return Response({field: [str(exc)]}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "message_dict"):
            data = exc.message_dict
        else:
            data = {"non_field_errors": exc.messages}
        return Response(data, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)


class NumericIdRoutes:
    """Detail routes of viewsets looked up by their numeric id accept digits only, so
    ``/api/v1/dossiers/abc/…`` is an unknown URL (404) and no view ever filters on ``pk="abc"``.
    Viewsets looked up by a code keep their own ``lookup_value_regex``."""

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        field = getattr(viewset, "lookup_field", "pk")
        if getattr(viewset, "lookup_value_regex", None) is None and field in ("pk", "id"):
            name = getattr(viewset, "lookup_url_kwarg", None) or field
            return f"(?P<{lookup_prefix}{name}>[0-9]+)"
        return super().get_lookup_regex(viewset, lookup_prefix)


class Router(NumericIdRoutes, SimpleRouter):
    pass


class RootRouter(NumericIdRoutes, DefaultRouter):
    pass
