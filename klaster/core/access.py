"""Who may see or change what. One helper per object kind; views and APIs call nothing else.

Roles are per cluster (core.models.Role). Denials raise Http404 for objects the user may not
know about (another cluster, another member) and PermissionDenied where the object is
visible but the action is not allowed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from klaster.core.models import Cluster, ClusterRole, Role


@dataclass(frozen=True)
class Grants:
    """A user's roles in one cluster."""

    roles: frozenset[str]
    member_ids: frozenset[int]  # members the user represents

    @property
    def office(self) -> bool:
        return Role.OFFICE in self.roles

    @property
    def organ_member(self) -> bool:
        return Role.ORGAN_MEMBER in self.roles

    @property
    def representative(self) -> bool:
        return Role.REPRESENTATIVE in self.roles

    @property
    def forum_viewer(self) -> bool:
        return Role.FORUM_VIEWER in self.roles

    @property
    def any(self) -> bool:
        return bool(self.roles)


NO_GRANTS = Grants(frozenset(), frozenset())


def grants_for(user: AbstractBaseUser | AnonymousUser, cluster: Cluster) -> Grants:
    if not user.is_authenticated:
        return NO_GRANTS
    cache = getattr(user, "_klaster_grants", None)
    if cache is None:
        cache = {}
        user._klaster_grants = cache  # type: ignore[union-attr]
    if cluster.pk not in cache:
        rows = list(ClusterRole.objects.filter(user=user, cluster=cluster).values_list("role", "member_id"))
        cache[cluster.pk] = Grants(
            roles=frozenset(r for r, _ in rows),
            member_ids=frozenset(m for _, m in rows if m is not None),
        )
    return cache[cluster.pk]


def clusters_for(user: AbstractBaseUser | AnonymousUser):
    if not user.is_authenticated:
        return Cluster.objects.none()
    return Cluster.objects.filter(roles__user=user).distinct().order_by("name")


def access_cluster(user, slug: str, *, for_write: bool = False) -> tuple[Cluster, Grants]:
    """Any role sees the cluster's home; only the office changes the cluster's own data."""
    try:
        cluster = Cluster.objects.get(slug=slug)
    except Cluster.DoesNotExist:
        raise Http404 from None
    grants = grants_for(user, cluster)
    if not grants.any:
        raise Http404
    if for_write and not grants.office:
        raise PermissionDenied
    if cluster.statuses_as_of != timezone.localdate():
        # once a day: membership events dated since then take effect on members' cached status
        from klaster.members.services import statuses_bring_up_to_date

        statuses_bring_up_to_date(cluster)
    return cluster, grants


def access_strategy(user, slug: str, strategy_id: int, *, for_write: bool = False):
    """A development strategy (MEM-1): every role of the cluster reads it; the office changes it.

    The role is checked before the row is looked up, so a refused caller learns nothing
    about which strategies exist."""
    from klaster.core.models import Strategy

    cluster, grants = access_cluster(user, slug, for_write=for_write)
    try:
        strategy = Strategy.objects.get(cluster=cluster, pk=strategy_id)
    except Strategy.DoesNotExist:
        raise Http404 from None
    return cluster, grants, strategy


def access_registry(user, slug: str, *, for_write: bool = False) -> tuple[Cluster, Grants]:
    """The member register (list, search, audit): the office; organ members read it."""
    cluster, grants = access_cluster(user, slug)
    if grants.office or (grants.organ_member and not for_write):
        return cluster, grants
    raise PermissionDenied


def access_member(user, slug: str, member_id: int, *, for_write: bool = False):
    """A member's page: the office (read/write), organ members (read), the member's own
    representatives (read, and write through the portal's own forms)."""
    from klaster.members.models import Member

    cluster, grants = access_cluster(user, slug)
    try:
        member = Member.objects.get(cluster=cluster, pk=member_id)
    except Member.DoesNotExist:
        raise Http404 from None
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
    from klaster.members.models import Member

    cluster, grants = access_cluster(user, slug, for_write=True)
    try:
        member = Member.objects.get(cluster=cluster, pk=member_id)
    except Member.DoesNotExist:
        raise Http404 from None
    return cluster, grants, member


def access_subunit(user, slug: str, subunit_id: int, *, for_write: bool = False):
    """A science unit's sub-unit (MEM-3): read on the member's page; changed by the office only."""
    from klaster.members.models import ScienceSubunit

    # Writes: the role is checked before the row is looked up. Reads: whoever may see its member.
    cluster, grants = access_cluster(user, slug, for_write=for_write)
    try:
        subunit = ScienceSubunit.objects.select_related("member").get(member__cluster=cluster, pk=subunit_id)
    except ScienceSubunit.DoesNotExist:
        raise Http404 from None
    if not for_write:
        _member_allowed(grants, subunit.member_id, for_write=False)
    return cluster, grants, subunit


def access_independence_link(user, slug: str, link_id: int, *, for_write: bool = False):
    """A partner/linked-enterprise link (MEM-11): read on both members' pages; changed by the office only."""
    from klaster.members.models import IndependenceLink

    # Writes: the role is checked before the row is looked up. Reads: whoever may see its member.
    cluster, grants = access_cluster(user, slug, for_write=for_write)
    try:
        link = IndependenceLink.objects.select_related("member", "other").get(member__cluster=cluster, pk=link_id)
    except IndependenceLink.DoesNotExist:
        raise Http404 from None
    if not for_write:
        try:
            _member_allowed(grants, link.member_id, for_write=False)
        except PermissionDenied:
            _member_allowed(grants, link.other_id, for_write=False)  # shown on both members' pages
    return cluster, grants, link


def access_delegate(user, slug: str, person_id: int, *, for_write: bool = False, office_only: bool = False):
    """A delegated person (MEM-7, MEM-8): read by whoever may see its member; changed by the
    office or the member's own representatives. ``office_only`` for what only the coordinator's
    office records or sees (the notice reaching it, personal-data requests under RODO)."""
    from klaster.members.models import DelegatedPerson

    cluster, grants = access_cluster(user, slug, for_write=office_only)
    try:
        person = DelegatedPerson.objects.select_related("member").get(member__cluster=cluster, pk=person_id)
    except DelegatedPerson.DoesNotExist:
        raise Http404 from None
    _member_allowed(grants, person.member_id, for_write=for_write)
    return cluster, grants, person


def access_legal_hold(user, slug: str, hold_id: int, *, for_write: bool = False):
    """A legal hold on a person's data (MEM-12): the office's only, to read or change."""
    from klaster.members.models import LegalHold

    cluster, grants = access_cluster(user, slug, for_write=True)  # office only, reads included
    try:
        hold = LegalHold.objects.select_related("person__member").get(person__member__cluster=cluster, pk=hold_id)
    except LegalHold.DoesNotExist:
        raise Http404 from None
    return cluster, grants, hold


def access_own_member(user, slug: str, member_id: int):
    """The portal: a representative edits its own member's contacts, delegates and figures."""
    from klaster.members.models import Member

    cluster, grants = access_cluster(user, slug)
    if member_id not in grants.member_ids:
        raise PermissionDenied
    try:
        # a grant naming another cluster's member (as the admin once allowed) shows nothing
        member = Member.objects.get(cluster=cluster, pk=member_id)
    except Member.DoesNotExist:
        raise Http404 from None
    return cluster, grants, member
