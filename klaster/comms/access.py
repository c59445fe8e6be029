"""Who may see and do what in communications (PLT-2): the office writes and sends newsletters and
reads the outbox; the cluster's organ members and members' representatives read the sent
newsletters in the portal; a representative chooses portal reading for its own member only."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from klaster.comms.models import Newsletter
from klaster.core.access import Grants, access_cluster, get_in_cluster
from klaster.core.models import Cluster
from klaster.members.models import Member


def access_comms(user, slug: str, *, for_write: bool = False) -> tuple[Cluster, Grants]:
    """The office, the organ members and the representatives read; the office writes."""
    cluster, grants = access_cluster(user, slug, for_write=for_write)
    if not (grants.office or grants.organ_member or grants.representative):
        raise PermissionDenied
    return cluster, grants


def access_newsletter(
    user, slug: str, newsletter_id: int, *, for_write: bool = False
) -> tuple[Cluster, Grants, Newsletter]:
    """A newsletter: the office any (a draft too); the readers only the sent ones (a draft is
    not known to them: 404)."""
    cluster, grants = access_comms(user, slug, for_write=for_write)
    letter = get_in_cluster(Newsletter, cluster, pk=newsletter_id)
    if not grants.office and letter.status != Newsletter.Status.SENT:
        raise Http404
    return cluster, grants, letter


def access_portal_reading(user, slug: str, member_id: int) -> tuple[Cluster, Grants, Member]:
    """A member's choice of reading in the portal: the office, or the member's representative."""
    cluster, grants = access_cluster(user, slug)
    if not (grants.office or grants.representative):
        raise PermissionDenied
    member = get_in_cluster(Member, cluster, pk=member_id)
    if not grants.office and member.pk not in grants.member_ids:
        raise Http404
    return cluster, grants, member
