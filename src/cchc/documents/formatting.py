"""How dates, times, money and places are written in Vietnamese administrative documents.

- Dates in running text: "ngày 05 tháng 01 năm 2026", "ngày 03 tháng 6 năm 2024": a day below 10
  and the months 1 and 2 take a leading zero (Nghị định 30/2020/NĐ-CP on administrative
  documents, Phụ lục I, the "địa danh và thời gian ban hành văn bản" line).
- Dates in fields: dd/mm/yyyy; times: "08 giờ 30 phút, ngày 03/06/2024".
- Money: 1.234.567 đ (dot as thousands separator); a fee of 0 is "miễn phí" (``cchc.common.money``).
"""

from __future__ import annotations

import re
from datetime import date, datetime

from django.utils import timezone

from cchc.common.money import fee as fee_text
from cchc.common.money import vnd

PLACEHOLDER = "……"

# Kinds of unit whose name ends with a place name, and the words before that place name.
_PLACE_KINDS = ("commune_committee", "district_committee", "province_committee")
_PLACE_PREFIX = re.compile(
    r"^(ủy ban nhân dân|uỷ ban nhân dân|ubnd|hđnd)?\s*"
    r"(thành phố|tỉnh|phường|xã|đặc khu|thị trấn|thị xã|quận|huyện)?\s*",
    re.IGNORECASE,
)


def _local(value: datetime | date | None):
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def date_words(value: datetime | date | None) -> str:
    """ "ngày 05 tháng 01 năm 2026"; dots to fill in by hand when there is no date."""
    value = _local(value)
    if value is None:
        return f"ngày {PLACEHOLDER} tháng {PLACEHOLDER} năm {PLACEHOLDER}"
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"


def dmy(value: datetime | date | None) -> str:
    value = _local(value)
    return value.strftime("%d/%m/%Y") if value else ""


def dmy_hm(value: datetime | None) -> str:
    value = _local(value)
    return value.strftime("%d/%m/%Y %H:%M") if value else ""


def time_words(value: datetime | None) -> str:
    """ "08 giờ 30 phút, ngày 03/06/2024"."""
    value = _local(value)
    if value is None:
        return f"{PLACEHOLDER} giờ {PLACEHOLDER} phút, ngày {PLACEHOLDER}"
    return f"{value:%H} giờ {value:%M} phút, ngày {value:%d/%m/%Y}"


def money(amount: int | None) -> str:
    """1234567 → "1.234.567 đ" (``cchc.common.money.vnd``)."""
    return vnd(amount)


def fee(amount: int | None) -> str:
    """A fee: "miễn phí" when none, else "1.234.567 đ" (``cchc.common.money.fee``, every page's)."""
    return fee_text(amount)


def place_name(unit) -> str:
    """The place written before the date: the locality of the nearest local-government unit.

    "UBND phường Đông Thành" → "Đông Thành"; a department of a province gets the province's name.
    Units outside that tree get dots, to be completed by hand.
    """
    while unit is not None:
        if getattr(unit, "kind", "") in _PLACE_KINDS:
            name = _PLACE_PREFIX.sub("", unit.name.strip(), count=1).strip()
            if name:
                return name
        unit = getattr(unit, "parent", None)
    return PLACEHOLDER
