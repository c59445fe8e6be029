from __future__ import annotations

import factory

from klaster.comms.models import Newsletter
from tests.factories import ClusterFactory, KlasterFactory


class NewsletterFactory(KlasterFactory):
    class Meta:
        model = Newsletter

    cluster = factory.SubFactory(ClusterFactory)
    subject = factory.Sequence(lambda n: f"Newsletter nr {n}")
    body = "Drodzy Członkowie,\n\nw tym miesiącu…"
