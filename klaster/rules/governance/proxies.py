"""Proxies: deadline, cap, lapse, and the evaluation of all proxies for a meeting (GOV-4).

001 dec. 10: an absent member gives its vote to a natural person by e-mail to the
coordinator "2 days before the meeting". SPEC Reading: the e-mail must be received by the
end of the day two calendar days before the meeting's day (Europe/Warsaw); later ones are
refused. For a meeting on Thursday the last day is Tuesday: 23:59 on Tuesday is in time,
00:00 on Wednesday is late.

Cap (001 dec. 10a–c): a share of all votes in the organ, rounded down to whole votes, and a
count; the lower wins. SPEC Reading: the cap counts every vote the person casts, its own
member's included. Our reading on top: the cap is never below one vote — a person may
always cast its own member's vote; a share that rounds to 0 or 1 simply leaves no room for
proxies.

001 dec. 11: a proxy lapses when its giver takes part directly (in person or online).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from klaster.rules.calendar import end_of_day_exclusive, to_warsaw
from klaster.rules.governance._common import Explained, NotInStatute
from klaster.rules.governance._common import organ as organ_term
from klaster.rules.message import Msg, Term, define
from klaster.rules.statute import AttendanceMode, Organ, ProxyRule, StatuteProfile

RULE_ID = "GOV-4"

NO_PROXIES = define("proxy.not_in_statute", "voting proxies in {organ:loc}")
IN_TIME = define(
    "proxy.in_time",
    "Proxy received {received} (Warsaw time) in time: for the meeting on {meeting} it must reach "
    "the coordinator by the end of {last_day} ({days} calendar days before the meeting's day).",
)
LATE = define(
    "proxy.late",
    "Proxy received {received} (Warsaw time) too late: for the meeting on {meeting} it must reach "
    "the coordinator by the end of {last_day} ({days} calendar days before the meeting's day).",
)
CAP = define(
    "proxy.cap",
    "One person in {organ:loc} may cast at most {cap} {cap:vote|votes} (its own member's "
    "included): {share} of {entitled} votes is {share_votes} rounded down, the count limit is "
    "{count_cap}; the lower applies.",
)
CAP_FLOOR = define(
    "proxy.cap_floor",
    "One person in {organ:loc} may cast at most {cap} {cap:vote|votes} (its own member's "
    "included): {share} of {entitled} votes is {share_votes} rounded down, the count limit is "
    "{count_cap}; the lower applies. Its own vote is always allowed, so the limit is 1 — no "
    "proxies.",
)
MAY_ACCEPT = define(
    "proxy.may_accept",
    "May accept another proxy: after accepting, one person would hold {after} "
    "{after:vote|votes}, the limit is {limit}. {cap}",
)
MAY_NOT_ACCEPT = define(
    "proxy.may_not_accept",
    "May not accept another proxy: after accepting, one person would hold {after} "
    "{after:vote|votes}, the limit is {limit}. {cap}",
)
LAPSED = define(
    "proxy.lapsed",
    "The proxy has lapsed: its giver takes part in the meeting in person or online.",
)
IN_FORCE = define(
    "proxy.in_force", "The proxy stays in force: its giver does not take part directly."
)
NOT_PROVIDED = define("proxy.not_provided", "The statute provides no proxies in {organ:loc}.")
NOT_ENTITLED = define(
    "proxy.not_entitled",
    "The giver has no vote on that day — it cannot pass it on.",
)
SUPERSEDED = define("proxy.superseded", "Replaced by a later proxy from the same giver.")
ACCEPTED = define(
    "proxy.accepted", "Accepted: the holder casts {after} of the {cap} votes allowed."
)
WITHDRAWN = define("proxy.withdrawn", "Withdrawn by its giver.")
EVALUATION = define(
    "proxy.evaluation",
    "Proxies for the meeting of {organ:gen} on {day}: {accepted} of {total} accepted.",
)

DIRECT_MODES: frozenset[AttendanceMode] = frozenset({"in_person", "online"})


def _rule(profile: StatuteProfile, organ_key: Organ) -> ProxyRule:
    rule = profile.organ(organ_key).proxy
    if rule is None:
        raise NotInStatute(profile, Msg.of(NO_PROXIES, organ=organ_term(organ_key)), RULE_ID)
    return rule


# --- deadline ---


@dataclass(frozen=True, kw_only=True)
class ProxyDeadline(Explained):
    meeting_date: dt.date
    #: The last Warsaw day on which the proxy may arrive.
    last_day: dt.date
    #: The first instant that is too late (midnight after `last_day`, Warsaw).
    closes_at: dt.datetime
    received_at: dt.datetime
    in_time: bool


def proxy_last_day(profile: StatuteProfile, organ: Organ, meeting_date: dt.date) -> dt.date:
    return meeting_date - dt.timedelta(days=_rule(profile, organ).deadline_days_before)


def check_proxy_deadline(
    profile: StatuteProfile, organ: Organ, received_at: dt.datetime, meeting_date: dt.date
) -> ProxyDeadline:
    """Did the proxy reach the coordinator in time? `received_at` must be timezone-aware."""
    rule = _rule(profile, organ)
    received = to_warsaw(received_at)
    last_day = meeting_date - dt.timedelta(days=rule.deadline_days_before)
    closes_at = end_of_day_exclusive(last_day)
    in_time = received < closes_at
    message = Msg.of(
        IN_TIME if in_time else LATE,
        received=received,
        meeting=meeting_date,
        last_day=last_day,
        days=rule.deadline_days_before,
    )
    return ProxyDeadline(
        rule_id=RULE_ID,
        message=message,
        meeting_date=meeting_date,
        last_day=last_day,
        closes_at=closes_at,
        received_at=received,
        in_time=in_time,
    )


# --- cap ---


@dataclass(frozen=True, kw_only=True)
class ProxyCap(Explained):
    organ: Organ
    entitled: int
    share_cap: Fraction
    #: The share of all votes, rounded down to whole votes.
    share_votes: int
    count_cap: int
    #: Most votes one person may cast, its own member's included (never below 1).
    cap: int
    binding: Literal["share", "count"]


def proxy_cap(profile: StatuteProfile, organ: Organ, entitled: int) -> ProxyCap:
    rule = _rule(profile, organ)
    share_votes = math.floor(rule.share_cap * entitled)
    binding: Literal["share", "count"] = "share" if share_votes <= rule.count_cap else "count"
    cap = max(1, min(share_votes, rule.count_cap))
    message = Msg.of(
        CAP_FLOOR if cap > min(share_votes, rule.count_cap) else CAP,
        organ=Term("organ", organ),
        cap=cap,
        share=rule.share_cap,
        entitled=entitled,
        share_votes=share_votes,
        count_cap=rule.count_cap,
    )
    return ProxyCap(
        rule_id=RULE_ID,
        message=message,
        organ=organ,
        entitled=entitled,
        share_cap=rule.share_cap,
        share_votes=share_votes,
        count_cap=rule.count_cap,
        cap=cap,
        binding=binding,
    )


@dataclass(frozen=True, kw_only=True)
class ProxyCapCheck(Explained):
    cap: ProxyCap
    carried: int
    after: int
    may_accept: bool


def check_proxy_cap(
    profile: StatuteProfile, organ: Organ, entitled: int, carried: int
) -> ProxyCapCheck:
    """May a person who already casts `carried` votes (own member's included) take one more?"""
    if carried < 0:
        raise ValueError("Liczba głosów nie może być ujemna.")
    cap = proxy_cap(profile, organ, entitled)
    after = carried + 1
    ok = after <= cap.cap
    message = Msg.of(
        MAY_ACCEPT if ok else MAY_NOT_ACCEPT, after=after, limit=cap.cap, cap=cap.message
    )
    return ProxyCapCheck(
        rule_id=RULE_ID, message=message, cap=cap, carried=carried, after=after, may_accept=ok
    )


# --- lapse ---


@dataclass(frozen=True, kw_only=True)
class ProxyLapse(Explained):
    giver_mode: AttendanceMode
    lapsed: bool


def proxy_lapses(profile: StatuteProfile, organ: Organ, giver_mode: AttendanceMode) -> ProxyLapse:
    rule = _rule(profile, organ)
    lapsed = rule.lapses_on_attendance and giver_mode in DIRECT_MODES
    message = Msg.of(LAPSED if lapsed else IN_FORCE)
    return ProxyLapse(rule_id=RULE_ID, message=message, giver_mode=giver_mode, lapsed=lapsed)


# --- all proxies of one meeting ---

ProxyCode = Literal[
    "accepted", "not_provided", "not_entitled", "late", "superseded", "giver_attends", "over_cap"
]


@dataclass(frozen=True)
class ProxyGrant:
    proxy_id: str
    giver_id: str  # the member giving its vote
    holder_id: str  # the natural person receiving it
    received_at: dt.datetime


@dataclass(frozen=True, kw_only=True)
class ProxyDecision(Explained):
    proxy_id: str
    giver_id: str
    holder_id: str
    code: ProxyCode

    @property
    def accepted(self) -> bool:
        return self.code == "accepted"


@dataclass(frozen=True, kw_only=True)
class ProxyEvaluation(Explained):
    organ: Organ
    meeting_date: dt.date
    decisions: tuple[ProxyDecision, ...]
    #: Votes each holder casts: own member's plus accepted proxies.
    votes_by_holder: tuple[tuple[str, int], ...]

    @property
    def accepted(self) -> tuple[ProxyDecision, ...]:
        return tuple(d for d in self.decisions if d.accepted)

    @property
    def present_by_proxy(self) -> int:
        return len(self.accepted)


def evaluate_proxies(
    profile: StatuteProfile,
    organ: Organ,
    meeting_date: dt.date,
    entitled_ids: Collection[str],
    attendance: Mapping[str, AttendanceMode],
    proxies: Sequence[ProxyGrant],
    holder_own_votes: Mapping[str, int] | None = None,
) -> ProxyEvaluation:
    """Decide every proxy for one meeting, in order of receipt.

    `attendance` gives each member's own mode of presence (missing = absent);
    `holder_own_votes` the votes a holder casts for its own member (1 when it attends as the
    delegate of an entitled member). A giver's latest proxy received in time replaces its
    earlier ones (the latest expressed will counts). Caps are applied in order of receipt.
    """
    own = dict(holder_own_votes or {})
    ordered = sorted(proxies, key=lambda p: (to_warsaw(p.received_at), p.proxy_id))
    rule = profile.organ(organ).proxy
    decisions: dict[str, ProxyDecision] = {}

    def decide(p: ProxyGrant, code: ProxyCode, message: Msg) -> None:
        decisions[p.proxy_id] = ProxyDecision(
            rule_id=RULE_ID,
            message=message,
            proxy_id=p.proxy_id,
            giver_id=p.giver_id,
            holder_id=p.holder_id,
            code=code,
        )

    latest_in_time: dict[str, ProxyGrant] = {}
    for p in ordered:
        if rule is None:
            decide(p, "not_provided", Msg.of(NOT_PROVIDED, organ=Term("organ", organ)))
            continue
        if p.giver_id not in entitled_ids:
            decide(p, "not_entitled", Msg.of(NOT_ENTITLED))
            continue
        deadline = check_proxy_deadline(profile, organ, p.received_at, meeting_date)
        if not deadline.in_time:
            decide(p, "late", deadline.message)
            continue
        latest_in_time[p.giver_id] = p

    carried = dict(own)
    cap = proxy_cap(profile, organ, len(entitled_ids)) if rule is not None else None
    for p in ordered:
        if p.proxy_id in decisions:
            continue
        if latest_in_time.get(p.giver_id) is not p:
            decide(p, "superseded", Msg.of(SUPERSEDED))
            continue
        giver_mode = attendance.get(p.giver_id, "absent")
        lapse = proxy_lapses(profile, organ, giver_mode)
        if lapse.lapsed:
            decide(p, "giver_attends", lapse.message)
            continue
        assert cap is not None
        check = check_proxy_cap(profile, organ, len(entitled_ids), carried.get(p.holder_id, 0))
        if not check.may_accept:
            decide(p, "over_cap", check.message)
            continue
        carried[p.holder_id] = check.after
        decide(p, "accepted", Msg.of(ACCEPTED, after=check.after, cap=cap.cap))

    result = tuple(decisions[p.proxy_id] for p in ordered)
    accepted = sum(1 for d in result if d.accepted)
    return ProxyEvaluation(
        rule_id=RULE_ID,
        message=Msg.of(
            EVALUATION,
            organ=Term("organ", organ),
            day=meeting_date,
            accepted=accepted,
            total=len(result),
        ),
        organ=organ,
        meeting_date=meeting_date,
        decisions=result,
        votes_by_holder=tuple(sorted(carried.items())),
    )
