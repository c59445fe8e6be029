"""Who may see or change the money (FIN-1 … FIN-4, issue 10 point 8).

The office keeps the books: it sees and changes everything. A member's representatives see
their own member's account — its documents, payments and balance, and the documents' PDFs —
and nothing of another member. Organ members and forum viewers see no member's money (a
member's dues are not the organs' business; the Board reads the totals from the office's
reports). Denials follow klaster.core.access: 404 for what the caller may not know exists,
403 where the cluster is visible but the page is not.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from klaster.core.access import Grants, access_cluster, get_in_cluster
from klaster.core.models import Cluster
from klaster.members.models import Member
from klaster.money.models import BankEntry, Document


def access_books(user, slug: str, *, for_write: bool = False) -> tuple[Cluster, Grants]:
    """The cluster's books (documents, statements, the queue, arrears, exports): the office."""
    cluster, grants = access_cluster(user, slug, for_write=for_write)
    if not grants.office:
        raise PermissionDenied
    return cluster, grants


def access_account(user, slug: str, member_id: int) -> tuple[Cluster, Grants, Member]:
    """One member's account: the office, or the member's own representatives (read only)."""
    cluster, grants = access_cluster(user, slug)
    if not (grants.office or member_id in grants.member_ids):
        raise PermissionDenied
    return cluster, grants, get_in_cluster(Member, cluster, pk=member_id)


def access_document(user, slug: str, document_id: int) -> tuple[Cluster, Grants, Document]:
    """A document and its PDF: the office, or the representatives of the member it was issued
    to. Looked up within the cluster first (another cluster's id is a 404)."""
    cluster, grants = access_cluster(user, slug)
    if not (grants.office or grants.member_ids):
        raise PermissionDenied
    document = get_in_cluster(
        Document.objects.select_related("member", "fee_type", "corrects"), cluster, pk=document_id
    )
    if not grants.office and document.member_id not in grants.member_ids:
        raise PermissionDenied
    return cluster, grants, document


def access_entry(user, slug: str, entry_id: int) -> tuple[Cluster, Grants, BankEntry]:
    """A bank entry waiting for the office: the office only; the role before the row."""
    cluster, grants = access_books(user, slug, for_write=True)
    return cluster, grants, get_in_cluster(BankEntry, cluster, pk=entry_id)
