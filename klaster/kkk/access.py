"""Who may see or change the KKK application, its records and the readiness dashboard.

- The readiness dashboard (KKK-EXPLAIN): the office, and organ members who read it.
- Everything else — applications, attachments, the records behind sections 9–34, expert
  and panel scores — is the office's: it prepares and registers the application.
- Member representatives and forum viewers get 403, users of other clusters 404 (they may
  not learn the cluster exists), as in `klaster.core.access`.

The role is checked before any row is looked up, so a refused caller learns nothing about
which applications or records exist.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404

from klaster.core.access import Grants, access_cluster, get_in_cluster
from klaster.core.models import Cluster
from klaster.kkk.models import Application, ApplicationAttachment
from klaster.kkk.records import RECORD_KINDS, RecordKind


def access_kkk_dashboard(user, slug: str) -> tuple[Cluster, Grants]:
    """The readiness dashboard: the office and organ members (read only)."""
    cluster, grants = access_cluster(user, slug)
    if grants.office or grants.organ_member:
        return cluster, grants
    raise PermissionDenied


def access_kkk_office(user, slug: str) -> tuple[Cluster, Grants]:
    """Pages that prepare the application (lists, experts, panel, coordinator facts): the office."""
    return access_cluster(user, slug, for_write=True)


def access_application(user, slug: str, application_id: int, *, for_write: bool = False):
    """An application of the cluster: the office reads and (while a draft) changes it."""
    cluster, grants = access_cluster(user, slug, for_write=True)
    return cluster, grants, get_in_cluster(Application, cluster, pk=application_id)


def access_attachment(user, slug: str, attachment_id: int, *, for_write: bool = False):
    cluster, grants = access_cluster(user, slug, for_write=True)
    attachment = get_in_cluster(
        ApplicationAttachment.objects.select_related("application"),
        cluster,
        via="application__cluster",
        pk=attachment_id,
    )
    return cluster, grants, attachment


def access_record_kind(user, slug: str, kind: str) -> tuple[Cluster, Grants, RecordKind]:
    cluster, grants = access_cluster(user, slug, for_write=True)
    if kind not in RECORD_KINDS:
        raise Http404
    return cluster, grants, RECORD_KINDS[kind]


def access_activity_record(user, slug: str, kind: str, record_id: int, *, for_write: bool = False):
    """One record behind sections 9–34 (staff, projects, events …): the office."""
    cluster, grants, spec = access_record_kind(user, slug, kind)
    try:
        record = spec.queryset(cluster).get(pk=record_id)
    except ObjectDoesNotExist:  # spec.model.DoesNotExist
        raise Http404 from None
    return cluster, grants, spec, record
