"""One way to answer with a stored file: always an attachment, never sniffed, never cached by
shared caches, and handed to the front server when ``CCHC_FILE_OFFLOAD`` says so.

Callers check the scope first (the same rule as the page that lists the file) and raise 404 for
anything out of scope; this module only serves what it is given.
"""

from django.http import FileResponse, Http404, HttpResponse

from cchc.conf import conf

from . import files


def _headers(response: HttpResponse, download_name: str) -> HttpResponse:
    response["Content-Disposition"] = files.content_disposition(download_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # A scan opened by mistake as a page must not run anything nor be framed.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def file_response(field_file, download_name: str) -> HttpResponse:
    """The stored file of ``field_file`` (a FieldFile) as a download named ``download_name``."""
    name = field_file.name if field_file else ""
    if not name or not files.safe_stored_name(name):
        raise Http404
    content_type = files.content_type(name)
    mode = conf.FILE_OFFLOAD
    if mode:
        if not field_file.storage.exists(name):
            raise Http404
        header, value = files.offload_header(mode, conf.FILE_OFFLOAD_PREFIX, name)
        response = HttpResponse(b"", content_type=content_type)
        response[header] = value
        return _headers(response, download_name)
    try:
        handle = field_file.storage.open(name, "rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=True, filename=download_name, content_type=content_type
    )
    return _headers(response, download_name)
