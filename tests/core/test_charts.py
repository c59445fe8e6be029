"""Server-side SVG charts: the bars carry the values they were given (issue 9, point 9)."""

import re

from klaster.core.charts import Point, bars, hbars, line


def _values(svg: str, cls: str, attr: str = "data-value") -> list[str]:
    return re.findall(rf"class='{cls}'[^>]*{attr}='([^']*)'", svg)


def _heights(svg: str) -> list[float]:
    return [float(h) for h in re.findall(r"class='chart-bar'[^>]*height='([0-9.]+)'", svg)]


def test_bars_one_bar_per_point_with_its_value_and_proportional_height():
    svg = str(bars("Members by type", [Point("Firmy", 40), Point("Uczelnie", 10)]))
    assert _values(svg, "chart-bar") == ["40", "10"]
    h = _heights(svg)
    assert h[0] == 4 * h[1]
    assert "<title>Members by type</title>" in svg
    assert "aria-label='Members by type'" in svg
    # data table fallback with the same numbers
    assert "<th scope='row'>Firmy</th><td>40</td>" in svg
    assert "<th scope='row'>Uczelnie</th><td>10</td>" in svg


def test_bars_escape_labels():
    svg = str(bars("<x>", [Point("A&B <script>", 1)]))
    assert "<script>" not in svg
    assert "A&amp;B" in svg


def test_bars_empty_and_zero():
    svg = str(bars("Empty", []))
    assert "chart-bar" not in svg
    svg = str(bars("Zero", [Point("A", 0)]))
    assert _heights(svg) == [0.0]


def test_hbars_against_maximum():
    pts = [Point("Współpraca", 12, 20), Point("Innowacje", 25, 20)]
    svg = str(hbars("Stage II", pts, value_head="Points", max_head="Maximum"))
    assert _values(svg, "chart-bar") == ["12", "25"]
    assert _values(svg, "chart-max", "data-max") == ["20", "20"]
    assert "12/20" in svg and "25/20" in svg
    # a value over its maximum is drawn in the warning colour
    over = re.findall(r"class='chart-bar'[^>]*fill='(#[0-9a-f]+)'", svg)
    assert over[0] != over[1]
    assert "<td>12</td><td>20</td>" in svg


def test_line_points_in_order_and_higher_value_higher_on_screen():
    svg = str(line("Members over time", [Point("2024", 50), Point("2025", 80), Point("2026", 79)]))
    assert _values(svg, "chart-point") == ["50", "80", "79"]
    ys = [float(y) for y in re.findall(r"class='chart-point'[^>]*cy='([0-9.]+)'", svg)]
    assert ys[1] < ys[2] < ys[0]
    assert "<polyline" in svg


def test_fractional_values_use_polish_decimal_comma():
    svg = str(bars("Avg", [Point("A", 2.5)]))
    assert "data-value='2,5'" in svg


def test_fraction_and_decimal_values():
    from decimal import Decimal
    from fractions import Fraction

    svg = str(bars("F", [Point("A", Fraction(5, 2)), Point("B", Decimal("3"))]))
    assert _values(svg, "chart-bar") == ["2,5", "3"]
