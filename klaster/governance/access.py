"""Who may see or change what in governance. Views and APIs call nothing else.

The office runs meetings; a meeting's chair runs that meeting; organ members see their organ's
meetings (by seat) and the General Assembly's; representatives see the meetings their member
takes part in, vote for it there, and file its objections; a proxy holder votes for the members
whose proxies it holds. Another cluster's users learn nothing (404).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS, connection
from django.http import Http404

from klaster.core.access import Grants, access_cluster, get_in_cluster
from klaster.core.db import hot_cursor
from klaster.core.models import Cluster, ClusterRole
from klaster.governance.models import (
    Admission,
    MediationCase,
    Meeting,
    Organ,
    OrganKind,
    Proxy,
    Vote,
)
from klaster.governance.selectors import meetings_for, organ_member_ids


def access_governance(user, slug: str, *, for_write: bool = False) -> tuple[Cluster, Grants]:
    """Organs, seats, elections, reports (GOV-6 … GOV-15): the office; organ members read."""
    cluster, grants = access_cluster(user, slug, for_write=for_write)
    if grants.office or (grants.organ_member and not for_write):
        return cluster, grants
    raise PermissionDenied


def access_declarations(user, slug: str, *, for_write: bool = False) -> tuple[Cluster, Grants]:
    """Declarations (GOV-11): the office records and resends any; organ members read them; a
    representative files for its own member's delegated persons and sees only theirs
    (`declaration_persons_for` narrows what it may pick)."""
    cluster, grants = access_cluster(user, slug)
    if grants.office or grants.member_ids or (grants.organ_member and not for_write):
        return cluster, grants
    raise PermissionDenied


def declaration_member_ids(grants: Grants) -> frozenset[int] | None:
    """The members whose persons' declarations a user files and sees; None: all (office, organs)."""
    return None if grants.office or grants.organ_member else grants.member_ids


def access_meetings(user, slug: str) -> tuple[Cluster, Grants]:
    """The meeting list: the office, organ members and representatives; not the forum."""
    cluster, grants = access_cluster(user, slug)
    if grants.office or grants.organ_member or grants.representative:
        return cluster, grants
    raise PermissionDenied


def may_run(meeting: Meeting, user, grants: Grants) -> bool:
    return grants.office or (meeting.chair_id is not None and meeting.chair_id == user.pk)


def access_meeting(user, slug: str, meeting_id: int, *, for_write: bool = False):
    """A meeting: runs it (for_write) the office or its chair; sees it whoever takes part."""
    cluster, grants = access_meetings(user, slug)
    # the statute version too: every page of a meeting reads its situation (`meeting_situation`)
    meeting = get_in_cluster(
        Meeting.objects.select_related("organ", "cluster", "chair", "statute_version"),
        cluster,
        pk=meeting_id,
    )
    _check_meeting(meeting, user, grants, for_write=for_write)
    return cluster, grants, meeting


def _check_meeting(meeting: Meeting, user, grants: Grants, *, for_write: bool) -> None:
    """What `access_meeting` decides for a meeting already looked up within the cluster."""
    if may_run(meeting, user, grants):
        return
    if for_write:
        raise PermissionDenied
    if meeting.organ.kind == OrganKind.GA:
        return  # whoever sees meetings at all (`access_meetings`) sees the General Assembly's (`meetings_for`)
    if meetings_for(meeting.cluster, grants, user).filter(pk=meeting.pk).exists() or holds_proxy(
        meeting, user
    ):
        return
    raise PermissionDenied


def holds_proxy(meeting: Meeting, user) -> bool:
    return Proxy.objects.filter(
        meeting=meeting, holder_user=user, status=Proxy.Status.ACCEPTED
    ).exists()


def takes_part(meeting: Meeting, grants: Grants) -> bool:
    """Whether a representative's member is in the meeting's organ: every member is in the General
    Assembly; the Council, the Board and the presidia are the members holding a seat on its day."""
    if not grants.member_ids:
        return False
    seated = organ_member_ids(meeting.organ, meeting.date)
    return seated is None or bool(grants.member_ids & set(seated))


def access_ballot_page(user, slug: str, meeting_id: int):
    """A member's own voting page: the representatives of a member that takes part in the meeting's
    organ, and holders of an accepted proxy for it. Another organ's meeting (a Board meeting for a
    member without a Board seat) is refused as any meeting one does not take part in (403)."""
    cluster, grants = access_cluster(user, slug)
    try:
        meeting = Meeting.objects.select_related("organ", "cluster").get(
            cluster=cluster, pk=meeting_id
        )
    except Meeting.DoesNotExist:
        raise Http404 from None
    if takes_part(meeting, grants) or holds_proxy(meeting, user):
        return cluster, grants, meeting
    raise PermissionDenied


def _loaded(model, **values):
    """An instance of `model` as the ORM builds it from a row with only these columns (the others
    deferred: read on access, as `.only()` leaves them)."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(DEFAULT_DB_ALIAS, names, [values[n] for n in names])


#: The largest id there can be (a 64-bit primary key).
_MAX_ID = 2**63 - 1


def _ballot_access_rows(user_id, slug: str, vote_id: int) -> list[tuple]:
    """The row(s) `access_ballot` reads, one per role of the user in the vote's cluster. Raw SQL,
    not the ORM: this is the first statement of every ballot, and building the four joins through
    the ORM's query machinery was the largest piece of the ballot's own Python time in the
    benchmark's server (py-spy, benchmarks/bench_governance.py). The statement is the one the ORM
    built, table names from the models, every value a parameter; on PostgreSQL it is prepared
    once per connection (`hot_cursor`)."""
    qn = connection.ops.quote_name
    vote, meeting, cluster, role, organ = (
        qn(m._meta.db_table) for m in (Vote, Meeting, Cluster, ClusterRole, Organ)
    )
    sql = (
        f"SELECT v.number, v.title, v.status, v.meeting_id, m.title, m.date, m.cluster_id, m.organ_id, o.kind, "  # noqa: S608
        f"r.role, r.member_id FROM {vote} v INNER JOIN {meeting} m ON v.meeting_id = m.id "
        f"INNER JOIN {cluster} c ON m.cluster_id = c.id INNER JOIN {role} r ON c.id = r.cluster_id "
        f"INNER JOIN {organ} o ON m.organ_id = o.id WHERE r.user_id = %s AND c.slug = %s AND v.id = %s"
    )
    with hot_cursor() as cur:  # planned once per connection on PostgreSQL
        cur.execute(sql, [user_id, slug, vote_id])
        rows = cur.fetchall()
    if rows and connection.vendor == "sqlite":  # a date as text, should a converter not read it
        date = rows[0][5]
        if isinstance(date, str):
            rows = [(*r[:5], dt.date.fromisoformat(date), *r[6:]) for r in rows]
    return rows


def access_ballot(user, slug: str, vote_id: int) -> tuple[Cluster, Grants, Vote]:
    """The ballot API — the path a thousand voters take at once, so one query: the vote within
    the cluster, its meeting and organ, joined to the user's roles in that cluster (one row per
    role: the rows `grants_for` reads). No row: an unknown vote, or a user with no role in the
    cluster, who learns nothing (404, as `access_cluster` says). Allowed to whoever may use the
    member's voting page of its meeting (`access_ballot_page`: `takes_part` — one query more for
    an organ with seats — or `holds_proxy`); `ballot_cast` then decides for which members.

    The vote, meeting, organ and cluster returned carry only the columns read here (the others
    load if asked for): building them through the ORM's joins and deferred loading cost more than
    all the rest of a ballot."""
    try:
        vote_id = int(vote_id)
    except (TypeError, ValueError):
        raise Http404 from None
    if (
        not 0 < vote_id <= _MAX_ID
    ):  # the ORM answers "none" for an id beyond the column; a raw statement fails
        raise Http404
    rows = _ballot_access_rows(user.pk, slug, vote_id)
    if not rows:
        raise Http404
    number, title, status, meeting_id, meeting_title, date, cluster_id, organ_id, kind = rows[0][:9]
    cluster = _loaded(Cluster, id=cluster_id, slug=slug)
    meeting = _loaded(
        Meeting,
        id=meeting_id,
        title=meeting_title,
        date=date,
        cluster_id=cluster_id,
        organ_id=organ_id,
    )
    meeting.cluster, meeting.organ = (
        cluster,
        _loaded(Organ, id=organ_id, cluster_id=cluster_id, kind=kind),
    )
    vote = _loaded(
        Vote, id=int(vote_id), meeting_id=meeting_id, number=number, title=title, status=status
    )
    vote.meeting = meeting
    grants = Grants(
        roles=frozenset(r[9] for r in rows),
        member_ids=frozenset(r[10] for r in rows if r[10] is not None),
    )
    if takes_part(meeting, grants) or holds_proxy(meeting, user):
        return cluster, grants, vote
    raise PermissionDenied


def _vote_in(cluster: Cluster, vote_id: int) -> Vote:
    """A vote of the cluster with its meeting and organ (its snapshot left unread), or Http404."""
    return get_in_cluster(
        Vote.objects.select_related("meeting__organ", "meeting__cluster").defer("snapshot"),
        cluster,
        via="meeting__cluster",
        pk=vote_id,
    )


def access_vote(user, slug: str, vote_id: int, *, for_write: bool = False):
    cluster, grants = access_meetings(user, slug)
    vote = _vote_in(cluster, vote_id)
    # the vote's own meeting, found through this cluster's vote: no second look-up by id
    _check_meeting(vote.meeting, user, grants, for_write=for_write)
    return cluster, grants, vote


def access_objection(user, slug: str, vote_id: int):
    """Objections (GOV-5): a representative files for its own member; the office records any."""
    cluster, grants = access_cluster(user, slug)
    if not (grants.office or grants.member_ids):
        raise PermissionDenied
    vote = _vote_in(cluster, vote_id)
    return cluster, grants, vote


def access_admission(user, slug: str, admission_id: int, *, for_write: bool = False):
    cluster, grants = access_governance(user, slug, for_write=for_write)
    return (
        cluster,
        grants,
        get_in_cluster(
            Admission.objects.select_related("candidate", "meeting"), cluster, pk=admission_id
        ),
    )


def access_mediation(user, slug: str, case_id: int, *, for_write: bool = False):
    cluster, grants = access_governance(user, slug, for_write=for_write)
    return cluster, grants, get_in_cluster(MediationCase, cluster, pk=case_id)
