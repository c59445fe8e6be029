"""What to do now (issue 9, point 1): given facts already read from the rules — a meeting's
last day to send its notice (GOV-7), the last day for proxies (GOV-4), an objection window's
last day (GOV-5), a meeting ahead — return the to-do items due within a horizon, each with a
code, a date, parameters and a severity, sorted most urgent first. Pure: the words are rendered
at the edge from the code and the parameters (template/gettext)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from klaster.rules.calendar import business_days_between

# Codes of the to-do items; the edge has one sentence per code.
NOTICE_SEND = "notice_send"  # GOV-7: send the meeting's notice by `due`
PROXY_DEADLINE = "proxy_deadline"  # GOV-4: last day a proxy is received
OBJECTION_WINDOW = "objection_window"  # GOV-5: objections to the summary close on `due`
MEETING = "meeting"  # a meeting to prepare (members of the organ, representatives)
BALLOT = "ballot"  # a vote to cast now
KKK_GAP = "kkk_gap"  # a draft KKK application due soon still has problems (KKK-1)
BOARD_MEETING = "board_meeting"  # GOV-9: the Board has not met (nor is to meet) this month
NEWSLETTER = "newsletter"  # PLT-2: no newsletter yet this month (due by the month's last day)
VOTES_PREPARE = "votes_prepare"  # a meeting ahead with matters to decide (organ members)
DUES_RUN = "dues_run"  # FIN-2: the month has begun and its dues are not issued yet
PAYMENTS_QUEUED = "payments_queued"  # FIN-3: bank entries wait for the office to assign them
STATEMENT_REQUEST = "statement_request"  # FIN-12: a member's statements due within 5 business days
ARREARS_STEP = "arrears_step"  # FIN-4: a member crossed the notice (or letter) limit, no step yet
SHRIMP_REPORT = "shrimp_report"  # AID-8: an own grant to report to SHRIMP by `due` (grant + 7 days)
SHRIMP_ACCESS = "shrimp_access"  # AID-8: lending has begun and no SHRIMP access date is recorded
USAGE_REPORT = "usage_report"  # AID-7: a participant's report on the product's use is overdue
AID_RESULT = "aid_result"  # AID-5: applications wait for a result (ranking or refusal)

# Severities, most urgent first.
OVERDUE = "overdue"  # `due` has passed and the item is not done
TODAY = "today"
SOON = "soon"  # within `soon_days`
LATER = "later"  # inside the horizon
SEVERITY_ORDER = {OVERDUE: 0, TODAY: 1, SOON: 2, LATER: 3}


@dataclass(frozen=True)
class Fact:
    code: str
    due: dt.date
    rule_id: str  # the SPEC id ("GOV-7"), shown small as the item's basis
    statute_ref: str = ""  # the statute paragraph ("§8 ust. 4"), shown with the rule id
    params: Mapping[str, object] = field(default_factory=dict)
    done: bool = False  # e.g. the notice is already sent: nothing to do
    link: str = ""  # where it is done (a URL, resolved at the edge)


@dataclass(frozen=True)
class Item:
    code: str
    due: dt.date
    severity: str
    days_left: int  # calendar days; negative when overdue
    business_days_left: int  # business days in (today, due], Polish holidays skipped
    rule_id: str
    statute_ref: str
    params: Mapping[str, object]
    link: str

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)


def severity(today: dt.date, due: dt.date, *, soon_days: int = 3) -> str:
    if due < today:
        return OVERDUE
    if due == today:
        return TODAY
    if (due - today).days <= soon_days:
        return SOON
    return LATER


def agenda(
    facts: Iterable[Fact],
    today: dt.date,
    *,
    horizon_days: int = 7,
    soon_days: int = 3,
    overdue_days: int = 30,
) -> list[Item]:
    """The items due from `overdue_days` ago (not done) up to `horizon_days` ahead, inclusive
    at both edges, most urgent first, then by date and code. Done facts are left out."""
    out = []
    for f in facts:
        if f.done:
            continue
        days = (f.due - today).days
        if days > horizon_days or days < -overdue_days:
            continue
        out.append(
            Item(
                code=f.code,
                due=f.due,
                severity=severity(today, f.due, soon_days=soon_days),
                days_left=days,
                business_days_left=business_days_between(today, f.due),
                rule_id=f.rule_id,
                statute_ref=f.statute_ref,
                params=f.params,
                link=f.link,
            )
        )
    out.sort(key=lambda i: (SEVERITY_ORDER[i.severity], i.due, i.code))
    return out


def month_end(day: dt.date) -> dt.date:
    """The last day of `day`'s month."""
    first_next = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def board_meeting_due(
    today: dt.date, meeting_dates: Iterable[dt.date], min_per_month: int | None
) -> Fact | None:
    """GOV-9 (000 §11.3): the Board meets at least `min_per_month` times a month. The office is
    reminded by the month's last day while the month has fewer meetings held or planned than
    that; `None` when the statute sets no cadence or the month has enough."""
    if min_per_month is None:
        return None
    in_month = sum(1 for d in meeting_dates if (d.year, d.month) == (today.year, today.month))
    if in_month >= min_per_month:
        return None
    return Fact(
        BOARD_MEETING,
        month_end(today),
        "GOV-9",
        "",
        {"held_or_planned": in_month, "required": min_per_month},
    )


def notice_send_by(meeting_date: dt.date, notice_days: int) -> dt.date:
    """GOV-7 (000 §8.4): the notice goes out at least `notice_days` before the meeting."""
    return meeting_date - dt.timedelta(days=notice_days)
