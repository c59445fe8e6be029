"""Issue 9 point 6: development strategies (MEM-1, KKK section 6) by the API — the office, as the
cluster's settings page: `StrategyForm` parses, `strategy_add/update/remove` write, a change
names the version it read (If-Match)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from klaster.core.models import Strategy
from tests.core.dbstate import assert_unchanged, db_fingerprint
from tests.factories import StrategyFactory

pytestmark = pytest.mark.django_db
LIST = reverse("api_strategy_list", kwargs={"cluster_slug": "alfa"})


def _detail(pk, slug="alfa"):
    return reverse("api_strategy_detail", kwargs={"cluster_slug": slug, "strategy_id": pk})


def _post(client, data):
    return client.post(LIST, data=data, content_type="application/json")


def test_mem_1_office_adds_changes_and_removes_a_strategy(world, client_for):
    office = client_for("office")
    added = _post(
        office,
        {"name": "Strategia 2025–2030", "valid_from": "2025-01-01", "valid_to": "2030-12-31"},
    )
    assert added.status_code == 201, added.content
    pk = added.json()["id"]
    assert [s["name"] for s in office.get(LIST).json()] == ["Strategia 2025–2030"]
    read = office.get(_detail(pk))
    changed = office.patch(
        _detail(pk),
        data={"adopted": "2024-12-01"},
        content_type="application/json",
        headers={"If-Match": read["ETag"]},
    )
    assert changed.status_code == 200, changed.content
    strategy = Strategy.objects.get(pk=pk)
    assert str(strategy.adopted) == "2024-12-01" and strategy.name == "Strategia 2025–2030"
    stale = office.patch(
        _detail(pk),
        data={"name": "Inna"},
        content_type="application/json",
        headers={"If-Match": read["ETag"]},
    )
    assert stale.status_code == 412
    assert office.delete(_detail(pk)).status_code == 204
    assert not Strategy.objects.filter(pk=pk).exists()


def test_mem_1_bad_strategy_names_the_field_and_writes_nothing(world, client_for):
    office = client_for("office")
    before = db_fingerprint()
    response = _post(office, {"name": "", "valid_from": "nie data"})
    assert response.status_code == 400
    assert set(response.json()) == {"name", "valid_from"}
    assert "To pole jest wymagane." in response.json()["name"]
    backwards = _post(office, {"name": "S", "valid_from": "2030-01-01", "valid_to": "2025-01-01"})
    assert backwards.status_code == 400  # the service's check, on its field
    assert_unchanged(before, "bad strategies")


@pytest.mark.parametrize(("persona", "code"), [("chair", 403), ("member", 403), ("outsider", 404)])
def test_mem_1_only_the_office_writes_strategies(persona, code, world, client_for):
    strategy = StrategyFactory(cluster=world.alfa, name="Istniejąca")
    client = client_for(persona)
    before = db_fingerprint()
    assert _post(client, {"name": "Obca"}).status_code == code
    assert client.delete(_detail(strategy.pk)).status_code == code
    assert_unchanged(before, persona)
    # beta's office with its own slug and alfa's strategy: 404
    outsider = client_for("outsider")
    assert outsider.delete(_detail(strategy.pk, slug="beta")).status_code == 404
    assert Strategy.objects.filter(pk=strategy.pk).exists()
