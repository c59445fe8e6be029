"""Whether a resolution passed, and by which rule (GOV-3).

Every result carries the full count (for / against / abstaining / present but not voting /
absent), the rule in words, and — for a majority of those entitled — the reading SPEC
prescribes: "50% + 1 of those entitled" (001 dec. 3) is read as more than half of those
entitled, so 6 of 10 and 6 of 11 pass, 5 of 10 and 5 of 11 do not.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from klaster.rules.governance._common import Explained
from klaster.rules.governance.quorum import Presence, QuorumResult, counted_presence, quorum
from klaster.rules.message import Msg, Term, define
from klaster.rules.statute import (
    DECISION_ORDINARY,
    MajorityKind,
    MajorityRule,
    Organ,
    StatuteProfile,
)

RULE_ID = "GOV-3"

READING_OF_ENTITLED = define(
    "majority.reading_of_entitled",
    "Reading: “50% + 1 of those entitled to vote” means more than half of those entitled — "
    "e.g. 6 of 10 and 6 of 11 are enough, 5 of 10 and 5 of 11 are not.",
)
READING_CAST_WITH_ABSTENTIONS = define(
    "majority.reading_cast_with_abstentions",
    "Reading: abstentions are votes cast and count towards the 2/3 base.",
)

# The rule in words (`rule_message`): a share ("more than half", "at least 2/3") of a base.
MORE_THAN_HALF = define("majority.more_than_half", "more than half")
AT_LEAST_HALF = define("majority.at_least_half", "at least half")
MORE_THAN = define("majority.more_than", "more than {share}")
AT_LEAST = define("majority.at_least", "at least {share}")
HALF = define("majority.half", "half")
SIMPLE = define(
    "majority.simple",
    "simple majority: more votes for than against (abstentions do not count)",
)
OF_FOR_AGAINST = define(
    "majority.of_for_against", "{share} of the votes for and against (abstentions do not count)"
)
OF_ENTITLED = define(
    "majority.of_entitled", "{share} of those entitled to vote (present and absent)"
)
OF_CAST = define("majority.of_cast", "{share} of the votes cast (abstentions are votes cast)")
WITH_PRESENCE = define(
    "majority.with_presence", "{rule}, with at least {present} of those entitled present"
)

TALLY = define(
    "majority.tally",
    "for {for_}, against {against}, abstaining {abstain}, present not voting {not_voting}, "
    "absent {absent} ({entitled} entitled)",
)
PASSED = define("majority.passed", "Passed")
FAILED = define("majority.failed", "Not passed")
TOO_FEW_PRESENT = define(
    "majority.too_few_present", "Not passed — too few present ({present}, {required} required)"
)
PASSED_LOWER = define("majority.passed_lower", "passed")
FAILED_LOWER = define("majority.failed_lower", "not passed")
TOO_FEW_PRESENT_LOWER = define(
    "majority.too_few_present_lower",
    "not passed — too few present ({present}, {required} required)",
)
NEEDED = define("majority.needed", "at least {n} {n:vote|votes} for needed")
IMPOSSIBLE = define(
    "majority.impossible", "with these votes against and abstentions it could not pass"
)
VERDICT = define("majority.verdict", "{verdict}: {tally}. Rule: {rule}; {needed}.")
RESOLUTION = define(
    "majority.resolution", "Resolution of {organ:gen} — {verdict}: {tally}. Rule: {rule}; {needed}."
)
RESOLUTION_NO_QUORUM = define(
    "majority.resolution_no_quorum",
    "Resolution of {organ:gen} not passed. {quorum} Votes: {tally}. Rule: {rule}.",
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
    #: The rule in words (`rule_message`).
    rule_message: Msg
    reading: Msg | None
    #: The full count in words: for, against, abstaining, present not voting, absent.
    tally: Msg
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


def rule_message(rule: MajorityRule) -> Msg:
    """The rule in words."""
    if rule.share == Fraction(1, 2):
        # "więcej niż połowa" (nominative) but "co najmniej połowy" (genitive)
        share = Msg.of(MORE_THAN_HALF if rule.strict else AT_LEAST_HALF)
    else:
        share = Msg.of(MORE_THAN if rule.strict else AT_LEAST, share=rule.share)
    if rule.kind == "of_votes_cast":
        if rule.share == Fraction(1, 2) and rule.strict:
            text = Msg.of(SIMPLE)
        else:
            text = Msg.of(OF_FOR_AGAINST, share=share)
    elif rule.kind == "of_entitled":
        text = Msg.of(OF_ENTITLED, share=share)
    else:
        text = Msg.of(OF_CAST, share=share)
    if rule.min_present is not None:
        present = Msg.of(HALF) if rule.min_present == Fraction(1, 2) else rule.min_present
        text = Msg.of(WITH_PRESENCE, rule=text, present=present)
    return text


def _verdict(passed: bool, present: int, presence_required: int | None, *, lower: bool) -> Msg:
    if passed:
        return Msg.of(PASSED_LOWER if lower else PASSED)
    if presence_required is not None and present < presence_required:
        code = TOO_FEW_PRESENT_LOWER if lower else TOO_FEW_PRESENT
        return Msg.of(code, present=present, required=presence_required)
    return Msg.of(FAILED_LOWER if lower else FAILED)


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
    words = rule_message(rule)
    reading = None
    if rule.kind == "of_entitled":
        reading = Msg.of(READING_OF_ENTITLED)
    elif rule.kind == "two_thirds_cast_half_present":
        reading = Msg.of(READING_CAST_WITH_ABSTENTIONS)
    tally = Msg.of(
        TALLY,
        for_=votes.for_,
        against=votes.against,
        abstain=votes.abstain,
        not_voting=present - votes.cast,
        absent=entitled - present,
        entitled=entitled,
    )
    needed = Msg.of(NEEDED, n=required_for) if required_for is not None else Msg.of(IMPOSSIBLE)
    return MajorityResult(
        rule_id=RULE_ID,
        message=Msg.of(
            VERDICT,
            verdict=_verdict(passed, present, presence_required, lower=False),
            tally=tally,
            rule=words,
            needed=needed,
        ),
        decision=decision,
        rule=rule,
        kind=rule.kind,
        rule_message=words,
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
        message = Msg.of(
            RESOLUTION_NO_QUORUM,
            organ=Term("organ", organ),
            quorum=q.message,
            tally=m.tally,
            rule=m.rule_message,
        )
    else:
        message = Msg.of(
            RESOLUTION,
            organ=Term("organ", organ),
            verdict=_verdict(m.passed, m.present, m.presence_required, lower=True),
            tally=m.tally,
            rule=m.rule_message,
            needed=m.message.kwargs["needed"],
        )
    return ResolutionOutcome(
        rule_id=RULE_ID,
        message=message,
        organ=organ,
        decision=decision,
        term=term,
        quorum=q,
        majority=m,
        passed=passed,
    )
