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
