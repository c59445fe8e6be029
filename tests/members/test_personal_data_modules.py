"""MEM-12 under RODO across every module (issue 12 point 7; klaster.members.personal_data): the
export holds what the outbox, invitations, user accounts and the newsletter keep about the
person's address; the erasure replaces it there too, in the same transaction — and a refused
erasure (a legal hold) changes nothing anywhere."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage

from klaster.comms.models import Unsubscribed
from klaster.comms.services import unsubscribe
from klaster.core.models import OutboxMessage
from klaster.core.outbox import body_text, outbox_enqueue
from klaster.groups.models import GroupContact
from klaster.members import services
from klaster.people.models import Invitation
from tests.core.dbstate import assert_unchanged, db_fingerprint
from tests.factories import (
    DelegatedPersonFactory,
    GroupContactFactory,
    UserFactory,
    WorkingGroupFactory,
    grant,
)
from tests.people.factories import InvitationFactory

ADDRESS = "Ewa.Lis@Firma.pl"


@pytest.fixture
def ewa(world):
    person = DelegatedPersonFactory(
        member=world.member_a, name="Ewa Lis", email=ADDRESS, link_ended=dt.date(2026, 1, 31)
    )
    outbox_enqueue(
        cluster=world.alfa,
        messages=[
            EmailMessage("Newsletter", "Dzień dobry, Pani Ewo", "b@k.pl", ["ewa.lis@firma.pl"]),
            EmailMessage("Inny", "x", "b@k.pl", ["jan@firma.pl"]),
        ],
    )
    unsubscribe(cluster=world.alfa, email="ewa.lis@firma.pl")
    InvitationFactory(
        cluster=world.alfa, email="ewa.lis@firma.pl", role="representative", member=world.member_a
    )
    group = WorkingGroupFactory(cluster=world.alfa, name="GZW Wodór")
    GroupContactFactory(group=group, name="Ewa Lis", email="EWA.LIS@firma.pl")
    gone = UserFactory(username="ewa.dawna", email="ewa.lis@firma.pl", first_name="Ewa")
    InvitationFactory(cluster=world.alfa, email="ewa.lis@firma.pl", role="forum_viewer", user=gone)
    return person


def test_mem_12_export_holds_every_module(world, ewa):
    data = services.person_data_export(person=ewa, user=world.users["office"])
    other = data["other_modules"]
    assert [m["subject"] for m in other["outbox_messages"]] == ["Newsletter"]
    assert [r["email"] for r in other["newsletter_unsubscribed"]] == ["ewa.lis@firma.pl"]
    assert len(other["invitations"]) == 2
    assert [a["login"] for a in other["user_accounts"]] == ["ewa.dawna"]
    assert [(c["group"], c["name"]) for c in other["group_contacts"]] == [("GZW Wodór", "Ewa Lis")]


def test_mem_12_erasure_reaches_every_module(world, ewa):
    keeps_role = UserFactory(username="ewa.aktywna", email="EWA.LIS@firma.pl")
    grant(keeps_role, world.alfa, "representative", world.member_a)
    result = services.person_data_erase(person=ewa, user=world.users["office"])
    assert result.elsewhere["outbox_messages"] == 1
    newsletter = OutboxMessage.objects.get(subject="Newsletter")
    assert newsletter.to == [f"usunieto-{newsletter.pk}@rodo.invalid"]
    assert "Pani Ewo" not in body_text(newsletter) and "RODO" in body_text(newsletter)
    assert OutboxMessage.objects.get(subject="Inny").to == ["jan@firma.pl"]
    assert not Unsubscribed.objects.exists()
    assert not GroupContact.objects.filter(name="Ewa Lis").exists()
    assert result.elsewhere["group_contacts"] == 1
    assert not Invitation.objects.filter(email__iexact="ewa.lis@firma.pl").exists()
    assert Invitation.objects.filter(revoked_at__isnull=False).count() == 2
    gone = type(keeps_role).objects.get(username__startswith="usuniety-")
    assert (gone.is_active, gone.first_name, gone.has_usable_password()) == (False, "", False)
    keeps_role.refresh_from_db()  # still holds access: the office revokes it first
    assert keeps_role.email == "EWA.LIS@firma.pl" and keeps_role.is_active


def test_mem_12_refused_erasure_changes_no_module(world, ewa):
    services.legal_hold_add(
        person=ewa, user=world.users["office"], reason="Spór sądowy", basis="art. 17 ust. 3 lit. e"
    )
    before = db_fingerprint()
    with pytest.raises(ValidationError):
        services.person_data_erase(person=ewa, user=world.users["office"])
    assert_unchanged(before, "an erasure refused by a legal hold")
