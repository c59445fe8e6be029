"""GOV-2 quorum and GOV-3 majorities: tables with odd counts, edges, and properties."""

import dataclasses
from fractions import Fraction as F

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from klaster.rules.governance import (
    NotInStatute,
    Presence,
    VoteCount,
    majority,
    quorum,
    resolution_outcome,
)
from klaster.rules.message import say
from klaster.rules.statute import EVOLUMA, INFOTECH, MajorityRule, Organ, StatuteProfile


@pytest.mark.parametrize(
    ("organ", "entitled", "present", "required", "met"),
    [
        ("ga", 10, 5, 5, True),  # 001 dec. 4a: minimum 50%, inclusive
        ("ga", 10, 4, 5, False),
        ("ga", 11, 6, 6, True),  # 5.5 rounds up to 6 people
        ("ga", 11, 5, 6, False),
        ("council", 11, 9, 9, True),  # 75% of 11 = 8.25 → 9
        ("council", 11, 8, 9, False),
        ("council", 4, 3, 3, True),
        ("board", 5, 4, 4, True),  # 80% of 5 = 4
        ("board", 10, 7, 8, False),
        ("board", 10, 8, 8, True),
        ("board_presidium", 3, 2, 2, True),  # inherited half: 1.5 → 2
    ],
)
def test_gov_2_quorum_table_evoluma(
    organ: Organ, entitled: int, present: int, required: int, met: bool
) -> None:
    result = quorum(EVOLUMA, organ, entitled, Presence(in_person=present))
    assert (result.required, result.met) == (required, met)
    assert result.rule_id == "GOV-2"


def test_gov_2_presence_online_and_by_proxy_counts() -> None:
    result = quorum(EVOLUMA, "ga", 10, Presence(in_person=3, online=1, proxy=1))
    assert result.met and result.present == 5
    assert "pełnomocnika" in say(result.message)


def test_gov_2_profile_can_leave_proxies_out_of_the_quorum() -> None:
    rules = dataclasses.replace(
        EVOLUMA.ga, quorum=dataclasses.replace(EVOLUMA.ga.quorum, counts_proxies=False)
    )
    profile = dataclasses.replace(EVOLUMA, ga=rules)
    assert not quorum(profile, "ga", 10, Presence(in_person=4, proxy=1)).met


def test_gov_2_infotech_second_term_has_no_quorum() -> None:
    first = quorum(INFOTECH, "ga", 40, Presence(in_person=3))
    second = quorum(INFOTECH, "ga", 40, Presence(in_person=3), term=2)
    assert not first.met and second.met
    assert second.threshold is None and "bez względu" in say(second.message)
    with pytest.raises(NotInStatute) as refused:
        quorum(EVOLUMA, "council", 10, Presence(in_person=3), term=2)
    assert "drugiego terminu" in say(refused.value.message)


def test_gov_2_nobody_entitled_is_never_quorate_and_counts_must_be_consistent() -> None:
    assert not quorum(EVOLUMA, "ga", 0, Presence()).met
    with pytest.raises(ValueError, match="więcej niż uprawnionych"):
        quorum(EVOLUMA, "ga", 3, Presence(in_person=3, proxy=1))


OF_ENTITLED = EVOLUMA.ga.majority
SIMPLE = INFOTECH.ga.majority
TWO_THIRDS = INFOTECH.board.majority_for("admit_partner")


@pytest.mark.parametrize(
    ("rule", "for_", "against", "abstain", "present", "entitled", "passed"),
    [
        # evoluma 001 dec. 3, read as more than half of those entitled
        (OF_ENTITLED, 6, 0, 0, 6, 10, True),
        (OF_ENTITLED, 5, 0, 0, 10, 10, False),  # exactly half is not more than half
        (OF_ENTITLED, 6, 5, 0, 11, 11, True),
        (OF_ENTITLED, 5, 0, 0, 11, 11, False),
        (OF_ENTITLED, 6, 0, 4, 10, 10, True),  # abstentions don't matter, only for-votes
        (OF_ENTITLED, 5, 1, 0, 6, 10, False),  # a majority of those present is not enough
        # infotech 000 §8.5: simple majority, more for than against
        (SIMPLE, 3, 2, 5, 10, 20, True),
        (SIMPLE, 3, 3, 0, 6, 20, False),
        (SIMPLE, 1, 0, 9, 10, 20, True),
        (SIMPLE, 0, 0, 5, 5, 20, False),
        # infotech 000 §6.3: ≥ 2/3 of votes cast, abstentions cast, half present
        (TWO_THIRDS, 4, 2, 0, 6, 10, True),  # exactly 2/3 passes (≥)
        (TWO_THIRDS, 4, 1, 1, 6, 10, True),
        (TWO_THIRDS, 4, 2, 1, 7, 10, False),  # 4 < 14/3
        (TWO_THIRDS, 2, 0, 2, 5, 10, False),  # abstentions counted: 2 < 8/3
        (TWO_THIRDS, 4, 0, 0, 4, 10, False),  # 4 of 10 present: fewer than half
        (TWO_THIRDS, 5, 0, 0, 5, 11, False),  # 5 of 11 present: fewer than half
        (TWO_THIRDS, 6, 0, 0, 6, 11, True),
    ],
)
def test_gov_3_majority_table(
    rule: MajorityRule,
    for_: int,
    against: int,
    abstain: int,
    present: int,
    entitled: int,
    passed: bool,
) -> None:
    result = majority(rule, VoteCount(for_, against, abstain), entitled, present)
    assert result.passed is passed
    assert result.rule_id == "GOV-3"
    assert (result.for_, result.against, result.abstain) == (for_, against, abstain)
    assert result.not_voting_present == present - for_ - against - abstain
    assert result.absent == entitled - present


@pytest.mark.parametrize(
    ("entitled", "required"), [(10, 6), (11, 6), (12, 7), (13, 7), (1, 1), (2, 2)]
)
def test_gov_3_of_entitled_required_for_is_more_than_half(entitled: int, required: int) -> None:
    result = majority(OF_ENTITLED, VoteCount(0, 0, 0), entitled, entitled)
    assert result.required_for == required


def test_gov_3_result_states_rule_and_evoluma_reading() -> None:
    result = resolution_outcome(
        EVOLUMA, "council", VoteCount(6, 2, 1), 11, Presence(in_person=9, proxy=1)
    )
    assert result.passed
    m = result.majority
    assert m.reading is not None and "6 z 10" in say(m.reading) and "6 z 11" in say(m.reading)
    assert "więcej niż połowa uprawnionych" in say(m.rule_message)
    assert "za 6, przeciw 2, wstrzymujące się 1, obecni niegłosujący 1, nieobecni 1" in say(
        m.message
    )
    simple = majority(SIMPLE, VoteCount(3, 2, 0), 10, 5)
    assert simple.reading is None and "więcej głosów „za” niż „przeciw”" in say(simple.rule_message)
    assert "wstrzymujące się są głosami oddanymi" in say(
        majority(TWO_THIRDS, VoteCount(4, 0, 0), 6, 4).rule_message
    )


def test_gov_3_resolution_needs_quorum_and_majority() -> None:
    # 7 for of 10 on the Board is a majority of those entitled, but 7 present < 80%.
    result = resolution_outcome(EVOLUMA, "board", VoteCount(7, 0, 0), 10, Presence(in_person=7))
    assert result.majority.passed and not result.quorum.met and not result.passed
    assert "Brak kworum" in say(result.message)
    admit = resolution_outcome(
        INFOTECH, "board", VoteCount(4, 2, 0), 10, Presence(in_person=6), decision="admit_partner"
    )
    assert admit.passed and admit.majority.kind == "two_thirds_cast_half_present"


def test_gov_3_inconsistent_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="Niespójne"):
        majority(OF_ENTITLED, VoteCount(5, 2, 0), 10, 6)


rules = st.sampled_from([OF_ENTITLED, SIMPLE, TWO_THIRDS]) | st.builds(
    MajorityRule,
    kind=st.sampled_from(["of_votes_cast", "of_entitled", "two_thirds_cast_half_present"]),
    share=st.fractions(min_value=F(1, 10), max_value=1, max_denominator=12),
    strict=st.booleans(),
    min_present=st.none() | st.fractions(min_value=F(1, 10), max_value=1, max_denominator=12),
)


@st.composite
def counts(draw: st.DrawFn) -> tuple[VoteCount, int, int]:
    entitled = draw(st.integers(1, 60))
    present = draw(st.integers(0, entitled))
    for_ = draw(st.integers(0, present))
    against = draw(st.integers(0, present - for_))
    abstain = draw(st.integers(0, present - for_ - against))
    return VoteCount(for_, against, abstain), present, entitled


@given(rules, counts())
def test_gov_3_property_more_votes_for_never_hurts(
    rule: MajorityRule, c: tuple[VoteCount, int, int]
) -> None:
    votes, present, entitled = c
    assume(present < entitled)
    before = majority(rule, votes, entitled, present)
    # one more entity comes and votes for
    after = majority(
        rule, VoteCount(votes.for_ + 1, votes.against, votes.abstain), entitled, present + 1
    )
    assert not before.passed or after.passed
    # an abstainer or opponent switching to for never hurts either
    if votes.abstain:
        switched = VoteCount(votes.for_ + 1, votes.against, votes.abstain - 1)
        assert not before.passed or majority(rule, switched, entitled, present).passed
    if votes.against:
        switched = VoteCount(votes.for_ + 1, votes.against - 1, votes.abstain)
        assert not before.passed or majority(rule, switched, entitled, present).passed


@given(rules, counts())
def test_gov_3_property_never_passes_below_the_threshold(
    rule: MajorityRule, c: tuple[VoteCount, int, int]
) -> None:
    votes, present, entitled = c
    result = majority(rule, votes, entitled, present)
    if result.passed:
        assert votes.for_ >= 1
        target = rule.share * result.base
        assert votes.for_ > target if rule.strict else votes.for_ >= target
        if rule.min_present is not None:
            assert present >= rule.min_present * entitled
    # required_for agrees with the verdict
    expected = (
        result.presence_met
        and result.required_for is not None
        and votes.for_ >= result.required_for
    )
    assert result.passed is expected


@given(st.integers(1, 60), st.data())
def test_gov_3_property_of_entitled_is_exactly_more_than_half(
    entitled: int, data: st.DataObject
) -> None:
    for_ = data.draw(st.integers(0, entitled))
    result = majority(OF_ENTITLED, VoteCount(for_, 0, 0), entitled, for_)
    assert result.passed is (2 * for_ > entitled)


@given(
    st.sampled_from(["ga", "council", "council_presidium", "board", "board_presidium"]),
    st.sampled_from([EVOLUMA, INFOTECH]),
    st.integers(1, 80),
    st.data(),
)
def test_gov_2_property_quorum_monotone_in_presence(
    organ: Organ, profile: StatuteProfile, entitled: int, data: st.DataObject
) -> None:
    present = data.draw(st.integers(0, entitled - 1))
    now = quorum(profile, organ, entitled, Presence(in_person=present))
    more = quorum(profile, organ, entitled, Presence(in_person=present + 1))
    assert not now.met or more.met
    if now.met and now.threshold is not None:
        assert present >= now.threshold * entitled
    if not now.met:
        assert now.threshold is not None and present < now.threshold * entitled
