"""Issue 7 point 9: the portal answers a bad or foreign record id with a message, never a 500,
and changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.fixture
def portal(world, client_for):
    from tests.factories import NotificationEmailFactory

    NotificationEmailFactory(member=world.member_a, email="a1@example.pl")
    NotificationEmailFactory(member=world.member_a, email="a2@example.pl")
    other = NotificationEmailFactory(member=world.member_b, email="b1@example.pl")
    NotificationEmailFactory(member=world.member_b, email="b2@example.pl")
    url = reverse("portal", kwargs={"slug": "alfa", "member_id": world.member_a.pk})
    return client_for("member"), url, other


@pytest.mark.parametrize("email_id", ["abc", "", "99999999", "1e3", "-1", "9" * 40])
def test_issue7_portal_email_remove_with_a_bad_id_is_a_message(portal, email_id):
    from klaster.members.models import NotificationEmail

    client, url, _ = portal
    before = NotificationEmail.objects.count()
    response = client.post(url, {"action": "email_remove", "email_id": email_id}, follow=True)
    assert response.status_code == 200
    assert "Nie ma takiego adresu do powiadomień" in response.content.decode()
    assert NotificationEmail.objects.count() == before


def test_issue7_portal_cannot_remove_another_members_address(portal):
    from klaster.members.models import NotificationEmail

    client, url, other = portal
    response = client.post(url, {"action": "email_remove", "email_id": str(other.pk)}, follow=True)
    assert response.status_code == 200
    assert NotificationEmail.objects.filter(pk=other.pk).exists()


@pytest.mark.parametrize("delegate_id", ["abc", "", "123456789"])
def test_issue7_portal_delegate_end_with_a_bad_id_is_a_message(portal, delegate_id):
    client, url, _ = portal
    response = client.post(
        url,
        {"action": "delegate_end", "delegate_id": delegate_id, "link_ended": "2026-01-01"},
        follow=True,
    )
    assert response.status_code == 200
