"""General Assembly calendar: notice, ordinary meetings, extraordinary requests (GOV-7);
and where a member's declaration goes (GOV-11).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from fractions import Fraction

from klaster.rules.calendar import add_months, warsaw_date
from klaster.rules.governance._common import Explained, NotInStatute, sentences
from klaster.rules.governance._common import organ as organ_term
from klaster.rules.message import Msg, define
from klaster.rules.statute import Organ, StatuteProfile

GOV_7 = "GOV-7"
GOV_11 = "GOV-11"

NO_NOTICE_RULE = define("notice.not_in_statute", "the notice period for meetings of {organ:gen}")
NOTICE_IN_TIME = define(
    "notice.in_time",
    "Notice sent on {sent}, {before} {before:day|days} before the meeting on {meeting}: in time "
    "(by {latest} at the latest, at least {days} days before).",
)
NOTICE_LATE = define(
    "notice.late",
    "Notice sent on {sent}, {before} {before:day|days} before the meeting on {meeting}: too late "
    "(by {latest} at the latest, at least {days} days before).",
)
ORDINARY = define(
    "ga.ordinary_held",
    "In {year} the ordinary General Assembly sat {held} {held:time|times}; {required} required.",
)
EXTRAORDINARY_MET = define(
    "ga.extraordinary_request_met",
    "The request for an extraordinary General Assembly was made by {n} of {total} Partners and "
    "Strategic Partners; at least {share} required, that is {required}: the request is "
    "effective. The Assembly must sit by {sit_by} at the latest.",
)
EXTRAORDINARY_SHORT = define(
    "ga.extraordinary_request_short",
    "The request for an extraordinary General Assembly was made by {n} of {total} Partners and "
    "Strategic Partners; at least {share} required, that is {required}: too few requesters.",
)
EXTRAORDINARY_IN_TIME = define(
    "ga.extraordinary_in_time",
    "The extraordinary General Assembly on {meeting} is within a month of the request of "
    "{request} (by {sit_by} at the latest).",
)
EXTRAORDINARY_LATE = define(
    "ga.extraordinary_late",
    "The extraordinary General Assembly on {meeting} is not within a month of the request of "
    "{request} (by {sit_by} at the latest).",
)
DECLARATION_PLACED = define(
    "declaration.on_agenda",
    "The declaration of {declared} goes on the agenda of the next meeting of {organ:gen}: "
    "{meeting}.",
)
DECLARATION_WAITING = define(
    "declaration.waiting",
    "The declaration of {declared} waits for the next meeting of {organ:gen} to be set.",
)
CURRENT_OK = define(
    "ga_calendar.current_ok",
    "In {year} the ordinary General Assembly was convened or sat {held} {held:time|times} of "
    "the {required} required.",
)
CURRENT_SHORT = define(
    "ga_calendar.current_short",
    "In {year} the ordinary General Assembly was convened or sat {held} {held:time|times} of "
    "the {required} required — meetings are missing.",
)
TOO_FEW = define("ga_calendar.too_few", "Too few meetings.")
NO_ELECTORAL = define(
    "ga_calendar.no_electoral",
    "No reporting-electoral General Assembly is recorded; it sits every {every} "
    "{every:year|years}.",
)
ELECTORAL_CONVENED = define("ga_calendar.electoral_convened", "Convened for {day}.")
ELECTORAL_DUE = define(
    "ga_calendar.electoral_due",
    "Last reporting-electoral General Assembly: {last}; the next one by {due} at the latest "
    "(every {every} {every:year|years}).",
)
EXTRAORDINARY_BY_ORGAN = define(
    "ga.extraordinary_by_organ",
    "Request: {source}. The Assembly must sit by {sit_by} at the latest (000 §8.7).",
)
define("extraordinary_source.board", "the Board itself")
define("extraordinary_source.council", "the Council's demand")
define("extraordinary_source.members", "members' written request")
EXTRAORDINARY_MATTERS = define(
    "agenda.extraordinary_matters",
    "The matters the extraordinary General Assembly was called for (GOV-7).",
)
ELECTORAL_OVERDUE = define(
    "ga_calendar.electoral_overdue",
    "Last reporting-electoral General Assembly: {last}; the next one by {due} at the latest "
    "(every {every} {every:year|years}) — the deadline has passed.",
)


def _as_date(day: dt.date | dt.datetime) -> dt.date:
    # A datetime is a date subclass: test it first, and read it on a Warsaw clock.
    return warsaw_date(day) if isinstance(day, dt.datetime) else day


@dataclass(frozen=True, kw_only=True)
class NoticeCheck(Explained):
    organ: Organ
    meeting_date: dt.date
    sent_on: dt.date
    notice_days: int
    latest_send_date: dt.date
    days_before: int
    in_time: bool


def check_notice(
    profile: StatuteProfile,
    meeting_date: dt.date,
    sent: dt.date | dt.datetime,
    organ: Organ = "ga",
) -> NoticeCheck:
    """000 §8.4: notice "co najmniej na 21 dni przed terminem": sent on or before day − 21."""
    days = profile.organ(organ).notice_days
    if days is None:
        raise NotInStatute(profile, Msg.of(NO_NOTICE_RULE, organ=organ_term(organ)), GOV_7)
    sent_on = _as_date(sent)
    latest = meeting_date - dt.timedelta(days=days)
    in_time = sent_on <= latest
    before = (meeting_date - sent_on).days
    message = Msg.of(
        NOTICE_IN_TIME if in_time else NOTICE_LATE,
        sent=sent_on,
        before=before,
        meeting=meeting_date,
        latest=latest,
        days=days,
    )
    return NoticeCheck(
        rule_id=GOV_7,
        message=message,
        organ=organ,
        meeting_date=meeting_date,
        sent_on=sent_on,
        notice_days=days,
        latest_send_date=latest,
        days_before=before,
        in_time=in_time,
    )


@dataclass(frozen=True, kw_only=True)
class OrdinaryMeetings(Explained):
    year: int
    held: int
    required: int
    short: bool


def ordinary_ga_check(
    profile: StatuteProfile, year: int, ordinary_meeting_dates: Iterable[dt.date]
) -> OrdinaryMeetings:
    """000 §8.4: the ordinary GA sits twice a year (reporting)."""
    required = profile.ga.ordinary_per_year
    held = len({d for d in ordinary_meeting_dates if d.year == year})
    short = held < required
    return OrdinaryMeetings(
        rule_id=GOV_7,
        message=Msg.of(ORDINARY, year=year, held=held, required=required),
        year=year,
        held=held,
        required=required,
        short=short,
    )


@dataclass(frozen=True, kw_only=True)
class ExtraordinaryRequest(Explained):
    request_date: dt.date
    requesters: int
    partners_total: int
    share: Fraction
    required: int
    threshold_met: bool
    #: The last day on which the extraordinary GA may sit.
    sit_by: dt.date


def extraordinary_deadline(profile: StatuteProfile, request_date: dt.date) -> dt.date:
    """000 §8.7: within one month of the request; a month ends on the same day number of the
    next month, or its last day when it has none (Kodeks cywilny art. 112)."""
    return add_months(request_date, profile.ga.extraordinary_within_months)


def extraordinary_request(
    profile: StatuteProfile,
    requester_ids: Collection[str],
    partners_total: int,
    request_date: dt.date,
) -> ExtraordinaryRequest:
    """000 §8.6.3: a written request of at least 1/4 of all Partners and Strategic Partners.

    `partners_total` is the number of Partners and Strategic Partners on the request date;
    requesters are counted once each.
    """
    share = profile.ga.extraordinary_request_share
    n = len(set(requester_ids))
    required = math.ceil(share * partners_total)
    met = partners_total > 0 and n >= required
    sit_by = extraordinary_deadline(profile, request_date)
    message = Msg.of(
        EXTRAORDINARY_MET if met else EXTRAORDINARY_SHORT,
        n=n,
        total=partners_total,
        share=share,
        required=required,
        sit_by=sit_by,
    )
    return ExtraordinaryRequest(
        rule_id=GOV_7,
        message=message,
        request_date=request_date,
        requesters=n,
        partners_total=partners_total,
        share=share,
        required=required,
        threshold_met=met,
        sit_by=sit_by,
    )


@dataclass(frozen=True, kw_only=True)
class ExtraordinaryTiming(Explained):
    request_date: dt.date
    meeting_date: dt.date
    sit_by: dt.date
    in_time: bool


def check_extraordinary_date(
    profile: StatuteProfile, request_date: dt.date, meeting_date: dt.date
) -> ExtraordinaryTiming:
    sit_by = extraordinary_deadline(profile, request_date)
    in_time = meeting_date <= sit_by
    return ExtraordinaryTiming(
        rule_id=GOV_7,
        message=Msg.of(
            EXTRAORDINARY_IN_TIME if in_time else EXTRAORDINARY_LATE,
            meeting=meeting_date,
            request=request_date,
            sit_by=sit_by,
        ),
        request_date=request_date,
        meeting_date=meeting_date,
        sit_by=sit_by,
        in_time=in_time,
    )


@dataclass(frozen=True, kw_only=True)
class AgendaPlacement(Explained):
    organ: Organ
    declared_on: dt.date
    meeting_date: dt.date | None


def declaration_agenda(
    organ: Organ, declared_on: dt.date, meeting_dates: Iterable[dt.date]
) -> AgendaPlacement:
    """GOV-11 (001 dec. 8–9): a declaration of inability or conflict of interest goes on the
    agenda of the organ's next meeting. Reading: the next meeting after the day the
    declaration arrived (a meeting the same day already has its agenda)."""
    later = sorted(d for d in meeting_dates if d > declared_on)
    meeting = later[0] if later else None
    message = (
        Msg.of(DECLARATION_PLACED, declared=declared_on, organ=organ_term(organ), meeting=meeting)
        if meeting
        else Msg.of(DECLARATION_WAITING, declared=declared_on, organ=organ_term(organ))
    )
    return AgendaPlacement(
        rule_id=GOV_11, message=message, organ=organ, declared_on=declared_on, meeting_date=meeting
    )


@dataclass(frozen=True, kw_only=True)
class GaCalendar(Explained):
    """GOV-7 (000 §8.4): the ordinary GA meetings of this and last calendar year, and when the next
    reporting-electoral GA is due."""

    on: dt.date
    years: tuple[OrdinaryMeetings, ...]
    last_electoral: dt.date | None
    #: The last day by which the next reporting-electoral GA sits (None: none recorded yet).
    electoral_due_by: dt.date | None
    electoral_overdue: bool
    #: Last year fell short, or an electoral GA is overdue or was never recorded: the page warns.
    warn: bool


def ga_calendar(
    profile: StatuteProfile,
    on: dt.date,
    meetings: Iterable[tuple[dt.date, str]],
) -> GaCalendar:
    """000 §8.4: the ordinary GA sits `ordinary_per_year` times a year (reporting) and every
    `electoral_every_years` years as reporting-electoral.

    `meetings` are the GA meetings as (date, kind) with kind "ordinary", "reporting_electoral" or
    "extraordinary"; a reporting-electoral GA is also one of the year's ordinary ones, an
    extraordinary one is neither. Meetings after `on` are the ones already convened: the current
    year counts them (it is not over), the previous year is judged on what it had. Reading: the
    electoral GA is due within `electoral_every_years` years of the last one (same day number,
    Kodeks cywilny art. 112)."""
    rows = [(d, k) for d, k in meetings if k in ("ordinary", "reporting_electoral")]
    years = tuple(
        ordinary_ga_check(profile, year, [d for d, _ in rows]) for year in (on.year, on.year - 1)
    )
    electoral = sorted(d for d, k in rows if k == "reporting_electoral")
    past = [d for d in electoral if d <= on]
    last = past[-1] if past else None
    every = profile.ga.electoral_every_years
    due_by = add_months(last, 12 * every) if last else None
    planned = [d for d in electoral if d > on]
    overdue = due_by is not None and due_by < on and not planned
    current, previous = years
    parts = [
        Msg.of(
            CURRENT_SHORT if current.short else CURRENT_OK,
            year=current.year,
            held=current.held,
            required=current.required,
        ),
        previous.message,
    ]
    if previous.short:
        parts.append(Msg.of(TOO_FEW))
    if last is None:
        parts.append(Msg.of(NO_ELECTORAL, every=every))
        if planned:
            parts.append(Msg.of(ELECTORAL_CONVENED, day=planned[0]))
    else:
        parts.append(
            Msg.of(
                ELECTORAL_OVERDUE if overdue else ELECTORAL_DUE,
                last=last,
                due=add_months(last, 12 * every),
                every=every,
            )
        )
    warn = previous.short or current.short or overdue or (last is None and not planned)
    return GaCalendar(
        rule_id=GOV_7,
        message=sentences(*parts),
        on=on,
        years=years,
        last_electoral=last,
        electoral_due_by=due_by,
        electoral_overdue=overdue,
        warn=warn,
    )
