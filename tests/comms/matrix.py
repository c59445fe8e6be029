"""Communications rows of the access matrix (tests/core/test_access_matrix.py), PLT-2: the office
writes and sends newsletters; organ members and representatives read the sent ones; a forum viewer
has nothing here; a representative chooses portal reading for its own member only; the link to
leave the newsletter answers everyone alike (a bogus token: 404)."""

from __future__ import annotations

LOGIN = "login"
READERS = {
    "office": 200,
    "chair": 200,
    "member": 200,
    "proxy": 200,
    "forum": 403,
    "outsider": 404,
    "anonymous": LOGIN,
}
OFFICE = {
    "office": 200,
    "chair": 403,
    "member": 403,
    "proxy": 403,
    "forum": 403,
    "outsider": 404,
    "anonymous": LOGIN,
}
OFFICE_POST = {**OFFICE, "office": 302}
# member A's choice: the office and A's representative; B's representative does not know it
OWN_READING = {**OFFICE_POST, "member": 302, "proxy": 404}
PUBLIC = ("office", "chair", "member", "proxy", "forum", "outsider", "anonymous")


def s(w):
    return {"slug": "alfa"}


def _letter(w, subject, **kw):
    from klaster.comms.models import Newsletter
    from tests.comms.factories import NewsletterFactory

    found = Newsletter.objects.filter(cluster=w.alfa, subject=subject).first()
    return found or NewsletterFactory(cluster=w.alfa, subject=subject, **kw)


def sent(w):
    from django.utils import timezone

    return {
        "slug": "alfa",
        "newsletter_id": _letter(w, "Wysłany", status="sent", sent_at=timezone.now()).pk,
    }


def draft(w):
    return {"slug": "alfa", "newsletter_id": _letter(w, "Szkic").pk}


def rows():
    return {
        "comms_newsletters": ("get", s, READERS),
        "comms_newsletter_new": ("get", s, OFFICE),
        "comms_newsletter": ("get", sent, READERS),
        # a draft is the office's: the others do not know it exists
        "comms_newsletter_send": (
            "post",
            draft,
            {**OFFICE_POST, "chair": 403, "member": 403, "proxy": 403},
        ),
        "comms_newsletter_delete": ("post", draft, OFFICE_POST),
        "comms_portal_reading": (
            "post",
            lambda w: {"slug": "alfa", "member_id": w.member_a.pk},
            OWN_READING,
        ),
        "comms_unsubscribe": (
            "get",
            lambda w: {"token": "nie-nasz-link"},
            {p: 404 for p in PUBLIC},
        ),
    }


def payloads():
    return {
        "comms_newsletter_new": lambda w: {"subject": "Nowy", "body": "Treść"},
        "comms_portal_reading": lambda w: {"portal": "1"},
    }
