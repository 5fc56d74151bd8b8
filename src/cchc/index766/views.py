"""The Decision 766 page: the score, every indicator, what loses points, ranking and trend."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from cchc.organisations.models import Role
from cchc.organisations.permissions import has_role, sees_everything, units_for

from . import counts, labels, scores
from .forms import PeriodForm

READERS = list(Role.values)


def _trend_points(trend: list[dict], width: int = 600, height: int = 160) -> list[dict]:
    """Positions of the weekly scores on a 0–100 scale for the inline SVG chart."""
    step = width / max(len(trend) - 1, 1)
    points = []
    for i, item in enumerate(trend):
        score = item["score"]
        y = None if score is None else round(height - score / 100 * height, 1)
        points.append(
            {
                **item,
                "week": date.fromisoformat(item["week_start"]),
                "x": round(i * step, 1),
                "y": y,
            }
        )
    return points


@login_required
def index_page(request):
    user = request.user
    if not (sees_everything(user) or has_role(user, READERS)):
        raise Http404
    everything = sees_everything(user)
    units = list(units_for(user).order_by("path"))
    form = PeriodForm(request.GET or None, units=units, today=timezone.localdate())
    if request.GET and not form.is_valid():
        form_ok = False
        start = end = None
    else:
        form_ok = True
        cleaned = form.cleaned_data if request.GET else form.clean_defaults()
        start, end = cleaned["start"], cleaned["end"]
    unit = None
    if form_ok:
        unit = cleaned.get("unit")
        if unit is None and not everything:
            unit = units[0] if units else None
        if unit is None and not everything:
            raise Http404
    context = {"form": form, "unit": unit, "everything": everything}
    if form_ok:
        data = scores.compute_index(unit, start, end)
        data["rules_from"] = date.fromisoformat(data["rules_effective_from"])
        for group in data["groups"]:
            for item in group["indicators"]:
                rate, threshold = item["rate"], item["threshold"]
                item["percent"] = None if rate is None else rate * 100
                item["threshold_percent"] = None if threshold is None else threshold * 100
                # Figures or a stated reason, never "None None —%" (counts are None together).
                item["has_data"] = item["numerator"] is not None and item["denominator"]
                item["no_data_reason"] = labels.no_data_reason(item["data"])
                item["scored"] = item["state"] != "display_only"
                if item["value_kind"] == "average" and item["has_data"]:
                    # 2.2 is counted in hundredths of working days over results × 100.
                    item["numerator"] = item["numerator"] / 100
                    item["denominator"] = item["denominator"] // 100
        ids = scores.unit_ids_of(unit)
        for loss in data["losses"][:6]:
            loss["causes"] = counts.causes(loss["id"], ids, start, end)
        ranking = scores.ranking(start, end, parent=unit)
        trend = scores.weekly_trend(unit, 12, end)
        context.update(
            {
                "data": data,
                "losses": [loss for loss in data["losses"] if (loss["lost_points"] or 0) > 0][:6],
                "ranking": ranking,
                "trend": _trend_points(trend),
                "start": start,
                "end": end,
            }
        )
    return render(request, "index766/index.html", context)
