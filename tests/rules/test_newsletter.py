"""PLT-2: at least one newsletter a calendar month; the warning names the days left or the month
missed (klaster.rules.newsletter)."""

from __future__ import annotations

import datetime as dt

import pytest

from klaster.rules import newsletter
from klaster.rules.message import render

D = dt.date


@pytest.mark.parametrize(
    ("sent", "today", "state", "days_left"),
    [
        ([D(2026, 12, 2)], D(2026, 12, 4), "ok", 28),
        ([D(2026, 11, 20)], D(2026, 12, 4), "due", 28),
        ([D(2026, 11, 20)], D(2026, 12, 31), "due", 1),
        ([D(2026, 10, 20)], D(2026, 12, 4), "late", 28),  # November had none
        ([], D(2026, 2, 1), "late", 28),
        ([D(2027, 1, 5)], D(2026, 12, 4), "late", 28),  # a future date is not a sending
    ],
)
def test_plt_2_newsletter_cadence(sent, today, state, days_left):
    result = newsletter.newsletter_cadence(sent, today)
    assert (result.state, result.days_left, result.warn) == (state, days_left, state != "ok")


def test_plt_2_cadence_speaks_codes_with_the_month_and_days():
    result = newsletter.newsletter_cadence([D(2026, 10, 20)], D(2026, 12, 4))
    assert result.message.code == "newsletter.missed"
    assert result.message.kwargs == {"missed": "11.2026", "last": D(2026, 10, 20), "days": 28}
    words = render(result.message, "en", lambda ctx, msgid: msgid)
    assert words.startswith("No newsletter went out in 11.2026; the last was sent on")
    assert "28 days left" in words
