"""One way to answer with a stored file: always an attachment, never sniffed, never cached by
shared caches, and handed to the front server when ``CCHC_FILE_OFFLOAD`` says so.

Files in an S3-compatible bucket (``CCHC_MEDIA_STORAGE=s3``) are streamed from the bucket through
the application with the same headers, chunk by chunk, never read whole into memory; or, when
``CCHC_S3_PRESIGNED_SECONDS`` is above zero, the browser is redirected to a signed address of the
object that is valid that many seconds and makes the bucket answer with the same content type,
attachment name and no-store. The front server's offload header is for files on local disk only.

Callers check the scope first (the same rule as the page that lists the file) and raise 404 for
anything out of scope; this module only serves what it is given.
"""

from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)

from cchc.conf import conf

from . import files

CHUNK_BYTES = 64 * 1024  # what one read from the bucket hands on to the client


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
    if is_object_storage(field_file.storage):
        return _object_response(field_file.storage, name, download_name, content_type)
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


def is_object_storage(storage) -> bool:
    """Whether ``storage`` keeps its files in an S3-compatible bucket (django-storages)."""
    try:
        from storages.backends.s3 import S3Storage
    except ImportError:  # the optional extra cchc[s3] is not installed: no bucket is in use
        return False
    return isinstance(storage, S3Storage)


def _object_key(storage, name: str) -> str:
    """The bucket key of a stored name, as the storage itself forms it (its prefix joined)."""
    from storages.utils import clean_name

    return storage._normalize_name(clean_name(name))


def _object_response(storage, name: str, download_name: str, content_type: str) -> HttpResponse:
    from botocore.exceptions import ClientError

    seconds = conf.S3_PRESIGNED_SECONDS
    if seconds:
        if not storage.exists(name):
            raise Http404
        address = storage.url(
            name,
            parameters={
                "ResponseContentType": content_type,
                "ResponseContentDisposition": files.content_disposition(download_name),
                "ResponseCacheControl": "private, no-store",
            },
            expire=seconds,
        )
        response = HttpResponseRedirect(address)
        response["Cache-Control"] = "private, no-store"
        response["Referrer-Policy"] = "no-referrer"  # the signed address goes to no other site
        return response
    try:
        stored = storage.connection.meta.client.get_object(
            Bucket=storage.bucket_name, Key=_object_key(storage, name)
        )
    except ClientError as error:
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if status == 404 or error.response.get("Error", {}).get("Code") == "NoSuchKey":
            raise Http404 from error
        raise
    body = stored["Body"]

    def chunks():
        try:
            yield from body.iter_chunks(CHUNK_BYTES)
        finally:
            body.close()

    response = StreamingHttpResponse(chunks(), content_type=content_type)
    response["Content-Length"] = str(stored["ContentLength"])
    return _headers(response, download_name)
