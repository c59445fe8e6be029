"""Server-side SVG charts: no JavaScript, no CDN; the same markup works in pages and in
WeasyPrint PDFs. Each chart returns SVG with a <title> and aria-label, followed by a data
table fallback (visually hidden by the `chart-table` CSS class, read by screen readers and
shown when SVG is unavailable)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Colours with at least 4.5:1 contrast against white (WCAG AA for text and graphics).
BAR = "#1f5f99"
OVER = "#8a1c1c"
MAX = "#595959"
TEXT = "#1a1a1a"


@dataclass(frozen=True)
class Point:
    label: str
    value: float
    maximum: float | None = None


def _num(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return f"{float(value):.1f}".replace(".", ",")


def _floats(points: Sequence[Point]) -> list[Point]:
    """Values may be int, Decimal or Fraction (the KKK engine's points): draw with floats."""
    return [
        Point(p.label, float(p.value), None if p.maximum is None else float(p.maximum))
        for p in points
    ]


def _table(title: str, points: Sequence[Point], value_head: str, max_head: str | None) -> str:
    head = f"<th scope='col'>{escape(value_head)}</th>"
    if max_head:
        head += f"<th scope='col'>{escape(max_head)}</th>"
    rows = []
    for p in points:
        cells = f"<td>{_num(p.value)}</td>"
        if max_head:
            cells += f"<td>{_num(p.maximum) if p.maximum is not None else ''}</td>"
        rows.append(f"<tr><th scope='row'>{escape(p.label)}</th>{cells}</tr>")
    return (
        f"<table class='chart-table'><caption>{escape(title)}</caption>"
        f"<thead><tr><td></td>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _wrap(title: str, width: int, height: int, body: str, table: str) -> SafeString:
    t = escape(title)
    svg = (
        f"<svg class='chart' xmlns='http://www.w3.org/2000/svg' role='img' aria-label='{t}' "
        f"viewBox='0 0 {width} {height}' width='100%' preserveAspectRatio='xMinYMin meet'>"
        f"<title>{t}</title>{body}</svg>"
    )
    return mark_safe(f"<figure class='chart-figure'>{svg}{table}</figure>")  # noqa: S308


def bars(title: str, points: Sequence[Point], *, value_head: str = "") -> SafeString:
    """Vertical bars, one per point (e.g. members by type)."""
    points = _floats(points)
    width, height, top, bottom = 320, 180, 16, 36
    n = max(len(points), 1)
    slot = width / n
    peak = max((p.value for p in points), default=0) or 1
    parts = []
    for i, p in enumerate(points):
        h = (height - top - bottom) * p.value / peak
        x = i * slot + slot * 0.15
        y = height - bottom - h
        w = slot * 0.7
        parts.append(
            f"<rect class='chart-bar' x='{x:.1f}' y='{y:.1f}' width='{w:.1f}' height='{h:.1f}' "
            f"fill='{BAR}' data-value='{_num(p.value)}'><title>{escape(p.label)}: "
            f"{_num(p.value)}</title></rect>"
            f"<text x='{x + w / 2:.1f}' y='{y - 3:.1f}' font-size='11' text-anchor='middle' "
            f"fill='{TEXT}'>{_num(p.value)}</text>"
            f"<text x='{x + w / 2:.1f}' y='{height - bottom + 14:.1f}' font-size='10' "
            f"text-anchor='middle' fill='{TEXT}'>{escape(p.label[:14])}</text>"
        )
    return _wrap(title, width, height, "".join(parts), _table(title, points, value_head, None))


def hbars(
    title: str, points: Sequence[Point], *, value_head: str = "", max_head: str = ""
) -> SafeString:
    """Horizontal bars against each point's maximum (e.g. KKK stage II points per area)."""
    points = _floats(points)
    width, row, label_w = 320, 26, 130
    height = row * max(len(points), 1) + 8
    scale_w = width - label_w - 40
    peak = max((max(p.value, p.maximum or 0) for p in points), default=0) or 1
    parts = []
    for i, p in enumerate(points):
        y = 4 + i * row
        w = scale_w * p.value / peak
        over = p.maximum is not None and p.value > p.maximum
        parts.append(
            f"<text x='0' y='{y + 15}' font-size='11' fill='{TEXT}'>{escape(p.label[:20])}</text>"
        )
        if p.maximum is not None:
            mw = scale_w * p.maximum / peak
            parts.append(
                f"<rect class='chart-max' x='{label_w}' y='{y + 3}' width='{mw:.1f}' "
                f"height='16' fill='none' stroke='{MAX}' data-max='{_num(p.maximum)}'/>"
            )
        parts.append(
            f"<rect class='chart-bar' x='{label_w}' y='{y + 3}' width='{w:.1f}' height='16' "
            f"fill='{OVER if over else BAR}' data-value='{_num(p.value)}'>"
            f"<title>{escape(p.label)}: {_num(p.value)}"
            f"{' / ' + _num(p.maximum) if p.maximum is not None else ''}</title></rect>"
            f"<text x='{width - 36}' y='{y + 15}' font-size='11' fill='{TEXT}'>{_num(p.value)}"
            f"{'/' + _num(p.maximum) if p.maximum is not None else ''}</text>"
        )
    table = _table(title, points, value_head, max_head or None)
    return _wrap(title, width, height, "".join(parts), table)


def line(title: str, points: Sequence[Point], *, value_head: str = "") -> SafeString:
    """A line over time (e.g. members per year, KKK stage II points per edition)."""
    points = _floats(points)
    width, height, left, top, bottom = 320, 160, 10, 18, 30
    n = len(points)
    peak = max((p.value for p in points), default=0) or 1
    step = (width - 2 * left) / max(n - 1, 1)
    coords = []
    parts = []
    for i, p in enumerate(points):
        x = left + i * step if n > 1 else width / 2
        y = height - bottom - (height - top - bottom) * p.value / peak
        coords.append(f"{x:.1f},{y:.1f}")
        parts.append(
            f"<circle class='chart-point' cx='{x:.1f}' cy='{y:.1f}' r='3.5' fill='{BAR}' "
            f"data-value='{_num(p.value)}'><title>{escape(p.label)}: {_num(p.value)}</title>"
            f"</circle><text x='{x:.1f}' y='{y - 6:.1f}' font-size='10' text-anchor='middle' "
            f"fill='{TEXT}'>{_num(p.value)}</text><text x='{x:.1f}' y='{height - 10}' "
            f"font-size='10' text-anchor='middle' fill='{TEXT}'>{escape(p.label)}</text>"
        )
    path = (
        f"<polyline fill='none' stroke='{BAR}' stroke-width='2' points='{' '.join(coords)}'/>"
        if n > 1
        else ""
    )
    return _wrap(
        title, width, height, path + "".join(parts), _table(title, points, value_head, None)
    )
