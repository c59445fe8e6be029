"""GOV-4: proxy deadline (Warsaw time), cap (lower of share and count), lapse, whole meeting."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from klaster.rules.calendar import NaiveDatetimeError
from klaster.rules.governance import (
    NotInStatute,
    ProxyGrant,
    check_proxy_cap,
    check_proxy_deadline,
    evaluate_proxies,
    proxy_cap,
    proxy_lapses,
)
from klaster.rules.message import say
from klaster.rules.statute import EVOLUMA, INFOTECH, Organ

WAW = ZoneInfo("Europe/Warsaw")
UTC = dt.UTC
D = dt.date


@pytest.mark.parametrize(
    ("received", "in_time"),
    [
        # meeting Thursday 12.06.2025: the last day is Tuesday 10.06
        (dt.datetime(2025, 6, 10, 23, 59, 59, tzinfo=WAW), True),
        (dt.datetime(2025, 6, 11, 0, 0, tzinfo=WAW), False),
        (dt.datetime(2025, 6, 9, 8, 0, tzinfo=WAW), True),
        (dt.datetime(2025, 6, 10, 21, 59, tzinfo=UTC), True),  # 23:59 CEST
        (dt.datetime(2025, 6, 10, 22, 0, tzinfo=UTC), False),  # 00:00 CEST on the 11th
        (dt.datetime(2025, 6, 12, 9, 0, tzinfo=WAW), False),  # on the meeting's day
    ],
)
def test_gov_4_proxy_deadline_end_of_day_two_days_before(
    received: dt.datetime, in_time: bool
) -> None:
    result = check_proxy_deadline(EVOLUMA, "ga", received, D(2025, 6, 12))
    assert result.in_time is in_time
    assert result.last_day == D(2025, 6, 10)
    assert result.rule_id == "GOV-4"
    assert "10.06.2025" in say(result.message)


def test_gov_4_proxy_deadline_in_winter_time() -> None:
    meeting = D(2025, 1, 15)  # CET, UTC+1
    assert check_proxy_deadline(
        EVOLUMA, "board", dt.datetime(2025, 1, 13, 22, 59, tzinfo=UTC), meeting
    ).in_time
    assert not check_proxy_deadline(
        EVOLUMA, "board", dt.datetime(2025, 1, 13, 23, 0, tzinfo=UTC), meeting
    ).in_time


def test_gov_4_proxy_deadline_refuses_naive_time_and_statute_without_proxies() -> None:
    with pytest.raises(NaiveDatetimeError):
        check_proxy_deadline(EVOLUMA, "ga", dt.datetime(2025, 6, 9, 12, 0), D(2025, 6, 12))
    with pytest.raises(NotInStatute) as refused:
        check_proxy_deadline(
            INFOTECH, "ga", dt.datetime(2025, 6, 9, 12, 0, tzinfo=WAW), D(2025, 6, 12)
        )
    assert "pełnomocnictw" in say(refused.value.message)


@pytest.mark.parametrize(
    ("organ", "entitled", "share_votes", "cap", "binding"),
    [
        ("ga", 100, 10, 10, "share"),  # 10% of 100 = 10 < 12
        ("ga", 150, 15, 12, "count"),  # 15 > 12: the count wins
        ("ga", 55, 5, 5, "share"),  # 5.5 rounds down
        ("ga", 129, 12, 12, "share"),
        ("council", 11, 2, 2, "share"),  # 20% of 11 = 2.2 → 2
        ("council", 25, 5, 4, "count"),
        ("board", 10, 3, 3, "share"),  # 30% of 10 = 3, count 3
        ("board", 7, 2, 2, "share"),  # 2.1 → 2
        ("board", 3, 0, 1, "share"),  # 0.9 → 0; own vote always: cap 1, no proxies
    ],
)
def test_gov_4_proxy_cap_lower_of_share_and_count(
    organ: Organ, entitled: int, share_votes: int, cap: int, binding: str
) -> None:
    result = proxy_cap(EVOLUMA, organ, entitled)
    assert (result.share_votes, result.cap, result.binding) == (share_votes, cap, binding)


@pytest.mark.parametrize(
    ("carried", "ok"),
    [(0, True), (1, True), (2, True), (3, False)],
)
def test_gov_4_proxy_cap_counts_the_holders_own_vote(carried: int, ok: bool) -> None:
    # Board of 10: cap 3 votes in one hand, its own member's included.
    result = check_proxy_cap(EVOLUMA, "board", 10, carried)
    assert result.may_accept is ok
    assert result.after == carried + 1


@pytest.mark.parametrize(
    ("mode", "lapsed"), [("in_person", True), ("online", True), ("absent", False), ("proxy", False)]
)
def test_gov_4_proxy_lapses_when_giver_attends(mode: str, lapsed: bool) -> None:
    assert proxy_lapses(EVOLUMA, "council", mode).lapsed is lapsed  # type: ignore[arg-type]


def _at(day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(2025, 6, day, hour, 0, tzinfo=WAW)


def test_gov_4_evaluate_all_proxies_of_a_board_meeting() -> None:
    entitled = [f"m{i}" for i in range(1, 11)]  # Board of 10: cap 3
    proxies = [
        ProxyGrant("p1", "m2", "anna", _at(8)),
        ProxyGrant("p2", "m3", "anna", _at(9)),
        ProxyGrant("p3", "m4", "anna", _at(9, 13)),  # Anna would hold 4: over the cap
        ProxyGrant("p4", "m5", "jan", _at(11)),  # arrives on the 11th: late
        ProxyGrant("p5", "m6", "jan", _at(8)),
        ProxyGrant("p6", "m6", "ewa", _at(10, 23)),  # m6 changes its mind in time
        ProxyGrant("p7", "m7", "jan", _at(9)),  # m7 attends online after all
        ProxyGrant("p8", "x9", "jan", _at(9)),  # not entitled
    ]
    result = evaluate_proxies(
        EVOLUMA,
        "board",
        D(2025, 6, 12),
        entitled_ids=entitled,
        attendance={"m1": "in_person", "m7": "online"},
        proxies=proxies,
        holder_own_votes={"anna": 1},
    )
    codes = {d.proxy_id: d.code for d in result.decisions}
    assert codes == {
        "p1": "accepted",
        "p2": "accepted",
        "p3": "over_cap",
        "p4": "late",
        "p5": "superseded",
        "p6": "accepted",
        "p7": "giver_attends",
        "p8": "not_entitled",
    }
    assert dict(result.votes_by_holder) == {"anna": 3, "ewa": 1}
    assert result.present_by_proxy == 3


def test_gov_4_evaluate_under_a_statute_without_proxies() -> None:
    result = evaluate_proxies(
        INFOTECH, "ga", D(2025, 6, 12), ["m1", "m2"], {}, [ProxyGrant("p1", "m1", "anna", _at(1))]
    )
    assert [d.code for d in result.decisions] == ["not_provided"]
