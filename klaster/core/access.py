"""Who may see or change what, at the cluster's level: a user's grants in a cluster, the cluster
itself and its strategies. Each app above keeps its own helpers in its own ``access.py``
(members' in ``klaster.members.access``) built on :func:`access_cluster`; views and APIs call
nothing else.

Roles are per cluster (core.models.Role). Denials raise Http404 for objects the user may not
know about (another cluster, another member) and PermissionDenied where the object is
visible but the action is not allowed. Nothing here writes (STYLE: reads never write): members'
statuses are brought up to date by the worker (``klaster worker``), not by a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404

from klaster.core.admin_site import is_operator
from klaster.core.models import Cluster, ClusterRole, Role, Strategy


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

M = TypeVar("M", bound=models.Model)


def get_in_cluster(
    model_or_queryset: type[M] | models.QuerySet[M],
    cluster: Cluster,
    *,
    via: str = "cluster",
    **lookup: Any,
) -> M:
    """The one object of ``cluster`` that ``lookup`` names (``pk=…``), or Http404 — also for an id of
    another cluster's object, which the caller may not know exists. ``via``: the lookup from the
    object to its cluster (``"member__cluster"`` for a member's row); a queryset keeps its own
    filters and ``select_related``. A malformed id (not a number) is a 404 too."""
    if isinstance(model_or_queryset, models.QuerySet):
        qs = model_or_queryset
    else:
        qs = model_or_queryset._default_manager.all()
    try:
        return qs.get(**{via: cluster}, **lookup)
    except (ObjectDoesNotExist, ValueError):
        raise Http404 from None


def grants_for(user: User | AnonymousUser, cluster: Cluster) -> Grants:
    if not user.is_authenticated:
        return NO_GRANTS
    cache = getattr(user, "_klaster_grants", None)
    if cache is None:
        cache = {}
        # a cache for the request, kept on its user object (not a field of User)
        user._klaster_grants = cache  # type: ignore[attr-defined]
    if cluster.pk not in cache:
        rows = list(
            ClusterRole.objects.filter(user=user, cluster=cluster).values_list("role", "member_id")
        )
        cache[cluster.pk] = Grants(
            roles=frozenset(r for r, _ in rows),
            member_ids=frozenset(m for _, m in rows if m is not None),
        )
    return cache[cluster.pk]


def clusters_for(user: User | AnonymousUser):
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
    return cluster, grants


def access_strategy(user, slug: str, strategy_id: int, *, for_write: bool = False):
    """A development strategy (MEM-1): every role of the cluster reads it; the office changes it.

    The role is checked before the row is looked up, so a refused caller learns nothing
    about which strategies exist."""
    cluster, grants = access_cluster(user, slug, for_write=for_write)
    return cluster, grants, get_in_cluster(Strategy, cluster, pk=strategy_id)


def access_roles(user, slug: str) -> Cluster:
    """Who holds which role in a cluster (MEM-1), read and changed by an operator only — the
    Django admin's rule (issue 7: an office that could grant roles could give itself any cluster)
    until the office's invitation pages exist (issue 12). A user with no role in the cluster gets
    the 404 of a cluster it may not know about; one with a role, 403."""
    try:
        cluster = Cluster.objects.get(slug=slug)
    except Cluster.DoesNotExist:
        raise Http404 from None
    if is_operator(user):
        return cluster
    if not grants_for(user, cluster).any:
        raise Http404
    raise PermissionDenied


def access_role(user, slug: str, role_id: int) -> tuple[Cluster, ClusterRole]:
    """One grant of the cluster, for an operator (`access_roles`). Another cluster's grant id is a
    404 like an unknown one, whoever asks; a known one is then refused (403) to a non-operator."""
    try:
        cluster = Cluster.objects.get(slug=slug)
    except Cluster.DoesNotExist:
        raise Http404 from None
    operator = is_operator(user)
    if not operator and not grants_for(user, cluster).any:
        raise Http404
    role = get_in_cluster(ClusterRole.objects.select_related("user"), cluster, pk=role_id)
    if not operator:
        raise PermissionDenied
    return cluster, role
