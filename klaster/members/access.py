"""Who may see or change the member register: members, their science sub-units, independence
links, delegated persons and legal holds (MEM-1…MEM-12). Built on
:func:`klaster.core.access.access_cluster`; views and APIs call nothing else.

Denials raise Http404 for objects the user may not know about (another cluster, another member)
and PermissionDenied where the object is visible but the action is not allowed.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from klaster.core.access import Grants, access_cluster, get_in_cluster
from klaster.core.models import Cluster
from klaster.members.models import (
    DelegatedPerson,
    IndependenceLink,
    LegalHold,
    Member,
    ScienceSubunit,
)


def access_registry(user, slug: str, *, for_write: bool = False) -> tuple[Cluster, Grants]:
    """The member register (list, search, audit): the office; organ members read it."""
    cluster, grants = access_cluster(user, slug)
    if grants.office or (grants.organ_member and not for_write):
        return cluster, grants
    raise PermissionDenied


def access_member(user, slug: str, member_id: int, *, for_write: bool = False):
    """A member's page: the office (read/write), organ members (read), the member's own
    representatives (read, and write through the portal's own forms)."""
    cluster, grants = access_cluster(user, slug)
    member = get_in_cluster(Member, cluster, pk=member_id)
    _member_allowed(grants, member.pk, for_write=for_write)
    return cluster, grants, member


def _member_allowed(grants: Grants, member_id: int, *, for_write: bool) -> None:
    """Whether a user with these grants sees (or changes) one member of the cluster. Callers
    pass a member they looked up within the cluster themselves: each helper's own cluster filter
    is then the only thing between a caller and another cluster's rows, and the access tests
    (tests/core/test_access_helpers.py) fail when it is removed."""
    if grants.office or member_id in grants.member_ids or (grants.organ_member and not for_write):
        return
    raise PermissionDenied


def access_member_facts(user, slug: str, member_id: int):
    """Registry facts only the office records on a member: science sub-units (MEM-3) and
    independence links (MEM-11). The role is checked before the member is looked up."""
    cluster, grants = access_cluster(user, slug, for_write=True)
    return cluster, grants, get_in_cluster(Member, cluster, pk=member_id)


def access_subunit(user, slug: str, subunit_id: int, *, for_write: bool = False):
    """A science unit's sub-unit (MEM-3): read on the member's page; changed by the office only."""
    # Writes: the role is checked before the row is looked up. Reads: whoever may see its member.
    cluster, grants = access_cluster(user, slug, for_write=for_write)
    subunit = get_in_cluster(
        ScienceSubunit.objects.select_related("member"),
        cluster,
        via="member__cluster",
        pk=subunit_id,
    )
    if not for_write:
        _member_allowed(grants, subunit.member_id, for_write=False)
    return cluster, grants, subunit


def access_independence_link(user, slug: str, link_id: int, *, for_write: bool = False):
    """A partner/linked-enterprise link (MEM-11): read on both members' pages; changed by the office only."""
    # Writes: the role is checked before the row is looked up. Reads: whoever may see its member.
    cluster, grants = access_cluster(user, slug, for_write=for_write)
    link = get_in_cluster(
        IndependenceLink.objects.select_related("member", "other"),
        cluster,
        via="member__cluster",
        pk=link_id,
    )
    if not for_write:
        try:
            _member_allowed(grants, link.member_id, for_write=False)
        except PermissionDenied:
            _member_allowed(grants, link.other_id, for_write=False)  # shown on both members' pages
    return cluster, grants, link


def access_delegate(
    user, slug: str, person_id: int, *, for_write: bool = False, office_only: bool = False
):
    """A delegated person (MEM-7, MEM-8): read by whoever may see its member; changed by the
    office or the member's own representatives. ``office_only`` for what only the coordinator's
    office records or sees (the notice reaching it, personal-data requests under RODO)."""
    cluster, grants = access_cluster(user, slug, for_write=office_only)
    person = get_in_cluster(
        DelegatedPerson.objects.select_related("member"),
        cluster,
        via="member__cluster",
        pk=person_id,
    )
    _member_allowed(grants, person.member_id, for_write=for_write)
    return cluster, grants, person


def access_legal_hold(user, slug: str, hold_id: int, *, for_write: bool = False):
    """A legal hold on a person's data (MEM-12): the office's only, to read or change."""
    cluster, grants = access_cluster(user, slug, for_write=True)  # office only, reads included
    hold = get_in_cluster(
        LegalHold.objects.select_related("person__member"),
        cluster,
        via="person__member__cluster",
        pk=hold_id,
    )
    return cluster, grants, hold


def access_own_member(user, slug: str, member_id: int):
    """The portal: a representative edits its own member's contacts, delegates and figures."""
    cluster, grants = access_cluster(user, slug)
    if member_id not in grants.member_ids:
        raise PermissionDenied
    # a grant naming another cluster's member (as the admin once allowed) shows nothing
    return cluster, grants, get_in_cluster(Member, cluster, pk=member_id)
