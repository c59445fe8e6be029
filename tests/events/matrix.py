"""Events rows of the access matrix (tests/core/test_access_matrix.py), PLT-2: the office creates,
invites and records attendance; organ members and representatives see announced events and the
.ics; a representative answers for its own member only; a forum viewer has nothing here."""

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
OFFICE = {**READERS, "chair": 403, "member": 403, "proxy": 403}
OFFICE_POST = {**OFFICE, "office": 302}
# member A's answer: the office and A's representative; B's representative does not know it
OWN_RSVP = {**OFFICE_POST, "member": 302, "proxy": 404}


def s(w):
    return {"slug": "alfa"}


def _event(w, title, **kw):
    from klaster.events.models import Event
    from tests.events.factories import EventFactory

    found = Event.objects.filter(cluster=w.alfa, title=title).first()
    return found or EventFactory(cluster=w.alfa, title=title, **kw)


def announced(w):
    from django.utils import timezone

    return {"slug": "alfa", "event_id": _event(w, "Ogłoszone", invited_at=timezone.now()).pk}


def fresh(w):
    return {"slug": "alfa", "event_id": _event(w, "Nowe").pk}


def past(w):
    import datetime as dt

    from django.utils import timezone

    start = timezone.now() - dt.timedelta(days=2)
    event = _event(
        w, "Minione", starts_at=start, ends_at=start + dt.timedelta(hours=2), invited_at=start
    )
    return {"slug": "alfa", "event_id": event.pk}


def rows():
    return {
        "events": ("get", s, READERS),
        "event_new": ("get", s, OFFICE),
        "event": ("get", announced, READERS),
        "event_ics": ("get", announced, READERS),
        "event_invite": ("post", fresh, OFFICE_POST),
        "event_rsvp": (
            "post",
            lambda w: {**announced(w), "member_id": w.member_a.pk},
            {**OWN_RSVP, "chair": 403},
        ),
        "event_attendance": ("post", past, OFFICE_POST),
    }


def payloads():
    return {
        "event_new": lambda w: {
            "title": "Warsztaty",
            "starts_at": "2030-05-05 10:00",
            "ends_at": "2030-05-05 14:00",
            "place": "Łódź",
        },
        "event_rsvp": lambda w: {
            f"m{w.member_a.pk}-answer": "yes",
            f"m{w.member_a.pk}-people": "2",
        },
        "event_attendance": lambda w: {"came": [str(w.member_a.pk)]},
    }
