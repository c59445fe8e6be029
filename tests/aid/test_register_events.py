"""Mergers and splits entered by the office on an undertaking's page (AID-3; issue 11 point 2):
recorded through the page, they reassign history exactly as the same events imported from a
file do (tests/aid/test_engine.py), and a wrong one is refused, naming the field, with nothing
written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from klaster.aid import engine, register_events
from klaster.aid.models import Merger, Split, SplitAssignment
from klaster.core.models import AuditLog
from tests.aid.test_engine import (
    RateSeriesFactory,  # noqa: F401 — the same fixture data
    rates,  # noqa: F401 — fixture
)
from tests.factories import GrantFactory, UndertakingFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 6, 16)


def _page(world, u):
    return reverse("aid_undertaking", args=[world.alfa.slug, u.pk])


def test_aid_3_a_merger_recorded_on_the_page_brings_the_absorbed_history(
    world,
    client_for,
    rates,  # noqa: F811
):
    into, absorbed = UndertakingFactory(cluster=world.alfa), UndertakingFactory(cluster=world.alfa)
    GrantFactory(
        undertaking=absorbed, amount_eur=Decimal("1000.00"), granted_on=dt.date(2023, 1, 5)
    )
    assert engine.verdict(world.alfa.pk, into.nip, DAY).used_eur == Decimal("0.00")
    office = client_for("office")
    # typed as a coordinator has it: dashes and the PL prefix
    nip = f"PL{absorbed.nip[:3]}-{absorbed.nip[3:6]}-{absorbed.nip[6:8]}-{absorbed.nip[8:]}"
    r = office.post(
        _page(world, into),
        {"action": "merger", "date": "2024-04-02", "absorbed": nip, "note": "KRS 2024"},
        follow=True,
    )
    assert r.status_code == 200
    assert "połączenie" in r.content.decode().lower() or "merger" in r.content.decode().lower()
    merger = Merger.objects.get(cluster=world.alfa)
    assert merger.into_id == into.pk and list(merger.absorbed.all()) == [absorbed]
    assert engine.verdict(world.alfa.pk, into.nip, DAY).used_eur == Decimal("1000.00")
    assert AuditLog.objects.filter(cluster=world.alfa, model="aid.Merger").exists()
    page = office.get(_page(world, absorbed)).content.decode()
    assert into.name in page  # the absorbed one's page says where it went


def test_aid_3_a_split_recorded_on_the_page_shares_by_equity_or_assigns_whole(
    world,
    client_for,
    rates,  # noqa: F811
):
    split = UndertakingFactory(cluster=world.alfa)
    heir = UndertakingFactory(cluster=world.alfa)
    shared = GrantFactory(
        undertaking=split, amount_eur=Decimal("3000.00"), granted_on=dt.date(2023, 2, 1)
    )
    whole = GrantFactory(
        undertaking=split, amount_eur=Decimal("500.00"), granted_on=dt.date(2023, 3, 1)
    )
    office = client_for("office")
    office.post(
        _page(world, split),
        {
            "action": "split",
            "date": "2024-10-01",
            "successors": f"{split.nip}; 700 000,00\n{heir.nip}; 300000",
            f"grant_{whole.pk}": heir.nip,
            f"grant_{shared.pk}": "",
        },
    )
    s = Split.objects.get(cluster=world.alfa)
    assert [x.equity_pln for x in s.successors.all()] == [
        Decimal("700000.00"),
        Decimal("300000.00"),
    ]
    assert SplitAssignment.objects.get(split=s).grant_id == whole.pk
    assert engine.verdict(world.alfa.pk, heir.nip, DAY).used_eur == Decimal("1400.00")  # 900 + 500
    assert engine.verdict(world.alfa.pk, split.nip, DAY).used_eur == Decimal("2100.00")


def test_aid_3_a_wrong_merger_or_split_is_refused_naming_the_field_and_writes_nothing(
    world, client_for
):
    office_user = world.users["office"]
    a, b, c = (UndertakingFactory(cluster=world.alfa) for _ in range(3))
    other_cluster = UndertakingFactory()
    cases = [
        (dict(into=a, absorbed=[a], date=DAY), "absorbed"),
        (dict(into=a, absorbed=[b, b], date=DAY), "absorbed"),
        (dict(into=a, absorbed=[other_cluster], date=DAY), "absorbed"),
        (dict(into=a, absorbed=[b], date=dt.date.today() + dt.timedelta(days=30)), "date"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as refused:
            register_events.merger_record(cluster=world.alfa, user=office_user, **kwargs)
        assert field in refused.value.message_dict
    register_events.merger_record(
        cluster=world.alfa, user=office_user, into=a, absorbed=[b], date=DAY
    )
    # b has ceased: it can absorb nothing and cannot be absorbed again after that day
    with pytest.raises(ValidationError) as refused:
        register_events.merger_record(
            cluster=world.alfa, user=office_user, into=c, absorbed=[b], date=DAY
        )
    assert "absorbed" in refused.value.message_dict
    g = GrantFactory(undertaking=c, granted_on=dt.date(2025, 1, 2))
    late = GrantFactory(undertaking=c, granted_on=DAY)
    split_cases = [
        (dict(successors=[(a, Decimal("1"))]), "successors"),
        (dict(successors=[(a, Decimal("0")), (c, Decimal("0"))]), "successors"),
        (dict(successors=[(a, Decimal("-1")), (c, Decimal("2"))]), "successors"),
        (
            dict(successors=[(a, Decimal("1")), (c, Decimal("1"))], assignments=[(g, b)]),
            "assignments",
        ),
        (
            dict(successors=[(a, Decimal("1")), (c, Decimal("1"))], assignments=[(late, a)]),
            "assignments",
        ),
    ]
    for kwargs, field in split_cases:
        with pytest.raises(ValidationError) as refused:
            register_events.split_record(
                cluster=world.alfa,
                user=office_user,
                undertaking=c,
                date=dt.date(2025, 3, 1),
                **kwargs,
            )
        assert field in refused.value.message_dict, (kwargs, refused.value.message_dict)
    assert not Split.objects.exists() and Merger.objects.count() == 1
    # through the page: an unknown NIP is named, nothing written
    r = client_for("office").post(
        _page(world, c),
        {"action": "split", "date": "2025-03-01", "successors": "1234563218; 10\nzzz; 5"},
        follow=True,
    )
    assert r.status_code == 200 and not Split.objects.exists()


def test_aid_3_only_the_office_records_a_merger(world, client_for):
    into, absorbed = UndertakingFactory(cluster=world.alfa), UndertakingFactory(cluster=world.alfa)
    for persona in ("member", "chair", "forum"):
        r = client_for(persona).post(
            _page(world, into), {"action": "merger", "date": "2024-04-02", "absorbed": absorbed.nip}
        )
        assert r.status_code in (403, 404)
    assert not Merger.objects.exists()
