"""The history key ring, from settings (``CCHC_HISTORY_KEY``, ``CCHC_HISTORY_OLD_KEYS``).

Production refuses to start without ``CCHC_HISTORY_KEY`` (``cchc.settings.production``). Elsewhere
(development, tests, the demo) a key is derived from ``SECRET_KEY`` so the platform runs out of the
box; such a key protects nothing against whoever can read the settings, which is fine for a demo.
"""

import hashlib

from django.conf import settings

from cchc.conf import conf

from .chain import KeyRing


def _key_bytes(value: str) -> bytes:
    return value.strip().encode()


def ring() -> KeyRing:
    current = conf.HISTORY_KEY
    if current.strip():
        key = _key_bytes(current)
    else:
        key = hashlib.sha256(b"cchc-history-dev\x00" + settings.SECRET_KEY.encode()).digest()
    retired = tuple(_key_bytes(item) for item in conf.HISTORY_OLD_KEYS if item.strip())
    return KeyRing(current=key, retired=retired)
