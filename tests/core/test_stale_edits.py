"""Issue 7 point 4: optimistic locking. Two people edit one record: the second save, made from a
form shown before the first was saved, is refused with who changed what — never a silent undo of
the first. The refused page carries the current version, so saving again is a deliberate choice."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from klaster.core.models import AuditLog

VERSION = re.compile(r'name="(?:[\w]+-)?version" value="([^"]+)"')


def version_in(response) -> str:
    found = VERSION.search(response.content.decode())
    assert found, "the edit form carries no version"
    return found.group(1)


@pytest.fixture
def two_offices(world, client_for):
    """The office (persona) and a second person of alfa's office, Ewa."""
    from django.test import Client

    from tests.factories import UserFactory, grant

    ewa = UserFactory(username="ewa", first_name="Ewa", last_name="Nowak")
    grant(ewa, world.alfa, "office")
    second = Client()
    second.force_login(ewa)
    return client_for("office"), second


def _member_form(member, **changes) -> dict:
    """What the member's edit page would post: its fields as shown, then `changes`."""
    from django import forms

    from klaster.members.forms import MemberForm

    form = MemberForm(instance=member)
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field.widget, forms.NullBooleanSelect):
            value = {True: "true", False: "false"}.get(value, "unknown")
        elif isinstance(field, forms.BooleanField):
            if not value:
                continue
        elif value is None:
            value = ""
        data[name] = value
    data.update(changes)
    return data


def test_issue7_second_save_of_a_member_from_a_stale_form_is_refused(world, two_offices):
    from klaster.members.models import Member

    first, second = two_offices
    url = reverse("member_edit", kwargs={"slug": "alfa", "member_id": world.member_a.pk})
    seen_by_first = version_in(first.get(url))
    seen_by_second = version_in(second.get(url))
    assert seen_by_first == seen_by_second

    member = Member.objects.get(pk=world.member_a.pk)
    r = second.post(
        url, {**_member_form(member, website="https://ewa.example.pl"), "version": seen_by_second}
    )
    assert r.status_code == 302
    audits = AuditLog.objects.count()

    # the first person's form still shows the old website; saving it would undo Ewa's change
    r = first.post(url, {**_member_form(member, city="Kraków"), "version": seen_by_first})
    assert r.status_code == 200
    body = r.content.decode()
    assert "nic nie zapisano" in body.lower()
    assert "Ewa Nowak" in body and "Strona" in body  # who, and which field
    member.refresh_from_db()
    assert member.website == "https://ewa.example.pl" and member.city != "Kraków"
    assert AuditLog.objects.count() == audits

    # the refused page carries the current version: saving again is deliberate, and works
    again = version_in(r)
    assert again != seen_by_first
    r = first.post(url, {**_member_form(member, city="Kraków"), "version": again})
    assert r.status_code == 302
    member.refresh_from_db()
    assert member.city == "Kraków" and member.website == "https://ewa.example.pl"


def test_issue7_member_form_without_a_version_is_refused(world, client_for):
    from klaster.members.models import Member

    member = Member.objects.get(pk=world.member_a.pk)
    url = reverse("member_edit", kwargs={"slug": "alfa", "member_id": member.pk})
    r = client_for("office").post(url, _member_form(member, city="Kraków"))
    assert r.status_code == 200
    member.refresh_from_db()
    assert member.city != "Kraków"


def test_issue7_api_patch_needs_if_match_and_refuses_a_stale_one(world, client_for):
    from klaster.members.models import Member

    url = reverse("api_member_detail", kwargs={"cluster_slug": "alfa", "pk": world.member_a.pk})
    office = client_for("office")
    etag = office.get(url)["ETag"]

    r = office.patch(url, data={"city": "Kraków"}, content_type="application/json")
    assert r.status_code == 428 and "If-Match" in r.json()["detail"]
    assert Member.objects.get(pk=world.member_a.pk).city != "Kraków"

    r = office.patch(
        url, data={"city": "Kraków"}, content_type="application/json", headers={"If-Match": etag}
    )
    assert r.status_code == 200
    fresh = r["ETag"]
    assert fresh != etag

    r = office.patch(
        url, data={"city": "Gdańsk"}, content_type="application/json", headers={"If-Match": etag}
    )
    assert r.status_code == 412
    payload = r.json()
    assert payload["changes"] and "city" not in payload["detail"]
    assert payload["changes"][0]["by"] == "office"
    assert r["ETag"] == fresh
    assert Member.objects.get(pk=world.member_a.pk).city == "Kraków"


def test_issue7_cluster_and_strategy_edits_refuse_stale_forms(world, two_offices):
    from tests.factories import StrategyFactory

    first, second = two_offices
    url = reverse("cluster_edit", kwargs={"slug": "alfa"})
    seen = version_in(first.get(url))
    base = {"name": "Klaster Alfa", "coordinator": world.coordinator.pk}
    assert (
        second.post(
            url,
            {**base, "website": "https://alfa.example.pl", "version": version_in(second.get(url))},
        ).status_code
        == 302
    )
    r = first.post(url, {**base, "contact_name": "Jan", "version": seen})
    assert r.status_code == 200 and "Ewa Nowak" in r.content.decode()
    world.alfa.refresh_from_db()
    assert world.alfa.website == "https://alfa.example.pl" and world.alfa.contact_name == ""

    strategy = StrategyFactory(cluster=world.alfa, name="Strategia 2030")
    url = reverse("strategy_edit", kwargs={"slug": "alfa", "strategy_id": strategy.pk})
    seen = version_in(first.get(url))
    assert (
        second.post(
            url, {"name": "Strategia 2035", "version": version_in(second.get(url))}
        ).status_code
        == 302
    )
    r = first.post(url, {"name": "Strategia 2030 (aktualizacja)", "version": seen})
    assert r.status_code == 200
    strategy.refresh_from_db()
    assert strategy.name == "Strategia 2035"


def test_issue7_portal_year_figures_changed_meanwhile_are_refused(world, client_for):
    """MEM-12: the member's representatives both enter 2025's figures; the second, from a page that
    did not show the first's, is refused."""
    from django.test import Client

    from klaster.members.models import MemberYear
    from tests.factories import UserFactory, grant

    colleague = UserFactory(username="kolega")
    grant(colleague, world.alfa, "representative", world.member_a)
    other = Client()
    other.force_login(colleague)
    me = client_for("member")
    url = reverse("portal", kwargs={"slug": "alfa", "member_id": world.member_a.pk})
    versions_me = re.search(
        r'name="year_versions" value="([^"]*)"', me.get(url).content.decode()
    ).group(1)
    versions_other = re.search(
        r'name="year_versions" value="([^"]*)"', other.get(url).content.decode()
    ).group(1)
    import html

    post = {"action": "year", "y-year": "2025", "y-revenue": "1000000", "y-fte": "12.0"}
    assert (
        other.post(url, {**post, "year_versions": html.unescape(versions_other)}).status_code == 302
    )
    r = me.post(url, {**post, "y-revenue": "5", "year_versions": html.unescape(versions_me)})
    assert r.status_code == 200 and "nic nie zapisano" in r.content.decode().lower()
    assert MemberYear.objects.get(member=world.member_a, year=2025).revenue == 1000000


def test_issue7_admission_conditions_from_a_stale_form_are_refused(world, two_offices):
    """GOV-12: two people record a candidate's conditions; the second, from a stale page, is refused."""
    from klaster.governance.models import Admission
    from tests.governance.matrix import admission

    first, second = two_offices
    pk = admission(world)
    url = reverse("admission_detail", kwargs={"slug": "alfa", "admission_id": pk})
    seen = version_in(first.get(url))
    r = second.post(
        url,
        {
            "action": "update",
            "entry_fee_due": "0",
            "declaration_signed_on": "2025-05-02",
            "version": version_in(second.get(url)),
        },
    )
    assert r.status_code == 302
    r = first.post(
        url,
        {
            "action": "update",
            "entry_fee_due": "0",
            "rules_accepted_on": "2025-05-03",
            "version": seen,
        },
        follow=True,
    )
    assert "nic nie zapisano" in r.content.decode().lower()
    a = Admission.objects.get(pk=pk)
    assert str(a.declaration_signed_on) == "2025-05-02" and a.rules_accepted_on is None
