"""Arrears stages and the vote (FIN-4 and the SPEC Reading).

001 fin. 5: "po 60 dniach od terminu płatności" the coordinator informs the member of the
consequences, the loss of the vote included; "po kolejnych 30 dniach", by e-mail and registered
letter, of statutory interest and of striking off. The numbers are the statute profile's
`ArrearsRule` (first_notice_days, second_notice_days), never literals here.

A document is in the first stage when it is more than N days past its due date with an
amount still open, in the second when more than N + M days (stages named by their day count,
"60" and "90" under evoluma; "none" before).

Reading (GOV-1): "members paying dues" excludes a member with a document more than N days
overdue on the meeting's day; the vote returns with payment (the open amount is read on the
day asked).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from klaster.rules.message import Money, Msg, define
from klaster.rules.money._common import amount
from klaster.rules.statute import ArrearsRule

RULE_ID = "FIN-4"

STAGE_NONE = define(
    "money.arrears.none", "{number}: {open} open, {days} {days:day|days} past the due date {due}."
)
STAGE_FIRST = define(
    "money.arrears.first",
    "{number}: {open} open, {days} {days:day|days} past the due date {due} — more than {limit} {limit:day|days}: "
    "the member is told of the consequences, the loss of the vote included (001 fin. 5).",
)
STAGE_SECOND = define(
    "money.arrears.second",
    "{number}: {open} open, {days} {days:day|days} past the due date {due} — more than {limit} {limit:day|days}: "
    "by e-mail and registered letter, statutory interest and striking off (001 fin. 5).",
)
VOTES = define(
    "money.arrears.votes",
    "Votes as far as dues go: no document is more than {limit} {limit:day|days} overdue on {on}.",
)
NO_VOTE = define(
    "money.arrears.no_vote",
    "No vote on {on}: {numbers} more than {limit} {limit:day|days} overdue; "
    "the vote returns with payment.",
)


@dataclass(frozen=True)
class OpenDocument:
    """A document as the ledger reads it on a day: its number, due date and open amount."""

    number: str
    due: dt.date
    open: Decimal


@dataclass(frozen=True)
class ArrearsStage:
    number: str
    days_overdue: int
    level: int  # 0 none, 1 past the first notice, 2 past the second
    stage: str  # "none", or the day count passed: "60", "90" under evoluma
    message: Msg
    rule_id: str = RULE_ID


def days_overdue(due: dt.date, on: dt.date) -> int:
    return max((on - due).days, 0)


def arrears_stage(document: OpenDocument, on: dt.date, rule: ArrearsRule) -> ArrearsStage:
    """The stage of `document` on `on` (a paid document is always "none")."""
    open_ = amount("open", document.open)
    days = days_overdue(document.due, on) if open_ > 0 else 0
    first = rule.first_notice_days
    second = rule.first_notice_days + rule.second_notice_days
    params = dict(number=document.number, open=Money(open_), days=days, due=document.due)
    if days > second:
        return ArrearsStage(
            document.number, days, 2, str(second), Msg.of(STAGE_SECOND, limit=second, **params)
        )
    if days > first:
        return ArrearsStage(
            document.number, days, 1, str(first), Msg.of(STAGE_FIRST, limit=first, **params)
        )
    return ArrearsStage(document.number, days, 0, "none", Msg.of(STAGE_NONE, **params))


@dataclass(frozen=True)
class DuesVote:
    votes: bool
    blocking: tuple[str, ...]  # the documents that take the vote away
    message: Msg
    rule_id: str = "GOV-1"


def member_votes(documents: Iterable[OpenDocument], on: dt.date, rule: ArrearsRule) -> DuesVote:
    """Whether arrears leave the member its vote on `on` (other reasons — suspension,
    exemption — are governance's `voting_right`)."""
    limit = rule.first_notice_days
    blocking = tuple(
        d.number
        for d in documents
        if amount("open", d.open) > 0 and days_overdue(d.due, on) > limit
    )
    if blocking:
        return DuesVote(False, blocking, Msg.of(NO_VOTE, on=on, numbers=blocking, limit=limit))
    return DuesVote(True, (), Msg.of(VOTES, on=on, limit=limit))
