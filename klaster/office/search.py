"""The global search (issue 9): one box over members, delegated persons, meetings, resolutions,
working groups and documents (group materials, KKK application attachments), accent-insensitive
("lodz" finds "Łódź").

Every kind is gathered from what the reader may see, through the apps' own rules: the register
as ``members.access`` lets a role see it (the office and organ members all members, a
representative its own), meetings through ``governance.selectors.meetings_for``, resolutions as
the resolution register shows them (``access_meetings``), groups and their materials through
``groups.selectors.visible_groups`` and ``sees_confidential`` (GZW-4: a confidential group or
material never shows to anyone outside the group but the office), KKK attachments to the office
only. The text typed and the text searched are folded by one function,
``klaster.rules.text.fold``: members and persons have it stored (``Member.search``,
``DelegatedPerson.search``, one LIKE in the database); the cluster's meetings, resolutions,
groups and materials — tens to hundreds of rows — are read as (id, title) and folded here. One
query per kind whatever the cluster holds; at most ``LIMIT`` hits per kind."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from klaster.core.access import Grants, access_cluster
from klaster.core.models import Cluster
from klaster.governance.models import OrganKind, Resolution
from klaster.governance.selectors import meetings_for
from klaster.groups.models import GroupMaterial
from klaster.groups.selectors import sees_confidential, visible_groups
from klaster.kkk.models import ApplicationAttachment
from klaster.members.models import DelegatedPerson, Member
from klaster.rules import identifiers
from klaster.rules.text import fold

LIMIT = 10  # hits shown per kind
MIN_LENGTH = 2  # shorter text would match nearly everything
MAX_LENGTH = 100


def access_search(user: Any, slug: str) -> tuple[Cluster, Grants]:
    """The search page: every role of the cluster; what it finds is filtered per kind below."""
    return access_cluster(user, slug)


@dataclass(frozen=True)
class Hit:
    title: str
    url: str
    detail: str = ""


@dataclass
class Section:
    kind: str
    label: str | Promise
    hits: list[Hit] = field(default_factory=list)
    more: bool = False  # more than LIMIT found


def clean_query(raw: str | None) -> str:
    return " ".join((raw or "").split())[:MAX_LENGTH]


def _sees_register(grants: Grants) -> bool:
    """As ``members.access.access_registry`` (the office, organ members) for reading."""
    return grants.office or grants.organ_member


def _sees_meetings(grants: Grants) -> bool:
    """As ``governance.access.access_meetings``: not the forum."""
    return grants.office or grants.organ_member or grants.representative


def _cut(section: Section, hits: list[Hit]) -> Section:
    section.hits = hits[:LIMIT]
    section.more = len(hits) > LIMIT
    return section


def global_search(cluster: Cluster, grants: Grants, user: Any, q: str) -> list[Section]:
    """The sections with hits for ``q`` (empty ones left out), in a fixed order."""
    q = clean_query(q)
    if len(q) < MIN_LENGTH:
        return []
    needle = fold(q)
    slug = cluster.slug
    sections = [
        _members(cluster, grants, q, needle, slug),
        _people(cluster, grants, needle, slug),
        *_governance(cluster, grants, user, needle, slug),
        *_groups(cluster, grants, needle, slug),
        _attachments(cluster, grants, needle, slug),
    ]
    return [s for s in sections if s is not None and s.hits]


def _members(cluster: Cluster, grants: Grants, q: str, needle: str, slug: str) -> Section | None:
    qs = Member.objects.filter(cluster=cluster)
    if not _sees_register(grants):
        if not grants.member_ids:
            return None
        qs = qs.filter(pk__in=list(grants.member_ids))  # a representative: its own members
    cond = Q(search__contains=needle) | Q(key=q)
    nip = identifiers.lookup_nip(q)  # MEM-4: a NIP typed with dashes or "PL"
    if nip:
        cond |= Q(nip__startswith=nip)
    rows = qs.filter(cond).order_by("name", "id").values_list("id", "name", "city")[: LIMIT + 1]
    return _cut(
        Section("members", _("Members")),
        [Hit(name, reverse("member_detail", args=[slug, pk]), city) for pk, name, city in rows],
    )


def _people(cluster: Cluster, grants: Grants, needle: str, slug: str) -> Section | None:
    """Delegated persons (MEM-7), shown on their member's page: whoever may see that member."""
    qs = DelegatedPerson.objects.filter(member__cluster=cluster, erased__isnull=True)
    if not _sees_register(grants):
        if not grants.member_ids:
            return None
        qs = qs.filter(member_id__in=list(grants.member_ids))
    rows = (
        qs.filter(search__contains=needle)
        .order_by("name", "id")
        .values_list("name", "position", "member_id", "member__name")[: LIMIT + 1]
    )
    return _cut(
        Section("people", _("Delegated persons")),
        [
            Hit(
                name,
                reverse("member_detail", args=[slug, member_id]) + "#delegates",
                ", ".join(x for x in (position, member_name) if x),
            )
            for name, position, member_id, member_name in rows
        ],
    )


def _governance(
    cluster: Cluster, grants: Grants, user: Any, needle: str, slug: str
) -> list[Section]:
    if not _sees_meetings(grants):
        return []
    meetings = list(
        meetings_for(cluster, grants, user)
        .order_by("-date", "-id")
        .values_list("id", "title", "date")
    )
    visible = {pk for pk, _t, _d in meetings}
    found = [
        Hit(title, reverse("meeting_detail", args=[slug, pk]), f"{date:%d.%m.%Y}")
        for pk, title, date in meetings
        if needle in fold(title)
    ]
    out = [_cut(Section("meetings", _("Meetings")), found)]
    # the register of resolutions, as its page shows it to whoever sees meetings
    rows = (
        Resolution.objects.filter(cluster=cluster)
        .order_by("-year", "-number", "-id")
        .values_list("number", "year", "title", "meeting_id", "organ__kind")
    )
    register = reverse("resolution_list", args=[slug])
    hits = []
    organs = dict(OrganKind.choices)
    for number, year, title, meeting_id, organ in rows:
        label = f"{number}/{year}"
        if needle in fold(title) or needle in label:
            url = (
                reverse("meeting_detail", args=[slug, meeting_id])
                if meeting_id in visible
                else register
            )
            hits.append(Hit(f"{label} — {title}", url, str(organs.get(organ, organ))))
    out.append(_cut(Section("resolutions", _("Resolutions")), hits))
    return out


def _groups(cluster: Cluster, grants: Grants, needle: str, slug: str) -> list[Section]:
    """Working groups and their materials (GZW-4): a confidential group is not known outside
    it, a confidential material is seen by the group's members and the office only."""
    groups_qs, mine = visible_groups(cluster, grants, timezone.localdate())
    groups = list(groups_qs.values_list("id", "name"))
    group_hits = [
        Hit(name, reverse("group_detail", args=[slug, pk]))
        for pk, name in groups
        if needle in fold(name)
    ]
    names = dict(groups)
    materials = (
        GroupMaterial.objects.filter(group_id__in=list(names))
        .order_by("-created_at", "-id")
        .values_list("group_id", "title", "confidential")
    )
    material_hits = [
        Hit(title, reverse("group_detail", args=[slug, group_id]) + "#materials", names[group_id])
        for group_id, title, confidential in materials
        if (not confidential or sees_confidential(grants, group_id, mine)) and needle in fold(title)
    ]
    return [
        _cut(Section("groups", _("Working groups")), group_hits),
        _cut(Section("materials", _("Working group materials")), material_hits),
    ]


def _attachments(cluster: Cluster, grants: Grants, needle: str, slug: str) -> Section | None:
    """KKK application attachments: the office only (``kkk.access.access_attachment``)."""
    if not grants.office:
        return None
    rows = (
        ApplicationAttachment.objects.filter(application__cluster=cluster)
        .order_by("-uploaded_at", "-id")
        .values_list("id", "name", "kind")
    )
    return _cut(
        Section("attachments", _("KKK application attachments")),
        [
            Hit(name, reverse("kkk_attachment_download", args=[slug, pk]), kind)
            for pk, name, kind in rows
            if needle in fold(name)
        ],
    )
