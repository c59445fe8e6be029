"""KKK-TOTAL, KKK-S3 (issue 7): the product's own scoring is a forecast — "wynik prognozowany:
przyznanie statusu" — and never says "status przyznany"; only a registered application's
assessment with the panel's scores is a result. `klaster kkk evaluate --format json` keeps the
`status` values DATASET.md documents."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse

from klaster.kkk import selectors, services
from klaster.kkk.models import PanelScore
from klaster.rules.kkk import EDITIONS
from tests.kkk.conftest import D, complete

pytestmark = pytest.mark.django_db
WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")
NEVER = ("status przyznany", "status nieprzyznany", "Status przyznany", "status granted")


def _panel_reaching(demo, *, short: int = 0):
    """Panel scores that bring stage II + III exactly to the pass mark (or `short` below it)."""
    PanelScore.objects.filter(cluster=demo).delete()
    ev = selectors.cluster_evaluation(demo, as_of=D).evaluation
    need = ev.total_threshold - ev.stage2.total - short
    areas = EDITIONS[ev.edition].panel_areas
    scores, left = {}, need
    for area in areas:
        scores[area.field] = min(area.max, max(left, 0))
        left -= scores[area.field]
    services.panel_score_set(
        cluster=demo, user=None, scores=scores, maxima={a.field: a.max for a in areas}
    )
    return selectors.cluster_evaluation(demo, as_of=D).evaluation


def _page(client, demo, name, **query):
    client.force_login(demo.office)
    return client.get(reverse(name, kwargs={"slug": "demo"}), query).content.decode()


@pytest.mark.parametrize(
    ("short", "status", "words"),
    [
        (0, "granted", "przyznanie statusu"),
        (1, "not_granted", "nieprzyznanie statusu"),
    ],
)
def test_kkk_total_dashboard_says_forecast_never_granted(demo, client, short, status, words):
    from klaster.rules.kkk import to_json

    ev = _panel_reaching(demo, short=short)
    # DATASET.md: `klaster kkk evaluate` JSON keeps its codes (granted | not_granted | stage3_pending)
    assert ev.status == status and to_json(ev)["status"] == status
    body = _page(client, demo, "kkk_dashboard", as_of=D.isoformat())
    assert "Wynik prognozowany" in body and words in body
    assert "nie decyzja Komisji" in body
    for phrase in NEVER:
        assert phrase not in body


def test_kkk_s3_experts_page_without_a_registered_application_is_a_forecast(demo, client):
    _panel_reaching(demo)
    body = _page(client, demo, "kkk_experts")
    assert "Wynik prognozowany" in body and "przyznanie statusu" in body
    assert "Wynik oceny wniosku" not in body
    for phrase in NEVER:
        assert phrase not in body


def test_kkk_s3_only_the_registered_applications_panel_result_is_a_result(demo, client):
    application = complete(
        services.application_create(cluster=demo, user=demo.office, as_of=D), demo.office
    )
    registered = services.application_register(
        application=application, user=demo.office, now=dt.datetime(2026, 7, 1, 12, tzinfo=WARSAW)
    )
    PanelScore.objects.filter(cluster=demo).delete()
    body = _page(client, demo, "kkk_experts")
    assert "Wynik prognozowany" in body  # no panel yet: still a forecast
    _panel_reaching(demo)
    body = _page(client, demo, "kkk_experts")
    assert f"Wynik oceny wniosku {registered.number}" in body and "przyznanie statusu" in body
    assert "Wynik prognozowany" not in body
    # the same scores as of another day are the product's what-if, a forecast again
    other = _page(client, demo, "kkk_experts", as_of=(D - dt.timedelta(days=1)).isoformat())
    assert "Wynik prognozowany" in other and "Wynik oceny wniosku" not in other
    # the dashboard is the self-assessment: always a forecast
    assert "Wynik prognozowany" in _page(client, demo, "kkk_dashboard")
