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

from klaster.rules.governance._common import Explained, NotInStatute, organ_genitive, share_text
from klaster.rules.statute import Organ, StatuteProfile

RULE_ID = "GOV-2"


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
        raise NotInStatute(
            profile, f"drugiego terminu posiedzenia {organ_genitive(organ)}", RULE_ID
        )
    present = counted_presence(profile, organ, presence)

    threshold: Fraction | None
    if rule is None:
        threshold = None
    elif term == 2:
        threshold = rule.second_term_threshold
    else:
        threshold = rule.threshold
    required = math.ceil(threshold * entitled) if threshold is not None else 0

    where = f"{organ_genitive(organ)}" + (" (drugi termin)" if term == 2 else "")
    if entitled == 0:
        met = False
        reason = f"Brak kworum {where}: nikt nie jest uprawniony do głosowania."
    elif threshold is None:
        met = True
        reason = (
            f"Kworum {where} nie jest wymagane: obraduje bez względu na liczbę obecnych "
            f"(obecnych {present} z {entitled} uprawnionych)."
        )
    else:
        met = present >= required
        proxies = " (w tym przez pełnomocnika)" if rule is not None and rule.counts_proxies else ""
        reason = (
            f"{'Kworum jest' if met else 'Brak kworum'} {where}: obecnych{proxies} {present} "
            f"z {entitled} uprawnionych; wymagane co najmniej {share_text(threshold)}, "
            f"czyli {required}."
        )
    return QuorumResult(
        rule_id=RULE_ID,
        reason=reason,
        organ=organ,
        term=term,
        entitled=entitled,
        presence=presence,
        present=present,
        threshold=threshold,
        required=required,
        met=met,
    )
