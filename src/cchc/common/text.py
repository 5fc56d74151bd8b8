"""Text helpers for Vietnamese: search that ignores diacritics and case."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case ASCII form of Vietnamese text: "Đăng ký khai sinh" → "dang ky khai sinh".

    Used to build a search column, so "giay khai sinh" finds "Giấy khai sinh" on every database
    (SQLite and PostgreSQL alike, without the unaccent extension).
    """
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.lower()).strip()


def vietnamese_sort_key(text: str) -> tuple[str, str]:
    """Alphabetical order as Vietnamese readers expect: Đ after D (not after Z), accents second."""
    base = fold((text or "").replace("Đ", "D\uffff").replace("đ", "d\uffff"))
    return base.replace("\uffff", "~"), text or ""


_ID = re.compile(r"[0-9]{1,18}")


def as_id(value) -> int | None:
    """A number sent in a request (an id, a version, a status, a score): ASCII digits only, or None.

    ``str.isdigit()`` is not enough: it accepts "²" and other Unicode digits that ``int()`` then
    refuses, and any length, past what a database integer holds.
    """
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    return int(text) if _ID.fullmatch(text.strip()) else None
