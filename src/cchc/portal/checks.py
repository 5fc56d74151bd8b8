"""Deployment checks (``cchc check --deploy``) for the platform's own settings."""

from urllib.parse import urlsplit

from django.core.checks import Tags, Warning, register

from cchc.common.public_url import is_local, public_url

HINT = (
    "Set CCHC_PUBLIC_URL to the https address citizens use, e.g. "
    "CCHC_PUBLIC_URL=https://dichvucong.example.gov.vn (README, 'Deployment')."
)


@register(Tags.security, deploy=True)
def check_public_url(app_configs, **kwargs):
    """QR codes on printed receipts, email and SMS links are built from ``CCHC_PUBLIC_URL``."""
    url = public_url()
    if not url:
        return [
            Warning(
                "CCHC_PUBLIC_URL is not set: QR codes on printed receipts point at "
                "http://127.0.0.1:8000 and notifications carry no link to the public lookup.",
                hint=HINT,
                id="cchc.W001",
            )
        ]
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return [Warning(f"CCHC_PUBLIC_URL is not an address: {url!r}.", hint=HINT, id="cchc.W002")]
    if is_local(url):
        return [
            Warning(
                f"CCHC_PUBLIC_URL points at this machine ({url}): citizens cannot reach it.",
                hint=HINT,
                id="cchc.W003",
            )
        ]
    if parts.scheme != "https":
        return [
            Warning(
                f"CCHC_PUBLIC_URL is not https ({url}): links on receipts and in messages "
                "would send citizens' codes and phone digits unencrypted.",
                hint=HINT,
                id="cchc.W004",
            )
        ]
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        return [
            Warning(
                f"CCHC_PUBLIC_URL should be the site's root address, without a path ({url}).",
                hint=HINT,
                id="cchc.W005",
            )
        ]
    return []
