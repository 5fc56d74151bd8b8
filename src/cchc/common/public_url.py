"""The site's public address (``CCHC_PUBLIC_URL``): the one setting every absolute link uses.

Printed receipts carry a QR code of the public lookup, emails and SMS link to it, the feedback
sender gets a private link: all of them are built here, from the address citizens reach the site
at (e.g. ``https://dichvucong.anbinh.gov.vn``), never from whatever host a request came in on
(behind a reverse proxy that is often an internal name). ``cchc check --deploy`` warns when the
setting is missing, not https, or points at this machine (:mod:`cchc.portal.checks`).
"""

from urllib.parse import urlsplit

from cchc.conf import conf

# Where ``make demo`` serves: the fallback of printed documents, which need an absolute address.
LOCAL_URL = "http://127.0.0.1:8000"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0", ""}


def public_url() -> str:
    """``CCHC_PUBLIC_URL`` without its trailing slash; ``""`` when it is not set."""
    return conf.PUBLIC_URL.strip().rstrip("/")


def absolute_url(path: str, request=None, *, fallback: str = "") -> str:
    """``path`` (starting with ``/``) on the public address.

    Without ``CCHC_PUBLIC_URL``: on the request's own host when there is a request, else on
    ``fallback`` (``""``: the address is unknown, and ``""`` is returned).
    """
    base = public_url()
    if base:
        return f"{base}{path}"
    if request is not None:
        return request.build_absolute_uri(path)
    return f"{fallback.rstrip('/')}{path}" if fallback else ""


def is_local(url: str) -> bool:
    """Does ``url`` point at this machine (localhost, a loopback address)?"""
    host = (urlsplit(url).hostname or "").lower()
    return host in LOCAL_HOSTS or host.startswith("127.") or host.endswith(".localhost")
