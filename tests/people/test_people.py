"""People and access (PLT-1, issue 12 point 1): invitations by e-mail to a role, the link that
sets a password (expiring, single use, revocable, its token stored only hashed), Django's
password reset by e-mail, the office's people page and revocation, a representative limited to
its own member. Mail goes to a real local SMTP server (tests/governance/conftest.py's `smtp`)."""

from __future__ import annotations

import datetime as dt
import re
from email import message_from_bytes
from email.policy import default as email_policy

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from klaster.core.models import AuditLog, ClusterRole
from klaster.members.models import DelegatedPerson
from klaster.people.models import Invitation
from tests.core.dbstate import assert_unchanged, db_fingerprint
from tests.factories import DelegatedPersonFactory, UserFactory, grant
from tests.governance.conftest import smtp  # noqa: F401 — the real local SMTP server fixture
from tests.people.factories import InvitationFactory

PASSWORD = "Zielony-Kasztan-2026!"
User = get_user_model()


def _mail_text(envelope) -> str:
    mail = message_from_bytes(envelope.content, policy=email_policy)
    return mail.get_body(preferencelist=("plain",)).get_content()


def _link(envelope) -> str:
    (url,) = re.findall(r"https?://\S+", _mail_text(envelope))
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def _invite(client, smtp, **data):  # noqa: F811
    response = client.post("/c/alfa/people/invite/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return _link(smtp.envelopes[-1])


def test_plt_1_invitation_accepted_sets_a_password_and_the_new_user_logs_in_with_the_role(
    world,
    client_for,
    client,
    smtp,  # noqa: F811
):
    office = client_for("office")
    link = _invite(
        office,
        smtp,
        email="Nowa.Osoba@Alfa-Tech.example.pl",
        role="representative",
        member=world.member_a.pk,
    )
    (envelope,) = smtp.envelopes
    assert envelope.rcpt_tos == ["nowa.osoba@alfa-tech.example.pl"]
    text = _mail_text(envelope)
    assert "Klaster Alfa" in text and "Alfa-Tech sp. z o.o." in text
    invitation = Invitation.objects.get()
    assert invitation.invited_by == world.users["office"] and invitation.send_error == ""

    page = client.get(link)
    assert page.status_code == 200 and "Ustaw hasło" in page.content.decode()
    done = client.post(link, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/c/alfa/"
    user = User.objects.get(email="nowa.osoba@alfa-tech.example.pl")
    assert user.username == "nowa.osoba@alfa-tech.example.pl"
    role = ClusterRole.objects.get(user=user)
    assert (role.cluster, role.role, role.member) == (world.alfa, "representative", world.member_a)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None and invitation.user == user
    assert AuditLog.objects.filter(model="people.Invitation", action="create").exists()
    assert AuditLog.objects.filter(model="core.ClusterRole", object_id=str(role.pk)).exists()

    # a fresh browser logs in through the login page (django-axes counting it) with the password
    from django.test import Client

    fresh = Client()
    login = fresh.post(
        "/accounts/login/", {"username": "nowa.osoba@alfa-tech.example.pl", "password": PASSWORD}
    )
    assert login.status_code == 302
    assert fresh.get(f"/c/alfa/portal/{world.member_a.pk}/").status_code == 200
    assert fresh.get(f"/c/alfa/portal/{world.member_b.pk}/").status_code in (403, 404)


def test_plt_1_the_token_is_not_stored_in_clear(world, client_for, smtp):  # noqa: F811
    link = _invite(client_for("office"), smtp, email="ktos@example.org", role="forum_viewer")
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 40
    invitation = Invitation.objects.get()
    assert invitation.token_hash != token and len(invitation.token_hash) == 64
    for row in Invitation.objects.values_list():
        assert not any(token in str(v) for v in row)
    for entry in AuditLog.objects.all():
        assert token not in str(entry.changes) and token not in entry.object_repr


def test_plt_1_a_used_link_is_refused_and_changes_nothing(world, client_for, client, smtp):  # noqa: F811
    link = _invite(client_for("office"), smtp, email="raz@example.org", role="organ_member")
    assert (
        client.post(link, {"new_password1": PASSWORD, "new_password2": PASSWORD}).status_code == 302
    )
    from django.test import Client

    other = Client()
    before = db_fingerprint()
    again = other.get(link)
    assert again.status_code == 410 and "został już wykorzystany" in again.content.decode()
    posted = other.post(
        link, {"new_password1": "Inne-Haslo-2026!", "new_password2": "Inne-Haslo-2026!"}
    )
    assert posted.status_code == 410
    assert_unchanged(before, "used link")
    assert User.objects.filter(email="raz@example.org").count() == 1


def test_plt_1_an_expired_link_is_refused_and_changes_nothing(world, client):
    past = timezone.now() - dt.timedelta(days=8)
    InvitationFactory(cluster=world.alfa, token="wygasly-token-1234567890", created_at=past)
    before = db_fingerprint()
    page = client.get("/invite/wygasly-token-1234567890/")
    assert page.status_code == 410 and "wygasł" in page.content.decode()
    posted = client.post(
        "/invite/wygasly-token-1234567890/", {"new_password1": PASSWORD, "new_password2": PASSWORD}
    )
    assert posted.status_code == 410
    assert_unchanged(before, "expired link")


def test_plt_1_a_revoked_link_is_refused_and_changes_nothing(world, client_for, client, smtp):  # noqa: F811
    office = client_for("office")
    link = _invite(office, smtp, email="cofniety@example.org", role="forum_viewer")
    invitation = Invitation.objects.get()
    revoked = office.post(f"/c/alfa/people/invitations/{invitation.pk}/revoke/", follow=True)
    assert "Cofnięto zaproszenie dla cofniety@example.org." in revoked.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert AuditLog.objects.filter(
        model="people.Invitation", object_id=str(invitation.pk), action="update"
    ).exists()
    before = db_fingerprint()
    page = client.get(link)
    assert page.status_code == 410 and "cofnięte" in page.content.decode()
    client.post(link, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert_unchanged(before, "revoked link")
    assert not User.objects.filter(email="cofniety@example.org").exists()


def test_plt_1_a_bogus_token_is_a_polish_invalid_link_page(world, client):
    page = client.get("/invite/zupelnie-zmyslony-token/")
    assert page.status_code == 404 and "Link nieważny" in page.content.decode()


def test_plt_1_an_existing_account_logs_in_and_accepts_instead_of_a_second_user(
    world,
    client_for,
    client,
    smtp,  # noqa: F811
):
    chair = world.users["chair"]
    chair.email = "przewodniczacy@example.org"
    chair.save()
    link = _invite(
        client_for("office"), smtp, email="przewodniczacy@example.org", role="forum_viewer"
    )
    page = client.get(link)
    assert "Zaloguj się" in page.content.decode() and "Ustaw hasło" not in page.content.decode()
    forum = client_for("forum")  # logging in writes last_login: before the fingerprint
    before = db_fingerprint()
    client.post(link, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert_unchanged(before, "anonymous post for an existing account")
    # another signed-in account cannot take it either
    forum.post(link)
    assert_unchanged(before, "another account")
    accepted = client_for("chair").post(link)
    assert accepted.status_code == 302
    assert ClusterRole.objects.filter(user=chair, cluster=world.alfa, role="forum_viewer").exists()
    assert User.objects.filter(email__iexact="przewodniczacy@example.org").count() == 1


def test_plt_1_password_reset_by_e_mail_and_confirm(world, client, smtp):  # noqa: F811
    user = UserFactory(username="ania", email="ania@example.org", password="Stare-Haslo-2026!")
    grant(user, world.alfa, "forum_viewer")
    page = client.get("/accounts/password-reset/")
    assert page.status_code == 200 and "Reset hasła" in page.content.decode()
    sent = client.post("/accounts/password-reset/", {"email": "ania@example.org"})
    assert sent.status_code == 302 and sent["Location"] == "/accounts/password-reset/sent/"
    (envelope,) = smtp.envelopes
    assert envelope.rcpt_tos == ["ania@example.org"]
    assert "Twój login: ania" in _mail_text(envelope)
    link = _link(envelope)
    form = client.get(link, follow=True)
    assert form.status_code == 200 and "Nowe hasło" in form.content.decode()
    set_url = form.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/accounts/password-reset/done/"
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert AuditLog.objects.filter(
        cluster=world.alfa, model="auth.User", object_id=str(user.pk)
    ).exists()
    # the link is single use
    again = client.get(link, follow=True)
    assert "jest nieważny" in again.content.decode()
    # an unknown address gets the same answer and no mail
    client.post("/accounts/password-reset/", {"email": "nikt@example.org"})
    assert len(smtp.envelopes) == 1


def test_plt_1_office_removes_access_and_the_last_office_account_stays(world, client_for):
    office = client_for("office")
    chair_role = ClusterRole.objects.get(user=world.users["chair"], cluster=world.alfa)
    done = office.post(f"/c/alfa/people/roles/{chair_role.pk}/revoke/", follow=True)
    assert "Odebrano dostęp" in done.content.decode()
    assert not ClusterRole.objects.filter(pk=chair_role.pk).exists()
    assert AuditLog.objects.filter(
        model="core.ClusterRole", object_id=str(chair_role.pk), action="delete"
    ).exists()
    assert client_for("chair").get("/c/alfa/").status_code == 404

    own = ClusterRole.objects.get(user=world.users["office"], cluster=world.alfa, role="office")
    before = db_fingerprint()
    refused = office.post(f"/c/alfa/people/roles/{own.pk}/revoke/", follow=True)
    assert "ostatnie konto biura klastra" in refused.content.decode()
    assert_unchanged(before, "last office role")


def test_plt_1_another_clusters_ids_are_404(world, client_for):
    beta_office = ClusterRole.objects.get(user=world.users["outsider"], cluster=world.beta)
    beta_invitation = InvitationFactory(cluster=world.beta)
    office = client_for("office")
    before = db_fingerprint()
    assert office.post(f"/c/alfa/people/roles/{beta_office.pk}/revoke/").status_code == 404
    assert (
        office.post(f"/c/alfa/people/invitations/{beta_invitation.pk}/revoke/").status_code == 404
    )
    assert_unchanged(before, "another cluster's ids")


def test_plt_1_a_representative_invites_only_for_its_own_member(world, client_for, smtp):  # noqa: F811
    member = client_for("member")
    before = db_fingerprint()
    for data in (
        {"email": "obcy@example.org", "role": "representative", "member": world.member_b.pk},
        {"email": "obcy@example.org", "role": "office"},
        {"email": "obcy@example.org", "role": "representative", "member": world.member_beta.pk},
    ):
        page = member.post("/c/alfa/people/invite/", data)
        assert page.status_code == 200 and "errorlist" in page.content.decode()
    assert_unchanged(before, "representative for another member")
    assert smtp.envelopes == []

    _invite(
        member,
        smtp,
        email="kolega@alfa-tech.example.pl",
        role="representative",
        member=world.member_a.pk,
    )
    invitation = Invitation.objects.get()
    assert (invitation.role, invitation.member) == ("representative", world.member_a)
    # member B's representative neither sees nor revokes it
    proxy = client_for("proxy")
    assert "kolega@alfa-tech.example.pl" not in proxy.get("/c/alfa/people/").content.decode()
    assert proxy.post(f"/c/alfa/people/invitations/{invitation.pk}/revoke/").status_code == 404
    assert "kolega@alfa-tech.example.pl" in member.get("/c/alfa/people/").content.decode()


def test_plt_1_a_representative_cannot_touch_another_members_delegates(world, client_for):
    """Contact persons and delegates are kept on the member's own page (the portal), linked from
    the people page; member B's page and persons are out of reach of member A's representative."""
    other = DelegatedPersonFactory(member=world.member_b, name="Osoba Beta", email="b@example.org")
    member = client_for("member")
    people = member.get("/c/alfa/people/").content.decode()
    assert f"/c/alfa/portal/{world.member_a.pk}/" in people
    assert f"/c/alfa/portal/{world.member_b.pk}/" not in people
    before = db_fingerprint()
    page = member.post(
        f"/c/alfa/portal/{world.member_b.pk}/",
        {"action": "delegate", "d-name": "Przejęta", "d-email": "x@example.org"},
    )
    assert page.status_code in (403, 404)
    assert member.post(
        f"/c/alfa/delegates/{other.pk}/end/", {"link_ended": "2026-12-01"}
    ).status_code in (
        403,
        404,
    )
    assert_unchanged(before, "another member's delegates")
    assert DelegatedPerson.objects.get(pk=other.pk).name == "Osoba Beta"


@pytest.mark.parametrize("extra", [2, 12])
def test_plt_1_people_page_queries_are_bounded(
    world, client_for, django_assert_max_num_queries, extra
):
    for n in range(extra):
        grant(UserFactory(username=f"osoba{n}"), world.alfa, "representative", world.member_a)
        InvitationFactory(cluster=world.alfa, role="representative", member=world.member_a)
    office = client_for("office")
    with django_assert_max_num_queries(12):
        page = office.get("/c/alfa/people/")
    assert page.status_code == 200
    assert page.content.decode().count("Cofnij zaproszenie") == extra


def test_plt_1_an_invited_account_stays_guarded_by_the_login_lockout(
    world,
    client_for,
    client,
    smtp,  # noqa: F811
    settings,
):
    """The account made from an invitation logs in through the one login page, where django-axes
    counts failures: past the limit even the right password is refused (429)."""
    settings.AXES_FAILURE_LIMIT = 3
    link = _invite(client_for("office"), smtp, email="strzezony@example.org", role="forum_viewer")
    client.post(link, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    from django.test import Client

    guesser = Client()
    for _ in range(3):
        guesser.post("/accounts/login/", {"username": "strzezony@example.org", "password": "zle"})
    refused = guesser.post(
        "/accounts/login/", {"username": "strzezony@example.org", "password": PASSWORD}
    )
    assert refused.status_code == 429
