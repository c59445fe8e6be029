"""SPEC GOV-3, GOV-12 and "Reading (evoluma and its agreement)": evoluma takes from the agreement
template 000 what its bylaws 001 refer to or leave open — the Board admits a Partner by 2/3 of the
votes cast with at least half of those entitled present, the GA has a second term — and every number
taken so, or with no source at all, is marked "to confirm" in the profile, through its JSON too."""

import json
from fractions import Fraction as F

import pytest

from klaster.rules.governance import Presence, VoteCount, profile_rows, resolution_outcome
from klaster.rules.message import say
from klaster.rules.statute import (
    EVOLUMA,
    INFOTECH,
    PRESETS,
    Confirm,
    MajorityRule,
    QuorumRule,
    StatuteProfile,
    StatuteProfileError,
    confirm_source,
    profile_from_dict,
    profile_to_dict,
    unconfirmed,
)

TWO_THIRDS_HALF_PRESENT = MajorityRule(
    kind="two_thirds_cast_half_present", share=F(2, 3), strict=False, min_present=F(1, 2)
)


def test_gov_3_gov_12_evoluma_board_admits_a_partner_by_two_thirds_of_votes_cast() -> None:
    assert EVOLUMA.board.majority_for("admit_partner") == TWO_THIRDS_HALF_PRESENT
    # Every other decision keeps 001 dec. 3's "50% + 1 of those entitled".
    assert EVOLUMA.board.majority.kind == "of_entitled"
    assert EVOLUMA.council.majority_for("admit_strategic_partner").kind == "of_entitled"


@pytest.mark.parametrize(
    ("for_", "against", "abstain", "entitled", "present", "passed"),
    [
        # 3 of 5 is more than half of those entitled (the old reading passed it) but below 2/3 cast
        (3, 2, 0, 5, 5, False),
        (4, 1, 0, 5, 5, True),  # 4/5 ≥ 2/3
        (4, 2, 0, 6, 6, True),  # exactly 2/3 passes (≥)
        (4, 1, 1, 6, 6, True),  # abstentions are cast votes: 4 of 6 cast is 2/3
        (4, 1, 2, 7, 7, False),  # 4 of 7 cast is below 2/3, although 4 > 7/2
    ],
)
def test_gov_3_gov_12_evoluma_admission_outcome(
    for_: int, against: int, abstain: int, entitled: int, present: int, passed: bool
) -> None:
    outcome = resolution_outcome(
        EVOLUMA,
        "board",
        VoteCount(for_, against, abstain),
        entitled,
        Presence(in_person=present),
        decision="admit_partner",
    )
    assert outcome.passed is passed
    assert outcome.majority.kind == "two_thirds_cast_half_present"
    assert "2/3 głosów oddanych" in say(outcome.majority.rule_message)


def test_gov_2_evoluma_keeps_the_general_assemblys_second_term() -> None:
    quorum = EVOLUMA.ga.quorum
    assert quorum is not None and quorum.second_term and quorum.second_term_threshold is None
    assert quorum.threshold == F(1, 2)


def test_gov_12_numbers_from_the_agreement_template_are_marked_to_confirm() -> None:
    marks = unconfirmed(EVOLUMA)
    assert confirm_source(marks, "board.decisions") == "agreement_template"
    assert confirm_source(marks, "board.decisions[0]") == "agreement_template"
    assert confirm_source(marks, "ga.quorum.second_term") == "agreement_template"
    assert confirm_source(marks, "ga.notice_days") == "agreement_template"
    assert confirm_source(marks, "admission.preferred_radius_km") == "agreement_template"
    # 001's own numbers carry no mark.
    for own in (
        "ga.quorum.threshold",
        "council.quorum",
        "board.quorum",
        "board.majority",
        "ga.proxy",
        "admission.min_recommendations",
        "objections",
    ):
        assert confirm_source(marks, own) is None, own


def test_gov_2_numbers_without_any_source_are_marked_to_confirm() -> None:
    marks = unconfirmed(INFOTECH)
    for path in (
        "council.quorum",
        "board.quorum",
        "council.majority",
        "board.majority",
        "council_presidium.quorum",
        "board_presidium.quorum",
    ):
        assert confirm_source(marks, path) == "no_source", path
    # 000 §8.5 and §6.3 are the agreement itself for infotech: nothing to confirm there.
    for own in ("ga.quorum", "ga.majority", "board.decisions"):
        assert confirm_source(marks, own) is None, own
    assert {m.source for m in marks} == {"no_source"}
    # evoluma inherits the presidia's quorum with no source; its Council and Board quorums are 001's.
    evoluma = unconfirmed(EVOLUMA)
    assert confirm_source(evoluma, "council_presidium.quorum") == "no_source"
    assert confirm_source(evoluma, "council.quorum") is None


@pytest.mark.parametrize("profile", list(PRESETS.values()), ids=list(PRESETS))
def test_gov_12_marks_survive_the_json_round_trip(profile: StatuteProfile) -> None:
    data = json.loads(json.dumps(profile_to_dict(profile)))
    back = profile_from_dict(data)
    assert back == profile and unconfirmed(back) == unconfirmed(profile)


def test_gov_12_the_json_shows_the_marks_and_removing_one_confirms_it() -> None:
    data = json.loads(json.dumps(profile_to_dict(EVOLUMA)))
    assert {"field": "decisions", "source": "agreement_template"} in data["board"]["confirm"]
    data["board"]["confirm"] = [m for m in data["board"]["confirm"] if m["field"] != "decisions"]
    confirmed = profile_from_dict(data)
    assert confirm_source(unconfirmed(confirmed), "board.decisions") is None
    assert confirmed.board.majority_for("admit_partner") == TWO_THIRDS_HALF_PRESENT


def test_gov_12_a_stored_profile_without_marks_still_loads() -> None:
    data = json.loads(json.dumps(profile_to_dict(EVOLUMA)))

    def strip(value: object) -> None:
        if isinstance(value, dict):
            value.pop("confirm", None)
            for item in value.values():
                strip(item)
        elif isinstance(value, list):
            for item in value:
                strip(item)

    strip(data)
    assert unconfirmed(profile_from_dict(data)) == ()


@pytest.mark.parametrize(
    ("mark", "field", "fragment"),
    [
        ({"field": "seats", "source": "no_source"}, "board.confirm[0].field", "nieznane pole"),
        ({"field": "quorum", "source": "maybe"}, "board.confirm[0].source", "niedozwolona wartość"),
        ({"field": "quorum"}, "board.confirm[0].source", "brak wymaganego pola"),
    ],
)
def test_gov_12_a_bad_mark_is_refused_naming_the_field(
    mark: dict[str, str], field: str, fragment: str
) -> None:
    data = json.loads(json.dumps(profile_to_dict(EVOLUMA)))
    data["board"]["confirm"] = [mark]
    with pytest.raises(StatuteProfileError) as caught:
        profile_from_dict(data)
    assert caught.value.field == field and fragment in str(caught.value)


def test_a_field_marked_twice_is_refused() -> None:
    with pytest.raises(StatuteProfileError, match="więcej niż raz"):
        QuorumRule(
            threshold=F(1, 2),
            confirm=(Confirm("threshold", "no_source"), Confirm("threshold", "no_source")),
        )


@pytest.mark.parametrize("profile", list(PRESETS.values()), ids=list(PRESETS))
def test_gov_12_every_mark_is_shown_on_a_row_of_the_statute_page(profile: StatuteProfile) -> None:
    rows = profile_rows(profile)
    shown = {r.path for r in rows if r.confirm}
    for mark in unconfirmed(profile):
        assert any(
            p == mark.path or p.startswith((mark.path + ".", mark.path + "[")) for p in shown
        ), mark
    admit = next(r for r in profile_rows(EVOLUMA) if r.path == "board.decisions[0]")
    assert (
        admit.confirm == "agreement_template"
        and "2/3" in say(admit.value)
        and "przyjęcie Partnera" in say(admit.label)
    )


def test_gov_12_profile_differences_name_changed_numbers_not_marks() -> None:
    from klaster.rules.statute import profile_differences

    old = json.loads(json.dumps(profile_to_dict(EVOLUMA)))
    old["board"]["decisions"] = []
    old["board"]["confirm"] = []
    assert profile_differences(old, profile_to_dict(EVOLUMA)) == ("board.decisions",)
    assert profile_differences(profile_to_dict(EVOLUMA), profile_to_dict(EVOLUMA)) == ()
