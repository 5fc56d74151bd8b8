"""One place where malformed input is refused before any view, form or query sees it.

PostgreSQL ``text`` cannot hold the NUL character (psycopg refuses the query), and a lone UTF-16
surrogate (``"\\ud800"`` in JSON) cannot be encoded as UTF-8 at all: either one used to reach a
query and end as a 500 on every page or API that searched, looked up or stored what the user sent.
SQLite accepts NUL, so the same request behaved differently per database. Such characters are
never legitimate in anything a citizen or officer types, so the request is refused as a whole with
400 and a Vietnamese message: a small HTML page for pages, field errors as JSON under ``/api/``.

Checked: the path, every query-string key and value, form fields (and upload field names), JSON
bodies (every key and string at any depth) and request headers. A cookie holding such a character
is dropped (treated as absent) rather than refused, so a damaged cookie cannot lock a browser out.
"""

import json
import re

from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

# NUL, and surrogates (which never belong in decoded text: they only appear when a JSON string
# escapes half of a pair).
FORBIDDEN = re.compile("[\x00\ud800-\udfff]")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
NON_FIELD = "non_field_errors"


class TooDeep(Exception):
    """A JSON body nested deeper than Python's parser follows."""


def has_forbidden(text: str) -> bool:
    return bool(FORBIDDEN.search(text))


def _first_bad_json(value, key: str = NON_FIELD) -> str | None:
    """The top-level field of a parsed JSON document that holds a forbidden character, if any."""
    if isinstance(value, str):
        return key if has_forbidden(value) else None
    if isinstance(value, list):
        for item in value:
            found = _first_bad_json(item, key)
            if found:
                return found
    elif isinstance(value, dict):
        for name, item in value.items():
            field = name if key == NON_FIELD else key
            if has_forbidden(name):
                return field if key != NON_FIELD else NON_FIELD
            found = _first_bad_json(item, field)
            if found:
                return found
    return None


def bad_field(request) -> str | None:
    """Where the request carries a forbidden character: a field name, ``non_field_errors`` for the
    path, headers or a bad key; ``None`` when it is clean."""
    if has_forbidden(request.path_info):
        return NON_FIELD
    for name, value in request.META.items():
        if name.startswith("HTTP_") and name != "HTTP_COOKIE" and has_forbidden(str(value)):
            return NON_FIELD
    for key, values in request.GET.lists():
        if has_forbidden(key):
            return NON_FIELD
        if any(has_forbidden(value) for value in values):
            return key
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    content_type = request.content_type or ""
    if content_type in FORM_TYPES:
        for key, values in request.POST.lists():
            if has_forbidden(key):
                return NON_FIELD
            if any(has_forbidden(value) for value in values):
                return key
        # Upload file names need no check: Django keeps only their printable characters.
        if any(has_forbidden(key) for key in request.FILES):
            return NON_FIELD
    elif content_type == "application/json" or content_type.endswith("+json"):
        try:
            document = json.loads(request.body)
        except ValueError:
            return None  # not JSON at all: the API's parser answers 400 itself
        except RecursionError:
            raise TooDeep from None  # nested deeper than any parser here can follow ("[[[[…")
        return _first_bad_json(document)
    return None


def _clean_cookies(request) -> None:
    cookies = request.COOKIES
    if any(has_forbidden(name) or has_forbidden(value) for name, value in cookies.items()):
        request.COOKIES = {
            name: value
            for name, value in cookies.items()
            if not (has_forbidden(name) or has_forbidden(value))
        }


def is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def bad_request(request, message: str, field: str = NON_FIELD):
    """400 for malformed input: field errors as JSON for the API, a plain page otherwise.

    The page is rendered without the request (no menu, no user) on purpose: nothing of the
    malformed request reaches the session store or the database."""
    if is_api(request):
        return JsonResponse({field: [message]}, status=400)
    html = render_to_string("common/bad_request.html", {"message": message})
    return HttpResponse(html, status=400)


class MalformedInputMiddleware:
    """Refuse requests carrying characters no field may hold (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _clean_cookies(request)
        try:
            field = bad_field(request)
        except MultiPartParserError:
            return bad_request(request, _("The form data could not be read. Please send it again."))
        except TooDeep:
            return bad_request(request, _("The data sent is nested too deeply."))
        if field is not None:
            return bad_request(
                request,
                _(
                    "The request contains a character that is not allowed (such as a NUL byte). "
                    "Please check what you entered."
                ),
                field,
            )
        return self.get_response(request)
