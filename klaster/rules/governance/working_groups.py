"""Advanced Cooperation Groups (GZW-1, GZW-2).

GZW-1 (000 §14.1–14.2): six standing areas; the Board may create more on the initiative of at
least 5 Partners and Strategic Partners together, or of the coordinator alone.
GZW-2 (001 "Zaawansowana współpraca" 2): a group starts only when at least 5 members have
declared to join it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from klaster.rules.governance._common import Explained
from klaster.rules.message import Msg, define
from klaster.rules.statute import StatuteProfile

GZW_1 = "GZW-1"
GZW_2 = "GZW-2"

WITH_RULE = define("groups.with_rule", "{rule}: {message}")
START_RULE = define("groups.start_minimum", "at least {required} required to start")
START_NO_RULE = define("groups.start_no_minimum", "the statute sets no minimum")
CAN_START = define(
    "groups.can_start", "Declarations to join the group: {n}; {rule} — the group may start."
)
CANNOT_START = define(
    "groups.cannot_start",
    "Declarations to join the group: {n}; {rule} — the group cannot start yet.",
)
COORDINATOR_ALONE = define(
    "groups.coordinator_alone", "The Coordinator's initiative: it may propose a group alone."
)
INITIATIVE_OK = define(
    "groups.initiative_ok",
    "Initiative of {n} {n:member|members}; at least {required} Partners and Strategic Partners "
    "together, or the Coordinator, required — the Board may set up the group.",
)
INITIATIVE_SHORT = define(
    "groups.initiative_short",
    "Initiative of {n} {n:member|members}; at least {required} Partners and Strategic Partners "
    "together, or the Coordinator, required — too few initiators.",
)

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

    @property
    def with_rule(self) -> Msg:
        """The message headed by its SPEC rule id ("GZW-2: …")."""
        return Msg.of(WITH_RULE, rule=self.rule_id, message=self.message)


def group_can_start(profile: StatuteProfile, declared_member_ids: Collection[str]) -> GroupCheck:
    minimum = profile.working_groups.min_declarations_to_start
    # Without a statutory minimum a group still needs someone in it.
    required = minimum if minimum is not None else 1
    n = len(set(declared_member_ids))
    ok = n >= required
    rule = Msg.of(START_RULE, required=required) if minimum is not None else Msg.of(START_NO_RULE)
    return GroupCheck(
        rule_id=GZW_2,
        message=Msg.of(CAN_START if ok else CANNOT_START, n=n, rule=rule),
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
            message=Msg.of(COORDINATOR_ALONE),
            count=n,
            required=0,
            ok=True,
        )
    ok = n >= rules.min_initiators
    return GroupCheck(
        rule_id=GZW_1,
        message=Msg.of(
            INITIATIVE_OK if ok else INITIATIVE_SHORT, n=n, required=rules.min_initiators
        ),
        count=n,
        required=rules.min_initiators,
        ok=ok,
    )
