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
from klaster.offers.models import Competence, CompetenceArea, Idea, Offer


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


def access_offer(
    user, slug: str, offer_id: int, *, for_write: bool = False
) -> tuple[Cluster, Grants, Offer]:
    """An offer: every reader reads it; the office and its member's representatives write it
    (another member's representative does not know it: 404)."""
    cluster, grants = access_offers(user, slug) if not for_write else access_contributor(user, slug)
    offer = get_in_cluster(Offer.objects.select_related("member"), cluster, pk=offer_id)
    if for_write and not grants.office and offer.member_id not in grants.member_ids:
        raise Http404
    return cluster, grants, offer


def access_idea(user, slug: str, idea_id: int) -> tuple[Cluster, Grants, Idea]:
    """An idea: every reader of the ideas base reads it (what each may then do with it: the
    office changes its status, a representative expresses its member's interest)."""
    cluster, grants = access_offers(user, slug)
    return (
        cluster,
        grants,
        get_in_cluster(Idea.objects.select_related("member"), cluster, pk=idea_id),
    )


def access_area(user, slug: str, area_id: int) -> tuple[Cluster, CompetenceArea]:
    """An area of the cluster's list, for the office to remove."""
    cluster, _grants = access_cluster(user, slug, for_write=True)
    return cluster, get_in_cluster(CompetenceArea, cluster, pk=area_id)


def access_competence(user, slug: str, competence_id: int) -> tuple[Cluster, Competence]:
    """A member's entry on the map, for removal: the office any, a representative its own
    member's (another's is not known: 404)."""
    cluster, grants = access_contributor(user, slug)
    competence = get_in_cluster(
        Competence.objects.select_related("area", "member"),
        cluster,
        via="area__cluster",
        pk=competence_id,
    )
    if not grants.office and competence.member_id not in grants.member_ids:
        raise Http404
    return cluster, competence
