"""Pure rules for serving stored files: content type, download name, offload header.

No Django import (ADR 0001): the view layer (:mod:`cchc.common.downloads`) feeds these with the
settings and the stored file's name.

Uploads are accepted only as types each caller lists, judged by their leading bytes *and* their
extension (``cchc.common.uploads``), and the storage keeps the extension of the accepted name.
So the stored extension is the validated type, and the content type is derived from it; anything
else (a file placed by hand, a future type) is served as ``application/octet-stream``.
"""

import posixpath
import re
import unicodedata
from urllib.parse import quote

CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    # Office documents (PAR INDEX evidence): named here rather than guessed by ``mimetypes``,
    # whose answer depends on the host's /etc/mime.types (without it .docx is octet-stream).
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
}
FALLBACK_CONTENT_TYPE = "application/octet-stream"

OFFLOAD_MODES = ("", "x-accel-redirect", "x-sendfile")
OFFLOAD_HEADERS = {"x-accel-redirect": "X-Accel-Redirect", "x-sendfile": "X-Sendfile"}

_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|;]+')
_SPACES = re.compile(r"\s+")
NAME_MAX = 120  # characters of the download name before its extension


def extension(name: str) -> str:
    return posixpath.splitext(name or "")[1].lower()


def content_type(name: str) -> str:
    """The content type of a stored file, from its validated extension."""
    return CONTENT_TYPES.get(extension(name), FALLBACK_CONTENT_TYPE)


def download_name(title: str, stored_name: str, prefix: str = "") -> str:
    """A file name for the browser: "<prefix> <title>.<ext>", Vietnamese kept, unsafe characters
    (path separators, quotes, control characters) dropped, the extension the stored one."""
    words = " ".join(part for part in (prefix, title) if part)
    text = _SPACES.sub(" ", _UNSAFE.sub(" ", unicodedata.normalize("NFC", words))).strip(" .")
    text = text[:NAME_MAX].rstrip(" .") or "tep"
    return text + extension(stored_name)


def ascii_name(name: str) -> str:
    """The ASCII fallback of a download name: "Tờ khai.pdf" → "To khai.pdf"."""
    text = name.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\' else "_" for ch in stripped)


def content_disposition(name: str) -> str:
    """``attachment`` with an ASCII ``filename`` for old clients and the exact UTF-8 name as
    ``filename*`` (RFC 6266 § 4.3, RFC 5987), which every current browser prefers."""
    return f"attachment; filename=\"{ascii_name(name)}\"; filename*=UTF-8''{quote(name, safe='')}"


def safe_stored_name(name: str) -> bool:
    """A storage name the offload header may carry: relative, no ``..`` segment, no NUL."""
    if not name or "\x00" in name or name.startswith(("/", "\\")):
        return False
    return ".." not in re.split(r"[\\/]", name)


def offload_header(mode: str, prefix: str, name: str) -> tuple[str, str]:
    """(header, value) that hands the file to the front server.

    ``x-accel-redirect`` (nginx): the URI of an ``internal`` location, ``prefix`` + the storage
    name; ``x-sendfile`` (Apache mod_xsendfile, lighttpd): ``prefix`` is the media directory on
    disk. The name is percent-encoded in both cases: header values must be ASCII, nginx decodes the
    URI and mod_xsendfile unescapes the path (``XSendFileUnescape``, on by default).
    """
    if mode not in OFFLOAD_HEADERS:
        raise ValueError(f"unknown offload mode: {mode!r}")
    if not safe_stored_name(name):
        raise ValueError(f"unsafe stored name: {name!r}")
    return OFFLOAD_HEADERS[mode], quote(prefix.rstrip("/")) + "/" + quote(name.replace("\\", "/"))


def megabytes(size: int) -> str:
    """A byte count in MB as Vietnamese write it: 10485760 → "10", 1572864 → "1,5"."""
    value = round(size / (1024 * 1024), 1)
    return str(int(value)) if value == int(value) else f"{value:.1f}".replace(".", ",")
