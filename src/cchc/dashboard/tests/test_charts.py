"""Server-side SVG charts: localised figures, accessible markup, escaped labels, exact geometry."""

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc.dashboard import charts


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (66.666, 1, "66,7"),
        (66.65, 1, "66,7"),  # half up, not cut
        (1234.5, 1, "1.234,5"),
        (1234567, 0, "1.234.567"),
        (0, 1, "0,0"),
        (None, 1, "—"),
    ],
)
def test_figures_are_localised_and_rounded_half_up(value, decimals, text):
    assert charts.fmt(value, decimals) == text


@given(st.floats(min_value=0, max_value=1e9, allow_nan=False))
def test_nice_ceiling_is_a_round_number_not_below_the_value(value):
    top = charts.nice_ceiling(value)
    assert top >= max(value, 1)
    assert top <= max(value, 1) * 2.5 + 1e-6  # never more than one step above
    power = 10 ** math.floor(math.log10(top))
    assert round(top / power, 6) in (1, 2, 2.5, 5, 10)


def test_column_chart_is_accessible_and_proportional():
    svg = str(
        charts.column_chart(
            "c1",
            "Tiếp nhận <b>",
            "Mô tả",
            ["02/03", "09/03"],
            [("Received", [50, 100], "#00f"), ("Resolved", [25, 0], "#0f0")],
        )
    )
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert 'aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">Tiếp nhận &lt;b&gt;</title>' in svg  # escaped
    heights = [
        float(h)
        for h in re.findall(r'<rect x="[^"]+" y="[^"]+" width="[^"]+" height="([^"]+)"', svg)
    ]
    bars = heights[2:]  # after the two legend squares
    assert bars[1] == pytest.approx(2 * bars[0]) and bars[3] == 0
    assert bars[2] == pytest.approx(bars[0] / 2)
    assert "<title>09/03 · Received: 100</title>" in svg
    assert ">100<" in svg and ">50<" in svg  # axis labels: 0, 50, 100


def test_line_chart_leaves_gaps_for_missing_weeks():
    svg = str(charts.line_chart("c2", "T", "D", list("abcde"), [10, 20, None, 40, 50], suffix="%"))
    assert svg.count("<polyline") == 2
    assert svg.count("<circle") == 4
    assert "<title>d: 40,0%</title>" in svg


def test_bar_chart_widths_follow_the_percentages():
    svg = str(
        charts.bar_chart(
            "c3", "T", "D", [("Phường <Đông Thành>", 100, "(9/9)"), ("Sở Tư pháp", 25.0, "(1/4)")]
        )
    )
    widths = [float(w) for w in re.findall(r'width="([^"]+)" height="[^"]+" fill="#198754"', svg)]
    assert widths[0] == pytest.approx(4 * widths[1])
    assert "Phường &lt;Đông Thành&gt;" in svg and "25,0% (1/4)" in svg
