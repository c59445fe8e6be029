"""Attendance duties (GOV-6, 001 dec. 4 and 6).

GA: each member at least 25% of the GA's meetings within 2 years; Council members at least
25% a year; Board members at least 2/3 a year — in person or online, proxies do not count.
Reading: the window is a rolling one ending on the day of the check ("in any 2 years"):
for a check on 15.06.2025 and a 24-month window, meetings from 16.06.2023 to 15.06.2025.
Only meetings the attendee was expected at count — one record per attendee and meeting,
"absent" included; the Django side writes an "absent" record for everyone entitled who did
not come. The duty is met when attended ≥ share × meetings (so 1 of 4 meets 25%).
The coordinator informs the person and the organ (001 dec. 6); `notice` drafts that letter.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from klaster.rules.calendar import add_months
from klaster.rules.governance._common import Explained, organ
from klaster.rules.message import Msg, define
from klaster.rules.statute import AttendanceMode, Organ, StatuteProfile

RULE_ID = "GOV-6"

STATUS = define(
    "attendance.status",
    "{organ}, from {start} to {end}: present in person or online at {attended} of {meetings} "
    "{meetings:meeting|meetings}; at least {share} required, that is {required} — {verdict}.",
)
STATUS_PROXY = define(
    "attendance.status_proxy",
    "{organ}, from {start} to {end}: present in person or online at {attended} of {meetings} "
    "{meetings:meeting|meetings} (by proxy: {by_proxy}, not counted); at least {share} "
    "required, that is {required} — {verdict}.",
)
DUTY_MET = define("attendance.duty_met", "duty met")
DUTY_NOT_MET = define("attendance.duty_not_met", "duty not met")
NOTICE_SUBJECT = define(
    "attendance.notice_subject", "Insufficient attendance at meetings of {organ:gen}"
)
NOTICE_BODY = define(
    "attendance.notice_body",
    "We kindly inform you that from {start} to {end} {organ:gen} held {meetings} "
    "{meetings:meeting|meetings}, and you were present in person or online at {attended}. "
    "The cluster's rules require taking part in at least {share} of the meetings ({required}); "
    "taking part by proxy is not counted. Failing this duty may lead to the loss of the vote or "
    "of the seat, as the organ recommends. {organ} receives this information too.",
)

# When one attendee has two records for one meeting, the better one counts.
_RANK: dict[AttendanceMode, int] = {"in_person": 3, "online": 3, "proxy": 2, "absent": 1}


@dataclass(frozen=True)
class AttendanceRecord:
    #: The member for the GA, the seat-holding person for the Council and the Board.
    attendee_id: str
    organ: Organ
    meeting_date: dt.date
    mode: AttendanceMode


@dataclass(frozen=True)
class AttendanceNotice:
    """Data for the letter the office sends to the person and the organ (001 dec. 6)."""

    recipient_id: str
    organ: Organ
    subject: Msg
    body: Msg


@dataclass(frozen=True, kw_only=True)
class AttendanceStatus(Explained):
    attendee_id: str
    organ: Organ
    window_start: dt.date
    window_end: dt.date
    meetings: int
    attended: int
    by_proxy: int
    min_share: Fraction
    required: int
    short: bool
    notice: AttendanceNotice | None


def attendance_window(
    profile: StatuteProfile, organ: Organ, on: dt.date
) -> tuple[dt.date, dt.date] | None:
    duty = profile.organ(organ).attendance
    if duty is None:
        return None
    return add_months(on, -duty.window_months) + dt.timedelta(days=1), on


def attendance_report(
    profile: StatuteProfile, records: Iterable[AttendanceRecord], on: dt.date
) -> tuple[AttendanceStatus, ...]:
    """Every attendee's standing in every organ that has a duty, as of `on`."""
    best: dict[tuple[Organ, str, dt.date], AttendanceMode] = {}
    for r in records:
        key = (r.organ, r.attendee_id, r.meeting_date)
        if key not in best or _RANK[r.mode] > _RANK[best[key]]:
            best[key] = r.mode

    statuses: list[AttendanceStatus] = []
    for organ_key, attendee in sorted({(o, a) for o, a, _ in best}):
        duty = profile.organ(organ_key).attendance
        window = attendance_window(profile, organ_key, on)
        if duty is None or window is None:
            continue
        start, end = window
        modes = [
            m
            for (o, a, d), m in best.items()
            if o == organ_key and a == attendee and start <= d <= end
        ]
        if not modes:
            continue
        meetings = len(modes)
        attended = sum(1 for m in modes if m in duty.counted_modes)
        by_proxy = sum(1 for m in modes if m == "proxy")
        required = math.ceil(duty.min_share * meetings)
        short = attended < required
        term = organ(organ_key)
        message = Msg.of(
            STATUS_PROXY if by_proxy else STATUS,
            organ=term,
            start=start,
            end=end,
            attended=attended,
            meetings=meetings,
            by_proxy=by_proxy,
            share=duty.min_share,
            required=required,
            verdict=Msg.of(DUTY_NOT_MET if short else DUTY_MET),
        )
        notice = None
        if short:
            notice = AttendanceNotice(
                recipient_id=attendee,
                organ=organ_key,
                subject=Msg.of(NOTICE_SUBJECT, organ=term),
                body=Msg.of(
                    NOTICE_BODY,
                    organ=term,
                    start=start,
                    end=end,
                    meetings=meetings,
                    attended=attended,
                    share=duty.min_share,
                    required=required,
                ),
            )
        statuses.append(
            AttendanceStatus(
                rule_id=RULE_ID,
                message=message,
                attendee_id=attendee,
                organ=organ_key,
                window_start=start,
                window_end=end,
                meetings=meetings,
                attended=attended,
                by_proxy=by_proxy,
                min_share=duty.min_share,
                required=required,
                short=short,
                notice=notice,
            )
        )
    return tuple(statuses)


def attendance_shortfalls(
    profile: StatuteProfile, records: Iterable[AttendanceRecord], on: dt.date
) -> tuple[AttendanceStatus, ...]:
    """Only those who fall short, each with the drafted notice."""
    return tuple(s for s in attendance_report(profile, records, on) if s.short)
