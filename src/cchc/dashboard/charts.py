"""Charts drawn on the server as inline SVG (no JavaScript library, nothing from a CDN).

Each chart carries a ``<title>`` and a ``<desc>`` (``role="img"``, ``aria-labelledby``), and every
bar or point its own ``<title>`` with the exact figure; the page repeats the figures in a table.
Coordinates are written with a dot; figures shown to people are localised (1.234,5).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH = 560
FONT = 12


def fmt(value, decimals: int = 0) -> str:
    """A figure as people read it here: 1.234 or 95,5 (rounded half up; Django's
    ``number_format`` alone would cut 66,67 to 66,6)."""
    if value is None:
        return "—"
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    return number_format(rounded, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def _c(value: float) -> str:
    """A coordinate (never localised)."""
    return f"{value:.1f}"


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10ⁿ not below ``value`` (at least 1): round axis ends."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def _svg(chart_id: str, title: str, desc: str, height: float, body: str) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" class="chart w-100" '
        'role="img" aria-labelledby="{id}-title {id}-desc" id="{id}" '
        'font-family="system-ui, sans-serif" font-size="{font}">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>',
        w=WIDTH,
        h=_c(height),
        id=chart_id,
        font=FONT,
        title=title,
        desc=desc,
        body=mark_safe(body),  # every piece was built by format_html (escaped)
    )


def _y_axis(left: float, top: float, plot_w: float, plot_h: float, top_value, suffix, decimals):
    parts = []
    for fraction in (0, 0.5, 1):
        y = top + plot_h - fraction * plot_h
        parts.append(
            format_html(
                '<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="#ccc"/>'
                '<text x="{tx}" y="{ty}" text-anchor="end" fill="#555">{label}{suffix}</text>',
                x1=_c(left),
                x2=_c(left + plot_w),
                y=_c(y),
                tx=_c(left - 4),
                ty=_c(y + 4),
                label=fmt(top_value * fraction, 0 if (top_value * fraction) % 1 == 0 else decimals),
                suffix=suffix,
            )
        )
    return "".join(parts)


def _x_labels(left: float, band: float, baseline: float, labels: Sequence[str]) -> str:
    return format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle" fill="#555">{}</text>',
        ((_c(left + band * (i + 0.5)), _c(baseline + 16), label) for i, label in enumerate(labels)),
    )


def _legend(series: Sequence[tuple[str, Sequence, str]], right: float) -> str:
    parts, x = [], right
    for name, _values, colour in reversed(series):
        x -= 8 + len(name) * 6.8 + 14
        parts.append(
            format_html(
                '<rect x="{x}" y="2" width="10" height="10" fill="{colour}"/>'
                '<text x="{tx}" y="11">{name}</text>',
                x=_c(x),
                tx=_c(x + 14),
                colour=colour,
                name=name,
            )
        )
    return "".join(parts)


def column_chart(
    chart_id: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int], str]],
) -> SafeString:
    """Grouped vertical bars: one group per label, one bar per series (name, values, colour)."""
    height, left, top, bottom, right = 240.0, 48.0, 20.0, 24.0, 8.0
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    top_value = nice_ceiling(max((v for _n, values, _c in series for v in values), default=0))
    band = plot_w / max(len(labels), 1)
    bar = band * 0.8 / max(len(series), 1)
    parts = [_y_axis(left, top, plot_w, plot_h, top_value, "", 1), _legend(series, WIDTH - right)]
    for s, (name, values, colour) in enumerate(series):
        for i, value in enumerate(values):
            h = plot_h * value / top_value
            parts.append(
                format_html(
                    '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{colour}">'
                    "<title>{label} · {name}: {value}</title></rect>",
                    x=_c(left + band * i + band * 0.1 + bar * s),
                    y=_c(top + plot_h - h),
                    w=_c(bar),
                    h=_c(h),
                    colour=colour,
                    label=labels[i],
                    name=name,
                    value=fmt(value),
                )
            )
    parts.append(_x_labels(left, band, top + plot_h, labels))
    return _svg(chart_id, title, desc, height, "".join(parts))


def line_chart(
    chart_id: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    top_value: float = 100,
    suffix: str = "",
    decimals: int = 1,
    colour: str = "#a51d24",
) -> SafeString:
    """A line over the labels; ``None`` leaves a gap (no data that week)."""
    height, left, top, bottom, right = 220.0, 48.0, 12.0, 24.0, 8.0
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    band = plot_w / max(len(labels), 1)
    parts = [_y_axis(left, top, plot_w, plot_h, top_value, suffix, decimals)]
    runs: list[list[tuple[float, float]]] = [[]]
    points = []
    for i, value in enumerate(values):
        if value is None:
            runs.append([])
            continue
        x = left + band * (i + 0.5)
        y = top + plot_h - plot_h * min(max(value, 0), top_value) / top_value
        runs[-1].append((x, y))
        points.append(
            format_html(
                '<circle cx="{x}" cy="{y}" r="3.5" fill="{colour}"><title>{label}: {value}{suffix}'
                "</title></circle>",
                x=_c(x),
                y=_c(y),
                colour=colour,
                label=labels[i],
                value=fmt(value, decimals),
                suffix=suffix,
            )
        )
    for run in runs:
        if len(run) > 1:
            parts.append(
                format_html(
                    '<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>',
                    colour=colour,
                    points=" ".join(f"{_c(x)},{_c(y)}" for x, y in run),
                )
            )
    parts += points
    parts.append(_x_labels(left, band, top + plot_h, labels))
    return _svg(chart_id, title, desc, height, "".join(parts))


def bar_chart(
    chart_id: str,
    title: str,
    desc: str,
    rows: Sequence[tuple[str, float | None, str]],
    colour: str = "#198754",
) -> SafeString:
    """Horizontal bars on a 0–100 % scale: (label, percent, note shown after the figure).

    Each label stands above its bar, so long unit names keep the whole width."""
    row_h, left, right, top = 40.0, 2.0, 132.0, 4.0
    plot_w = WIDTH - left - right
    height = top * 2 + row_h * max(len(rows), 1)
    parts = []
    for i, (label, percent, note) in enumerate(rows):
        y = top + row_h * i
        w = plot_w * (percent or 0) / 100
        short = label if len(label) <= 80 else label[:79] + "…"
        parts.append(
            format_html(
                "<g><title>{label}: {value}% {note}</title>"
                '<text x="{x}" y="{ly}">{short}</text>'
                '<rect x="{x}" y="{y}" width="{full}" height="{h}" fill="#eee"/>'
                '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{colour}"/>'
                '<text x="{vx}" y="{vy}">{value}% {note}</text></g>',
                label=label,
                short=short,
                note=note,
                value=fmt(percent, 1),
                x=_c(left),
                ly=_c(y + 13),
                y=_c(y + 18),
                vy=_c(y + 31),
                full=_c(plot_w),
                w=_c(w),
                h=_c(16),
                colour=colour,
                vx=_c(left + plot_w + 6),
            )
        )
    return _svg(chart_id, title, desc, height, "".join(parts))
