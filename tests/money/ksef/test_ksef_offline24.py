"""The offline24 window (VAT Act art. 106nda): retry until the end of the next business day."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klaster.money.ksef import after_failure, may_retry, retry_deadline
from klaster.money.ksef import messages as m
from klaster.rules.calendar import NaiveDatetimeError, is_business_day, warsaw_date
from klaster.rules.message import Msg, say

WAW = ZoneInfo("Europe/Warsaw")
REASON = Msg.of(m.SEND_UNREACHABLE, detail="ConnectError")


def waw(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=WAW)


@pytest.mark.parametrize(
    ("issued", "last_day"),
    [
        (waw(2026, 7, 1, 10, 0), dt.date(2026, 7, 2)),  # Wednesday → Thursday
        (waw(2026, 7, 3, 23, 59), dt.date(2026, 7, 6)),  # Friday → Monday
        (waw(2026, 7, 4, 12, 0), dt.date(2026, 7, 6)),  # Saturday → Monday
        (waw(2026, 4, 3, 9, 0), dt.date(2026, 4, 7)),  # Good Friday → Tuesday (Easter Monday)
        (waw(2026, 4, 30, 9, 0), dt.date(2026, 5, 4)),  # 1 May Friday, 3 May Sunday → Monday
        (waw(2026, 11, 10, 9, 0), dt.date(2026, 11, 12)),  # 11 November → the 12th
        (waw(2026, 12, 23, 9, 0), dt.date(2026, 12, 28)),  # 24–26 Dec holidays, 27th Sunday
        (waw(2026, 12, 31, 9, 0), dt.date(2027, 1, 4)),  # 1 Jan Friday → Monday
    ],
)
def test_retry_deadline_is_the_end_of_the_next_business_day(issued, last_day):
    deadline = retry_deadline(issued)
    assert deadline == dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(), WAW)


def test_the_issue_day_is_the_warsaw_day():
    # 22:30 UTC on Thursday 2 July is 00:30 on Friday 3 July in Warsaw
    issued = dt.datetime(2026, 7, 2, 22, 30, tzinfo=dt.UTC)
    assert retry_deadline(issued) == waw(2026, 7, 7, 0, 0)


def test_a_naive_issue_time_is_refused():
    with pytest.raises(NaiveDatetimeError):
        retry_deadline(dt.datetime(2026, 7, 1, 10, 0))  # noqa: DTZ001


def test_retry_until_the_last_instant_then_report():
    issued = waw(2026, 7, 3, 9, 0)
    deadline = retry_deadline(issued)
    just_before = deadline - dt.timedelta(microseconds=1)
    assert may_retry(issued, just_before)
    assert not may_retry(issued, deadline)

    step = after_failure(issued_at=issued, now=just_before, retryable=True, reason=REASON)
    assert (step.action, step.deadline, step.message.code) == ("retry", deadline, m.OFFLINE24_RETRY)
    assert step.message.kwargs["deadline"] == dt.date(2026, 7, 6)
    assert say(step.message, "en") == (
        "Sending to KSeF failed (KSeF could not be reached: ConnectError); "
        "it will be tried again until 6 July 2026 (offline24)."
    )

    late = after_failure(issued_at=issued, now=deadline, retryable=True, reason=REASON)
    assert (late.action, late.message.code) == ("report", m.OFFLINE24_EXPIRED)


def test_a_final_failure_is_reported_at_once():
    issued = waw(2026, 7, 3, 9, 0)
    reason = Msg.of(m.SEND_REJECTED, status=450, detail="P_15")
    step = after_failure(issued_at=issued, now=issued, retryable=False, reason=reason)
    assert (step.action, step.message.code) == ("report", m.OFFLINE24_FINAL)


@given(
    st.datetimes(
        min_value=dt.datetime(2026, 1, 1),
        max_value=dt.datetime(2035, 12, 31),
        timezones=st.just(WAW),
    )
)
def test_the_window_ends_on_the_first_business_day_after_the_issue_day(issued):
    deadline = retry_deadline(issued)
    issue_day = warsaw_date(issued)
    last_day = warsaw_date(deadline - dt.timedelta(microseconds=1))
    assert deadline.astimezone(WAW).time() == dt.time(0, 0)
    assert last_day > issue_day
    assert is_business_day(last_day)
    # no business day lies between the issue day and the last day
    day = issue_day + dt.timedelta(days=1)
    while day < last_day:
        assert not is_business_day(day)
        day += dt.timedelta(days=1)
    assert may_retry(issued, issued)
