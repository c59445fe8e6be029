"""What changes a forum (FOR-1, FOR-2): membership by decision, what a cluster shares, the
clusters' figures, shared work and its threads. Every write is atomic and audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from klaster.core.audit import audit_record
from klaster.core.models import Cluster
from klaster.forum.models import (
    Forum,
    LinkageRecord,
    Membership,
    Post,
    Sharing,
    Snapshot,
    Work,
)
from klaster.kkk.selectors import cluster_evaluation
from klaster.rules.forum.sets import SETS, IndicatorSet, figures


def join(*, forum: Forum, cluster: Cluster, joined_on: dt.date, decision: str, user) -> Membership:
    """A cluster joins by its decision (FOR-1); a cluster already in the forum is refused."""
    if not decision.strip():
        raise ValidationError({"decision": _("Give the decision by which the cluster joins.")})
    with transaction.atomic():
        if Membership.objects.filter(forum=forum, cluster=cluster, left_on__isnull=True).exists():
            raise ValidationError({"cluster": _("This cluster is already in the forum.")})
        row = Membership.objects.create(
            forum=forum, cluster=cluster, joined_on=joined_on, join_decision=decision.strip()
        )
        audit_record(
            cluster=cluster,
            user=user,
            action="create",
            instance=row,
            object_repr=_("membership in %(forum)s") % {"forum": forum.name},
        )
    return row


def leave(*, membership: Membership, left_on: dt.date, decision: str, user) -> Membership:
    """A cluster leaves by its decision: the membership ends, its history stays."""
    if not decision.strip():
        raise ValidationError({"decision": _("Give the decision by which the cluster leaves.")})
    if left_on < membership.joined_on:
        raise ValidationError({"left_on": _("A cluster cannot leave before it joined.")})
    with transaction.atomic():
        row = Membership.objects.select_for_update().get(pk=membership.pk)
        if row.left_on is not None:
            raise ValidationError({"left_on": _("This cluster has already left the forum.")})
        row.left_on = left_on
        row.leave_decision = decision.strip()
        row.save(update_fields=["left_on", "leave_decision"])
        audit_record(
            cluster=row.cluster,
            user=user,
            action="update",
            instance=row,
            object_repr=_("membership in %(forum)s") % {"forum": row.forum.name},
            changes={"left_on": [None, left_on.isoformat()]},
        )
    return row


def set_sharing(
    *, cluster: Cluster, indicator_set: IndicatorSet, keys: Iterable[str], named: bool, user
) -> None:
    """What the cluster shares with its forums, per indicator (nothing unless chosen), and
    whether it may be named there."""
    chosen = set(keys)
    unknown = chosen - set(indicator_set.keys)
    if unknown:
        raise ValidationError({"keys": _("Unknown indicators were chosen.")})
    with transaction.atomic():
        Sharing.objects.filter(cluster=cluster, set_code=indicator_set.code).exclude(
            key__in=chosen
        ).delete()
        have = set(
            Sharing.objects.filter(cluster=cluster, set_code=indicator_set.code).values_list(
                "key", flat=True
            )
        )
        Sharing.objects.bulk_create(
            Sharing(cluster=cluster, set_code=indicator_set.code, key=k)
            for k in sorted(chosen - have)
        )
        Membership.objects.filter(cluster=cluster, left_on__isnull=True).update(named=named)
        audit_record(
            cluster=cluster,
            user=user,
            action="update",
            instance=cluster,
            object_repr=_("figures shared with the forum"),
            changes={"shared": [len(have), len(chosen)], "named": [None, named]},
        )


def store_figures(
    *, cluster: Cluster, as_of: dt.date, values: dict[str, Decimal], indicator_set: IndicatorSet
) -> Snapshot:
    row, _created = Snapshot.objects.update_or_create(
        cluster=cluster,
        set_code=indicator_set.code,
        as_of=as_of,
        defaults={
            "set_version": indicator_set.version,
            "values": {k: str(v) for k, v in values.items()},
        },
    )
    return row


def refresh_figures(*, cluster: Cluster, as_of: dt.date, set_code: str = "kkk-2021") -> Snapshot:
    """The cluster's figures as of a day, read from its KKK evaluation then and stored."""
    indicator_set = SETS[set_code]
    scored = cluster_evaluation(cluster, as_of=as_of)
    return store_figures(
        cluster=cluster,
        as_of=as_of,
        values=figures(indicator_set, scored.evaluation),
        indicator_set=indicator_set,
    )


def add_work(
    *, forum: Forum, kind: str, data: dict, user, clusters: Iterable[Cluster] = ()
) -> Work:
    if kind not in Work.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of shared work.")})
    if kind == Work.Kind.CONSULTATION and not data.get("deadline"):
        raise ValidationError({"deadline": _("A consultation needs a deadline for answers.")})
    if kind == Work.Kind.LINKAGE and not (data.get("project") and data.get("entities")):
        raise ValidationError(
            {
                "project": _(
                    "A cooperative linkage is formed for one joint project: name it and its entities."
                )
            }
        )
    with transaction.atomic():
        work = Work.objects.create(
            forum=forum,
            kind=kind,
            title=data["title"],
            body=data["body"],
            deadline=data.get("deadline"),
            entities=data.get("entities", ""),
            project=data.get("project", ""),
            created_by=user,
        )
        work.clusters.set(list(clusters))
    return work


def add_post(
    *, work: Work, user, cluster: Cluster | None, text: str, answer: bool, today: dt.date
) -> Post:
    if not text.strip():
        raise ValidationError({"text": _("Write something first.")})
    if answer:
        if work.kind != Work.Kind.CONSULTATION or cluster is None:
            raise ValidationError({"answer": _("Only a cluster answers a consultation.")})
        if work.deadline and today > work.deadline:
            raise ValidationError({"answer": _("The consultation closed on its deadline.")})
    return Post.objects.create(
        work=work, author=user, cluster=cluster, text=text.strip(), answer=answer
    )


# -- taking part in shared work; a linkage into KKK (FOR-2) ----------------------------------


def take_part(*, work: Work, cluster: Cluster, user) -> Work:
    """A member cluster joins a joint initiative or a cooperative linkage (FOR-2)."""
    if work.kind not in (Work.Kind.INITIATIVE, Work.Kind.LINKAGE):
        raise ValidationError(_("Clusters take part in joint initiatives and linkages only."))
    with transaction.atomic():
        if work.clusters.filter(pk=cluster.pk).exists():
            raise ValidationError(_("The cluster already takes part."))
        work.clusters.add(cluster)
        audit_record(
            cluster=cluster,
            user=user,
            action="forum_take_part",
            instance=work,
            object_repr=work.title,
            changes={"clusters": [None, cluster.name]},
            source="forum",
        )
    return work


def withdraw(*, work: Work, cluster: Cluster, user) -> Work:
    """A cluster stops taking part; a linkage it has taken into its KKK records stays there
    (the project happened), only the cluster leaves the list."""
    with transaction.atomic():
        if not work.clusters.filter(pk=cluster.pk).exists():
            raise ValidationError(_("The cluster does not take part."))
        work.clusters.remove(cluster)
        work.members.remove(*work.members.filter(cluster=cluster))
        audit_record(
            cluster=cluster,
            user=user,
            action="forum_withdraw",
            instance=work,
            object_repr=work.title,
            changes={"clusters": [cluster.name, None]},
            source="forum",
        )
    return work


def linkage_to_kkk(*, work: Work, cluster: Cluster, user, data: dict) -> LinkageRecord:
    """FOR-2: a cooperative linkage the cluster takes part in becomes one of its KKK joint
    projects (`kkk.services.activity_record_create`, so it is checked, positioned and audited as
    any record the office adds), linked back to the linkage. Once per cluster and linkage."""
    from klaster.kkk.services import activity_record_create

    if work.kind != Work.Kind.LINKAGE:
        raise ValidationError(_("Only a cooperative linkage is taken into the KKK records."))
    with transaction.atomic():
        if not work.clusters.filter(pk=cluster.pk).exists():
            raise ValidationError(_("The cluster does not take part in this linkage."))
        if LinkageRecord.objects.filter(work=work, cluster=cluster).exists():
            raise ValidationError(_("This linkage is already in the cluster's KKK records."))
        project = activity_record_create(cluster=cluster, kind="projects", user=user, data=data)
        return LinkageRecord.objects.create(
            work=work, cluster=cluster, project_id=project.pk, created_by=user
        )


def set_members(*, work: Work, cluster: Cluster, members: Iterable, user) -> Work:
    """The cluster's own members taking part in a joint initiative or linkage it takes part in
    (FOR-2): the cluster's office names them; another cluster's are left as they are."""
    members = list(members)
    if any(m.cluster_id != cluster.pk for m in members):
        raise ValidationError({"members": _("Only the cluster's own members can be named.")})
    with transaction.atomic():
        if not work.clusters.filter(pk=cluster.pk).exists():
            raise ValidationError(_("The cluster does not take part."))
        before = sorted(work.members.filter(cluster=cluster).values_list("name", flat=True))
        work.members.remove(*work.members.filter(cluster=cluster))
        work.members.add(*members)
        audit_record(
            cluster=cluster,
            user=user,
            action="update",
            instance=work,
            object_repr=work.title,
            changes={"members": [before, sorted(m.name for m in members)]},
            source="forum",
        )
    return work
