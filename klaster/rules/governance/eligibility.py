"""Incompatibility of a candidate for the Council or the Board (GOV-10, 000 §9.4, §11.7).

A person cannot be elected to the Council who at the time of the election
1) sits on the Board, 2) is related by blood or affinity (SPEC: "or marriage") to a Board
member, 3) is subordinate to a Board member (employment or civil-law contract alike), or
4) was or is convicted by a final judgment of an intentional crime — and the reverse for the
Board. Kinship, affinity and marriage bind both ways; subordination is read as the text has
it: the candidate subordinate to a member of the other organ (a candidate who is the
*superior* of a member is not barred by §9.4.3 / §11.7.3).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Literal

from klaster.rules.governance._common import Explained, organ, sentences
from klaster.rules.message import Msg, Term, define

RULE_ID = "GOV-10"

SITS_ON_OTHER = define("eligibility.sits_on_other_organ", "The person now sits on {organ:loc}.")
RELATED = define(
    "eligibility.related", "The person is related by {relation} to a member of {organ:gen}."
)
SUBORDINATE = define(
    "eligibility.subordinate", "The person is subordinate to a member of {organ:gen}."
)
CONVICTED = define(
    "eligibility.convicted",
    "The person was or is convicted by a final judgment of an intentional crime.",
)
ELIGIBLE = define("eligibility.eligible", "{name}: nothing bars election to {organ:gen}.")
INELIGIBLE = define(
    "eligibility.ineligible", "{name}: election to {organ:gen} is not allowed ({paragraph}). {bars}"
)
define("relation.blood", "blood")
define("relation.affinity", "affinity")
define("relation.marriage", "marriage")

ElectedOrgan = Literal["council", "board"]
RelationKind = Literal["blood", "affinity", "marriage", "subordinate_to"]
BarCode = Literal["sits_on_other_organ", "related", "subordinate", "convicted"]

_SYMMETRIC: frozenset[str] = frozenset({"blood", "affinity", "marriage"})
_OTHER: dict[ElectedOrgan, ElectedOrgan] = {"council": "board", "board": "council"}


@dataclass(frozen=True)
class PersonRelation:
    """`person_id` stands in `kind` to `other_id`; for "subordinate_to", `person_id` is the
    subordinate."""

    person_id: str
    other_id: str
    kind: RelationKind


@dataclass(frozen=True)
class Candidate:
    person_id: str
    name: str
    convicted_intentional_crime: bool = False


@dataclass(frozen=True)
class Bar:
    code: BarCode
    message: Msg
    other_person_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class Eligibility(Explained):
    person_id: str
    organ: ElectedOrgan
    eligible: bool
    bars: tuple[Bar, ...]


def check_incompatibility(
    candidate: Candidate,
    elected: ElectedOrgan,
    other_organ_member_ids: Collection[str],
    relations: Iterable[PersonRelation] = (),
) -> Eligibility:
    """May `candidate` be elected to `organ` given who sits on the other organ now?"""
    other = _OTHER[elected]
    bars: list[Bar] = []
    if candidate.person_id in other_organ_member_ids:
        bars.append(Bar("sits_on_other_organ", Msg.of(SITS_ON_OTHER, organ=organ(other))))
    seen: set[tuple[str, str]] = set()
    for rel in relations:
        if rel.kind in _SYMMETRIC:
            if rel.person_id == candidate.person_id:
                partner = rel.other_id
            elif rel.other_id == candidate.person_id:
                partner = rel.person_id
            else:
                continue
            if partner in other_organ_member_ids and (rel.kind, partner) not in seen:
                seen.add((rel.kind, partner))
                bars.append(
                    Bar(
                        "related",
                        Msg.of(RELATED, relation=Term("relation", rel.kind), organ=organ(other)),
                        partner,
                    )
                )
        elif (
            rel.person_id == candidate.person_id
            and rel.other_id in other_organ_member_ids
            and ("subordinate_to", rel.other_id) not in seen
        ):
            seen.add(("subordinate_to", rel.other_id))
            bars.append(
                Bar(
                    "subordinate",
                    Msg.of(SUBORDINATE, organ=organ(other)),
                    rel.other_id,
                )
            )
    if candidate.convicted_intentional_crime:
        bars.append(
            Bar(
                "convicted",
                Msg.of(CONVICTED),
            )
        )
    paragraph = "000 §9.4" if elected == "council" else "000 §11.7"
    eligible = not bars
    message = (
        Msg.of(ELIGIBLE, name=candidate.name, organ=organ(elected))
        if eligible
        else Msg.of(
            INELIGIBLE,
            name=candidate.name,
            organ=organ(elected),
            paragraph=paragraph,
            bars=sentences(*(b.message for b in bars)),
        )
    )
    return Eligibility(
        rule_id=RULE_ID,
        message=message,
        person_id=candidate.person_id,
        organ=elected,
        eligible=eligible,
        bars=tuple(bars),
    )
