"""Whether a resolution passed, and by which rule (GOV-3).

Every result carries the full count (for / against / abstaining / present but not voting /
absent), the rule in words, and — for a majority of those entitled — the reading SPEC
prescribes: "50% + 1 of those entitled" (001 dec. 3) is read as more than half of those
entitled, so 6 of 10 and 6 of 11 pass, 5 of 10 and 5 of 11 do not.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from klaster.rules.governance._common import Explained, organ_genitive, share_text
from klaster.rules.governance.quorum import Presence, QuorumResult, counted_presence, quorum
from klaster.rules.statute import (
    DECISION_ORDINARY,
    MajorityKind,
    MajorityRule,
    Organ,
    StatuteProfile,
)

RULE_ID = "GOV-3"

READING_OF_ENTITLED = (
    "Odczytanie: „50% + 1 uprawnionych do głosowania” oznacza więcej niż połowę "
    "uprawnionych — np. 6 z 10 i 6 z 11 wystarcza, 5 z 10 i 5 z 11 nie."
)
READING_CAST_WITH_ABSTENTIONS = (
    "Odczytanie: głosy wstrzymujące się są głosami oddanymi i liczą się do podstawy 2/3."
)


@dataclass(frozen=True)
class VoteCount:
    for_: int
    against: int
    abstain: int

    def __post_init__(self) -> None:
        if min(self.for_, self.against, self.abstain) < 0:
            raise ValueError("Liczba głosów nie może być ujemna.")

    @property
    def cast(self) -> int:
        return self.for_ + self.against + self.abstain


@dataclass(frozen=True, kw_only=True)
class MajorityResult(Explained):
    decision: str
    rule: MajorityRule
    kind: MajorityKind
    rule_text: str
    reading: str | None
    #: The full count in words: for, against, abstaining, present not voting, absent.
    tally: str
    for_: int
    against: int
    abstain: int
    not_voting_present: int
    absent: int
    entitled: int
    present: int
    #: The number the share is taken of under this rule.
    base: int
    #: Fewest votes for that would pass with these against/abstain counts (None: impossible).
    required_for: int | None
    presence_required: int | None
    presence_met: bool
    passed: bool


@dataclass(frozen=True, kw_only=True)
class ResolutionOutcome(Explained):
    organ: Organ
    decision: str
    term: int
    quorum: QuorumResult
    majority: MajorityResult
    passed: bool


def _base(kind: MajorityKind, votes: VoteCount, entitled: int, for_: int) -> int:
    if kind == "of_votes_cast":
        return for_ + votes.against
    if kind == "of_entitled":
        return entitled
    return for_ + votes.against + votes.abstain


def _meets(rule: MajorityRule, for_: int, base: int) -> bool:
    if for_ < 1:
        return False  # nothing passes without a single vote for it
    target = rule.share * base
    return for_ > target if rule.strict else for_ >= target


def rule_text(rule: MajorityRule) -> str:
    """The rule in Polish words."""
    half = rule.share == Fraction(1, 2)
    share = share_text(rule.share)
    # "więcej niż połowa" (nominative) but "co najmniej połowy" (genitive)
    if half:
        share = "połowa" if rule.strict else "połowy"
    compare = "więcej niż" if rule.strict else "co najmniej"
    if rule.kind == "of_votes_cast":
        if rule.share == Fraction(1, 2) and rule.strict:
            text = "zwykła większość głosów: więcej głosów „za” niż „przeciw” (wstrzymujące się nie liczą się)"
        else:
            text = f"{compare} {share} głosów „za” i „przeciw” (wstrzymujące się nie liczą się)"
    elif rule.kind == "of_entitled":
        text = f"{compare} {share} uprawnionych do głosowania (obecnych i nieobecnych)"
    else:
        text = f"{compare} {share} głosów oddanych (wstrzymujące się są głosami oddanymi)"
    if rule.min_present is not None:
        present = "połowy" if rule.min_present == Fraction(1, 2) else share_text(rule.min_present)
        text += f", przy obecności co najmniej {present} uprawnionych"
    return text


def majority(
    rule: MajorityRule,
    votes: VoteCount,
    entitled: int,
    present: int,
    decision: str = DECISION_ORDINARY,
) -> MajorityResult:
    """Apply one majority rule to a count. `present` includes presence by proxy."""
    if not votes.cast <= present <= entitled:
        raise ValueError(
            f"Niespójne liczby: oddanych głosów {votes.cast}, obecnych {present}, "
            f"uprawnionych {entitled} (musi być oddane ≤ obecni ≤ uprawnieni)."
        )
    base = _base(rule.kind, votes, entitled, votes.for_)
    presence_required = None
    presence_met = True
    if rule.min_present is not None:
        # "przy obecności co najmniej połowy uprawnionych" (000 §6.3): inclusive.
        presence_required = -(
            -rule.min_present.numerator * entitled // rule.min_present.denominator
        )
        presence_met = present >= presence_required
    share_met = _meets(rule, votes.for_, base)
    passed = share_met and presence_met

    required_for = next(
        (
            f
            for f in range(1, entitled - votes.against - votes.abstain + 1)
            if _meets(rule, f, _base(rule.kind, votes, entitled, f))
        ),
        None,
    )
    words = rule_text(rule)
    reading = None
    if rule.kind == "of_entitled":
        reading = READING_OF_ENTITLED
    elif rule.kind == "two_thirds_cast_half_present":
        reading = READING_CAST_WITH_ABSTENTIONS
    tally = (
        f"za {votes.for_}, przeciw {votes.against}, wstrzymujące się {votes.abstain}, "
        f"obecni niegłosujący {present - votes.cast}, nieobecni {entitled - present} "
        f"(uprawnionych {entitled})"
    )
    if passed:
        verdict = "Przyjęta"
    elif not presence_met:
        verdict = f"Nieprzyjęta — za mało obecnych ({present}, wymagane {presence_required})"
    else:
        verdict = "Nieprzyjęta"
    needed = (
        f"; potrzeba co najmniej {required_for} głosów „za”"
        if required_for is not None
        else "; przy tych głosach przeciw i wstrzymujących się nie mogła przejść"
    )
    return MajorityResult(
        rule_id=RULE_ID,
        reason=f"{verdict}: {tally}. Zasada: {words}{needed}.",
        decision=decision,
        rule=rule,
        kind=rule.kind,
        rule_text=words,
        reading=reading,
        tally=tally,
        for_=votes.for_,
        against=votes.against,
        abstain=votes.abstain,
        not_voting_present=present - votes.cast,
        absent=entitled - present,
        entitled=entitled,
        present=present,
        base=base,
        required_for=required_for,
        presence_required=presence_required,
        presence_met=presence_met,
        passed=passed,
    )


def resolution_outcome(
    profile: StatuteProfile,
    organ: Organ,
    votes: VoteCount,
    entitled: int,
    presence: Presence,
    decision: str = DECISION_ORDINARY,
    term: int = 1,
) -> ResolutionOutcome:
    """Quorum (GOV-2) and majority (GOV-3) together: what a resolution records."""
    q = quorum(profile, organ, entitled, presence, term)
    rule = profile.organ(organ).majority_for(decision)
    m = majority(rule, votes, entitled, counted_presence(profile, organ, presence), decision)
    passed = q.met and m.passed
    if not q.met:
        reason = (
            f"Uchwała {organ_genitive(organ)} nieprzyjęta. {q.reason} "
            f"Głosy: {m.tally}. Zasada: {m.rule_text}."
        )
    else:
        reason = f"Uchwała {organ_genitive(organ)} — {m.reason[0].lower()}{m.reason[1:]}"
    return ResolutionOutcome(
        rule_id=RULE_ID,
        reason=reason,
        organ=organ,
        decision=decision,
        term=term,
        quorum=q,
        majority=m,
        passed=passed,
    )
