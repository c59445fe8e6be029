"""People and access rows of the access matrix (tests/core/test_access_matrix.py), PLT-1: the
people page and invitations are the office's and representatives' (a representative its own
member's only); removing a grant is the office's; the public invitation link and Django's
password reset pages give every persona the same answer (a bogus token: 404)."""

from __future__ import annotations

LOGIN = "login"
PEOPLE = {
    "office": 200,
    "member": 200,
    "proxy": 200,
    "chair": 403,
    "forum": 403,
    "outsider": 404,
    "anonymous": LOGIN,
}
OFFICE_POST = {
    "office": 302,
    "chair": 403,
    "member": 403,
    "proxy": 403,
    "forum": 403,
    "outsider": 404,
    "anonymous": LOGIN,
}
# an invitation of member A: the office and member A's representative; member B's does not know it
OWN_INVITATION = {**OFFICE_POST, "member": 302, "proxy": 404}
PUBLIC = ("office", "chair", "member", "proxy", "forum", "outsider", "anonymous")


def same(code):
    return {p: code for p in PUBLIC}


def s(w):
    return {"slug": "alfa"}


def role(w):
    """A forum grant of alfa held by a person who is not a persona."""
    from klaster.core.models import ClusterRole
    from tests.factories import UserFactory, grant

    user = UserFactory(username="czytelnik.forum", email="czytelnik@example.org")
    found = ClusterRole.objects.filter(user=user, cluster=w.alfa).first()
    return {"slug": "alfa", "role_id": (found or grant(user, w.alfa, "forum_viewer")).pk}


def invitation(w):
    from klaster.people.models import Invitation
    from tests.people.factories import InvitationFactory

    found = Invitation.objects.filter(cluster=w.alfa, email="zaproszony@example.org").first()
    row = found or InvitationFactory(
        cluster=w.alfa, email="zaproszony@example.org", role="representative", member=w.member_a
    )
    return {"slug": "alfa", "invitation_id": row.pk}


def rows():
    return {
        "people": ("get", s, PEOPLE),
        "people_invite": ("get", s, PEOPLE),
        "people_role_revoke": ("post", role, OFFICE_POST),
        "people_invitation_revoke": ("post", invitation, OWN_INVITATION),
        "invite_accept": ("get", lambda w: {"token": "nie-ma-takiego-zaproszenia"}, same(404)),
        "password_reset": ("get", lambda w: {}, same(200)),
        "password_reset_done": ("get", lambda w: {}, same(200)),
        "password_reset_confirm": (
            "get",
            lambda w: {"uidb64": "MQ", "token": "zly-token"},
            same(200),
        ),
        "password_reset_complete": ("get", lambda w: {}, same(200)),
    }


def payloads():
    return {
        "people_invite": lambda w: {"email": "nowy.czlonek@example.org", "role": "forum_viewer"},
    }
