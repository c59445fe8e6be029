"""Who reads which document of the archive (PLT-3): one rule, used by the list, the search, the
document's page and every download.

- the office: every document;
- "every member": the office, organ members and members' representatives;
- "one organ's members": the persons holding the organ's seats (their own user, or a member they
  represent holds the seat), and everyone for the General Assembly's;
- "one working group's members": the representatives of the members in the group on the day —
  GZW material never leaves the group (001 "Poufność" 2), whatever the group's own setting;
- "the office only": the office.
A forum viewer reads none. A document another cluster's is not known to anyone here (404)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from klaster.core.access import Grants, access_cluster, get_in_cluster
from klaster.core.models import Cluster
from klaster.documents.models import Document, DocumentVersion
from klaster.governance.models import OrganKind, Seat
from klaster.groups.selectors import group_ids_of_members


def visible_documents(cluster: Cluster, grants: Grants, user) -> QuerySet[Document]:
    docs = Document.objects.filter(cluster=cluster)
    if grants.office:
        return docs
    if not (grants.organ_member or grants.representative):
        return docs.none()
    today = timezone.localdate()
    active = Q(ended_on__isnull=True) | Q(ended_on__gte=today)
    seat_q = Q(user=user)
    if grants.member_ids:
        seat_q |= Q(member_id__in=list(grants.member_ids))
    organ_ids = set(
        Seat.objects.filter(active, seat_q, organ__cluster=cluster).values_list(
            "organ_id", flat=True
        )
    )
    group_ids = group_ids_of_members(grants.member_ids, today) if grants.member_ids else set()
    return docs.filter(
        Q(scope=Document.Scope.MEMBERS)
        | Q(scope=Document.Scope.ORGAN, organ__kind=OrganKind.GA)
        | Q(scope=Document.Scope.ORGAN, organ_id__in=organ_ids)
        | Q(scope=Document.Scope.GROUP, group_id__in=group_ids)
    )


def access_documents(user, slug: str, *, for_write: bool = False) -> tuple[Cluster, Grants]:
    cluster, grants = access_cluster(user, slug, for_write=for_write)
    if not (grants.office or grants.organ_member or grants.representative):
        raise PermissionDenied
    return cluster, grants


def access_document(
    user, slug: str, doc_id: int, *, for_write: bool = False
) -> tuple[Cluster, Grants, Document]:
    """A document the user may read (404 when not: its existence is not disclosed)."""
    cluster, grants = access_documents(user, slug, for_write=for_write)
    return (
        cluster,
        grants,
        get_in_cluster(visible_documents(cluster, grants, user), cluster, pk=doc_id),
    )


def access_version(
    user, slug: str, doc_id: int, version_id: int
) -> tuple[Cluster, Document, DocumentVersion]:
    cluster, _grants, document = access_document(user, slug, doc_id)
    try:
        version = document.versions.get(pk=version_id)
    except DocumentVersion.DoesNotExist:
        raise Http404 from None
    return cluster, document, version
