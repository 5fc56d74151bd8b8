"""Survey results pages: a campaign's ranking with intervals, factor bars with whiskers, item
distributions, the trend over the organiser's campaigns, response rates per channel, open-text
answers; the exports; the public page of a published campaign. Thin views over :mod:`.results`
and :mod:`.exports`; charts are inline SVG drawn from coordinates computed here (no JS library).

Scope (:mod:`.results`): the organiser's reform staff, leaders and system administrators see every
unit; those of a surveyed unit only its row (and its open texts); a published campaign's ranking
is public; anything else is a 404. Raw responses are exported only to those who see every unit.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from . import exports
from . import results as results_module
from .models import Campaign, CampaignStatus, ResponseChannel

CHART_LEFT = 280  # room for the unit names
CHART_WIDTH = 600  # 0 … 100 %
ROW_HEIGHT = 22
TEXTS_PER_PAGE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Fill colours of the five levels, "very dissatisfied" (red) to "very satisfied" (green).
LEVEL_COLOURS = ("#b02a37", "#e35d6a", "#adb5bd", "#75b798", "#198754")


def _x(percent) -> str:
    """The x coordinate of a percentage on the chart, as SVG text (never localized)."""
    value = 0.0 if percent is None else min(max(float(percent), 0.0), 100.0)
    return f"{CHART_LEFT + value / 100 * CHART_WIDTH:.1f}"


def interval_bars(entries) -> list[dict]:
    """One bar per entry (``name``, ``index``, ``ci_low``, ``ci_high``), with its whisker."""
    bars = []
    for position, entry in enumerate(entries):
        index = results_module.percent(entry["index"])
        bars.append(
            {
                "y": str(position * ROW_HEIGHT),
                "name": entry["name"],
                "index": index,
                "width": f"{(min(index or 0, 100)) / 100 * CHART_WIDTH:.1f}",
                "low": results_module.percent(entry.get("ci_low")),
                "high": results_module.percent(entry.get("ci_high")),
                "x_low": _x(entry.get("ci_low")),
                "x_high": _x(entry.get("ci_high")),
                "has_interval": entry.get("ci_low") is not None,
                "label_x": _x(max(entry.get("ci_high") or 0, index or 0)),
                "muted": entry.get("muted", False),
            }
        )
    return bars


def height(bars) -> str:
    return str(len(bars) * ROW_HEIGHT + 8)


def unit_bars(rows) -> list[dict]:
    return interval_bars(
        {
            "name": row.unit_name,
            "index": row.index,
            "ci_low": row.ci_low,
            "ci_high": row.ci_high,
            "muted": not row.enough,
        }
        for row in rows
        if row.index is not None
    )


def factor_bars(row) -> list[dict]:
    return interval_bars(
        {"name": f.name, "index": f.index, "ci_low": f.ci_low, "ci_high": f.ci_high}
        for f in row.factors
    )


def item_stacks(row) -> list[dict]:
    """Each item's distribution over the five levels as stacked segments."""
    stacks = []
    for position, item in enumerate(row.items):
        segments, start = [], 0.0
        for level, (count, share) in enumerate(
            zip(item.distribution, item.percents, strict=True), start=1
        ):
            width = share / 100 * CHART_WIDTH
            segments.append(
                {
                    "x": f"{CHART_LEFT + start:.1f}",
                    "width": f"{width:.1f}",
                    "colour": LEVEL_COLOURS[level - 1],
                    "level": level,
                    "count": count,
                    "share": share,
                }
            )
            start += width
        stacks.append(
            {
                "y": str(position * ROW_HEIGHT),
                "code": item.code,
                "label": item.label,
                "share": item.share,
                "valid": item.valid,
                "segments": segments,
            }
        )
    return stacks


def trend_points(history: list[dict], width: int = CHART_WIDTH, tall: int = 140) -> list[dict]:
    step = width / max(len(history) - 1, 1)
    points = []
    for position, item in enumerate(history):
        index = item["index"]
        y = None if index is None else f"{tall - min(index, 100) / 100 * tall:.1f}"
        points.append({**item, "x": f"{40 + position * step:.1f}", "y": y})
    return points


def channel_table(rows) -> tuple[list[tuple[str, str]], list[dict]]:
    """The channels used, and per unit its responses per channel."""
    used = {channel for row in rows for channel in row.channels}
    channels = [(c.value, c.label) for c in ResponseChannel if c.value in used]
    table = [
        {
            "row": row,
            "counts": [row.channels.get(code, 0) for code, _label in channels],
        }
        for row in rows
    ]
    return channels, table


def _campaign(request, code: str) -> Campaign:
    campaign = results_module.find_visible(code, request.user)
    if campaign is None:
        raise Http404
    return campaign


def _scoped(request, campaign: Campaign):
    results = results_module.campaign_results(campaign)
    allowed = results_module.visible_unit_ids(request.user, campaign)
    rows = results.for_units(allowed)
    return results, rows, allowed is None


def _reads_texts(user, campaign: Campaign) -> bool:
    allowed = results_module.visible_unit_ids(user, campaign, public=False)
    return allowed is None or bool(allowed)


def _download(content: bytes, content_type: str, name: str, attachment: bool = True):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(attachment, name)
    return response


@login_required
@require_GET
def results_index(request):
    campaigns = results_module.visible_campaigns(request.user)
    return render(request, "surveys/results_index.html", {"campaigns": campaigns})


@login_required
@require_GET
def results_campaign(request, code: str):
    campaign = _campaign(request, code)
    _results, rows, everything = _scoped(request, campaign)
    chosen = next((r for r in rows if r.unit == request.GET.get("unit")), None)
    chosen = chosen or next((r for r in rows if r.index is not None), None)
    channels, channel_rows = channel_table(rows)
    history = results_module.trend(campaign) if everything else []
    context = {
        "campaign": campaign,
        "rows": rows,
        "everything": everything,
        "bars": unit_bars(rows),
        "chosen": chosen,
        "factor_bars": factor_bars(chosen) if chosen else [],
        "stacks": item_stacks(chosen) if chosen else [],
        "channels": channels,
        "channel_rows": channel_rows,
        "trend": trend_points(history),
        "trend_line": " ".join(
            f"{p['x']},{p['y']}" for p in trend_points(history) if p["y"] is not None
        ),
        "levels": list(zip(range(1, 6), LEVEL_COLOURS, strict=True)),
        "can_export_raw": everything and results_module.sees_all_units(request.user, campaign),
        "has_texts": _reads_texts(request.user, campaign),
    }
    context["bars_height"] = height(context["bars"])
    context["factor_height"] = height(context["factor_bars"])
    context["stacks_height"] = height(context["stacks"])
    return render(request, "surveys/results_campaign.html", context)


@login_required
@require_GET
def results_texts(request, code: str):
    """Open-text answers of the units the reader is staff of (never public)."""
    campaign = _campaign(request, code)
    if not _reads_texts(request.user, campaign):
        raise Http404
    allowed = results_module.visible_unit_ids(request.user, campaign, public=False)
    results = results_module.campaign_results(campaign, resamples=0)
    units = {row.unit: row.unit_name for row in results.for_units(allowed)}
    texts = [t for t in results.texts if t.unit in units]
    questions = dict.fromkeys((t.question, t.label) for t in texts)
    unit = request.GET.get("unit", "")
    question = request.GET.get("question", "")
    search = request.GET.get("q", "").strip()
    if unit:
        texts = [t for t in texts if t.unit == unit]
    if question:
        texts = [t for t in texts if t.question == question]
    if search:
        texts = [t for t in texts if search.casefold() in t.text.casefold()]
    page = Paginator(texts, TEXTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "campaign": campaign,
        "page": page,
        "units": sorted(units.items(), key=lambda item: item[1]),
        "questions": list(questions),
        "unit": unit,
        "question": question,
        "search": search,
        "query": query.urlencode(),
    }
    return render(request, "surveys/results_texts.html", context)


@login_required
@require_GET
def results_xlsx(request, code: str):
    campaign = _campaign(request, code)
    results, rows, _everything = _scoped(request, campaign)
    return _download(
        exports.results_xlsx(results, rows), XLSX, exports.filename(campaign, "ket-qua", "xlsx")
    )


@login_required
@require_GET
def results_pdf(request, code: str):
    campaign = _campaign(request, code)
    results, rows, _everything = _scoped(request, campaign)
    return _download(
        exports.report_pdf(results, rows),
        "application/pdf",
        exports.filename(campaign, "bao-cao", "pdf"),
        attachment=False,
    )


def _raw_campaign(request, code: str) -> Campaign:
    campaign = _campaign(request, code)
    if not results_module.sees_all_units(request.user, campaign):
        raise Http404
    return campaign


@login_required
@require_GET
def raw_csv(request, code: str):
    campaign = _raw_campaign(request, code)
    labels = request.GET.get("labels") == "1"
    suffix = "tra-loi-nhan" if labels else "tra-loi"
    return _download(
        exports.raw_csv(campaign, labels=labels),
        "text/csv; charset=utf-8",
        exports.filename(campaign, suffix, "csv"),
    )


@login_required
@require_GET
def raw_xlsx(request, code: str):
    campaign = _raw_campaign(request, code)
    return _download(
        exports.raw_xlsx(campaign), XLSX, exports.filename(campaign, "tra-loi", "xlsx")
    )


# -- public ---------------------------------------------------------------------------------------
@require_GET
def public_index(request):
    campaigns = Campaign.objects.filter(status=CampaignStatus.PUBLISHED).select_related("organiser")
    return render(
        request,
        "surveys/public_index.html",
        {"campaigns": campaigns.order_by("-period_end", "code")},
    )


@require_GET
def public_campaign(request, code: str):
    campaign = get_object_or_404(
        Campaign.objects.select_related("organiser", "questionnaire"),
        code=code,
        status=CampaignStatus.PUBLISHED,
    )
    results = results_module.campaign_results(campaign)
    factor_names = [f.name for f in results.rows[0].factors] if results.rows else []
    context = {
        "campaign": campaign,
        "rows": results.rows,
        "factor_names": factor_names,
        "bars": unit_bars(results.rows),
    }
    context["bars_height"] = height(context["bars"])
    return render(request, "surveys/public_campaign.html", context)
