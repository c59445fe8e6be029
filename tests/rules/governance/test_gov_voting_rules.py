"""GOV-1: who may vote, as of the meeting's date, with reasons."""

import datetime as dt

import pytest

from klaster.rules.governance import MemberStanding, Period, voting_right, voting_roll
from klaster.rules.message import say
from klaster.rules.statute import EVOLUMA, INFOTECH

D = dt.date
ON = D(2025, 6, 16)

PAYING = MemberStanding("m1", "Alfa sp. z o.o.", "partner", joined=D(2020, 1, 1))
STRATEGIC = MemberStanding("m2", "Politechnika", "strategic_partner", joined=D(2020, 1, 1))
EXEMPT = MemberStanding(
    "m3", "Beta", "partner", joined=D(2020, 1, 1), dues_exemptions=(Period(D(2025, 1, 1)),)
)
SUSPENDED = MemberStanding(
    "m4",
    "Gamma",
    "partner",
    joined=D(2020, 1, 1),
    suspensions=(Period(D(2025, 3, 1), D(2025, 12, 31)),),
)
WITHDRAWN = MemberStanding(
    "m5", "Delta", "partner", joined=D(2020, 1, 1), vote_withdrawals=(Period(D(2025, 6, 1)),)
)
NEW = MemberStanding("m6", "Epsilon", "partner", joined=D(2025, 6, 17))
RESIGNED = MemberStanding("m7", "Zeta", "partner", joined=D(2020, 1, 1), left=ON)


@pytest.mark.parametrize(
    ("member", "code", "vote", "attend"),
    [
        (PAYING, "partner", True, True),
        (STRATEGIC, "strategic_partner", True, True),
        (EXEMPT, "dues_exempt", False, True),  # 001 fin. 4: attends, speaks, no vote
        (SUSPENDED, "suspended", False, False),  # 001 "Zawieszenie" 2
        (WITHDRAWN, "vote_withdrawn", False, True),
        (NEW, "not_member", False, False),  # joins the day after
        (RESIGNED, "not_member", False, False),  # resignation reached the coordinator that day
    ],
)
def test_gov_1_voting_right_per_member(
    member: MemberStanding, code: str, vote: bool, attend: bool
) -> None:
    right = voting_right(EVOLUMA, member, ON)
    assert (right.code, right.may_vote, right.may_attend) == (code, vote, attend)
    assert right.rule_id == "GOV-1"
    assert say(right.message)


def test_gov_1_exempted_member_may_speak_but_not_vote() -> None:
    right = voting_right(EVOLUMA, EXEMPT, ON)
    assert right.may_speak and not right.may_vote
    assert "bez prawa głosu" in say(right.message) and "doradczy" in say(right.message)


def test_gov_1_rights_are_decided_as_of_the_date() -> None:
    assert voting_right(EVOLUMA, SUSPENDED, D(2025, 2, 28)).may_vote
    assert not voting_right(EVOLUMA, SUSPENDED, D(2025, 12, 31)).may_vote
    assert voting_right(EVOLUMA, SUSPENDED, D(2026, 1, 1)).may_vote  # resumes by itself
    assert voting_right(EVOLUMA, NEW, D(2025, 6, 17)).may_vote
    assert voting_right(EVOLUMA, RESIGNED, ON - dt.timedelta(days=1)).may_vote


def test_gov_1_infotech_does_not_tie_the_vote_to_dues() -> None:
    # 000 §6.4.2: every Partner votes; only the evoluma profile (001 dec. 1) ties it to dues.
    assert voting_right(INFOTECH, EXEMPT, ON).may_vote
    assert not voting_right(INFOTECH, SUSPENDED, ON).may_vote


def test_gov_1_voting_roll_counts_the_entitled() -> None:
    roll = voting_roll(
        EVOLUMA, [PAYING, STRATEGIC, EXEMPT, SUSPENDED, WITHDRAWN, NEW, RESIGNED], ON
    )
    assert roll.entitled_ids == ("m1", "m2")
    assert roll.entitled == 2
    assert "2 z 7" in say(roll.message)
    with pytest.raises(ValueError, match="więcej niż raz"):
        voting_roll(EVOLUMA, [PAYING, PAYING], ON)
