"""The PAR INDEX figure ``reformreports.on_time``: periodic reports approved by their due date.

The PAR criterion on reporting (thực hiện đầy đủ, đúng thời gian chế độ báo cáo CCHC định kỳ)
asks whether the unit sent its periodic reform reports, all and on time (CV 581/BNV-CCHC
deadlines). Figure: the periods of the year whose due date has passed and whose report the unit
approved by that date ÷ those periods, in percent rounded half up to two decimals; drill-down:
the units that have not reported that year.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cchc.parindex.metrics import Figure, Metric, metrics

from . import selectors


def on_time(unit, year: int) -> Figure:
    numerator, denominator = selectors.on_time_counts(unit, year)
    url = f"{reverse('reformreports:missing')}?{urlencode({'nam': year})}"
    if not denominator:
        return Figure(None, 0, 0, url, {"reason": "no period due yet"})
    value = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    return Figure(value, numerator, denominator, url, {"definition": "approved by due / due"})


if "reformreports.on_time" not in metrics:
    metrics.register(
        Metric(
            "reformreports.on_time",
            _("Periodic reform reports approved by the due date (%)"),
            on_time,
            _("Periods of the year whose report was approved by its due date ÷ periods due."),
            order=70,
        )
    )
