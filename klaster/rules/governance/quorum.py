"""Quorum per organ and term (GOV-2).

The threshold is a share of those entitled to vote, compared inclusively ("minimum 50%",
001 dec. 4; "co najmniej połowy", 000 §8.5). Presence in person and online counts; so does
presence by proxy when the profile says so (001 dec. 4: "lub przekazania upoważnienia").
A second term, where the statute has one, may have no quorum at all (000 §8.5).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from klaster.rules.governance._common import Explained, NotInStatute
from klaster.rules.governance._common import organ as organ_term
from klaster.rules.message import Msg, define
from klaster.rules.statute import Organ, StatuteProfile

RULE_ID = "GOV-2"

NO_SECOND_TERM = define("quorum.no_second_term", "a second term for meetings of {organ:gen}")
WHERE = define("quorum.where", "{organ:gen}")
WHERE_SECOND = define("quorum.where_second", "{organ:gen} (second term)")
NOBODY = define("quorum.nobody", "No quorum of {where}: nobody is entitled to vote.")
NOT_REQUIRED = define(
    "quorum.not_required",
    "No quorum of {where} is required: it deliberates whatever the number present "
    "({present} present of {entitled} entitled).",
)
MET = define(
    "quorum.met",
    "Quorum of {where} is met: {present} present of {entitled} entitled; "
    "at least {threshold} required, that is {required}.",
)
MET_PROXIES = define(
    "quorum.met_proxies",
    "Quorum of {where} is met: {present} present (proxies included) of {entitled} entitled; "
    "at least {threshold} required, that is {required}.",
)
MISSING = define(
    "quorum.missing",
    "No quorum of {where}: {present} present of {entitled} entitled; "
    "at least {threshold} required, that is {required}.",
)
MISSING_PROXIES = define(
    "quorum.missing_proxies",
    "No quorum of {where}: {present} present (proxies included) of {entitled} entitled; "
    "at least {threshold} required, that is {required}.",
)


@dataclass(frozen=True)
class Presence:
    """Entities present, by how they are present (each entity counted once)."""

    in_person: int = 0
    online: int = 0
    proxy: int = 0

    def __post_init__(self) -> None:
        if min(self.in_person, self.online, self.proxy) < 0:
            raise ValueError("Liczba obecnych nie może być ujemna.")

    @property
    def total(self) -> int:
        return self.in_person + self.online + self.proxy


@dataclass(frozen=True, kw_only=True)
class QuorumResult(Explained):
    organ: Organ
    term: int
    entitled: int
    presence: Presence
    #: Presence that counts towards the quorum (proxies left out if the profile says so).
    present: int
    threshold: Fraction | None
    required: int
    met: bool


def counted_presence(profile: StatuteProfile, organ: Organ, presence: Presence) -> int:
    rule = profile.organ(organ).quorum
    counts_proxies = rule.counts_proxies if rule is not None else True
    return presence.in_person + presence.online + (presence.proxy if counts_proxies else 0)


def quorum(
    profile: StatuteProfile, organ: Organ, entitled: int, presence: Presence, term: int = 1
) -> QuorumResult:
    """Is the organ quorate? `entitled` comes from the voting roll (GOV-1)."""
    if entitled < 0:
        raise ValueError("Liczba uprawnionych nie może być ujemna.")
    if presence.total > entitled:
        raise ValueError(
            f"Obecnych ({presence.total}) więcej niż uprawnionych ({entitled}): "
            "każdy podmiot liczy się raz, osobiście, online albo przez pełnomocnika."
        )
    if term not in (1, 2):
        raise ValueError(f"Termin posiedzenia musi być 1 albo 2, otrzymano {term}.")
    rule = profile.organ(organ).quorum
    if term == 2 and (rule is None or not rule.second_term):
        raise NotInStatute(profile, Msg.of(NO_SECOND_TERM, organ=organ_term(organ)), RULE_ID)
    present = counted_presence(profile, organ, presence)

    threshold: Fraction | None
    if rule is None:
        threshold = None
    elif term == 2:
        threshold = rule.second_term_threshold
    else:
        threshold = rule.threshold
    required = math.ceil(threshold * entitled) if threshold is not None else 0

    where = Msg.of(WHERE_SECOND if term == 2 else WHERE, organ=organ_term(organ))
    if entitled == 0:
        met = False
        message = Msg.of(NOBODY, where=where)
    elif threshold is None:
        met = True
        message = Msg.of(NOT_REQUIRED, where=where, present=present, entitled=entitled)
    else:
        met = present >= required
        proxies = rule is not None and rule.counts_proxies
        code = (
            (MET_PROXIES if proxies else MET) if met else (MISSING_PROXIES if proxies else MISSING)
        )
        message = Msg.of(
            code,
            where=where,
            present=present,
            entitled=entitled,
            threshold=threshold,
            required=required,
        )
    return QuorumResult(
        rule_id=RULE_ID,
        message=message,
        organ=organ,
        term=term,
        entitled=entitled,
        presence=presence,
        present=present,
        threshold=threshold,
        required=required,
        met=met,
    )
