"""GOV-6 attendance duties, GOV-8/GOV-9 seats, groups and Board cadence, GOV-10 incompatibility."""

import dataclasses
import datetime as dt

import pytest

from klaster.rules.governance import (
    AttendanceRecord,
    Candidate,
    PersonRelation,
    attendance_report,
    attendance_shortfalls,
    board_cadence,
    check_incompatibility,
    missing_groups,
    seat_count,
)
from klaster.rules.message import say
from klaster.rules.statute import EVOLUMA, INFOTECH, AttendanceMode, Organ

D = dt.date
ON = D(2025, 6, 15)


def _records(
    who: str, organ: Organ, modes: list[AttendanceMode], start: dt.date, step_days: int
) -> list[AttendanceRecord]:
    return [
        AttendanceRecord(who, organ, start + dt.timedelta(days=i * step_days), mode)
        for i, mode in enumerate(modes)
    ]


def test_gov_6_ga_quarter_in_two_years_proxies_do_not_count() -> None:
    eight = D(2023, 7, 1)
    ok = _records("m1", "ga", ["in_person", "online", *["absent"] * 6], eight, 90)
    short = _records("m2", "ga", ["online", "proxy", "proxy", "proxy", *["absent"] * 4], eight, 90)
    report = {s.attendee_id: s for s in attendance_report(EVOLUMA, ok + short, ON)}
    assert (report["m1"].meetings, report["m1"].attended, report["m1"].required) == (8, 2, 2)
    assert not report["m1"].short and report["m1"].notice is None
    assert (report["m2"].attended, report["m2"].by_proxy, report["m2"].short) == (1, 3, True)
    notice = report["m2"].notice
    assert notice is not None and notice.recipient_id == "m2"
    assert "pełnomocnika nie jest wliczany" in say(notice.body)
    assert report["m2"].rule_id == "GOV-6"


def test_gov_6_window_is_rolling_and_ends_on_the_check_day() -> None:
    # a 24-month window checked on 15.06.2025 runs from 16.06.2023
    records = [
        AttendanceRecord("m1", "ga", D(2023, 6, 15), "in_person"),  # outside
        AttendanceRecord("m1", "ga", D(2023, 6, 16), "absent"),  # inside
        AttendanceRecord("m1", "ga", D(2025, 6, 16), "in_person"),  # after the check day
    ]
    (status,) = attendance_report(EVOLUMA, records, ON)
    assert (status.window_start, status.window_end) == (D(2023, 6, 16), ON)
    assert (status.meetings, status.attended, status.short) == (1, 0, True)


@pytest.mark.parametrize(
    ("organ", "meetings", "attended", "short"),
    [
        ("board", 12, 8, False),  # 2/3 of 12 = 8
        ("board", 12, 7, True),
        ("board", 10, 7, False),  # 2/3 of 10 = 6.67 → 7
        ("board", 10, 6, True),
        ("council", 4, 1, False),  # 25% of 4 = 1
        ("council", 5, 1, True),  # 25% of 5 = 1.25 → 2
    ],
)
def test_gov_6_council_quarter_board_two_thirds_per_year(
    organ: Organ, meetings: int, attended: int, short: bool
) -> None:
    modes: list[AttendanceMode] = ["in_person"] * attended + ["absent"] * (meetings - attended)
    records = _records("anna", organ, modes, D(2024, 7, 1), 30)
    assert bool(attendance_shortfalls(EVOLUMA, records, ON)) is short


def test_gov_6_duplicate_records_for_one_meeting_count_once_at_best() -> None:
    records = [
        AttendanceRecord("anna", "council", D(2025, 1, 10), "absent"),
        AttendanceRecord("anna", "council", D(2025, 1, 10), "online"),
    ]
    (status,) = attendance_report(EVOLUMA, records, ON)
    assert (status.meetings, status.attended) == (1, 1)


def test_gov_6_infotech_has_no_attendance_duty() -> None:
    records = _records("m1", "ga", ["absent"] * 4, D(2024, 7, 1), 60)
    assert attendance_report(INFOTECH, records, ON) == ()


@pytest.mark.parametrize(
    ("members", "council", "board_elected", "board_total"),
    [
        (51, 11, 2, 3),  # 51/5 = 10.2 → 11; 51/30 → 2 + coordinator
        (50, 10, 2, 3),
        (60, 12, 2, 3),
        (61, 13, 3, 4),
        (30, 6, 1, 2),
        (0, 0, 0, 1),
    ],
)
def test_gov_8_gov_9_seat_counts(
    members: int, council: int, board_elected: int, board_total: int
) -> None:
    c = seat_count(EVOLUMA, "council", members)
    b = seat_count(EVOLUMA, "board", members)
    assert c.total == council and c.rule_id == "GOV-8" and c.term_years == 3
    assert (b.elected, b.coordinator, b.total) == (board_elected, 1, board_total)
    assert b.rule_id == "GOV-9" and b.term_years == 4


def test_gov_9_rounding_is_profile_data_and_small_boards_are_flagged() -> None:
    floor = dataclasses.replace(
        EVOLUMA,
        council=dataclasses.replace(EVOLUMA.council, seat_rounding="floor"),
        board=dataclasses.replace(EVOLUMA.board, seat_rounding="floor"),
    )
    assert seat_count(floor, "council", 51).total == 10
    small = seat_count(floor, "board", 51)
    assert small.total == 2 and small.below_presidium
    assert "mniejszy niż prezydium" in say(small.message)


def test_gov_8_missing_groups_on_the_council() -> None:
    result = missing_groups(
        EVOLUMA, "council", ["micro", "micro", "small", "large", "iob", "rd_education"]
    )
    assert result.missing == ("medium", "public_authority")
    assert "średnie firmy" in say(result.message) and "władze publiczne" in say(result.message)
    assert missing_groups(INFOTECH, "board", ["micro"]).rule_id == "GOV-9"


def test_gov_9_board_monthly_meeting_warning() -> None:
    meetings = [D(2025, 1, 14), D(2025, 3, 3), D(2025, 3, 30)]
    result = board_cadence(EVOLUMA, meetings, since=D(2025, 1, 1), on=D(2025, 4, 10))
    assert result.months_short == ("2025-02",)
    assert result.current_month_without_meeting and result.warn
    # the month in progress alone is a reminder, not a breach
    quiet = board_cadence(EVOLUMA, meetings, since=D(2025, 3, 1), on=D(2025, 4, 10))
    assert quiet.months_short == () and not quiet.warn and quiet.current_month_without_meeting
    # a month ends at the end of its last day
    assert board_cadence(EVOLUMA, [], since=D(2025, 4, 1), on=D(2025, 4, 30)).months_short == ()
    assert board_cadence(EVOLUMA, [], since=D(2025, 4, 1), on=D(2025, 5, 1)).months_short == (
        "2025-04",
    )


BOARD = ["b1", "b2", "b3"]


@pytest.mark.parametrize(
    ("candidate", "relations", "codes"),
    [
        (Candidate("c1", "Jan Nowak"), [], []),
        (Candidate("b1", "Anna Kowal"), [], ["sits_on_other_organ"]),
        (
            Candidate("c1", "Jan Nowak"),
            [PersonRelation("b2", "c1", "marriage")],
            ["related"],
        ),  # recorded from the other side
        (Candidate("c1", "Jan Nowak"), [PersonRelation("c1", "b3", "blood")], ["related"]),
        (Candidate("c1", "Jan Nowak"), [PersonRelation("c1", "b3", "affinity")], ["related"]),
        (
            Candidate("c1", "Jan Nowak"),
            [PersonRelation("c1", "b2", "subordinate_to")],
            ["subordinate"],
        ),
        (
            Candidate("c1", "Jan Nowak"),
            [PersonRelation("b2", "c1", "subordinate_to")],
            [],
        ),  # superior: no bar
        (
            Candidate("c1", "Jan Nowak"),
            [PersonRelation("c1", "x9", "blood")],
            [],
        ),  # not on the Board
        (Candidate("c1", "Jan Nowak", convicted_intentional_crime=True), [], ["convicted"]),
    ],
)
def test_gov_10_incompatibility_for_the_council(
    candidate: Candidate, relations: list[PersonRelation], codes: list[str]
) -> None:
    result = check_incompatibility(candidate, "council", BOARD, relations)
    assert [b.code for b in result.bars] == codes
    assert result.eligible is (not codes)
    assert result.rule_id == "GOV-10"
    if codes:
        assert "000 §9.4" in say(result.message)


def test_gov_10_reverse_direction_for_the_board() -> None:
    result = check_incompatibility(
        Candidate("k1", "Ewa"), "board", ["k1", "k2"], [PersonRelation("k1", "k2", "marriage")]
    )
    assert [b.code for b in result.bars] == ["sits_on_other_organ", "related"]
    assert "000 §11.7" in say(result.message) and "Radzie Klastra" in say(result.message)
