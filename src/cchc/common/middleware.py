"""Refuse a request body that is declared larger than ``CCHC_REQUEST_MAX_BYTES`` before any of it is
read: 413 with a Vietnamese message, JSON under ``/api/``, a page elsewhere.

It sits near the top of ``MIDDLEWARE``, above everything that reads ``request.POST`` (the input
check, the CSRF check, the views), so a 60 MB upload costs a header, not 60 MB of reading and a
temporary file (docs/security.md, "Files"). A body sent without a ``Content-Length`` (chunked) is
read by Django as empty under WSGI, so it cannot slip past.
"""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from cchc.conf import conf

from .files import megabytes


def declared_length(request) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = conf.REQUEST_MAX_BYTES
        if limit and declared_length(request) > limit:
            return self.too_large(request, limit)
        return self.get_response(request)

    @staticmethod
    def too_large(request, limit: int):
        message = _(
            "The data sent is too large: at most %(request)s MB at a time, and %(file)s MB for "
            "each file."
        ) % {
            "request": megabytes(limit),
            "file": megabytes(conf.UPLOAD_MAX_BYTES),
        }
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": message, "code": "request_too_large"}, status=413)
        return render(request, "common/request_too_large.html", {"message": message}, status=413)
