"""Reads of the Advanced Cooperation Groups. Whatever a page, the API or an export shows of a
group goes through here, so the confidentiality rule (GZW-4) is applied in one place:
`visible_items`."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from klaster.core.access import Grants
from klaster.core.models import Cluster
from klaster.groups.models import (
    SPECIAL_KINDS,
    Declaration,
    GroupContact,
    GroupMaterial,
    GroupMeeting,
    GroupStatus,
    Recipient,
    SpecialFormNotification,
    WorkingGroup,
)
from klaster.members.models import DelegatedPerson, Member, NotificationEmail
from klaster.rules.governance.working_groups import GroupCheck, group_can_start
from klaster.rules.statute import StatuteProfile


def open_on(on: dt.date) -> Q:
    """A declaration counts on a day when made on or before it and not withdrawn by then
    (a withdrawal takes effect on its own date)."""
    return Q(declared_on__lte=on) & (Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on))


def member_ids_in_group(group: WorkingGroup, on: dt.date) -> set[int]:
    return set(
        Declaration.objects.filter(open_on(on), group=group).values_list("member_id", flat=True)
    )


def group_ids_of_members(member_ids: Iterable[int], on: dt.date) -> set[int]:
    """The groups any of these members is in on the day."""
    ids = list(member_ids)
    if not ids:
        return set()
    return set(
        Declaration.objects.filter(open_on(on), member_id__in=ids).values_list(
            "group_id", flat=True
        )
    )


def sees_confidential(grants: Grants, group_id: int, my_group_ids: set[int]) -> bool:
    """GZW-4 (001 "Poufność" 2): only the group's members and the office."""
    return grants.office or group_id in my_group_ids


def visible_items(items: Iterable[Any], *, sees_confidential: bool) -> list[Any]:
    """GZW-4: confidential meetings and materials are dropped for whoever is not in the group.
    Pages, the API and every export call this."""
    return [item for item in items if sees_confidential or not item.confidential]


def visible_groups(
    cluster: Cluster, grants: Grants, on: dt.date
) -> tuple[QuerySet[WorkingGroup], set[int]]:
    """Groups the caller may know about, and the ids of those its members are in.
    001 "Poufność" 2: a group confidential as a whole is hidden from everyone else."""
    mine = group_ids_of_members(grants.member_ids, on)
    qs = WorkingGroup.objects.filter(cluster=cluster)
    if not grants.office:
        qs = qs.filter(Q(confidential=False) | Q(pk__in=mine))
    return qs.order_by("kind", "name", "id"), mine


@dataclass
class GroupRow:
    group: WorkingGroup
    member_ids: list[int]
    check: GroupCheck | None
    in_group: bool

    @property
    def member_count(self) -> int:
        return len(self.member_ids)


def group_rows(
    cluster: Cluster, grants: Grants, on: dt.date, profile: StatuteProfile | None
) -> list[GroupRow]:
    """The cluster's list page: status, member count and whether a forming group can start
    (GZW-2, the pure rule `group_can_start`). Two queries whatever the number of groups."""
    group_qs, mine = visible_groups(cluster, grants, on)
    groups = list(group_qs)
    members: dict[int, list[int]] = defaultdict(list)
    rows = Declaration.objects.filter(open_on(on), group__in=[g.pk for g in groups]).values_list(
        "group_id", "member_id"
    )
    for group_id, member_id in rows:
        members[group_id].append(member_id)
    out = []
    for g in groups:
        ids = members.get(g.pk, [])
        check = None
        if profile is not None and not g.is_special:
            check = group_can_start(profile, [str(i) for i in ids])
        out.append(GroupRow(group=g, member_ids=ids, check=check, in_group=g.pk in mine))
    return out


def declarations_of(group: WorkingGroup) -> QuerySet[Declaration]:
    return group.declarations.select_related("member").order_by("declared_on", "id")


def meetings_of(group: WorkingGroup, *, sees_confidential: bool) -> list[GroupMeeting]:
    return visible_items(group.meetings.all(), sees_confidential=sees_confidential)


def materials_of(group: WorkingGroup, *, sees_confidential: bool) -> list[GroupMaterial]:
    qs = group.materials.select_related("provided_by", "meeting")
    return visible_items(qs, sees_confidential=sees_confidential)


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    member: str
    source: str  # "declaration", "delegate", "notification", "extra"
    role: str = ""


def group_contacts(group: WorkingGroup, on: dt.date) -> list[Contact]:
    """GZW-5 (001 "Komunikacja" 2): the group's own contact list — for each member in the group on
    the day, the person it named in its declaration, else its delegated persons still linked to
    it, else its notification addresses; then the extra contacts the office added. One row per
    e-mail address (the first source wins)."""
    decls = list(
        Declaration.objects.filter(open_on(on), group=group)
        .select_related("member")
        .order_by("member__name", "id")
    )
    member_ids = [d.member_id for d in decls]
    delegates: dict[int, list[DelegatedPerson]] = defaultdict(list)
    for p in (
        DelegatedPerson.objects.filter(member_id__in=member_ids)
        .exclude(email="")
        .filter(Q(link_ended__isnull=True) | Q(link_ended__gt=on))
        .order_by("id")
    ):
        delegates[p.member_id].append(p)
    emails: dict[int, list[str]] = defaultdict(list)
    for e in NotificationEmail.objects.filter(member_id__in=member_ids).order_by("id"):
        emails[e.member_id].append(e.email)
    out: list[Contact] = []
    for d in decls:
        if d.contact_email or d.contact_name:
            out.append(Contact(d.contact_name, d.contact_email, d.member.name, "declaration"))
        elif delegates[d.member_id]:
            out.extend(
                Contact(p.name, p.email, d.member.name, "delegate", p.position)
                for p in delegates[d.member_id]
            )
        else:
            out.extend(Contact("", e, d.member.name, "notification") for e in emails[d.member_id])
    for gc in GroupContact.objects.filter(group=group).select_related("member"):
        out.append(
            Contact(gc.name, gc.email, gc.member.name if gc.member else "", "extra", gc.role)
        )
    seen: set[str] = set()
    unique = []
    for c in out:
        key = c.email.lower()
        if key and key in seen:
            continue
        seen.add(key)
        unique.append(c)
    return unique


@dataclass
class PendingSpecialForm:
    group: WorkingGroup
    missing: list[str] = field(default_factory=list)
    notified: dict[str, dt.date] = field(default_factory=dict)


def special_forms_pending(
    cluster: Cluster, grants: Grants | None = None, on: dt.date | None = None
) -> list[PendingSpecialForm]:
    """GZW-3: special forms whose initiators have not yet notified the coordinator or the Board
    (000 §14.4), or on which the Council has not yet given its opinion (§14.5)."""
    qs = WorkingGroup.objects.filter(cluster=cluster, kind__in=SPECIAL_KINDS).exclude(
        status=GroupStatus.CLOSED
    )
    if grants is not None and not grants.office:
        mine = group_ids_of_members(grants.member_ids, on or timezone.localdate())
        qs = qs.filter(Q(confidential=False) | Q(pk__in=mine))
    qs = qs.prefetch_related(
        Prefetch("notifications", queryset=SpecialFormNotification.objects.order_by("notified_on"))
    )
    out = []
    for g in qs.order_by("name", "id"):
        first: dict[str, dt.date] = {}
        for n in g.notifications.all():
            first.setdefault(n.recipient, n.notified_on)
        missing = []
        if Recipient.COORDINATOR not in first:
            missing.append("coordinator")
        if Recipient.BOARD not in first:
            missing.append("board")
        if not g.council_opinion:
            missing.append("opinion")
        if missing:
            out.append(PendingSpecialForm(group=g, missing=missing, notified=first))
    return out


def export_rows(
    cluster: Cluster, grants: Grants, on: dt.date, *, only: int | None = None
) -> list[dict[str, Any]]:
    """GZW-4: the groups as data for the CSV/JSON exports and the API — meetings and materials
    filtered by `visible_items`, so a confidential item never reaches anyone outside its group.
    A fixed number of queries whatever the number of groups."""
    group_qs, mine = visible_groups(cluster, grants, on)
    if only is not None:
        group_qs = group_qs.filter(pk=only)
    groups = list(
        group_qs.prefetch_related(
            Prefetch("meetings", queryset=GroupMeeting.objects.order_by("date", "id")),
            Prefetch(
                "materials",
                queryset=GroupMaterial.objects.select_related("provided_by").order_by(
                    "created_at", "id"
                ),
            ),
        )
    )
    counts: dict[int, int] = defaultdict(int)
    for group_id in Declaration.objects.filter(
        open_on(on), group__in=[g.pk for g in groups]
    ).values_list("group_id", flat=True):
        counts[group_id] += 1
    out = []
    for g in groups:
        see = sees_confidential(grants, g.pk, mine)
        out.append(
            {
                "id": g.pk,
                "name": g.name,
                "kind": g.kind,
                "area": g.area,
                "status": g.status,
                "started_on": g.started_on.isoformat() if g.started_on else None,
                "member_count": counts[g.pk],
                "meetings": [
                    {
                        "id": m.pk,
                        "date": m.date.isoformat(),
                        "place": m.place,
                        "agenda": m.agenda,
                        "summary": m.summary,
                        "confidential": m.confidential,
                    }
                    for m in visible_items(g.meetings.all(), sees_confidential=see)
                ],
                "materials": [
                    {
                        "id": m.pk,
                        "title": m.title,
                        "body": m.body,
                        "has_file": bool(m.file),
                        "provided_by": m.provided_by.name if m.provided_by else "",
                        "confidential": m.confidential,
                        "added": timezone.localdate(m.created_at).isoformat(),
                    }
                    for m in visible_items(g.materials.all(), sees_confidential=see)
                ],
            }
        )
    return out


def members_for_choice(cluster: Cluster, ids: Sequence[int] | None = None) -> QuerySet[Member]:
    qs = Member.objects.filter(cluster=cluster, status="active")
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.order_by("name", "id")


def board_addresses(cluster: Cluster, on: dt.date) -> list[str]:
    """GZW-3: the e-mail addresses of the persons holding Board seats on the day (000 §14.4: the
    initiators notify the Board)."""
    from klaster.governance.models import OrganKind, Seat

    rows = (
        Seat.objects.filter(organ__cluster=cluster, organ__kind=OrganKind.BOARD, starts__lte=on)
        .filter(Q(ends__isnull=True) | Q(ends__gte=on))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
        .exclude(person__email="")
        .order_by("id")
        .values_list("person__email", flat=True)
    )
    return list(dict.fromkeys(rows))
