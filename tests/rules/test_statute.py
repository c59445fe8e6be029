"""Statute profiles: preset numbers with their sources, JSON round trip, validation, versions."""

import dataclasses
import datetime as dt
import json
import subprocess
import sys
from fractions import Fraction as F
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klaster.rules.statute import (
    EVOLUMA,
    INFOTECH,
    PRESETS,
    AttendanceDuty,
    Confirm,
    MajorityRule,
    ProxyRule,
    QuorumRule,
    StatuteProfile,
    StatuteProfileError,
    profile_from_dict,
    profile_in_force,
    profile_to_dict,
)


def test_presets_are_named() -> None:
    assert set(PRESETS) == {"infotech", "evoluma"}
    assert PRESETS["infotech"].name == "infotech"
    assert PRESETS["evoluma"].name == "evoluma"


def test_gov_2_quorum_numbers_in_presets() -> None:
    # 001 dec. 4: GA 50%, Council 75%, Board 80%, proxies count; the GA's second term is 000 §8.5's,
    # marked "from the agreement template — confirm" (SPEC "Reading (evoluma and its agreement)").
    assert EVOLUMA.ga.quorum == QuorumRule(
        threshold=F(1, 2), second_term=True, confirm=(Confirm("second_term", "agreement_template"),)
    )
    assert EVOLUMA.council.quorum is not None and EVOLUMA.council.quorum.threshold == F(3, 4)
    assert EVOLUMA.board.quorum is not None and EVOLUMA.board.quorum.threshold == F(4, 5)
    assert EVOLUMA.board.quorum.counts_proxies
    # 000 §8.5: half in the first term, no quorum in the second.
    assert INFOTECH.ga.quorum is not None
    assert INFOTECH.ga.quorum.threshold == F(1, 2)
    assert INFOTECH.ga.quorum.second_term and INFOTECH.ga.quorum.second_term_threshold is None
    assert EVOLUMA.council.quorum.second_term is False


def test_gov_3_majority_kinds_in_presets() -> None:
    for organ in ("ga", "council", "council_presidium", "board", "board_presidium"):
        rule = EVOLUMA.organ(organ).majority
        assert (rule.kind, rule.share, rule.strict) == ("of_entitled", F(1, 2), True)
    assert INFOTECH.ga.majority == MajorityRule(kind="of_votes_cast", share=F(1, 2), strict=True)
    admit = INFOTECH.board.majority_for("admit_partner")
    assert admit == MajorityRule(
        kind="two_thirds_cast_half_present", share=F(2, 3), strict=False, min_present=F(1, 2)
    )
    # SPEC "Reading (evoluma and its agreement)": 001 sends the admission of a Partner to 000 §6.3,
    # so evoluma's Board admits by 2/3 of the votes cast with half of those entitled present.
    assert EVOLUMA.board.majority_for("admit_partner") == admit
    assert EVOLUMA.board.majority_for("anything_else").kind == "of_entitled"
    assert INFOTECH.board.majority_for("anything_else") == INFOTECH.board.majority


def test_gov_4_proxy_numbers_in_presets() -> None:
    assert EVOLUMA.ga.proxy == ProxyRule(share_cap=F(1, 10), count_cap=12, deadline_days_before=2)
    assert EVOLUMA.council.proxy == ProxyRule(
        share_cap=F(1, 5), count_cap=4, deadline_days_before=2
    )
    assert EVOLUMA.board.proxy == ProxyRule(share_cap=F(3, 10), count_cap=3, deadline_days_before=2)
    assert INFOTECH.ga.proxy is None and EVOLUMA.council_presidium.proxy is None


def test_gov_5_gov_6_gov_7_numbers_in_presets() -> None:
    assert EVOLUMA.objections is not None
    assert (EVOLUMA.objections.business_days, EVOLUMA.objections.threshold) == (5, F(1, 2))
    assert EVOLUMA.objections.strict and INFOTECH.objections is None
    assert EVOLUMA.ga.attendance == AttendanceDuty(min_share=F(1, 4), window_months=24)
    assert EVOLUMA.council.attendance == AttendanceDuty(min_share=F(1, 4), window_months=12)
    assert EVOLUMA.board.attendance == AttendanceDuty(min_share=F(2, 3), window_months=12)
    assert "proxy" not in EVOLUMA.board.attendance.counted_modes
    for p in (INFOTECH, EVOLUMA):
        assert p.ga.notice_days == 21
        assert p.ga.extraordinary_request_share == F(1, 4)
        assert p.ga.extraordinary_within_months == 1
        assert (p.ga.ordinary_per_year, p.ga.electoral_every_years) == (2, 3)


def test_gov_8_gov_9_gov_13_numbers_inherited_by_evoluma() -> None:
    # 001 says nothing about seats, terms or mediation: evoluma keeps 000's numbers.
    for p in (INFOTECH, EVOLUMA):
        assert (p.council.members_per_seat, p.council.term_years) == (5, 3)
        assert (p.council_presidium.size, p.council_presidium.term_years) == (5, 3)
        assert (p.board.members_per_seat, p.board.coordinator_seats, p.board.term_years) == (
            30,
            1,
            4,
        )
        assert p.board.min_meetings_per_month == 1
        assert (p.board_presidium.size, p.board_presidium.permanent_from_coordinator) == (3, 1)
        assert p.mediation.days == 30
        assert p.working_groups.min_initiators == 5
        assert p.working_groups.coordinator_may_initiate_alone


def test_gov_12_admission_and_fin_numbers() -> None:
    a = EVOLUMA.admission
    assert (a.partner_organ, a.strategic_partner_organ) == ("board", "council")
    assert (a.min_recommendations, a.presentation_business_days, a.fee_deposit_share) == (
        2,
        5,
        F(1, 4),
    )
    assert INFOTECH.admission.min_recommendations == 0
    assert EVOLUMA.entry_fee is not None
    assert (EVOLUMA.entry_fee.annual_dues_multiplier, EVOLUMA.entry_fee.near_multiplier) == (2, 1)
    assert EVOLUMA.entry_fee.near_radius_km == 150
    assert EVOLUMA.suspension is not None
    assert (EVOLUMA.suspension.max_months, EVOLUMA.suspension.gap_months) == (12, 12)
    assert EVOLUMA.dues_condition_vote and not INFOTECH.dues_condition_vote
    assert EVOLUMA.working_groups.min_declarations_to_start == 5
    assert EVOLUMA.individual_meeting_months == 12


@pytest.mark.parametrize("profile", list(PRESETS.values()), ids=list(PRESETS))
def test_profile_json_round_trip_presets(profile: StatuteProfile) -> None:
    data = profile_to_dict(profile)
    text = json.dumps(data)  # JSON-safe: no Fraction, no tuple left
    assert profile_from_dict(json.loads(text)) == profile
    assert data["format"] == "klaster-statute/1"
    expected = "1/2" if profile is INFOTECH else "3/4"
    assert data["council"]["quorum"]["threshold"] == expected


shares = st.fractions(min_value=F(1, 100), max_value=1, max_denominator=100)
counts = st.integers(min_value=1, max_value=50)
majorities = st.builds(
    MajorityRule,
    kind=st.sampled_from(["of_votes_cast", "of_entitled", "two_thirds_cast_half_present"]),
    share=shares,
    strict=st.booleans(),
    min_present=st.none() | shares,
)
marks = st.sampled_from(
    [(), (Confirm("threshold", "no_source"),), (Confirm("threshold", "agreement_template"),)]
)
quorums = st.builds(QuorumRule, threshold=shares, confirm=marks) | st.builds(
    QuorumRule,
    threshold=shares,
    second_term=st.just(True),
    second_term_threshold=st.none() | shares,
    confirm=marks,
)
proxies = st.none() | st.builds(
    ProxyRule, share_cap=shares, count_cap=counts, deadline_days_before=st.integers(0, 7)
)
duties = st.none() | st.builds(AttendanceDuty, min_share=shares, window_months=counts)


@st.composite
def profiles(draw: Any) -> StatuteProfile:
    base = draw(st.sampled_from([INFOTECH, EVOLUMA]))
    changes = {}
    for organ in ("ga", "council", "board", "council_presidium", "board_presidium"):
        rules = getattr(base, organ)
        changes[organ] = dataclasses.replace(
            rules,
            quorum=draw(st.none() | quorums),
            majority=draw(majorities),
            proxy=draw(proxies),
            attendance=draw(duties),
            notice_days=draw(st.none() | st.integers(0, 60)),
        )
    changes["council"] = dataclasses.replace(
        changes["council"],
        members_per_seat=draw(counts),
        seat_rounding=draw(st.sampled_from(["ceil", "floor"])),
    )
    return dataclasses.replace(base, name=draw(st.text(min_size=1).filter(str.strip)), **changes)


@given(profiles())
def test_profile_from_dict_inverts_to_dict(profile: StatuteProfile) -> None:
    assert profile_from_dict(json.loads(json.dumps(profile_to_dict(profile)))) == profile


def _broken(path: list[Any], value: Any) -> dict[str, Any]:
    data = json.loads(json.dumps(profile_to_dict(EVOLUMA)))
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


_DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "field", "fragment"),
    [
        (["board", "quorum", "threshold"], 0.8, "board.quorum.threshold", "ułamka"),
        (["board", "quorum", "threshold"], "4/0", "board.quorum.threshold", "mianownik"),
        (["board", "quorum", "threshold"], "3/2", "board.quorum.threshold", "przedziału"),
        (
            ["board", "quorum", "threshold"],
            _DELETE,
            "board.quorum.threshold",
            "brak wymaganego pola",
        ),
        (["ga", "proxy", "count_cap"], True, "ga.proxy.count_cap", "liczby całkowitej"),
        (["ga", "proxy", "count_cap"], 0, "ga.proxy.count_cap", "co najmniej 1"),
        (["ga", "majority", "kind"], "unanimous", "ga.majority.kind", "niedozwolona wartość"),
        (["council", "seats"], 3, "council.seats", "nieznane pole"),
        (
            ["ga", "attendance", "counted_modes", 0],
            "phone",
            "ga.attendance.counted_modes[0]",
            "niedozwolona",
        ),
        (["objections"], "none", "objections", "obiektu"),
        (["format"], "klaster-statute/0", "format", "nieznany format"),
        (
            ["council", "quorum", "second_term_threshold"],
            "1/3",
            "council.quorum.second_term_threshold",
            "drugiego terminu",
        ),
    ],
)
def test_profile_from_dict_names_the_bad_field(
    path: list[Any], value: Any, field: str, fragment: str
) -> None:
    with pytest.raises(StatuteProfileError) as caught:
        profile_from_dict(_broken(path, value))
    assert caught.value.field == field
    assert fragment in str(caught.value)
    assert str(caught.value).startswith(f"Pole „{field}”")


def test_hand_built_profile_is_validated_too() -> None:
    with pytest.raises(StatuteProfileError, match="przedziału"):
        QuorumRule(threshold=F(0))


def test_profile_in_force_picks_latest_started_version() -> None:
    stricter = dataclasses.replace(EVOLUMA, name="evoluma 2023")
    versions = [(dt.date(2021, 9, 10), EVOLUMA), (dt.date(2023, 1, 1), stricter)]
    assert profile_in_force(versions, dt.date(2022, 12, 31)) is EVOLUMA
    assert profile_in_force(versions, dt.date(2023, 1, 1)) is stricter
    assert profile_in_force(list(reversed(versions)), dt.date(2030, 1, 1)) is stricter
    with pytest.raises(LookupError, match="Żadna wersja"):
        profile_in_force(versions, dt.date(2021, 9, 9))
    with pytest.raises(ValueError, match="tego samego dnia"):
        profile_in_force(versions + [(dt.date(2023, 1, 1), INFOTECH)], dt.date(2024, 1, 1))


def test_rules_modules_import_no_django() -> None:
    code = (
        "import sys, klaster.rules.statute, klaster.rules.calendar, klaster.rules.governance; "
        "sys.exit(1 if any(m == 'django' or m.startswith('django.') for m in sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
