"""API conventions shared by every app: errors are Vietnamese, never a 500 for bad input."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from cchc.workdays.engine import DeadlineError


def exception_handler(exc, context):
    from cchc.dossiers.services import (
        ActionForbidden,
        DossierError,
        StaleDossier,
        TransitionNotAllowed,
    )

    if isinstance(exc, DossierError):
        code = status.HTTP_400_BAD_REQUEST
        if isinstance(exc, ActionForbidden):
            code = status.HTTP_403_FORBIDDEN
        elif isinstance(exc, TransitionNotAllowed | StaleDossier):
            code = status.HTTP_409_CONFLICT
        return Response(
            {exc.field or "non_field_errors": [exc.message], "code": exc.code}, status=code
        )
    if isinstance(exc, DeadlineError):
        field = exc.field or "non_field_errors"
        return Response({field: [str(exc)]}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "message_dict"):
            data = exc.message_dict
        else:
            data = {"non_field_errors": exc.messages}
        return Response(data, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
