"""Issue 8 point 3: `klaster.core.access.get_in_cluster`, the look-up every `access_*` helper makes:
the object of this cluster, or a 404 — an id of another cluster's object included (issue 7)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from klaster.core.access import get_in_cluster
from klaster.members.models import DelegatedPerson, Member

pytestmark = pytest.mark.django_db


def test_the_clusters_own_object(world):
    assert get_in_cluster(Member, world.alfa, pk=world.member_a.pk) == world.member_a


def test_another_clusters_id_is_a_404(world):
    with pytest.raises(Http404):
        get_in_cluster(Member, world.alfa, pk=world.member_beta.pk)
    with pytest.raises(Http404):
        get_in_cluster(Member, world.beta, pk=world.member_a.pk)


@pytest.mark.parametrize("pk", [0, 10**9, "abc", ""])
def test_an_unknown_or_malformed_id_is_a_404(world, pk):
    with pytest.raises(Http404):
        get_in_cluster(Member, world.alfa, pk=pk)


def test_through_a_path_to_the_cluster(world):
    from tests.factories import DelegatedPersonFactory

    own = DelegatedPersonFactory(member=world.member_a)
    foreign = DelegatedPersonFactory(member=world.member_beta)
    assert get_in_cluster(DelegatedPerson, world.alfa, via="member__cluster", pk=own.pk) == own
    with pytest.raises(Http404):
        get_in_cluster(DelegatedPerson, world.alfa, via="member__cluster", pk=foreign.pk)


def test_a_queryset_keeps_its_filters_and_joins(world):
    from tests.factories import DelegatedPersonFactory

    person = DelegatedPersonFactory(member=world.member_a)
    qs = DelegatedPerson.objects.select_related("member")
    with CaptureQueriesContext(connection) as queries:
        found = get_in_cluster(qs, world.alfa, via="member__cluster", pk=person.pk)
        assert found.member == world.member_a
    assert len(queries.captured_queries) == 1  # the member came with the person
    with pytest.raises(Http404):
        get_in_cluster(Member.objects.filter(status="former"), world.alfa, pk=world.member_a.pk)
