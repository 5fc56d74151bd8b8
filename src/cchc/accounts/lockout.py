"""What a client locked out of signing in sees (django-axes calls ``lockout_response``).

Axes refuses the sign-in before any password is checked and flags the request; the sign-in forms
(``cchc.accounts.forms``) then show :func:`lockout_message` in place of "wrong password", and this
callable, run by axes' middleware, keeps that page and answers 429. Anything else that signs in
with a password (there is no such API today) gets the same message as plain text or JSON.
"""

import math

from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from cchc.conf import conf


def lockout_minutes() -> int:
    return max(1, math.ceil(conf.LOGIN_WINDOW_SECONDS / 60))


def lockout_message() -> str:
    return _(
        "Too many failed sign-ins to this account from this address: signing in is locked for "
        "%(minutes)s minutes. Wait and try again, or ask your unit's system administrator to "
        "unlock the account."
    ) % {"minutes": lockout_minutes()}


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    status = 429
    content_type = original_response.get("Content-Type", "") if original_response else ""
    if content_type.startswith("text/html"):
        original_response.status_code = status  # the sign-in page, with the message on it
        return original_response
    if "json" in request.headers.get("Accept", "") or "json" in content_type:
        return JsonResponse({"detail": lockout_message()}, status=status)
    return HttpResponse(lockout_message(), status=status, content_type="text/plain; charset=utf-8")
