"""The forum's charts, server-side SVG like klaster.core.charts (no JavaScript, no CDN; the same
markup in the page and the PDF): bars of one indicator's shared figures with the median, a radar
of the areas (own cluster against the forum's median), and the trend over the years. Each has
a data table fallback for screen readers."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from klaster.core import charts as base
from klaster.core.say import say
from klaster.rules.forum.compare import Row

OWN = "#8a4b00"  # the reader's own cluster: dark orange, 4.5:1 on white
MEDIAN = "#595959"


def comparison_bars(title: str, row: Row, maximum: Decimal | None) -> SafeString:
    """Horizontal bars, best first; the reader's own bar coloured; the median as a line."""
    width, bar_h, label_w = 320, 18, 120
    height = bar_h * max(len(row.entries), 1) + 24
    scale_w = width - label_w - 44
    peak = float(max([e.value for e in row.entries] + [maximum or Decimal(0)])) or 1.0
    parts = []
    for i, e in enumerate(row.entries):
        y = 4 + i * bar_h
        w = scale_w * float(e.value) / peak
        name = say(e.label)
        parts.append(
            f"<text x='0' y='{y + 13}' font-size='10' fill='{base.TEXT}'>"
            f"{escape(name[:20])}</text>"
            f"<rect class='chart-bar' x='{label_w}' y='{y + 2}' width='{w:.1f}' height='{bar_h - 5}'"
            f" fill='{OWN if e.own else base.BAR}' data-value='{base._num(float(e.value))}'>"
            f"<title>{escape(name)}: {base._num(float(e.value))}</title></rect>"
            f"<text x='{width - 40}' y='{y + 13}' font-size='10' fill='{base.TEXT}'>"
            f"{base._num(float(e.value))}</text>"
        )
    if row.median is not None:
        x = label_w + scale_w * float(row.median) / peak
        parts.append(
            f"<line x1='{x:.1f}' x2='{x:.1f}' y1='2' y2='{height - 18}' stroke='{MEDIAN}' "
            f"stroke-dasharray='3 2'/><text x='{x:.1f}' y='{height - 6}' font-size='10' "
            f"text-anchor='middle' fill='{base.TEXT}'>{escape(_('median'))} "
            f"{base._num(float(row.median))}</text>"
        )
    points = [base.Point(say(e.label), float(e.value)) for e in row.entries]
    return base._wrap(title, width, height, "".join(parts), base._table(title, points, "", None))


def _quantile(ordered: Sequence[Decimal], q: float) -> float:
    """The q-quantile by linear interpolation between the two nearest ranks."""
    pos = (len(ordered) - 1) * q
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return float(ordered[low]) + (float(ordered[high]) - float(ordered[low])) * (pos - low)


def spread_box(title: str, row: Row, maximum: Decimal | None) -> SafeString:
    """One line per indicator however many clusters: the shared figures' range (lowest to best),
    the middle half as a box, the median as a bar and the reader's own figure as a dot."""
    width, height, left, right = 320, 34, 8, 8
    counted = sorted(e.value for e in row.entries if e.shared)
    own = next((e for e in row.entries if e.own), None)
    values = counted + ([own.value] if own else [])
    top = float(max(values + [maximum or Decimal(0)])) or 1.0
    span = width - left - right

    def x(v: float) -> float:
        return left + span * v / top

    parts = [f"<line x1='{left}' x2='{width - right}' y1='17' y2='17' stroke='#d0d0d0'/>"]
    if counted:
        lo, hi = float(counted[0]), float(counted[-1])
        q1, q3 = _quantile(counted, 0.25), _quantile(counted, 0.75)
        med = float(row.median) if row.median is not None else _quantile(counted, 0.5)
        parts.append(
            f"<line x1='{x(lo):.1f}' x2='{x(hi):.1f}' y1='17' y2='17' stroke='{base.BAR}'/>"
            f"<rect class='chart-box' x='{x(q1):.1f}' y='9' width='{max(x(q3) - x(q1), 1):.1f}' "
            f"height='16' fill='{base.BAR}' fill-opacity='0.25' stroke='{base.BAR}'/>"
            f"<line class='chart-median' x1='{x(med):.1f}' x2='{x(med):.1f}' y1='6' y2='28' "
            f"stroke='{MEDIAN}' stroke-width='2'><title>{escape(_('median'))} "
            f"{base._num(med)}</title></line>"
        )
    if own is not None:
        parts.append(
            f"<circle class='chart-own' cx='{x(float(own.value)):.1f}' cy='17' r='5' "
            f"fill='{OWN}'><title>{escape(say(own.label))}: {base._num(float(own.value))}"
            f"</title></circle>"
        )
    # no data table under it: the row it sits in says the median, the best and the own figure
    return base._wrap(title, width, height, "".join(parts), "")


def radar(
    title: str,
    areas: Sequence[tuple[str, str]],
    own: Mapping[str, Decimal],
    median: Mapping[str, Decimal],
) -> SafeString:
    """A radar of the areas, 0–100 % of each area's maximum: the own cluster's polygon and the
    forum's median's. An area the own cluster does not show is drawn at the centre and said so
    in the table."""
    size, r = 300, 100
    cx = cy = size / 2
    n = max(len(areas), 3)
    parts = []

    def point(i: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        return cx + r * value / 100 * math.cos(angle), cy + r * value / 100 * math.sin(angle)

    for ring in (25, 50, 75, 100):
        ring_pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, ring) for i in range(n)))
        parts.append(f"<polygon points='{ring_pts}' fill='none' stroke='#d0d0d0'/>")
    for i, (label, _key) in enumerate(areas):
        x, y = point(i, 118)
        parts.append(
            f"<text x='{x:.1f}' y='{y:.1f}' font-size='9' text-anchor='middle' "
            f"fill='{base.TEXT}'>{escape(label[:22])}</text>"
        )
    for values, colour, cls in ((median, MEDIAN, "chart-median"), (own, OWN, "chart-own")):
        pts = " ".join(
            f"{x:.1f},{y:.1f}"
            for x, y in (point(i, float(values.get(key, 0))) for i, (_l, key) in enumerate(areas))
        )
        parts.append(
            f"<polygon class='{cls}' points='{pts}' fill='{colour}' fill-opacity='0.15' "
            f"stroke='{colour}' stroke-width='2'/>"
        )
    rows = "".join(
        f"<tr><th scope='row'>{escape(label)}</th>"
        f"<td>{escape(str(own[key])) if key in own else '–'}</td>"
        f"<td>{escape(str(median[key])) if key in median else '–'}</td></tr>"
        for label, key in areas
    )
    table = (
        f"<table class='chart-table'><caption>{escape(title)}</caption><thead><tr><td></td>"
        f"<th scope='col'>{escape(_('Your cluster'))}</th>"
        f"<th scope='col'>{escape(_('Forum median'))}</th></tr></thead><tbody>{rows}</tbody></table>"
    )
    return base._wrap(title, size, size, "".join(parts), table)


def trend(
    title: str,
    own: Sequence[tuple[dt.date, Decimal]],
    median: Sequence[tuple[int, Decimal]],
) -> SafeString:
    """The own cluster's stage II points per snapshot year beside the forum's median."""
    by_year: dict[int, Decimal] = {}
    for day, value in own:
        by_year[day.year] = value  # the year's last snapshot
    points = [base.Point(str(y), float(v)) for y, v in sorted(by_year.items())]
    chart = base.line(title, points, value_head=_("Your cluster"))
    if not median:
        return chart
    med = base.line(
        _("The forum's median, by year"),
        [base.Point(str(y), float(v)) for y, v in median],
        value_head=_("Forum median"),
    )
    return SafeString(chart + med)
