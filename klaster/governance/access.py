"""Who may see or change what in governance. Views and APIs call nothing else.

The office runs meetings; a meeting's chair runs that meeting; organ members see their organ's
meetings (by seat) and the General Assembly's; representatives see the meetings their member
takes part in, vote for it there, and file its objections; a proxy holder votes for the members
whose proxies it holds. Another cluster's users learn nothing (404).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS
from django.http import Http404

from klaster.core.access import Grants, access_cluster
from klaster.core.models import Cluster
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
    try:
        # the statute version too: every page of a meeting reads its situation (`meeting_situation`)
        meeting = Meeting.objects.select_related("organ", "cluster", "chair", "statute_version").get(
            cluster=cluster, pk=meeting_id)
    except Meeting.DoesNotExist:
        raise Http404 from None
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
    if meetings_for(meeting.cluster, grants, user).filter(pk=meeting.pk).exists() or holds_proxy(meeting, user):
        return
    raise PermissionDenied


def holds_proxy(meeting: Meeting, user) -> bool:
    return Proxy.objects.filter(meeting=meeting, holder_user=user, status=Proxy.Status.ACCEPTED).exists()


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
        meeting = Meeting.objects.select_related("organ", "cluster").get(cluster=cluster, pk=meeting_id)
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
    rows = list(
        Vote.objects.filter(pk=vote_id, meeting__cluster__slug=slug, meeting__cluster__roles__user_id=user.pk)
        .order_by().values_list("number", "title", "status", "meeting_id", "meeting__title", "meeting__date",
                                "meeting__cluster_id", "meeting__organ_id", "meeting__organ__kind",
                                "meeting__cluster__roles__role", "meeting__cluster__roles__member_id"))
    if not rows:
        raise Http404
    number, title, status, meeting_id, meeting_title, date, cluster_id, organ_id, kind = rows[0][:9]
    cluster = _loaded(Cluster, id=cluster_id, slug=slug)
    meeting = _loaded(Meeting, id=meeting_id, title=meeting_title, date=date, cluster_id=cluster_id,
                      organ_id=organ_id)
    meeting.cluster, meeting.organ = cluster, _loaded(Organ, id=organ_id, cluster_id=cluster_id, kind=kind)
    vote = _loaded(Vote, id=int(vote_id), meeting_id=meeting_id, number=number, title=title, status=status)
    vote.meeting = meeting
    grants = Grants(roles=frozenset(r[9] for r in rows), member_ids=frozenset(r[10] for r in rows if r[10] is not None))
    if takes_part(meeting, grants) or holds_proxy(meeting, user):
        return cluster, grants, vote
    raise PermissionDenied


def access_vote(user, slug: str, vote_id: int, *, for_write: bool = False):
    cluster, grants = access_meetings(user, slug)
    try:
        vote = Vote.objects.select_related("meeting__organ", "meeting__cluster").defer("snapshot").get(
            meeting__cluster=cluster, pk=vote_id)
    except Vote.DoesNotExist:
        raise Http404 from None
    # the vote's own meeting, found through this cluster's vote: no second look-up by id
    _check_meeting(vote.meeting, user, grants, for_write=for_write)
    return cluster, grants, vote


def access_objection(user, slug: str, vote_id: int):
    """Objections (GOV-5): a representative files for its own member; the office records any."""
    cluster, grants = access_cluster(user, slug)
    if not (grants.office or grants.member_ids):
        raise PermissionDenied
    try:
        vote = Vote.objects.select_related("meeting__organ", "meeting__cluster").defer("snapshot").get(
            meeting__cluster=cluster, pk=vote_id)
    except Vote.DoesNotExist:
        raise Http404 from None
    return cluster, grants, vote


def access_admission(user, slug: str, admission_id: int, *, for_write: bool = False):
    cluster, grants = access_governance(user, slug, for_write=for_write)
    try:
        admission = Admission.objects.select_related("candidate", "meeting").get(cluster=cluster, pk=admission_id)
    except Admission.DoesNotExist:
        raise Http404 from None
    return cluster, grants, admission


def access_mediation(user, slug: str, case_id: int, *, for_write: bool = False):
    cluster, grants = access_governance(user, slug, for_write=for_write)
    try:
        case = MediationCase.objects.get(cluster=cluster, pk=case_id)
    except MediationCase.DoesNotExist:
        raise Http404 from None
    return cluster, grants, case
