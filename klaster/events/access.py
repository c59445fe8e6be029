"""Who may see and do what with events (PLT-2): the office creates them, invites, sees every
answer and records attendance; organ members and representatives see the events that were
announced; a representative answers for its own member only."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from klaster.core.access import Grants, access_cluster, get_in_cluster
from klaster.core.models import Cluster
from klaster.events.models import Event
from klaster.members.models import Member


def access_events(user, slug: str, *, for_write: bool = False) -> tuple[Cluster, Grants]:
    cluster, grants = access_cluster(user, slug, for_write=for_write)
    if not (grants.office or grants.organ_member or grants.representative):
        raise PermissionDenied
    return cluster, grants


def access_event(
    user, slug: str, event_id: int, *, for_write: bool = False
) -> tuple[Cluster, Grants, Event]:
    """An event: the office any; the others only one whose invitations went out."""
    cluster, grants = access_events(user, slug, for_write=for_write)
    event = get_in_cluster(Event, cluster, pk=event_id)
    if not grants.office and event.invited_at is None:
        raise Http404
    return cluster, grants, event


def access_rsvp(user, slug: str, event_id: int, member_id: int) -> tuple[Cluster, Event, Member]:
    """Answering for a member: the office for any member, a representative for its own."""
    cluster, grants, event = access_event(user, slug, event_id)
    if not (grants.office or grants.representative):
        raise PermissionDenied
    member = get_in_cluster(Member, cluster, pk=member_id)
    if not grants.office and member.pk not in grants.member_ids:
        raise Http404
    return cluster, event, member
