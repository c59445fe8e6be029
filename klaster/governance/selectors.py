"""Reads for governance: the statute profile of a meeting, who may vote (GOV-1), who is present and
represented now (GOV-2, GOV-4) — together a meeting's situation (`meeting_situation`: statute
version, roll, presence, quorum, computed once) — and the reports (GOV-6, GOV-8, GOV-9, GOV-13,
GOV-15).

Everything that decides is a call into `klaster.rules.governance`; these functions only gather
the facts from the database in a fixed number of queries, whatever the number of members.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from klaster.core.models import Cluster, ClusterRole, Role, StatuteProfileVersion
from klaster.core.say import say
from klaster.core.services import statute_profile_in_force, statute_version_on
from klaster.governance import hooks, literals
from klaster.governance.models import (
    AgendaItem,
    Attendance,
    AttendanceMode,
    IndividualMeeting,
    MediationCase,
    Meeting,
    Organ,
    OrganKind,
    Proxy,
    Seat,
    VotingRestriction,
)
from klaster.members.models import Member, MembershipEvent
from klaster.rules import governance as rules
from klaster.rules.membership import MembershipEvent as RuleEvent
from klaster.rules.membership import state_on
from klaster.rules.message import Msg
from klaster.rules.statute import StatuteProfile, StatuteProfileError, profile_from_dict

# GOV-8: the member types of MEM-3 as the groups of 000 §9.1. Reading: a science unit is
# "R&D and education"; "other" (e.g. a municipality) counts as a public authority.
TYPE_TO_GROUP = {
    "micro": "micro",
    "small": "small",
    "medium": "medium",
    "large": "large",
    "iob": "iob",
    "science": "rd_education",
    "other": "public_authority",
}


def profile_on(cluster: Cluster, on: dt.date) -> StatuteProfile:
    """The statute profile in force on `on` (SPEC §2: dated versions); refuses when none is."""
    profile = statute_profile_in_force(cluster, on)
    if profile is None:
        raise ValidationError(
            _(
                "The cluster has no statute version in force on {date}; the office sets one on the “Statute” page."
            ).format(date=f"{on:%d.%m.%Y}")
        )
    return profile


@dataclass(frozen=True)
class MeetingStatute:
    """The statute version a meeting is governed by, and its numbers."""

    version: StatuteProfileVersion
    profile: StatuteProfile
    #: False while the meeting has no version of its own yet (`version` is then the one in force
    #: on its day, which its first governance write pins: `services.meetings.meeting_statute_pin`).
    pinned: bool


def version_profile(version: StatuteProfileVersion) -> StatuteProfile:
    """The numbers of one stored version; a broken one is refused with the reason, not a 500."""
    try:
        return profile_from_dict(version.data)
    except (StatuteProfileError, ValueError, TypeError) as exc:
        raise ValidationError(
            f"Wersja statutu obowiązująca od {version.valid_from:%d.%m.%Y} (rewizja {version.revision}) "
            f"jest nieczytelna: {exc}"
        ) from None


def meeting_statute(meeting: Meeting) -> MeetingStatute:
    """The version the meeting was convened under — every governance decision about it (quorum,
    majority, proxies, roll) uses this, however many versions were added since. One lookup, then
    kept on the instance. A meeting without a version falls back to the one in force on its day."""
    cached: MeetingStatute | None = getattr(meeting, "_statute", None)
    if cached is not None and (
        cached.version.pk == meeting.statute_version_id
        if cached.pinned
        else meeting.statute_version_id is None
    ):
        return cached
    if meeting.statute_version_id is not None:
        pinned_version = (
            meeting.statute_version
        )  # select_related where the caller loaded the meeting
        assert pinned_version is not None  # statute_version_id is set
        version, pinned = pinned_version, True
    else:
        found = statute_version_on(meeting.cluster, meeting.date)
        if found is None:
            raise ValidationError(
                _(
                    "The cluster has no statute version in force on {date}; the office sets one on the “Statute” page."
                ).format(date=f"{meeting.date:%d.%m.%Y}")
            )
        version, pinned = found, False
    result = MeetingStatute(version, version_profile(version), pinned)
    meeting._statute = result  # type: ignore[attr-defined]
    return result


def meeting_profile(meeting: Meeting) -> StatuteProfile:
    """The numbers of the meeting's own statute version (`meeting_statute`)."""
    return meeting_statute(meeting).profile


def organs_of(cluster: Cluster) -> dict[str, Organ]:
    return {o.kind: o for o in Organ.objects.filter(cluster=cluster)}


# --- GOV-1: who may vote ---


def seats_on(organ: Organ, on: dt.date) -> QuerySet[Seat]:
    return (
        Seat.objects.filter(organ=organ, starts__lte=on)
        .filter(Q(ends__isnull=True) | Q(ends__gte=on))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
    )


def _standings(
    cluster: Cluster,
    on: dt.date,
    member_ids: Iterable[int] | None,
    profile: StatuteProfile | None = None,
) -> list[rules.MemberStanding]:
    members = Member.objects.filter(cluster=cluster)
    events_qs = MembershipEvent.objects.filter(member__cluster=cluster, date__lte=on)
    restrictions_qs = VotingRestriction.objects.filter(member__cluster=cluster)
    if member_ids is not None:
        ids = list(member_ids)
        members = members.filter(pk__in=ids)
        events_qs = events_qs.filter(member_id__in=ids)
        restrictions_qs = restrictions_qs.filter(member_id__in=ids)
    rows = list(members.values_list("id", "name", "category"))
    events: dict[int, list[RuleEvent]] = defaultdict(list)
    category_on: dict[int, str] = {}
    for mid, kind, date, seq, category in events_qs.order_by("date", "id").values_list(
        "member_id", "kind", "date", "id", "category"
    ):
        events[mid].append(RuleEvent(kind=kind, date=date, seq=seq))
        if kind == "category" and category:
            category_on[mid] = category
    restrictions: dict[int, dict[str, list[rules.Period]]] = defaultdict(lambda: defaultdict(list))
    for mid, kind, starts, ends in restrictions_qs.values_list(
        "member_id", "kind", "starts", "ends"
    ):
        restrictions[mid][kind].append(rules.Period(starts, ends))
    arrears = _arrears_on(cluster, on, member_ids if member_ids is None else ids, profile)
    out = []
    for mid, name, category in rows:
        evs = events.get(mid, [])
        state = state_on(evs, on)
        if state.status is None or state.joined is None:
            continue  # never a member by that day: not on the roll at all
        suspensions: tuple[rules.Period, ...] = ()
        if state.status == "suspended":
            start = max(e.date for e in evs if e.kind == "suspended")
            suspensions = (rules.Period(start, None),)
        left = state.left if state.status == "former" else None
        out.append(
            rules.MemberStanding(
                member_id=str(mid),
                name=name,
                category=literals.category(category_on.get(mid, category)),
                joined=state.joined,
                left=left,
                dues_exemptions=tuple(restrictions[mid]["dues_exempt"]),
                suspensions=suspensions,
                vote_withdrawals=tuple(restrictions[mid]["vote_withdrawn"]),
                arrears=arrears.get(mid, ()),
            )
        )
    return out


def _arrears_on(
    cluster: Cluster,
    on: dt.date,
    member_ids: list[int] | None,
    profile: StatuteProfile | None = None,
) -> dict[int, tuple[str, ...]]:
    """FIN-4 Reading through the money app's hook: documents past the profile's first limit
    (one query when nobody is late; `profile`: the meeting's own, else the one in force)."""
    if not hooks.has_arrears():
        return {}
    profile = profile or statute_profile_in_force(cluster, on)
    if profile is None or profile.arrears is None or not profile.dues_condition_vote:
        return {}
    return hooks.arrears_on(cluster, on, profile.arrears.first_notice_days, member_ids)


def organ_member_ids(organ: Organ, on: dt.date) -> list[int] | None:
    """The entities that sit in an organ on a day; None for the General Assembly (every member)."""
    if organ.kind == OrganKind.GA:
        return None
    return sorted(set(seats_on(organ, on).values_list("member_id", flat=True)))


def voting_roll_for(meeting: Meeting, profile: StatuteProfile | None = None) -> rules.VotingRoll:
    """GOV-1: every entity of the organ with its right to vote on the meeting's day, and why."""
    profile = profile or meeting_profile(meeting)
    ids = organ_member_ids(meeting.organ, meeting.date)
    standings = _standings(meeting.cluster, meeting.date, ids, profile)
    return rules.voting_roll(profile, standings, meeting.date)


# --- GOV-2 / GOV-4: presence now ---


def holder_key(proxy: Proxy) -> str:
    """One natural person, however the office typed the name: the account if known."""
    if proxy.holder_user_id:
        return f"u{proxy.holder_user_id}"
    return "n:" + " ".join(proxy.holder_name.lower().split())


@dataclass(frozen=True)
class PresenceNow:
    """Who is present and represented at this moment, with the proxy evaluation behind it."""

    roll: rules.VotingRoll
    modes: dict[int, str]  # member id -> in_person / online (direct presence only)
    proxies: list[Proxy]  # the accepted proxies, in the order they were received
    evaluation: rules.ProxyEvaluation | None
    represented: dict[int, Proxy] = field(default_factory=dict)  # giver id -> accepted proxy

    @property
    def entitled_ids(self) -> set[int]:
        return {int(i) for i in self.roll.entitled_ids}

    def presence(self) -> rules.Presence:
        entitled = self.entitled_ids
        in_person = sum(
            1 for m, mode in self.modes.items() if m in entitled and mode == "in_person"
        )
        online = sum(1 for m, mode in self.modes.items() if m in entitled and mode == "online")
        return rules.Presence(
            in_person=in_person,
            online=online,
            proxy=sum(1 for m in self.represented if m in entitled),
        )


def represented_members_of(cluster: Cluster, user_ids: Iterable[int]) -> dict[int, set[int]]:
    out: dict[int, set[int]] = defaultdict(set)
    for uid, mid in ClusterRole.objects.filter(
        cluster=cluster, role=Role.REPRESENTATIVE, user_id__in=list(user_ids)
    ).values_list("user_id", "member_id"):
        out[uid].add(mid)
    return out


DIRECT_MODES = (AttendanceMode.IN_PERSON, AttendanceMode.ONLINE)


def presence_now(
    meeting: Meeting,
    profile: StatuteProfile | None = None,
    roll: rules.VotingRoll | None = None,
    *,
    attendance: Iterable[Attendance] | None = None,
    proxies: Iterable[Proxy] | None = None,
) -> PresenceNow:
    """GOV-2 / GOV-4: who is present directly and who is represented by an accepted proxy (re-checked
    against both caps now). `attendance` and `proxies` are the meeting's rows when the caller has
    already loaded them (any mode, any status: only direct presence and accepted proxies count)."""
    profile = profile or meeting_profile(meeting)
    roll = roll or voting_roll_for(meeting, profile)
    if attendance is None:
        modes = dict(
            Attendance.objects.filter(meeting=meeting, mode__in=DIRECT_MODES).values_list(
                "member_id", "mode"
            )
        )
    else:
        modes = {a.member_id: a.mode for a in attendance if a.mode in DIRECT_MODES}
    if profile.organ(literals.organ(meeting.organ.kind)).proxy is None:
        # the statute gives this organ no proxies: none represents anyone, whatever was recorded
        return PresenceNow(roll, modes, [], None)
    if proxies is None:
        accepted = list(
            Proxy.objects.filter(meeting=meeting, status=Proxy.Status.ACCEPTED).order_by(
                "received_at", "id"
            )
        )
    else:
        accepted = sorted(
            (p for p in proxies if p.status == Proxy.Status.ACCEPTED),
            key=lambda p: (p.received_at, p.pk),
        )
    if not accepted:
        return PresenceNow(roll, modes, accepted, None)
    entitled_str = set(roll.entitled_ids)
    own = _holder_own_votes(meeting.cluster, accepted, modes, {int(i) for i in entitled_str})
    evaluation = rules.evaluate_proxies(
        profile,
        literals.organ(meeting.organ.kind),
        meeting.date,
        entitled_str,
        {str(m): literals.attendance_mode(mode) for m, mode in modes.items()},
        [
            rules.ProxyGrant(str(p.pk), str(p.giver_id), holder_key(p), p.received_at)
            for p in accepted
        ],
        own,
    )
    by_id = {str(p.pk): p for p in accepted}
    represented = {int(d.giver_id): by_id[d.proxy_id] for d in evaluation.accepted}
    return PresenceNow(roll, modes, accepted, evaluation, represented)


@dataclass(frozen=True)
class MeetingSituation:
    """A meeting's situation now, computed once and passed on (STYLE "Compute once, pass the
    result"): the statute version it is governed by, its voting roll (GOV-1), who is present and
    represented (GOV-2, GOV-4) and the quorum (GOV-2). Opening a vote, closing the meeting, the
    chair's live feed and the meeting page all take this object; none derives the chain itself."""

    meeting: Meeting
    statute: MeetingStatute
    roll: rules.VotingRoll
    now: PresenceNow
    presence: rules.Presence
    #: None when the statute gives no figure (e.g. a second term it does not provide): then
    #: `quorum_problem` says why (the rule's message; rendered by `quorum_reason`).
    quorum: rules.QuorumResult | None
    quorum_problem: Msg | str
    #: The meeting's attendance rows the presence was read from (every mode, unordered).
    attendance: tuple[Attendance, ...]

    @property
    def profile(self) -> StatuteProfile:
        return self.statute.profile

    @property
    def entitled_ids(self) -> set[int]:
        return self.now.entitled_ids

    @property
    def represented(self) -> dict[int, Proxy]:
        return self.now.represented

    @property
    def quorum_met(self) -> bool:
        return self.quorum is not None and self.quorum.met

    @property
    def quorum_reason(self) -> str:
        """The quorum in words, in the active language."""
        return say(self.quorum.message if self.quorum is not None else self.quorum_problem)


def meeting_situation(
    meeting: Meeting,
    *,
    attendance: Iterable[Attendance] | None = None,
    proxies: Iterable[Proxy] | None = None,
) -> MeetingSituation:
    """The situation of `meeting` now: its statute version (`meeting_statute`: the pinned one, or
    the one in force on its day), the roll, presence and quorum. A fixed number of queries whatever
    the number of members: the roll's three (four for an organ with seats), the attendance and the
    accepted proxies — each skipped when the caller passes the rows it has already loaded (locked,
    or with what its page shows) — and the proxy holders' own members when there are proxies.
    Refused with a ValidationError when the cluster has no statute version for the meeting's day."""
    statute = meeting_statute(meeting)
    profile = statute.profile
    roll = voting_roll_for(meeting, profile)
    rows = tuple(Attendance.objects.filter(meeting=meeting) if attendance is None else attendance)
    now = presence_now(meeting, profile, roll, attendance=rows, proxies=proxies)
    presence = now.presence()
    organ = literals.organ(meeting.organ.kind)
    try:
        quorum: rules.QuorumResult | None = rules.quorum(
            profile, organ, roll.entitled, presence, meeting.term
        )
        problem: Msg | str = ""
    except rules.NotInStatute as exc:  # the statute has no such figure (a second term)
        quorum, problem = None, exc.message
    except ValueError as exc:
        quorum, problem = None, str(exc)
    return MeetingSituation(meeting, statute, roll, now, presence, quorum, problem, rows)


def _holder_own_votes(
    cluster: Cluster, proxies: list[Proxy], modes: dict[int, str], entitled: set[int]
) -> dict[str, int]:
    """GOV-4 reading: the cap counts the holder's own member's vote when it attends directly."""
    users = {p.holder_user_id for p in proxies if p.holder_user_id}
    reps = represented_members_of(cluster, users)
    return {
        f"u{uid}": sum(1 for m in reps.get(uid, ()) if m in entitled and m in modes)
        for uid in users
    }


# --- lists ---


def meetings_for(cluster: Cluster, grants, user) -> QuerySet[Meeting]:
    """Meetings a user may see: the office all; others the General Assembly's, their organs' (by
    seat) and the ones they chair; representatives also their member's organs."""
    qs = Meeting.objects.filter(cluster=cluster).select_related("organ", "chair")
    if grants.office:
        return qs
    today = timezone.localdate()
    seat_q = Q(organ__seats__user=user) & (
        Q(organ__seats__ended_on__isnull=True) | Q(organ__seats__ended_on__gte=today)
    )
    member_q = (
        Q(organ__seats__member_id__in=list(grants.member_ids))
        if grants.member_ids
        else Q(pk__in=[])
    )
    return qs.filter(Q(organ__kind=OrganKind.GA) | Q(chair=user) | seat_q | member_q).distinct()


def meeting_list(cluster: Cluster, grants, user) -> list[Meeting]:
    """The list page: one query for the meetings with their counts, whatever their number."""
    return list(
        meetings_for(cluster, grants, user)
        .annotate(
            n_votes=Count("votes", distinct=True),
            n_present=_attendance_count(
                [AttendanceMode.IN_PERSON, AttendanceMode.ONLINE, AttendanceMode.PROXY]
            ),
            n_listed=_attendance_count(None),
        )
        .order_by("-date", "-id")
    )


def _attendance_count(modes: list[str] | None) -> Coalesce:
    """A meeting's attendance rows (in `modes`, or all), as a subquery: no join beside the votes'."""
    rows = Attendance.objects.filter(meeting=OuterRef("pk"))
    if modes is not None:
        rows = rows.filter(mode__in=modes)
    counted = rows.order_by().values("meeting").annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted), 0)


def attendance_history(meetings: list[Meeting], limit: int = 8) -> list[Meeting]:
    """Issue 9 point 9: the last `limit` closed General Assemblies of `meeting_list`, oldest first,
    with their `n_present` (in person, online, by proxy) and `n_listed` (the whole list)."""
    closed = [
        m
        for m in meetings
        if m.status == Meeting.Status.CLOSED
        and m.organ.kind == OrganKind.GA
        and getattr(m, "n_listed", 0) > 0
    ]
    return list(reversed(closed[:limit]))


def pending_agenda(organ: Organ) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(organ=organ, meeting__isnull=True)


def next_meeting(organ: Organ, after: dt.date) -> Meeting | None:
    return (
        Meeting.objects.filter(organ=organ, date__gt=after)
        .exclude(status=Meeting.Status.CLOSED)
        .order_by("date", "id")
        .first()
    )


# --- reports ---


def seat_report(cluster: Cluster, on: dt.date) -> dict[str, Any]:
    """GOV-8 / GOV-9: seats due from the member count, seats held, missing groups, Board cadence,
    presidia and what they lack; GOV-7: the ordinary and reporting-electoral GA calendar."""
    profile = profile_on(cluster, on)
    organs = organs_of(cluster)
    members = sum(1 for s in _standings(cluster, on, None) if s.left is None)
    out: dict[str, Any] = {"profile": profile, "members": members}
    for kind in ("council", "board"):
        organ = organs.get(kind)
        seats = list(seats_on(organ, on).select_related("person", "member")) if organ else []
        groups = [
            TYPE_TO_GROUP.get(s.member.type, "") for s in seats if s.kind == Seat.Kind.ELECTED
        ]
        out[kind] = {
            "organ": organ,
            "count": rules.seat_count(profile, kind, members),
            "seats": seats,
            "groups": rules.missing_groups(profile, kind, groups),
        }
    board = organs.get("board")
    if board is not None:
        dates = list(Meeting.objects.filter(organ=board).values_list("date", flat=True))
        since = min(dates) if dates else on.replace(day=1)
        out["cadence"] = rules.board_cadence(profile, dates, since, on)
    coordinator_id = cluster.coordinator_id
    for kind in ("council_presidium", "board_presidium"):
        organ = organs.get(kind)
        seats = list(seats_on(organ, on).select_related("person", "member")) if organ else []
        out[kind] = seats
        out[f"{kind}_composition"] = rules.presidium_composition(
            profile,
            literals.presidium_organ(kind),
            [rules.PresidiumSeat(s.kind, s.member_id == coordinator_id) for s in seats],
        )
    ga = organs.get("ga")
    ga_meetings = list(Meeting.objects.filter(organ=ga).values_list("date", "kind")) if ga else []
    out["ga_calendar"] = rules.ga_calendar(profile, on, ga_meetings)
    return out


def attendance_records(cluster: Cluster) -> list[rules.AttendanceRecord]:
    """GOV-6: one record per attendee and closed meeting (members for the GA, seat holders for the
    Council and the Board), absences included — written when a meeting is closed."""
    records = []
    for kind, date, member_id, person_id, mode in Attendance.objects.filter(
        meeting__cluster=cluster, meeting__status=Meeting.Status.CLOSED
    ).values_list("meeting__organ__kind", "meeting__date", "member_id", "person_id", "mode"):
        if kind == OrganKind.GA:
            records.append(
                rules.AttendanceRecord(
                    f"m{member_id}", literals.organ(kind), date, literals.attendance_mode(mode)
                )
            )
        elif kind in (OrganKind.COUNCIL, OrganKind.BOARD) and person_id:
            records.append(
                rules.AttendanceRecord(
                    f"p{person_id}", literals.organ(kind), date, literals.attendance_mode(mode)
                )
            )
    return records


def attendance_duties(cluster: Cluster, on: dt.date) -> list[rules.AttendanceStatus]:
    return list(
        rules.attendance_shortfalls(profile_on(cluster, on), attendance_records(cluster), on)
    )


def attendee_names(cluster: Cluster) -> dict[str, str]:
    from klaster.members.models import DelegatedPerson

    names = {
        f"m{i}": n for i, n in Member.objects.filter(cluster=cluster).values_list("id", "name")
    }
    for pid, name, member in DelegatedPerson.objects.filter(member__cluster=cluster).values_list(
        "id", "name", "member__name"
    ):
        names[f"p{pid}"] = f"{name} ({member})"
    return names


def members_not_met(cluster: Cluster, on: dt.date) -> list[tuple[Member, rules.NotMet]]:
    """GOV-15: members the coordinator has not met within the statute's period."""
    profile = profile_on(cluster, on)
    met: dict[int, list[dt.date]] = defaultdict(list)
    for mid, day in IndividualMeeting.objects.filter(cluster=cluster).values_list(
        "member_id", "met_on"
    ):
        met[mid].append(day)
    standings = [s for s in _standings(cluster, on, None) if s.left is None]
    contacts = [
        rules.MemberContacts(s.member_id, s.joined, tuple(met.get(int(s.member_id), ())))
        for s in standings
        if int(s.member_id) != cluster.coordinator_id
    ]
    try:
        result = rules.members_not_met(profile, contacts, on)
    except rules.NotInStatute:
        # e.g. `infotech`: 000 sets no yearly individual meetings — say so on the page, not a 500.
        raise ValidationError(
            _(
                "The cluster's statute (profile “{profile}”) sets no duty of yearly meetings of the "
                "coordinator with members, so nobody is behind with a meeting. Meetings can still "
                "be recorded."
            ).format(profile=profile.name)
        ) from None
    members = Member.objects.in_bulk([int(r.member_id) for r in result])
    return [(members[int(r.member_id)], r) for r in result]


def mediation_status(case: MediationCase, on: dt.date) -> rules.MediationCase:
    profile = profile_on(case.cluster, case.reported_on)
    organ = Organ.objects.filter(cluster=case.cluster, kind=OrganKind.COUNCIL_PRESIDIUM).first()
    presidium = (
        [str(p) for p in seats_on(organ, on).values_list("person_id", flat=True)] if organ else []
    )
    involved = {str(p.pk) for p in case.involved_persons.all()}
    return rules.mediation_case(
        profile, case.reported_on, presidium, involved, on, resolved=case.resolved_on is not None
    )


# The ballot's hot path uses klaster.core.db.hot_cursor (statements planned once per connection).
