"""Objections to a vote by those who did not take part (GOV-5, 001 dec. 12–13).

Window: 5 business days (Polish public holidays excluded) from sending or publishing the
meeting's summary. SPEC Reading: the day of sending is not counted; the window closes at
the end of the fifth business day after it (Europe/Warsaw).

Who may object: entities entitled in the organ that did not take part. Reading: an entity
represented by proxy took part — 001 dec. 4 names proxy as a form of participation
("uczestnictwa w formie ... przekazania upoważnienia") — so it may not object.

Threshold: "ponad połowa podmiotów mających prawo podejmowania decyzji w organie" — more
than half of all those entitled in the organ, not of those absent. Then the matter goes
back to the organ's next meeting.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from fractions import Fraction

from klaster.rules.calendar import (
    add_business_days,
    end_of_day_exclusive,
    holiday_name,
    to_warsaw,
    warsaw_date,
)
from klaster.rules.governance._common import Explained, NotInStatute, sentences
from klaster.rules.message import Msg, Term, define
from klaster.rules.statute import ObjectionRule, Organ, StatuteProfile

RULE_ID = "GOV-5"

NO_OBJECTIONS = define("objection.not_in_statute", "objections to a vote")
WINDOW = define(
    "objection.window",
    "Summary sent on {sent}; objections may be made until the end of {last} ({days} business "
    "days, the day of sending not counted).",
)
HOLIDAYS = define("objection.holidays", "Holidays skipped: {holidays}.")
HOLIDAY = define("objection.holiday", "{day} ({name})")
IN_TIME = define(
    "objection.in_time", "Objection received {received} in time (the period ends with {last})."
)
LATE = define(
    "objection.late", "Objection received {received} too late (the period ends with {last})."
)
NOT_ENTITLED = define(
    "objection.not_entitled", "The member has no right to take decisions in this organ."
)
TOOK_PART = define(
    "objection.took_part",
    "The member took part in the meeting (in person, online or by proxy).",
)
COUNTED = define("objection.counted", "This member's objection has already been counted.")
MORE_THAN = define("objection.more_than", "more than {share}")
AT_LEAST = define("objection.at_least", "at least {share}")
RETURNS = define("objection.returns", "the matter returns for debate at the next meeting.")
STANDS = define("objection.stands", "the decisions stay in force.")
ACCEPTED = define("objection.accepted", "Objection accepted. {window} {outcome}")
RETURNED_ITEM = define("objection.returned_item", "Resolution no. {number}/{year}: {outcome}")
OUTCOME = define(
    "objection.outcome",
    "Valid objections: {valid} of {entitled} entitled in {organ:loc}; the matter returns when "
    "{threshold} of those entitled make them (at least {required}): {verdict}",
)


def _rule(profile: StatuteProfile) -> ObjectionRule:
    if profile.objections is None:
        raise NotInStatute(profile, Msg.of(NO_OBJECTIONS), RULE_ID)
    return profile.objections


@dataclass(frozen=True, kw_only=True)
class ObjectionWindow(Explained):
    sent_on: dt.date
    business_days: int
    last_day: dt.date
    #: First instant too late (midnight after `last_day`, Warsaw).
    closes_at: dt.datetime
    #: Holidays that fell inside the window and were skipped, with their (Polish) names.
    holidays_skipped: tuple[tuple[dt.date, str], ...]


def objection_window(profile: StatuteProfile, sent: dt.date | dt.datetime) -> ObjectionWindow:
    rule = _rule(profile)
    sent_on = warsaw_date(sent) if isinstance(sent, dt.datetime) else sent
    last = add_business_days(sent_on, rule.business_days)
    skipped: list[tuple[dt.date, str]] = []
    day = sent_on + dt.timedelta(days=1)
    while day <= last:
        name = holiday_name(day)
        if name is not None and day.weekday() < 5:
            skipped.append((day, name))
        day += dt.timedelta(days=1)
    message = Msg.of(WINDOW, sent=sent_on, last=last, days=rule.business_days)
    if skipped:
        holidays = tuple(Msg.of(HOLIDAY, day=d, name=n) for d, n in skipped)
        message = sentences(message, Msg.of(HOLIDAYS, holidays=holidays))
    return ObjectionWindow(
        rule_id=RULE_ID,
        message=message,
        sent_on=sent_on,
        business_days=rule.business_days,
        last_day=last,
        closes_at=end_of_day_exclusive(last),
        holidays_skipped=tuple(skipped),
    )


@dataclass(frozen=True)
class Objection:
    member_id: str
    received_at: dt.datetime


@dataclass(frozen=True, kw_only=True)
class ObjectionTiming(Explained):
    received_at: dt.datetime
    in_time: bool


def objection_in_time(window: ObjectionWindow, received_at: dt.datetime) -> ObjectionTiming:
    received = to_warsaw(received_at)
    in_time = received < window.closes_at
    return ObjectionTiming(
        rule_id=RULE_ID,
        message=Msg.of(IN_TIME if in_time else LATE, received=received, last=window.last_day),
        received_at=received,
        in_time=in_time,
    )


@dataclass(frozen=True, kw_only=True)
class ObjectionRefusal(Explained):
    member_id: str


@dataclass(frozen=True, kw_only=True)
class ObjectionOutcome(Explained):
    organ: Organ
    window: ObjectionWindow
    valid_ids: tuple[str, ...]
    refused: tuple[ObjectionRefusal, ...]
    entitled: int
    threshold: Fraction
    strict: bool
    #: Fewest valid objections that send the matter back.
    required: int
    returns_to_next_meeting: bool


def objections_outcome(
    profile: StatuteProfile,
    organ: Organ,
    window: ObjectionWindow,
    objections: Sequence[Objection],
    entitled_ids: Collection[str],
    participant_ids: Collection[str],
) -> ObjectionOutcome:
    """Count valid objections; `participant_ids` took part in person, online or by proxy."""
    rule = _rule(profile)
    valid: list[str] = []
    refused: list[ObjectionRefusal] = []

    def refuse(member_id: str, message: Msg) -> None:
        refused.append(ObjectionRefusal(rule_id=RULE_ID, message=message, member_id=member_id))

    for objection in sorted(objections, key=lambda o: to_warsaw(o.received_at)):
        who = objection.member_id
        if who not in entitled_ids:
            refuse(who, Msg.of(NOT_ENTITLED))
        elif who in participant_ids:
            refuse(who, Msg.of(TOOK_PART))
        elif who in valid:
            refuse(who, Msg.of(COUNTED))
        else:
            timing = objection_in_time(window, objection.received_at)
            if timing.in_time:
                valid.append(who)
            else:
                refuse(who, timing.message)

    entitled = len(entitled_ids)
    target = rule.threshold * entitled
    required = math.floor(target) + 1 if rule.strict else math.ceil(target)
    returns = entitled > 0 and len(valid) >= required
    message = Msg.of(
        OUTCOME,
        valid=len(valid),
        entitled=entitled,
        organ=Term("organ", organ),
        threshold=Msg.of(MORE_THAN if rule.strict else AT_LEAST, share=rule.threshold),
        required=required,
        verdict=Msg.of(RETURNS if returns else STANDS),
    )
    return ObjectionOutcome(
        rule_id=RULE_ID,
        message=message,
        organ=organ,
        window=window,
        valid_ids=tuple(valid),
        refused=tuple(refused),
        entitled=entitled,
        threshold=rule.threshold,
        strict=rule.strict,
        required=required,
        returns_to_next_meeting=returns,
    )
