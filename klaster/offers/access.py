"""Who may see and do what with offers, competences, ideas and training needs (PLT-3): the office,
organ members and members' representatives read everything here; a representative writes for its
own member only (its offers, competences, ideas, interest, training needs); the office writes for
any member and keeps the list of areas, the ideas' status and the surveys. A forum viewer has
nothing here; public offers are on a page without login."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from klaster.core.access import Grants, access_cluster, get_in_cluster
from klaster.core.models import Cluster
from klaster.members.models import Member
from klaster.offers.models import Offer


def access_offers(user, slug: str, *, for_write: bool = False) -> tuple[Cluster, Grants]:
    cluster, grants = access_cluster(user, slug, for_write=for_write)
    if not (grants.office or grants.organ_member or grants.representative):
        raise PermissionDenied
    return cluster, grants


def access_contributor(user, slug: str) -> tuple[Cluster, Grants]:
    """Pages where a member adds something: the office or a representative."""
    cluster, grants = access_cluster(user, slug)
    if not (grants.office or grants.representative):
        raise PermissionDenied
    return cluster, grants


def writable_member(cluster: Cluster, grants: Grants, member_id: int | None) -> Member:
    """The member a write is for: any of the cluster's for the office, its own for a
    representative (another's is not known: 404)."""
    if member_id is None:
        raise Http404
    member = get_in_cluster(Member, cluster, pk=member_id)
    if not grants.office and member.pk not in grants.member_ids:
        raise Http404
    return member


def access_offer(user, slug: str, offer_id: int, *, for_write: bool = False):
    cluster, grants = access_offers(user, slug) if not for_write else access_contributor(user, slug)
    offer = get_in_cluster(Offer, cluster, pk=offer_id)
    if for_write and not grants.office and offer.member_id not in grants.member_ids:
        raise Http404
    return cluster, grants, offer
