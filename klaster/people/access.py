"""Who may see and change access (PLT-1). The office manages everyone's; a representative sees
its own member's representatives and invitations and invites further representatives of that
member only. Another cluster's or another member's ids are a 404."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from klaster.core.access import Grants, access_cluster, get_in_cluster
from klaster.core.models import Cluster, ClusterRole
from klaster.people.models import Invitation


def access_people(user, slug: str) -> tuple[Cluster, Grants]:
    """The people page and the invitation form: the office, or a representative (its own
    member's people only)."""
    cluster, grants = access_cluster(user, slug)
    if not (grants.office or grants.representative):
        raise PermissionDenied
    return cluster, grants


def access_role_revoke(user, slug: str, role_id: int) -> tuple[Cluster, Grants, ClusterRole]:
    """Removing a grant is the office's; the role is checked before the row is looked up."""
    cluster, grants = access_cluster(user, slug, for_write=True)
    role = get_in_cluster(ClusterRole.objects.select_related("user", "member"), cluster, pk=role_id)
    return cluster, grants, role


def access_invitation(user, slug: str, invitation_id: int) -> tuple[Cluster, Grants, Invitation]:
    """An invitation: the office's, or a representative's invitation of its own member."""
    cluster, grants = access_people(user, slug)
    invitation = get_in_cluster(
        Invitation.objects.select_related("cluster", "member"), cluster, pk=invitation_id
    )
    if not grants.office and invitation.member_id not in grants.member_ids:
        raise Http404
    return cluster, grants, invitation
