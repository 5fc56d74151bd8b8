"""The plans app's PAR INDEX figures (``cchc.parindex.metrics``), which "from platform data"
criteria are scored from: PAR field 1 (công tác chỉ đạo, điều hành) scores the issuance and the
completion of the yearly reform plan (the Ministry of Home Affairs' PAR INDEX practice; e.g.
"ban hành kế hoạch CCHC năm kịp thời", "mức độ hoàn thành kế hoạch: trên 90%: 2; 70%–90%: 1;
dưới 70%: 0"). docs/plans-progress.md, "PAR INDEX figures".

``plans.completion``      tasks done ÷ tasks of the unit's plan of the year as of 31/12 (cancelled
                          tasks left out; a task done late counts as done), half up to 2 decimals;
                          None when the unit has no plan or the plan no task.
``plans.issued_on_time``  100 when the plan is issued (status issued, with its date) by
                          CCHC_PLAN_ISSUE_DEADLINE ("MM-DD", default 12-31) of the previous year,
                          else 0; None when the unit has no plan for the year.
"""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse

from cchc.parindex.metrics import Figure

from .models import Plan
from .selectors_progress import completion_figure, year_end
from .selectors_progress import issued_on_time as plan_issued_on_time


def progress_url(unit, year: int, as_of=None, bucket: str = "") -> str:
    query = {"don_vi": unit.code, "nam": str(year)}
    if as_of is not None:
        query["ngay"] = f"{as_of:%d/%m/%Y}"
    if bucket:
        query["ds"] = bucket
    return f"{reverse('plans:progress')}?{urlencode(query)}"


def completion(unit, year: int) -> Figure:
    plan, result = completion_figure(unit, year)
    url = progress_url(unit, year, year_end(year), "done")
    if plan is None:
        return Figure(None, drilldown_url=url, detail={"reason": "no_plan"})
    return Figure(
        result.completion_percent,
        len(result.done),
        len(result.total),
        url,
        {"definition": "tasks_done / tasks_total as of 31/12", "plan": plan.pk},
    )


def issued_on_time(unit, year: int) -> Figure:
    plan = Plan.objects.filter(unit=unit, year=year).first()
    ok, deadline = plan_issued_on_time(plan)
    url = progress_url(unit, year)
    if ok is None:
        return Figure(None, drilldown_url=url, detail={"reason": "no_plan"})
    return Figure(
        Decimal(100) if ok else Decimal(0),
        1 if ok else 0,
        1,
        url,
        {
            "deadline": deadline.isoformat(),
            "issued_on": plan.issued_on.isoformat() if plan.issued_on else None,
            "document_number": plan.document_number,
        },
    )
