"""The one check of an uploaded file: its extension among the accepted ones, its size within
``CCHC_UPLOAD_MAX_BYTES``, and its leading bytes those of that type (not its name or header).

Each caller passes its accepted types and the sentence that names them, and turns the refusal
into its own error (a form's ``ValidationError``, an app's ``ApplicationError``).
"""

from __future__ import annotations

import os

from django.utils.translation import gettext as _

from cchc.conf import conf

from .files import megabytes


class UploadRefused(ValueError):
    """The file is refused; the message is translated and safe to show."""


def check_upload_bytes(upload, signatures: dict[str, tuple[bytes, ...]], type_message) -> None:
    """Refuse ``upload`` unless its extension is a key of ``signatures``, it is small enough and
    its content starts with one of that extension's signatures."""
    extension = os.path.splitext(getattr(upload, "name", "") or "")[1].lower()
    if extension not in signatures:
        raise UploadRefused(str(type_message))
    if upload.size > conf.UPLOAD_MAX_BYTES:
        raise UploadRefused(
            _("The file is larger than %(size)s MB.") % {"size": megabytes(conf.UPLOAD_MAX_BYTES)}
        )
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in signatures[extension]):
        raise UploadRefused(_("The file's content does not match its type."))
