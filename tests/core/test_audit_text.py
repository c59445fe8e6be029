"""PLT-4: the change log in plain words — every action code has a sentence, fields by their
names, values in words, filters, a fixed number of queries per page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import transaction
from django.urls import reverse

from klaster.core import audit_text
from klaster.core.audit import audit_record
from klaster.members.services import member_update

ROOT = Path(__file__).resolve().parents[2] / "klaster"
LITERAL = re.compile(r'\baction=(?:f?"([a-z_:]+)[{"])')
TERNARY = re.compile(r'\baction="([a-z_:]+)" if [^\n]* else "([a-z_:]+)"')


def _codes() -> set[str]:
    codes: set[str] = set()
    for path in ROOT.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        codes.update(LITERAL.findall(text))
        for pair in TERNARY.findall(text):
            codes.update(pair)
    codes.discard("store_true")  # argparse, not an audit action
    return codes


def test_every_action_code_in_the_code_base_has_a_sentence():
    codes = _codes()
    assert {"create", "update", "delete", "proxy_", "event:"} <= codes
    missing = sorted(
        c for c in codes if not audit_text.action_text(c + "x" if c.endswith(("_", ":")) else c)
    )
    assert missing == []


def test_an_unknown_code_has_no_sentence():
    assert audit_text.action_text("frobnicate") == ""


def test_a_change_reads_as_a_sentence_with_names_not_codes(world, client_for):
    office = world.users["office"]
    office.first_name, office.last_name = "Anna", "Nowak"
    office.save()
    member_update(member=world.member_a, user=office, data={"postal_code": "15-951"})
    response = client_for("office").get(reverse("audit", args=["alfa"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Anna Nowak" in html
    assert "Alfa-Tech sp. z o.o." in html
    assert "postal_code" not in html
    assert "15-950" in html and "15-951" in html
    assert ">update<" not in html


def test_filters_by_person_kind_name_and_date(world, client_for):
    office = world.users["office"]
    with transaction.atomic():
        audit_record(cluster=world.alfa, user=office, action="update", instance=world.member_a)
        audit_record(
            cluster=world.alfa, user=world.users["chair"], action="delete", instance=world.member_b
        )
    url = reverse("audit", args=["alfa"])
    c = client_for("office")
    html = c.get(url, {"user": office.pk}).content.decode()
    assert "Alfa-Tech" in html and "Beta-Soft" not in html
    html = c.get(url, {"q": "beta-soft"}).content.decode()
    assert "Beta-Soft" in html and "Alfa-Tech sp. z o.o.”" not in html
    html = c.get(url, {"date_from": "2000-01-01", "date_to": "2000-01-02"}).content.decode()
    assert "Beta-Soft S.A.”" not in html
    html = c.get(url, {"model": "members.Member"}).content.decode()
    assert "Beta-Soft" in html


@pytest.mark.parametrize("rows", [3, 30])
def test_a_page_costs_a_fixed_number_of_queries(
    world, client_for, django_assert_max_num_queries, rows
):
    with transaction.atomic():
        for i in range(rows):
            audit_record(
                cluster=world.alfa,
                user=world.users["office"],
                action="update",
                instance=world.member_a,
                changes={
                    "postal_code": ["15-950", f"15-{i:03d}"],
                    "cluster_id": [None, world.alfa.pk],
                },
            )
    c = client_for("office")
    with django_assert_max_num_queries(15):
        html = c.get(reverse("audit", args=["alfa"])).content.decode()
    assert html.count("Klaster Alfa</ins>") == rows


def test_a_statute_version_in_the_log_shows_no_dict(world, client_for):
    import datetime as dt

    from klaster.core.services import statute_profile_set

    with transaction.atomic():
        statute_profile_set(
            cluster=world.alfa, valid_from=dt.date(2020, 1, 1), user=None, preset="evoluma"
        )
    html = client_for("office").get(reverse("audit", args=["alfa"])).content.decode()
    assert "01.01.2020" in html
    assert "{&#x27;" not in html and "[&#x27;" not in html and "&quot;format" not in html
