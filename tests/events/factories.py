from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from klaster.events.models import Event
from tests.factories import ClusterFactory, KlasterFactory


class EventFactory(KlasterFactory):
    class Meta:
        model = Event

    cluster = factory.SubFactory(ClusterFactory)
    title = factory.Sequence(lambda n: f"Spotkanie sieciujące {n}")
    place = "Centrum Konferencyjne, Łódź"
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=3))
