"""Who may see or change what in the Advanced Cooperation Groups (GZW-4, GZW-5).

Every role of a cluster sees its groups' list and pages; a group's meetings, confidential
materials and contact list are seen only by the group's members — representatives of member
organisations with a declaration not withdrawn on the day — and by the office (001 "Poufność" 2,
"Komunikacja" 2). Organ members, forum viewers and members outside the group see no more than
what is not confidential. A group confidential as a whole is a 404 for them.

Denials follow klaster.core.access: Http404 for what the caller may not know exists,
PermissionDenied where the object is visible but the action is not allowed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from klaster.core.access import Grants, access_cluster, get_in_cluster
from klaster.core.models import Cluster
from klaster.groups.models import GroupMaterial, WorkingGroup
from klaster.groups.selectors import member_ids_in_group

if TYPE_CHECKING:
    from klaster.members.models import Member


@dataclass(frozen=True)
class GroupAccess:
    cluster: Cluster
    grants: Grants
    group: WorkingGroup
    #: The caller's own members that are in the group on the day.
    own_members_in_group: frozenset[int]

    @property
    def in_group(self) -> bool:
        return bool(self.own_members_in_group)

    @property
    def sees_confidential(self) -> bool:
        """GZW-4: the group's members and the office."""
        return self.grants.office or self.in_group

    @property
    def is_initiator_representative(self) -> bool:
        return bool(self.grants.member_ids & {m.pk for m in self.group.initiators.all()})


def _today() -> dt.date:
    return timezone.localdate()


def access_groups(user, slug: str, *, for_write: bool = False) -> tuple[Cluster, Grants]:
    """The cluster's group list: every role reads it; only the office creates groups."""
    return access_cluster(user, slug, for_write=for_write)


def access_group(user, slug: str, group_id: int, *, for_write: bool = False) -> GroupAccess:
    """One group. Writes to the group itself (start, meetings, payments, contacts, opinion) are
    the office's (000 §13.4.3: the office prepares and sums up the groups' meetings); the role is
    checked before the row is looked up."""
    cluster, grants = access_cluster(user, slug, for_write=for_write)
    return _group_access(cluster, grants, get_in_cluster(WorkingGroup, cluster, pk=group_id))


def _group_access(cluster: Cluster, grants: Grants, group: WorkingGroup) -> GroupAccess:
    """What a caller may do in a group its caller looked up within ``cluster`` (so that each
    helper's own cluster filter is what keeps other clusters' rows out, and the access tests
    fail when it is removed)."""
    own = (
        frozenset(grants.member_ids & member_ids_in_group(group, _today()))
        if grants.member_ids
        else frozenset()
    )
    ga = GroupAccess(cluster=cluster, grants=grants, group=group, own_members_in_group=own)
    if group.confidential and not ga.sees_confidential:
        raise Http404
    return ga


def access_group_confidential(user, slug: str, group_id: int) -> GroupAccess:
    """GZW-4 / GZW-5: what only the group's members and the office see (contact list export)."""
    ga = access_group(user, slug, group_id)
    if not ga.sees_confidential:
        raise PermissionDenied
    return ga


def access_group_contribution(user, slug: str, group_id: int) -> GroupAccess:
    """Adding a material: the office, or a representative of a member in the group."""
    return access_group_confidential(user, slug, group_id)


def access_declaration(
    user, slug: str, group_id: int, member_id: int
) -> tuple[GroupAccess, Member]:
    """GZW-2: a representative declares joining or withdrawal for its own member; the office for any."""
    from klaster.members.models import Member

    ga = access_group(user, slug, group_id)
    if not (ga.grants.office or member_id in ga.grants.member_ids):
        raise PermissionDenied
    return ga, get_in_cluster(Member, ga.cluster, pk=member_id)


def access_notification(user, slug: str, group_id: int) -> GroupAccess:
    """GZW-3 (000 §14.4): the initiators notify; the office may do it on their behalf."""
    ga = access_group(user, slug, group_id)
    if not (ga.grants.office or ga.is_initiator_representative):
        raise PermissionDenied
    return ga


def access_material(user, slug: str, material_id: int, *, for_write: bool = False):
    """A material: a confidential one exists only for the group's members and the office (404 for
    others). Writing (marking it confidential or not) is for its provider's representatives and
    the office (001 "Poufność" 1: the one who gives the information says it is confidential)."""
    cluster, grants = access_cluster(user, slug)
    material = get_in_cluster(
        GroupMaterial.objects.select_related("group"), cluster, via="group__cluster", pk=material_id
    )
    ga = _group_access(cluster, grants, material.group)
    if material.confidential and not ga.sees_confidential:
        raise Http404
    if for_write and not (grants.office or (material.provided_by_id in grants.member_ids)):
        raise PermissionDenied
    return ga, material
