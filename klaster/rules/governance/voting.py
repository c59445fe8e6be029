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

from klaster.rules.governance._common import Explained, date_text
from klaster.rules.statute import Category, StatuteProfile

RULE_ID = "GOV-1"

RightCode = Literal[
    "not_member", "suspended", "dues_exempt", "vote_withdrawn", "partner", "strategic_partner"
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


def _until(period: Period) -> str:
    return f"do {date_text(period.end)}" if period.end else "bezterminowo"


def voting_right(profile: StatuteProfile, member: MemberStanding, on: dt.date) -> VotingRight:
    """The member's right to vote, attend and speak on `on`, with the reason."""

    def right(code: RightCode, vote: bool, attend: bool, reason: str) -> VotingRight:
        return VotingRight(
            rule_id=RULE_ID,
            reason=reason,
            member_id=member.member_id,
            name=member.name,
            on=on,
            code=code,
            may_vote=vote,
            may_attend=attend,
            may_speak=attend,
        )

    if on < member.joined or (member.left is not None and on >= member.left):
        return right(
            "not_member", False, False, f"W dniu {date_text(on)} nie jest członkiem klastra."
        )
    suspension = _covering(member.suspensions, on)
    if suspension is not None:
        # 001 "Zawieszenie" 2: "w okresie zawieszenia nie uczestniczy w życiu Klastra".
        return right(
            "suspended",
            False,
            False,
            f"Członkostwo zawieszone od {date_text(suspension.start)} {_until(suspension)}: "
            "bez prawa głosu i udziału w posiedzeniach.",
        )
    exemption = _covering(member.dues_exemptions, on)
    if exemption is not None and profile.dues_condition_vote:
        # 001 fin. 4: exemption from dues = no vote, but attendance and an advisory voice.
        return right(
            "dues_exempt",
            False,
            True,
            f"Zwolniony ze składek od {date_text(exemption.start)} {_until(exemption)}: "
            "bez prawa głosu, może uczestniczyć i zabierać głos doradczy.",
        )
    withdrawal = _covering(member.vote_withdrawals, on)
    if withdrawal is not None:
        return right(
            "vote_withdrawn",
            False,
            True,
            f"Prawo głosu odebrane decyzją organu od {date_text(withdrawal.start)} "
            f"{_until(withdrawal)}: może uczestniczyć bez prawa głosu.",
        )
    if member.category == "strategic_partner":
        return right(
            "strategic_partner", True, True, "Partner Strategiczny: jeden podmiot, jeden głos."
        )
    reason = (
        "Partner opłacający składkę: jeden podmiot, jeden głos."
        if profile.dues_condition_vote
        else "Partner: jeden podmiot, jeden głos."
    )
    return right("partner", True, True, reason)


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
        reason=f"W dniu {date_text(on)} uprawnionych do głosowania: {entitled} z {len(rights)}.",
        on=on,
        rights=rights,
    )
