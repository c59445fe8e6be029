"""MEM-12 personal data under RODO: export on request, erasure on request unless a legal hold
stands, and the audit log scrubbed of the erased values (old values included)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from klaster.core.models import AuditLog, Cluster
from klaster.members import services
from klaster.members.models import DelegatedPerson, LegalHold, NotificationEmail
from klaster.members.selectors import ERASED

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2025, 6, 16, 12, 0, tzinfo=dt.UTC)
SECRETS = ("Ann Kowalska-Nowak", "Anna Kowalska-Nowak", "anna.nowak@example.pl", "+48 600 100 200")


@pytest.fixture
def anna(world):
    """One person known to the registry under two members, renamed once, whose e-mail is also a
    member's notification address and the cluster's contact; plus an unrelated person."""
    with time_machine.travel(dt.datetime(2025, 3, 3, 10, 0, tzinfo=dt.UTC), tick=False):
        rep, office = world.users["member"], world.users["office"]
        a = services.delegate_save(
            member=world.member_a,
            user=rep,
            data={
                "name": "Ann Kowalska-Nowak",
                "email": "Anna.Nowak@Example.pl",
                "phone": "+48 600 100 200",
                "position": "Prezes Zarządu",
                "to_general_assembly": True,
            },
        )
        services.delegate_save(
            member=world.member_a, user=rep, delegate=a, data={"name": "Anna Kowalska-Nowak"}
        )
        b = services.delegate_save(
            member=world.member_b,
            user=office,
            data={
                "name": "Anna Kowalska-Nowak",
                "email": "anna.nowak@example.pl",
                "to_general_assembly": True,
            },
        )
        services.notification_email_add(
            member=world.member_a, user=rep, email="anna.nowak@example.pl"
        )
        jan = services.delegate_save(
            member=world.member_a,
            user=rep,
            data={"name": "Jan Wiśniewski", "email": "jan@firma.pl", "to_general_assembly": True},
        )
        services.cluster_update(
            cluster=world.alfa,
            user=office,
            data={"contact_name": "Anna Kowalska-Nowak", "contact_email": "anna.nowak@example.pl"},
        )
    return a, b, jan


def _audit_text() -> str:
    return "\n".join(
        e.object_repr + " " + json.dumps(e.changes, ensure_ascii=False)
        for e in AuditLog.objects.all()
    ).casefold()


def _end_links(world, *people):
    for p in people:
        services.delegate_link_end(
            delegate=p, user=world.users["office"], ended=dt.date(2025, 5, 31)
        )


@time_machine.travel(TODAY, tick=False)
def test_mem_12_export_holds_the_persons_records_and_audit_entries(world, client_for, anna):
    a, b, jan = anna
    url = reverse("person_data_export", kwargs={"slug": "alfa", "person_id": a.pk})
    assert client_for("member").post(url).status_code == 403  # the office's alone
    assert client_for("office").get(url).status_code == 405  # audited: a POST, never a read
    r = client_for("office").post(url)
    assert r.status_code == 200 and r["Content-Type"].startswith("application/json")
    assert "attachment" in r["Content-Disposition"]
    data = json.loads(r.content)
    assert {rec["id"] for rec in data["delegated_person_records"]} == {
        a.pk,
        b.pk,
    }  # same e-mail, two members
    assert [e["email"] for e in data["notification_emails"]] == ["anna.nowak@example.pl"]
    kinds = {(e["record_type"], e["action"]) for e in data["audit_entries"]}
    assert ("members.DelegatedPerson", "create") in kinds and (
        "members.DelegatedPerson",
        "update",
    ) in kinds
    assert ("members.NotificationEmail", "create") in kinds and ("core.Cluster", "update") in kinds
    assert "Jan Wiśniewski" not in r.content.decode()
    # the export is audited, without the person's data
    entry = AuditLog.objects.get(action="gdpr_export")
    assert entry.object_id == str(a.pk) and entry.user == world.users["office"]
    text = entry.object_repr + json.dumps(entry.changes, ensure_ascii=False)
    assert not any(s.casefold() in text.casefold() for s in SECRETS)


@time_machine.travel(TODAY, tick=False)
def test_mem_12_erasure_anonymises_the_person_and_scrubs_the_audit_log(world, client_for, anna):
    a, b, jan = anna
    assert all(s.casefold() in _audit_text() for s in SECRETS)  # the log named her before
    url = reverse("person_data_erase", kwargs={"slug": "alfa", "person_id": a.pk})
    # still delegated: refused, nothing changes
    client_for("office").post(url, {"confirm": "on"})
    a.refresh_from_db()
    assert a.name == "Anna Kowalska-Nowak" and a.erased is None
    _end_links(world, a, b)
    r = client_for("office").post(url, {"confirm": "on"})
    assert r.status_code == 302
    for p in (a, b):
        p.refresh_from_db()
        assert (p.name, p.email, p.phone, p.position, p.erased) == (
            ERASED,
            "",
            "",
            "",
            TODAY.date(),
        )
    address = NotificationEmail.objects.get(member=world.member_a)
    assert address.email.endswith("@rodo.invalid")
    alfa = Cluster.objects.get(slug="alfa")
    assert (alfa.contact_name, alfa.contact_email) == (ERASED, "")
    # no audit entry keeps any of her values — not the current ones, not the old name
    text = _audit_text()
    for secret in SECRETS:
        assert secret.casefold() not in text, secret
    # the entries themselves stay (something changed, by whom, when) …
    own = AuditLog.objects.filter(model="members.DelegatedPerson", object_id=str(a.pk))
    assert set(own.values_list("action", flat=True)) >= {
        "create",
        "update",
        "link_end",
        "gdpr_erase",
    }
    created = own.get(action="create")
    assert created.changes["name"] == [None, ERASED] and created.changes["to_general_assembly"] == [
        None,
        True,
    ]
    # … the erasure is audited with counts only, and the unrelated person is untouched
    erase = own.get(action="gdpr_erase")
    assert erase.changes["records"] == [None, 2] and erase.changes["notification_emails"] == [
        None,
        1,
    ]
    jan.refresh_from_db()
    assert jan.name == "Jan Wiśniewski" and "jan wiśniewski" in text
    with pytest.raises(ValidationError):  # once only
        services.person_data_erase(person=a, user=world.users["office"])


@time_machine.travel(TODAY, tick=False)
def test_mem_12_erasure_is_refused_while_a_legal_hold_stands(world, client_for, anna):
    a, b, jan = anna
    _end_links(world, a, b)
    office = client_for("office")
    r = office.post(
        reverse("legal_hold_add", kwargs={"slug": "alfa", "person_id": a.pk}),
        {
            "reason": "Spór o zwrot dotacji",
            "basis": "RODO art. 17 ust. 3 lit. e",
            "until": "2026-12-31",
        },
    )
    assert r.status_code == 302
    hold = LegalHold.objects.get(person=a)
    r = office.post(
        reverse("person_data_erase", kwargs={"slug": "alfa", "person_id": a.pk}),
        {"confirm": "on"},
        follow=True,
    )
    shown = [str(m) for m in r.context["messages"]]
    assert any("Spór o zwrot dotacji" in m and "2026-12-31" in m for m in shown), shown
    a.refresh_from_db()
    assert a.name == "Anna Kowalska-Nowak" and a.erased is None
    assert "anna kowalska-nowak" in _audit_text()
    # the hold also stops erasure started from her other record (same person)
    with pytest.raises(ValidationError) as exc:
        services.person_data_erase(person=b, user=world.users["office"])
    assert "Spór o zwrot dotacji" in exc.value.message_dict["person"][0]
    # once released, the erasure goes through
    assert (
        office.post(
            reverse("legal_hold_release", kwargs={"slug": "alfa", "hold_id": hold.pk})
        ).status_code
        == 302
    )
    services.person_data_erase(person=a, user=world.users["office"])
    a.refresh_from_db()
    assert a.erased == TODAY.date()
    actions = list(
        AuditLog.objects.filter(model="members.LegalHold")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update"]


def test_mem_12_a_hold_ends_on_its_date(world, anna):
    a, b, jan = anna
    with time_machine.travel(TODAY, tick=False):
        _end_links(world, a, b)
        services.legal_hold_add(
            person=a,
            user=None,
            reason="Okres przechowywania dokumentacji projektu",
            basis="umowa o dofinansowanie",
            until=dt.date(2025, 6, 30),
        )
    with (
        time_machine.travel(dt.datetime(2025, 6, 30, 12, 0, tzinfo=dt.UTC), tick=False),
        pytest.raises(ValidationError),
    ):
        services.person_data_erase(person=a, user=None)
    with time_machine.travel(dt.datetime(2025, 7, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        services.person_data_erase(person=a, user=None)
    assert DelegatedPerson.objects.get(pk=a.pk).name == ERASED


@time_machine.travel(TODAY, tick=False)
def test_mem_12_person_data_page_is_the_offices(world, client_for, anna):
    a, b, jan = anna
    url = reverse("person_data", kwargs={"slug": "alfa", "person_id": a.pk})
    r = client_for("office").get(url)
    assert r.status_code == 200
    assert {p.pk for p in r.context["data"].records} == {a.pk, b.pk}
    for persona in ("chair", "member", "proxy", "forum"):
        assert client_for(persona).get(url).status_code == 403
