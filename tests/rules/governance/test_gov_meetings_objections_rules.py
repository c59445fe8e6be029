"""GOV-7 notice and extraordinary GA, GOV-11 declarations, GOV-5 objections."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from klaster.rules.governance import (
    NotInStatute,
    Objection,
    check_extraordinary_date,
    check_notice,
    declaration_agenda,
    extraordinary_request,
    objection_in_time,
    objection_window,
    objections_outcome,
    ordinary_ga_check,
)
from klaster.rules.message import say
from klaster.rules.statute import EVOLUMA, INFOTECH

WAW = ZoneInfo("Europe/Warsaw")
D = dt.date


@pytest.mark.parametrize(
    ("sent", "in_time"),
    [
        (D(2025, 6, 9), True),  # meeting 30.06 − 21 days = 09.06: on the edge
        (D(2025, 6, 8), True),
        (D(2025, 6, 10), False),  # 20 days before
        (dt.datetime(2025, 6, 9, 21, 59, tzinfo=dt.UTC), True),  # 23:59 in Warsaw
        (dt.datetime(2025, 6, 9, 22, 30, tzinfo=dt.UTC), False),  # already 10.06 in Warsaw
    ],
)
def test_gov_7_notice_21_days_edge(sent: dt.date, in_time: bool) -> None:
    result = check_notice(INFOTECH, D(2025, 6, 30), sent)
    assert result.in_time is in_time
    assert result.latest_send_date == D(2025, 6, 9)
    assert result.rule_id == "GOV-7"


def test_gov_7_notice_only_where_the_statute_sets_one() -> None:
    with pytest.raises(NotInStatute):
        check_notice(EVOLUMA, D(2025, 6, 30), D(2025, 6, 1), organ="council")


@pytest.mark.parametrize(
    ("requesters", "total", "required", "met"),
    [
        (9, 40, 10, False),
        (10, 40, 10, True),
        (10, 41, 11, False),
        (11, 41, 11, True),
        (1, 4, 1, True),
    ],
)
def test_gov_7_extraordinary_ga_quarter_of_partners(
    requesters: int, total: int, required: int, met: bool
) -> None:
    ids = [f"m{i}" for i in range(requesters)]
    result = extraordinary_request(
        EVOLUMA, ids + ids[:1], total, D(2025, 3, 15)
    )  # a duplicate signature
    assert (result.required, result.threshold_met, result.requesters) == (required, met, requesters)
    assert result.sit_by == D(2025, 4, 15)


@pytest.mark.parametrize(
    ("requested", "meeting", "sit_by", "in_time"),
    [
        (D(2025, 1, 31), D(2025, 2, 28), D(2025, 2, 28), True),  # no 31 February: month's last day
        (D(2025, 1, 31), D(2025, 3, 1), D(2025, 2, 28), False),
        (D(2025, 3, 15), D(2025, 4, 15), D(2025, 4, 15), True),
        (D(2025, 3, 15), D(2025, 4, 16), D(2025, 4, 15), False),
    ],
)
def test_gov_7_extraordinary_ga_within_one_month(
    requested: dt.date, meeting: dt.date, sit_by: dt.date, in_time: bool
) -> None:
    result = check_extraordinary_date(INFOTECH, requested, meeting)
    assert (result.sit_by, result.in_time) == (sit_by, in_time)


def test_gov_7_ordinary_ga_twice_a_year() -> None:
    assert ordinary_ga_check(EVOLUMA, 2025, [D(2025, 3, 1), D(2024, 11, 1)]).short
    assert not ordinary_ga_check(EVOLUMA, 2025, [D(2025, 3, 1), D(2025, 11, 1)]).short


def test_gov_11_declaration_goes_on_next_meeting_agenda() -> None:
    meetings = [D(2025, 5, 10), D(2025, 6, 12), D(2025, 7, 10)]
    assert declaration_agenda("council", D(2025, 6, 1), meetings).meeting_date == D(2025, 6, 12)
    # declared on a meeting's day: that agenda is set, the next meeting takes it
    assert declaration_agenda("board", D(2025, 6, 12), meetings).meeting_date == D(2025, 7, 10)
    waiting = declaration_agenda("board", D(2025, 8, 1), meetings)
    assert waiting.meeting_date is None and waiting.rule_id == "GOV-11"


@pytest.mark.parametrize(
    ("sent", "last_day", "holidays"),
    [
        (D(2025, 4, 30), D(2025, 5, 8), [D(2025, 5, 1)]),  # 1 May Thursday, 3 May Saturday
        (D(2025, 11, 7), D(2025, 11, 17), [D(2025, 11, 11)]),
        (
            D(2025, 12, 23),
            D(2026, 1, 5),
            [D(2025, 12, 24), D(2025, 12, 25), D(2025, 12, 26), D(2026, 1, 1)],
        ),
        (D(2025, 4, 17), D(2025, 4, 25), [D(2025, 4, 21)]),  # Easter Monday
        (D(2025, 6, 13), D(2025, 6, 23), [D(2025, 6, 19)]),  # Corpus Christi (Thursday)
        (D(2025, 6, 2), D(2025, 6, 9), []),
    ],
)
def test_gov_5_objection_window_five_business_days_across_holidays(
    sent: dt.date, last_day: dt.date, holidays: list[dt.date]
) -> None:
    window = objection_window(EVOLUMA, sent)
    assert window.last_day == last_day
    assert [d for d, _ in window.holidays_skipped] == holidays
    assert window.rule_id == "GOV-5"


def test_gov_5_window_closes_at_end_of_fifth_business_day_warsaw() -> None:
    window = objection_window(
        EVOLUMA, dt.datetime(2025, 11, 6, 23, 30, tzinfo=dt.UTC)
    )  # 00:30 on the 7th
    assert window.sent_on == D(2025, 11, 7)
    assert window.last_day == D(2025, 11, 17)
    assert objection_in_time(window, dt.datetime(2025, 11, 17, 23, 59, 59, tzinfo=WAW)).in_time
    assert not objection_in_time(window, dt.datetime(2025, 11, 18, 0, 0, tzinfo=WAW)).in_time


def _objections(ids: list[str], day: int = 5) -> list[Objection]:
    return [Objection(i, dt.datetime(2025, 5, day, 10, 0, tzinfo=WAW)) for i in ids]


@pytest.mark.parametrize(
    ("entitled", "objectors", "returns"),
    [(10, 6, True), (10, 5, False), (11, 6, True), (11, 5, False), (3, 2, True), (4, 2, False)],
)
def test_gov_5_more_than_half_of_entitled_send_the_matter_back(
    entitled: int, objectors: int, returns: bool
) -> None:
    window = objection_window(EVOLUMA, D(2025, 4, 30))
    ids = [f"m{i}" for i in range(entitled)]
    result = objections_outcome(
        EVOLUMA, "council", window, _objections(ids[:objectors]), ids, participant_ids=[]
    )
    assert result.returns_to_next_meeting is returns
    assert result.required == entitled // 2 + 1


def test_gov_5_only_absent_entitled_in_time_objections_count() -> None:
    window = objection_window(EVOLUMA, D(2025, 4, 30))  # closes end of 08.05
    ids = [f"m{i}" for i in range(10)]
    objections = (
        _objections(["m0", "m1", "m2", "m3"])
        + _objections(["m4"], day=9)  # late
        + _objections(["m5", "m6"])  # took part (m6 by proxy)
        + _objections(["x1"])  # not entitled
        + _objections(["m0"])  # twice
    )
    result = objections_outcome(
        EVOLUMA, "ga", window, objections, ids, participant_ids=["m5", "m6", "m7"]
    )
    assert result.valid_ids == ("m0", "m1", "m2", "m3")
    assert sorted(r.member_id for r in result.refused) == ["m0", "m4", "m5", "m6", "x1"]
    assert not result.returns_to_next_meeting


def test_gov_5_infotech_has_no_objection_procedure() -> None:
    with pytest.raises(NotInStatute) as refused:
        objection_window(INFOTECH, D(2025, 4, 30))
    assert "zastrzeżeń" in say(refused.value.message)
