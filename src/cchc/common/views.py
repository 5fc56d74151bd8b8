"""Error pages that Django itself answers (unknown URL, refused request): JSON under ``/api/``,
as the API schema documents, the usual pages elsewhere."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

from .input import is_api


def page_not_found(request, exception):
    if is_api(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def bad_request(request, exception):
    """Requests Django refuses before any view (too many fields, a body over the size limits)."""
    if is_api(request):
        return JsonResponse({"non_field_errors": [_("The request is not valid.")]}, status=400)
    return defaults.bad_request(request, exception)
