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
from klaster.rules.governance._common import (
    Explained,
    NotInStatute,
    count,
    date_text,
    organ_genitive,
    share_text,
)
from klaster.rules.statute import Organ, StatuteProfile

GOV_7 = "GOV-7"
GOV_11 = "GOV-11"


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
        raise NotInStatute(
            profile, f"terminu zawiadomienia o posiedzeniu {organ_genitive(organ)}", GOV_7
        )
    sent_on = _as_date(sent)
    latest = meeting_date - dt.timedelta(days=days)
    in_time = sent_on <= latest
    before = (meeting_date - sent_on).days
    reason = (
        f"Zawiadomienie wysłane {date_text(sent_on)}, {count(before, 'dzień', 'dni', 'dni')} przed "
        f"posiedzeniem {date_text(meeting_date)}: {'w terminie' if in_time else 'za późno'} "
        f"(najpóźniej {date_text(latest)}, co najmniej {days} dni przed)."
    )
    return NoticeCheck(
        rule_id=GOV_7,
        reason=reason,
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
        reason=(
            f"W roku {year} zwyczajne Walne Zgromadzenie obradowało "
            f"{count(held, 'raz', 'razy', 'razy')}; wymagane {required}."
        ),
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
    reason = (
        f"Wniosek o nadzwyczajne Walne Zgromadzenie złożyło {n} z {partners_total} Partnerów "
        f"i Partnerów Strategicznych; wymagane co najmniej {share_text(share)}, czyli {required}: "
        f"{'wniosek skuteczny' if met else 'za mało wnioskodawców'}."
    )
    if met:
        reason += f" Zgromadzenie musi się odbyć najpóźniej {date_text(sit_by)}."
    return ExtraordinaryRequest(
        rule_id=GOV_7,
        reason=reason,
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
        reason=(
            f"Nadzwyczajne Walne Zgromadzenie {date_text(meeting_date)} "
            f"{'mieści się' if in_time else 'nie mieści się'} w terminie miesiąca od wniosku "
            f"z {date_text(request_date)} (najpóźniej {date_text(sit_by)})."
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
    where = organ_genitive(organ)
    reason = (
        f"Oświadczenie z {date_text(declared_on)} trafia do porządku obrad najbliższego "
        f"posiedzenia {where}: {date_text(meeting)}."
        if meeting
        else f"Oświadczenie z {date_text(declared_on)} czeka na wyznaczenie najbliższego "
        f"posiedzenia {where}."
    )
    return AgendaPlacement(
        rule_id=GOV_11, reason=reason, organ=organ, declared_on=declared_on, meeting_date=meeting
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
        f"W roku {current.year} zwyczajne Walne Zgromadzenie zwołano lub odbyło "
        f"{count(current.held, 'raz', 'razy', 'razy')} z wymaganych {current.required}"
        + (" — brakuje posiedzeń." if current.short else "."),
        previous.reason + (" Za mało posiedzeń." if previous.short else ""),
    ]
    if last is None:
        parts.append(
            f"Nie odnotowano sprawozdawczo-wyborczego Walnego Zgromadzenia; odbywa się ono co "
            f"{count(every, 'rok', 'lata', 'lat')}."
            + (f" Zwołane na {date_text(planned[0])}." if planned else "")
        )
    else:
        parts.append(
            f"Ostatnie sprawozdawczo-wyborcze Walne Zgromadzenie: {date_text(last)}; następne "
            f"najpóźniej {date_text(add_months(last, 12 * every))} (co {count(every, 'rok', 'lata', 'lat')})"
            + (" — termin minął." if overdue else ".")
        )
    warn = previous.short or current.short or overdue or (last is None and not planned)
    return GaCalendar(
        rule_id=GOV_7,
        reason=" ".join(parts),
        on=on,
        years=years,
        last_electoral=last,
        electoral_due_by=due_by,
        electoral_overdue=overdue,
        warn=warn,
    )
