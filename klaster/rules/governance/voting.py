"""Who may vote at a meeting, decided as of the meeting's date (GOV-1).

One entity, one vote (001 dec. 2). Under a profile with `dues_condition_vote` (evoluma,
001 dec. 1 and fin. 4) only dues-paying partners and strategic partners vote: a member
exempted from dues loses the vote but may attend and speak. A suspended member takes no
part at all (001 "Zawieszenie" 2). A vote withdrawn by an organ's decision (001 dec. 6 for
attendance, fin. 5 for arrears) is recorded as a dated withdrawal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from klaster.rules.governance._common import Explained
from klaster.rules.message import Msg, define
from klaster.rules.statute import Category, StatuteProfile

RULE_ID = "GOV-1"

NOT_MEMBER = define("voting.not_member", "Not a member of the cluster on {day}.")
UNTIL = define("voting.until", "until {day}")
INDEFINITELY = define("voting.indefinitely", "indefinitely")
SUSPENDED = define(
    "voting.suspended",
    "Membership suspended from {start} {until}: no vote and no part in meetings.",
)
DUES_EXEMPT = define(
    "voting.dues_exempt",
    "Exempt from dues from {start} {until}: no vote, may attend and speak in an advisory capacity.",
)
VOTE_WITHDRAWN = define(
    "voting.vote_withdrawn",
    "Vote withdrawn by an organ's decision from {start} {until}: may attend without a vote.",
)
STRATEGIC_PARTNER = define("voting.strategic_partner", "Strategic Partner: one member, one vote.")
PARTNER_PAYING = define("voting.partner_paying", "Partner paying dues: one member, one vote.")
PARTNER = define("voting.partner", "Partner: one member, one vote.")
ARREARS = define(
    "voting.arrears",
    "Not paying dues on {day}: {numbers} more than {limit} {limit:day|days} past due; "
    "may attend and speak, the vote returns with payment.",
)
ROLL = define("voting.roll", "Entitled to vote on {day}: {entitled} of {total}.")

RightCode = Literal[
    "not_member",
    "suspended",
    "dues_exempt",
    "arrears",
    "vote_withdrawn",
    "partner",
    "strategic_partner",
]


@dataclass(frozen=True)
class Period:
    """Days from `start` to `end`, both included; `end` None means still running."""

    start: dt.date
    end: dt.date | None = None

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class MemberStanding:
    member_id: str
    name: str
    category: Category
    joined: dt.date
    #: First day on which it is no longer a member (000 §6.3: the day the resignation arrives).
    left: dt.date | None = None
    dues_exemptions: tuple[Period, ...] = ()
    suspensions: tuple[Period, ...] = ()
    vote_withdrawals: tuple[Period, ...] = ()
    #: Documents more than the statute's first-notice days past due on the day (FIN-4 Reading),
    #: read from the ledger by the money app; empty without it.
    arrears: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class VotingRight(Explained):
    member_id: str
    name: str
    on: dt.date
    code: RightCode
    may_vote: bool
    may_attend: bool
    may_speak: bool


@dataclass(frozen=True, kw_only=True)
class VotingRoll(Explained):
    on: dt.date
    rights: tuple[VotingRight, ...]

    @property
    def entitled_ids(self) -> tuple[str, ...]:
        return tuple(r.member_id for r in self.rights if r.may_vote)

    @property
    def entitled(self) -> int:
        return len(self.entitled_ids)


def _covering(periods: Iterable[Period], on: dt.date) -> Period | None:
    return next((p for p in periods if p.covers(on)), None)


def _until(period: Period) -> Msg:
    return Msg.of(UNTIL, day=period.end) if period.end else Msg.of(INDEFINITELY)


def voting_right(profile: StatuteProfile, member: MemberStanding, on: dt.date) -> VotingRight:
    """The member's right to vote, attend and speak on `on`, with the reason."""

    def right(code: RightCode, vote: bool, attend: bool, message: Msg) -> VotingRight:
        return VotingRight(
            rule_id=RULE_ID,
            message=message,
            member_id=member.member_id,
            name=member.name,
            on=on,
            code=code,
            may_vote=vote,
            may_attend=attend,
            may_speak=attend,
        )

    if on < member.joined or (member.left is not None and on >= member.left):
        return right("not_member", False, False, Msg.of(NOT_MEMBER, day=on))
    suspension = _covering(member.suspensions, on)
    if suspension is not None:
        # 001 "Zawieszenie" 2: "w okresie zawieszenia nie uczestniczy w życiu Klastra".
        return right(
            "suspended",
            False,
            False,
            Msg.of(SUSPENDED, start=suspension.start, until=_until(suspension)),
        )
    exemption = _covering(member.dues_exemptions, on)
    if exemption is not None and profile.dues_condition_vote:
        # 001 fin. 4: exemption from dues = no vote, but attendance and an advisory voice.
        return right(
            "dues_exempt",
            False,
            True,
            Msg.of(DUES_EXEMPT, start=exemption.start, until=_until(exemption)),
        )
    if member.arrears and profile.dues_condition_vote and profile.arrears is not None:
        # FIN-4 Reading: "members paying dues" excludes one more than N days past due.
        return right(
            "arrears",
            False,
            True,
            Msg.of(
                ARREARS,
                day=on,
                numbers=", ".join(member.arrears),
                limit=profile.arrears.first_notice_days,
            ),
        )
    withdrawal = _covering(member.vote_withdrawals, on)
    if withdrawal is not None:
        return right(
            "vote_withdrawn",
            False,
            True,
            Msg.of(VOTE_WITHDRAWN, start=withdrawal.start, until=_until(withdrawal)),
        )
    if member.category == "strategic_partner":
        return right("strategic_partner", True, True, Msg.of(STRATEGIC_PARTNER))
    return right(
        "partner", True, True, Msg.of(PARTNER_PAYING if profile.dues_condition_vote else PARTNER)
    )


def voting_roll(
    profile: StatuteProfile, members: Iterable[MemberStanding], on: dt.date
) -> VotingRoll:
    """Every member's right on `on`; `entitled` is the count every quorum and majority uses.

    For a Council or Board meeting pass the members whose delegates hold seats there.
    """
    rights = tuple(voting_right(profile, m, on) for m in members)
    ids = [r.member_id for r in rights]
    if len(ids) != len(set(ids)):
        raise ValueError("Ten sam członek podany więcej niż raz na liście uprawnionych.")
    entitled = sum(1 for r in rights if r.may_vote)
    return VotingRoll(
        rule_id=RULE_ID,
        message=Msg.of(ROLL, day=on, entitled=entitled, total=len(rights)),
        on=on,
        rights=rights,
    )
