"""Issue 9 point 9: the KKK dashboard draws stage II points per indicator against the maximum as
server-side SVG — one bar per indicator, with the engine's points and maximum (KKK-EXPLAIN)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_dashboard_chart_has_one_bar_per_indicator_with_its_points(client, demo):
    client.force_login(demo.office)
    r = client.get(reverse("kkk_dashboard", kwargs={"slug": "demo"}))
    assert r.status_code == 200
    html = r.content.decode()
    indicators = r.context["ev"].stage2.indicators
    assert indicators
    values = re.findall(r"class='chart-bar'[^>]*data-value='([^']*)'", html)
    maxima = re.findall(r"class='chart-max'[^>]*data-max='([^']*)'", html)
    assert values == [str(i.points) for i in indicators]
    assert maxima == [str(i.max) for i in indicators]
    assert "<svg class='chart'" in html and "<table class='chart-table'>" in html


def test_dashboard_draws_stage_ii_over_the_years_from_the_engine(client, demo):
    """Issue 9 point 9: stage II on the same day of each of the four years before D and on D, each
    point the engine's own proposal for that day (one dataset, evaluated again per day)."""
    from klaster.kkk.selectors import cluster_evaluation, stage2_history
    from klaster.rules.kkk import evaluate

    client.force_login(demo.office)
    r = client.get(reverse("kkk_dashboard", kwargs={"slug": "demo"}))
    ev = r.context["ev"]
    scored = cluster_evaluation(demo, as_of=ev.as_of)
    history = stage2_history(scored)
    assert [p.as_of.year for p in history] == [ev.as_of.year - k for k in (4, 3, 2, 1, 0)]
    assert all(p.as_of.month == ev.as_of.month for p in history)
    assert history[-1].points == ev.stage2.proposal
    first = evaluate(scored.dataset, as_of=history[0].as_of, locate=scored.locate)
    assert history[0].points == first.stage2.proposal
    # the demo's record grew: the chart is not flat
    assert len({p.points for p in history}) > 1
    html = r.content.decode()
    points = re.findall(r"class='chart-point'[^>]*data-value='([^']*)'", html)
    assert points == [str(p.points) for p in history]


def test_years_back_keeps_the_day_and_moves_29_february():
    import datetime as dt

    from klaster.kkk.selectors import _years_back

    assert _years_back(dt.date(2024, 2, 29), 1) == dt.date(2023, 2, 28)
    assert _years_back(dt.date(2026, 6, 30), 4) == dt.date(2022, 6, 30)
