"""factory_boy factories for the Django side of the tests."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from stdnum.pl import nip as stdnip

from klaster.core.models import Cluster, ClusterRole
from klaster.members.models import Member, MembershipEvent


def valid_nip(n: int) -> str:
    """A NIP with a correct check digit: try check digits until stdnum accepts one."""
    base = f"5{(n * 7919 + 1000000) % 100000000:08d}"
    for bump in range(100):
        stem = f"{(int(base) + bump):09d}"
        for digit in "0123456789":
            if stdnip.is_valid(stem + digit):
                return stem + digit
    raise AssertionError("no NIP found")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    @factory.post_generation
    def password(obj, create, extracted, **kwargs):  # noqa: N805
        obj.set_password(extracted or "haslo-testowe-1")
        if create:
            obj.save(update_fields=["password"])


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cluster

    slug = factory.Sequence(lambda n: f"klaster-{n}")
    name = factory.Sequence(lambda n: f"Klaster Testowy {n}")
    agreement_date = dt.date(2015, 1, 20)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member
        skip_postgeneration_save = True

    cluster = factory.SubFactory(ClusterFactory)
    key = factory.Sequence(lambda n: f"m{n:04d}")
    name = factory.Sequence(lambda n: f"Firma {n} sp. z o.o.")
    type = "small"
    category = "partner"
    nip = factory.Sequence(valid_nip)
    postal_code = "00-001"
    city = "Warszawa"
    joined = dt.date(2016, 3, 1)
    status = "active"
    independent = True

    @factory.post_generation
    def admitted(obj, create, extracted, **kwargs):  # noqa: N805
        if create and obj.joined:
            MembershipEvent.objects.create(member=obj, kind="admitted", date=obj.joined)


def grant(user, cluster, role, member=None) -> ClusterRole:
    return ClusterRole.objects.create(user=user, cluster=cluster, role=role, member=member)
