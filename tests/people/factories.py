"""A factory for invitations (PLT-1): the row as klaster.people.services.invite stores it, with
a token the test knows (only its hash is kept)."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from klaster.people.models import Invitation
from klaster.people.services import token_hash
from tests.factories import ClusterFactory


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation
        exclude = ("token",)

    cluster = factory.SubFactory(ClusterFactory)
    email = factory.Sequence(lambda n: f"osoba{n}@example.org")
    role = "forum_viewer"
    member = None
    token = factory.Sequence(lambda n: f"token-testowy-{n}-abcdefghijklmnopqrstuvwxyz")
    token_hash = factory.LazyAttribute(lambda o: token_hash(o.token))
    created_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(lambda o: o.created_at + dt.timedelta(days=7))
