"""GOV-12 admission readiness, GOV-13 mediation, GOV-15 individual meetings, GZW-1/2 groups."""

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from klaster.rules.governance import (
    AdmissionCase,
    FeePayment,
    MemberContacts,
    NotInStatute,
    admission_readiness,
    deciding_organ,
    entry_fee,
    fee_deposit,
    group_can_start,
    group_initiative,
    mediation_case,
    members_not_met,
)
from klaster.rules.message import say
from klaster.rules.statute import EVOLUMA, INFOTECH, Category, Organ, StatuteProfile

D = dt.date
MEETING = D(2025, 6, 16)  # Monday
MEMBERS = {"m1", "m2", "m3"}

COMPLETE = AdmissionCase(
    candidate_id="c1",
    category="partner",
    declaration_signed=True,
    rules_accepted=True,
    monitoring_data_provided=True,
    recommender_ids=("m1", "m2"),
    presentation_sent_on=D(2025, 6, 9),
    presentation_on_agenda=True,
    entry_fee_due=Decimal("4320.00"),
    fee_payments=(FeePayment(D(2025, 6, 13), Decimal("1080.00")),),
)


def test_gov_12_complete_candidate_is_ready() -> None:
    result = admission_readiness(EVOLUMA, COMPLETE, MEETING, MEMBERS)
    assert result.ready and result.missing == ()
    assert result.presentation_deadline == D(2025, 6, 9)
    assert result.deposit_required == Decimal("1080.00")
    assert result.deciding.organ == "board" and result.rule_id == "GOV-12"


@pytest.mark.parametrize(
    ("change", "codes"),
    [
        ({"declaration_signed": False}, ["declaration"]),
        (
            {"rules_accepted": False, "monitoring_data_provided": False},
            ["rules_acceptance", "monitoring_data"],
        ),
        ({"recommender_ids": ("m1",)}, ["recommendations"]),
        ({"recommender_ids": ("m1", "m1")}, ["recommendations"]),  # counted once
        ({"recommender_ids": ("m1", "x9")}, ["recommendations"]),  # x9 is not a current member
        ({"recommender_ids": ("m1", "c1")}, ["recommendations"]),  # no self-recommendation
        ({"presentation_sent_on": D(2025, 6, 10)}, ["presentation_late"]),  # 4 business days
        ({"presentation_sent_on": None}, ["presentation_missing"]),
        ({"presentation_on_agenda": False}, ["presentation_not_on_agenda"]),
        (
            {"fee_payments": (FeePayment(MEETING, Decimal("1080.00")),)},
            ["fee_deposit"],
        ),  # on the day
        ({"fee_payments": (FeePayment(D(2025, 6, 1), Decimal("1079.99")),)}, ["fee_deposit"]),
    ],
)
def test_gov_12_admission_lists_each_missing_item(
    change: dict[str, object], codes: list[str]
) -> None:
    case = dataclasses.replace(COMPLETE, **change)  # type: ignore[arg-type]
    result = admission_readiness(EVOLUMA, case, MEETING, MEMBERS)
    assert [m.code for m in result.missing] == codes
    assert not result.ready
    assert "nie można poddać pod głosowanie" in say(result.message)


def test_gov_12_presentation_five_business_days_across_may_holidays() -> None:
    # meeting Tuesday 06.05.2025: back over 5 May, 2 May, (3 May Sat, 1 May), 30 Apr, 29 Apr, 28 Apr
    case = dataclasses.replace(
        COMPLETE,
        presentation_sent_on=D(2025, 4, 28),
        fee_payments=(FeePayment(D(2025, 4, 1), Decimal(1080)),),
    )
    assert admission_readiness(EVOLUMA, case, D(2025, 5, 6), MEMBERS).ready
    late = dataclasses.replace(case, presentation_sent_on=D(2025, 4, 29))
    assert [m.code for m in admission_readiness(EVOLUMA, late, D(2025, 5, 6), MEMBERS).missing] == [
        "presentation_late"
    ]


def test_gov_12_infotech_needs_only_declaration_rules_and_data() -> None:
    bare = AdmissionCase("c1", "partner", True, True, True)
    assert admission_readiness(INFOTECH, bare, MEETING, MEMBERS).ready


@pytest.mark.parametrize(
    ("profile", "category", "organ", "kind"),
    [
        (INFOTECH, "partner", "board", "two_thirds_cast_half_present"),
        (INFOTECH, "strategic_partner", "council", "of_votes_cast"),
        # SPEC "Reading (evoluma and its agreement)": 000 §6.3's 2/3 under evoluma too
        (EVOLUMA, "partner", "board", "two_thirds_cast_half_present"),
        (EVOLUMA, "strategic_partner", "council", "of_entitled"),
    ],
)
def test_gov_12_deciding_organ_and_majority_by_category(
    profile: StatuteProfile, category: Category, organ: Organ, kind: str
) -> None:
    result = deciding_organ(profile, category)
    assert (result.organ, result.majority.kind) == (organ, kind)


@pytest.mark.parametrize(
    ("distance", "amount", "multiplier"),
    [
        (150, "2160.00", 1),
        (Decimal("149.5"), "2160.00", 1),
        (160, "4320.00", 2),
        (None, "4320.00", 2),
    ],
)
def test_gov_12_entry_fee_twice_dues_once_within_150_km(
    distance: int | Decimal | None, amount: str, multiplier: int
) -> None:
    fee = entry_fee(EVOLUMA, Decimal("2160.00"), distance)  # micro: 12 × 180
    assert (fee.amount, fee.multiplier) == (Decimal(amount), multiplier)


def test_gov_12_deposit_rounds_up_to_the_grosz() -> None:
    assert fee_deposit(EVOLUMA, Decimal("1000.01")) == Decimal("250.01")
    assert fee_deposit(INFOTECH, Decimal("1000.00")) == Decimal(0)
    with pytest.raises(NotInStatute):
        entry_fee(INFOTECH, Decimal(100), 10)


def test_gov_13_mediation_30_days_and_involved_member_stands_aside() -> None:
    presidium = ["p1", "p2", "p3", "p4", "p5"]
    case = mediation_case(
        EVOLUMA, D(2025, 3, 1), presidium, involved_ids={"p2", "m9"}, on=D(2025, 3, 31)
    )
    assert case.deadline == D(2025, 3, 31) and not case.overdue and case.days_left == 0
    assert case.standing_aside_ids == ("p2",) and case.council_should_delegate
    assert case.deciding_ids == ("p1", "p3", "p4", "p5")
    late = mediation_case(EVOLUMA, D(2025, 3, 1), presidium, involved_ids=set(), on=D(2025, 4, 1))
    assert late.overdue and "mediatora" in say(late.message) and late.rule_id == "GOV-13"
    assert not mediation_case(
        EVOLUMA, D(2025, 3, 1), presidium, set(), D(2025, 4, 1), resolved=True
    ).overdue


def test_gov_15_members_not_met_in_the_last_year() -> None:
    members = [
        MemberContacts("m1", D(2023, 1, 10), (D(2024, 5, 1),)),
        MemberContacts("m2", D(2024, 9, 1)),  # joined less than a year ago
        MemberContacts("m3", D(2020, 1, 1)),  # never met
    ]
    assert [n.member_id for n in members_not_met(EVOLUMA, members, D(2025, 5, 1))] == ["m3"]
    late = members_not_met(EVOLUMA, members, D(2025, 5, 2))
    assert [n.member_id for n in late] == ["m1", "m3"]
    assert late[0].last_met == D(2024, 5, 1) and late[0].rule_id == "GOV-15"
    with pytest.raises(NotInStatute):
        members_not_met(INFOTECH, members, D(2025, 5, 2))


@pytest.mark.parametrize(("declared", "ok"), [(4, False), (5, True), (7, True)])
def test_gzw_2_group_starts_with_five_declarations(declared: int, ok: bool) -> None:
    ids = [f"m{i}" for i in range(declared)]
    result = group_can_start(EVOLUMA, ids + ids)  # duplicates counted once
    assert (result.ok, result.count, result.required) == (ok, declared, 5)
    assert result.rule_id == "GZW-2"


def test_gzw_2_infotech_sets_no_minimum() -> None:
    assert group_can_start(INFOTECH, ["m1"]).ok
    assert not group_can_start(INFOTECH, []).ok


@pytest.mark.parametrize(
    ("initiators", "by_coordinator", "ok"), [(5, False, True), (4, False, False), (0, True, True)]
)
def test_gzw_1_new_group_needs_five_initiators_or_the_coordinator(
    initiators: int, by_coordinator: bool, ok: bool
) -> None:
    result = group_initiative(INFOTECH, [f"m{i}" for i in range(initiators)], by_coordinator)
    assert result.ok is ok and result.rule_id == "GZW-1"
