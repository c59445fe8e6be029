"""The .ics of an event (RFC 5545, through the icalendar package): attached to each invitation
and downloadable from the event's page, so that a member's calendar holds the event."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from klaster.events.models import Event


def event_ics(event: Event, *, url: str = "") -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Klaster//wydarzenia//PL")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    item = VEvent()
    item.add("uid", f"event-{event.pk}@{event.cluster.slug}.klaster")
    item.add("dtstamp", timezone.now().astimezone(dt.UTC))
    item.add("dtstart", event.starts_at.astimezone(dt.UTC))
    item.add("dtend", event.ends_at.astimezone(dt.UTC))
    item.add("summary", event.title)
    if event.description:
        item.add("description", event.description)
    where = ", ".join(x for x in (event.place, event.online_link) if x)
    if where:
        item.add("location", where)
    if url:
        item.add("url", url)
    if event.cluster.contact_email:
        item.add("organizer", f"mailto:{event.cluster.contact_email}")
    cal.add_component(item)
    return cal.to_ical()
