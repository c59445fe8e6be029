"""Who may see or change the de minimis register and the lending (SPEC §5, issue 11).

The office keeps the register, the lending queue, contracts and certificates: it sees and
changes everything. A member's representatives see their own member's aid (its undertakings'
used aid and headroom, its applications, contracts and certificates) and nothing of another
member; they may file an application for their own member. Organ members and forum viewers
see none of it (a member's aid is its own business). Denials follow klaster.core.access: 404
for what the caller may not know exists (another cluster's ids), 403 where the cluster is
visible but the page is not.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from klaster.core.access import Grants, access_cluster, get_in_cluster
from klaster.core.models import Cluster
from klaster.members.models import Member


def access_aid(user, slug: str, *, for_write: bool = False) -> tuple[Cluster, Grants]:
    """The register, the queue, contracts, SHRIMP: the office only."""
    cluster, grants = access_cluster(user, slug, for_write=for_write)
    if not grants.office:
        raise PermissionDenied
    return cluster, grants


def access_member_aid(user, slug: str, member_id: int) -> tuple[Cluster, Grants, Member]:
    """One member's aid: the office, or the member's own representatives (who may also file an
    application for it)."""
    cluster, grants = access_cluster(user, slug)
    if not (grants.office or member_id in grants.member_ids):
        raise PermissionDenied
    return cluster, grants, get_in_cluster(Member, cluster, pk=member_id)


def check_member_row(grants: Grants, member_id: int | None) -> None:
    """A row that belongs to a member (application, contract, certificate): the office, or that
    member's representatives; the row was already looked up within the cluster."""
    if grants.office:
        return
    if member_id is None or member_id not in grants.member_ids:
        raise PermissionDenied
