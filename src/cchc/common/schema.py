"""The API schema documents every refusal the API can give, in one place.

drf-spectacular describes the success responses from each view; this adds the error responses
that follow from how the view is set up, so the schema (and the fuzz test that holds the API to
it, ``common/tests/test_api_fuzz.py``) knows every status code a client may get:

- 400 on every operation: field errors, and any request refused by
  :class:`cchc.common.input.MalformedInputMiddleware` (a NUL byte anywhere);
- 401 where the view authenticates (a wrong or expired token is refused even on public views);
- 403 where a permission other than "anyone" applies, or an unsafe method meets session
  authentication (CSRF) — the services' own refusals (not your role) are 403 too;
- 404 on operations with a path parameter (unknown or out-of-scope object, non-numeric id) and
  on paged lists (a page past the last);
- 409 on actions on one object (not allowed in its current state, or a stale ``version``);
- 413 on requests with a body, past ``CCHC_REQUEST_MAX_BYTES``.

Views document anything else (429 on the rate-limited public endpoints) with ``extend_schema``.
"""

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import SAFE_METHODS, AllowAny

MESSAGES = {"type": "array", "items": {"type": "string"}}


@extend_schema_field({"oneOf": [{"type": "string"}, MESSAGES]})
class TextOrMessages(serializers.Field):
    """``detail`` and ``code`` are text, unless the request had a field of that name, whose
    errors are then listed under it like any other field's."""


class ErrorSerializer(serializers.Serializer):
    """An error answer: ``detail`` for a refusal of the whole request, or one list of messages per
    field that was wrong (``non_field_errors`` for the request as a whole), with a machine
    ``code`` for the services' refusals (``stale``, ``transition_not_allowed``, …)."""

    detail = TextOrMessages(required=False)
    code = TextOrMessages(required=False)
    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)


TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?$"

ERRORS = {
    "400": "Invalid input: field errors (each field with its messages).",
    "401": "Missing, wrong or expired credentials.",
    "403": "Not allowed for your role or unit.",
    "404": "No such object, or not in your scope.",
    "409": "Not allowed in the object's current state, or a stale version.",
    "413": "The body is over CCHC_REQUEST_MAX_BYTES (refused before it is read).",
}


def _null_through_model(field) -> bool:
    """An output field that reads through a nullable model field (``parent`` as a code,
    ``answered_by.username``) gives null when that field is empty, even though the serializer
    field itself was not declared ``allow_null``."""
    if not (field.read_only or "." in (field.source or "")):
        return False
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or not field.source or field.source == "*":
        return False
    for name in field.source.split("."):
        try:
            model_field = model._meta.get_field(name)
        except (FieldDoesNotExist, AttributeError):
            return False
        if getattr(model_field, "null", False):
            return True
        model = getattr(model_field, "related_model", None)
        if model is None:
            return False
    return False


class AutoSchema(SpectacularAutoSchema):
    def _error_codes(self) -> list[str]:
        codes = ["400"]
        authenticators = [type(item) for item in self.view.get_authenticators()]
        permissions = [type(item) for item in self.view.get_permissions()]
        unsafe = self.method not in SAFE_METHODS
        if authenticators:
            codes.append("401")
        if any(permission is not AllowAny for permission in permissions) or (
            unsafe and SessionAuthentication in authenticators
        ):
            codes.append("403")
        if "{" in self.path:
            codes.append("404")
            if unsafe:
                codes.append("409")
        elif self._is_list_view() and self._get_paginator():
            codes.append("404")  # a page past the last ("Invalid page.")
        if unsafe:
            codes.append("413")
        return codes

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if _null_through_model(field):
            schema["nullable"] = True
        if isinstance(field, serializers.TimeField) and schema.get("format") == "time":
            # OpenAPI's "time" is RFC 3339's full-time, which needs a UTC offset; office hours
            # are local wall-clock times ("07:30:00"), so they are described by a pattern.
            del schema["format"]
            schema["pattern"] = TIME_PATTERN
        return schema

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code not in responses:
                error = OpenApiResponse(ErrorSerializer, description=ERRORS[code])
                responses[code] = self._get_response_for_code(error, code, direction=direction)
        return responses
