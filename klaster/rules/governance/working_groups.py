"""Advanced Cooperation Groups (GZW-1, GZW-2).

GZW-1 (000 §14.1–14.2): six standing areas; the Board may create more on the initiative of at
least 5 Partners and Strategic Partners together, or of the coordinator alone.
GZW-2 (001 "Zaawansowana współpraca" 2): a group starts only when at least 5 members have
declared to join it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from klaster.rules.governance._common import Explained, count
from klaster.rules.statute import StatuteProfile

GZW_1 = "GZW-1"
GZW_2 = "GZW-2"

#: 000 §14.1.
STANDARD_AREAS: tuple[tuple[str, str], ...] = (
    ("technology_rd", "Technologia, w tym badania i rozwój"),
    ("it", "Informatyzacja"),
    ("internationalisation", "Internacjonalizacja"),
    ("human_resources", "Zasoby ludzkie"),
    ("purchasing", "Grupy zakupowe"),
    ("promotion_marketing", "Promocja i marketing"),
)


@dataclass(frozen=True, kw_only=True)
class GroupCheck(Explained):
    count: int
    required: int
    ok: bool


def group_can_start(profile: StatuteProfile, declared_member_ids: Collection[str]) -> GroupCheck:
    minimum = profile.working_groups.min_declarations_to_start
    # Without a statutory minimum a group still needs someone in it.
    required = minimum if minimum is not None else 1
    n = len(set(declared_member_ids))
    ok = n >= required
    rule = (
        f"do uruchomienia wymagane co najmniej {required}"
        if minimum is not None
        else "statut nie określa minimum"
    )
    return GroupCheck(
        rule_id=GZW_2,
        reason=(
            f"Deklaracje udziału w grupie: {n}; {rule}"
            + (" — grupa może zostać uruchomiona." if ok else " — grupa nie może jeszcze ruszyć.")
        ),
        count=n,
        required=required,
        ok=ok,
    )


def group_initiative(
    profile: StatuteProfile, initiator_ids: Collection[str], by_coordinator: bool = False
) -> GroupCheck:
    rules = profile.working_groups
    n = len(set(initiator_ids))
    if by_coordinator and rules.coordinator_may_initiate_alone:
        return GroupCheck(
            rule_id=GZW_1,
            reason="Inicjatywa Koordynatora: może ją zgłosić jednoosobowo.",
            count=n,
            required=0,
            ok=True,
        )
    ok = n >= rules.min_initiators
    return GroupCheck(
        rule_id=GZW_1,
        reason=(
            f"Inicjatywa {count(n, 'członka', 'członków', 'członków')}; wymagane co najmniej "
            f"{rules.min_initiators} Partnerów i Partnerów Strategicznych łącznie albo Koordynator"
            + (" — Zarząd może powołać grupę." if ok else " — za mało inicjatorów.")
        ),
        count=n,
        required=rules.min_initiators,
        ok=ok,
    )
