"""How amounts of money are written, the same on every page, form and PDF.

- Amounts in đồng with a dot between thousands: 1.234.000 đ (the Vietnamese number format, and
  the way the national catalogue and the official forms write fees).
- A fee of 0 is written "miễn phí" (free), never "0 đ": the catalogue page, the counter checklist,
  the dossier page and the receipt (Mẫu 01, "Phí, lệ phí") say the same thing.
"""

from __future__ import annotations

from django.utils.translation import gettext as _


def vnd(amount: int | None) -> str:
    """1234000 → "1.234.000 đ"; an empty amount is 0 đ."""
    return f"{int(amount or 0):,}".replace(",", ".") + " đ"


def fee(amount: int | None) -> str:
    """A fee or charge (phí, lệ phí): "miễn phí" when there is none, else "1.234.000 đ"."""
    if not amount:
        return _("free")
    return vnd(amount)
