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

from klaster.rules.governance._common import Explained, organ_genitive, organ_locative

RULE_ID = "GOV-10"

ElectedOrgan = Literal["council", "board"]
RelationKind = Literal["blood", "affinity", "marriage", "subordinate_to"]
BarCode = Literal["sits_on_other_organ", "related", "subordinate", "convicted"]

_SYMMETRIC: frozenset[str] = frozenset({"blood", "affinity", "marriage"})
_RELATION_PL = {
    "blood": "pokrewieństwa",
    "affinity": "powinowactwa",
    "marriage": "małżeństwa",
}
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
    reason: str
    other_person_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class Eligibility(Explained):
    person_id: str
    organ: ElectedOrgan
    eligible: bool
    bars: tuple[Bar, ...]


def check_incompatibility(
    candidate: Candidate,
    organ: ElectedOrgan,
    other_organ_member_ids: Collection[str],
    relations: Iterable[PersonRelation] = (),
) -> Eligibility:
    """May `candidate` be elected to `organ` given who sits on the other organ now?"""
    other = _OTHER[organ]
    bars: list[Bar] = []
    if candidate.person_id in other_organ_member_ids:
        bars.append(Bar("sits_on_other_organ", f"Osoba zasiada obecnie w {organ_locative(other)}."))
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
                        f"Osoba pozostaje w stosunku {_RELATION_PL[rel.kind]} z członkiem "
                        f"{organ_genitive(other)}.",
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
                    f"Osoba pozostaje w stosunku podległości wobec członka {organ_genitive(other)}.",
                    rel.other_id,
                )
            )
    if candidate.convicted_intentional_crime:
        bars.append(
            Bar(
                "convicted",
                "Osoba była lub jest skazana prawomocnym wyrokiem za przestępstwo umyślne.",
            )
        )
    paragraph = "000 §9.4" if organ == "council" else "000 §11.7"
    eligible = not bars
    reason = (
        f"{candidate.name}: brak przeszkód w wyborze do {organ_genitive(organ)}."
        if eligible
        else f"{candidate.name}: wybór do {organ_genitive(organ)} niedopuszczalny ({paragraph}). "
        + " ".join(b.reason for b in bars)
    )
    return Eligibility(
        rule_id=RULE_ID,
        reason=reason,
        person_id=candidate.person_id,
        organ=organ,
        eligible=eligible,
        bars=tuple(bars),
    )
