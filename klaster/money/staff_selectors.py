"""Reads of the money app's staff part: the Board's remuneration (FIN-9), the staff time register
(FIN-10) and members' statement requests (FIN-12). The arithmetic is the pure rules'
(klaster.rules.money.board, .staff, .statements); this module only gathers the rows.

`statement_requests_due(cluster, on)` is what the office's home lists: the requests not yet
provided, the overdue first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from klaster.core.models import Cluster
from klaster.members.models import Member
from klaster.money.models import HourlyRate, Payment, StaffTime, StatementRequest
from klaster.rules.money import board, staff, statements

ZERO = Decimal("0.00")


# --- FIN-9: the Board's remuneration -------------------------------------------------------------


def board_rate(cluster: Cluster, on: dt.date) -> Decimal:
    """The amount per meeting in force on `on`: the General Assembly's decision entered by the
    office (`money.rates`), else the default of 001 "Kadra" 2 (500 PLN gross)."""
    from klaster.money.rates import board_rate_on

    return board_rate_on(cluster)(on)


def board_attendances(cluster: Cluster, year: int) -> tuple[list[board.Attendance], dict[str, str]]:
    """The Board's closed meetings of the year, one attendance per seat-holding person (as
    governance records them, GOV-6), and the persons' names by key."""
    from klaster.governance.literals import attendance_mode
    from klaster.governance.models import Attendance, Meeting, OrganKind

    rows = (
        Attendance.objects.filter(
            meeting__cluster=cluster,
            meeting__organ__kind=OrganKind.BOARD,
            meeting__status=Meeting.Status.CLOSED,
            meeting__date__year=year,
        )
        .order_by("meeting__date", "id")
        .values_list(
            "meeting_id",
            "meeting__date",
            "member_id",
            "member__name",
            "person_id",
            "person__name",
            "person_name",
            "mode",
        )
    )
    out: list[board.Attendance] = []
    names: dict[str, str] = {}
    for meeting, day, mid, member_name, pid, pname, free_name, mode in rows:
        if pid:
            key = f"p{pid}"
            name = pname or free_name
        elif free_name:
            key = f"m{mid}:{free_name}"
            name = free_name
        else:
            continue  # nobody named: no person to pay
        names[key] = f"{name} ({member_name})"
        out.append(board.Attendance(key, str(meeting), day, attendance_mode(mode)))
    return out, names


@dataclass
class BoardRow:
    key: str
    name: str
    quarters: list[board.BoardPay | None] = field(default_factory=lambda: [None] * 4)
    total: Decimal = ZERO
    meetings: int = 0


@dataclass
class BoardYear:
    year: int
    rate: Decimal
    rows: list[BoardRow]
    quarter_totals: list[Decimal]
    total: Decimal


def board_pay_year(cluster: Cluster, year: int) -> BoardYear:
    from klaster.money.rates import board_rate_on

    rate_on = board_rate_on(cluster)
    rate = rate_on(dt.date(year, 12, 31))
    attendances, names = board_attendances(cluster, year)
    by_person: dict[str, BoardRow] = {}
    quarter_totals = [ZERO] * 4
    for pay in board.board_pay(attendances, per_meeting=rate_on):
        row = by_person.setdefault(pay.person, BoardRow(pay.person, names.get(pay.person, "")))
        row.quarters[pay.quarter - 1] = pay
        row.total += pay.total
        row.meetings += pay.meetings_paid
        quarter_totals[pay.quarter - 1] += pay.total
    rows = sorted(by_person.values(), key=lambda r: r.name.casefold())
    return BoardYear(year, rate, rows, quarter_totals, sum(quarter_totals, ZERO))


# --- FIN-10: the staff time register -------------------------------------------------------------


def rates(cluster: Cluster, year: int | None = None) -> list[HourlyRate]:
    qs = HourlyRate.objects.filter(cluster=cluster)
    if year is not None:
        qs = qs.filter(year=year)
    return list(qs.order_by("-year", "role"))


@dataclass
class StaffRow:
    person: str
    role: str
    months: list[staff.MonthTime]
    records: dict[int, StaffTime]
    gzw_hours: Decimal
    year: staff.YearTime | None  # None without the Board's rate for the role and year
    rate: Decimal | None
    hours: Decimal
    average_fte: Decimal


@dataclass
class StaffYear:
    year: int
    full_hours: list[int]  # per month: business days × 8
    rows: list[StaffRow]
    hours: Decimal
    cost: Decimal
    missing_rates: list[str]  # roles without a rate for the year


def staff_year(cluster: Cluster, year: int) -> StaffYear:
    records = list(StaffTime.objects.filter(cluster=cluster, month__year=year))
    rate_of = {r.role: r.rate for r in HourlyRate.objects.filter(cluster=cluster, year=year)}
    people: dict[str, list[StaffTime]] = {}
    for r in records:
        people.setdefault(r.person, []).append(r)
    rows: list[StaffRow] = []
    missing: set[str] = set()
    for person in sorted(people, key=str.casefold):
        items = sorted(people[person], key=lambda r: r.month)
        role = items[-1].role  # the latest month's role
        by_month = {r.month.month: r for r in items}
        hours_by_month = {m: r.hours for m, r in by_month.items()}
        rate = rate_of.get(role)
        year_time = None
        if rate is not None:
            year_time = staff.year_time(person, year, hours_by_month, {year: rate})
            months = list(year_time.months)
            average = staff.fte_display(year_time.average_fte)
        else:
            missing.add(role)
            months = [
                staff.month_time(person, year, m, hours_by_month.get(m, Decimal(0)))
                for m in range(1, 13)
            ]
            average = staff.fte_display(sum((m.fte for m in months), Fraction(0)) / 12)
        rows.append(
            StaffRow(
                person,
                role,
                months,
                by_month,
                sum((r.gzw_hours for r in items), Decimal(0)),
                year_time,
                rate,
                sum((r.hours for r in items), Decimal(0)),
                average,
            )
        )
    return StaffYear(
        year,
        [staff.working_hours(year, m) for m in range(1, 13)],
        rows,
        sum((r.hours for r in rows), Decimal(0)),
        sum((r.year.cost for r in rows if r.year is not None), ZERO),
        sorted(missing, key=str.casefold),
    )


# --- FIN-12: statement requests ------------------------------------------------------------------


@dataclass
class RequestRow:
    request: StatementRequest
    state: statements.StatementRequest

    @property
    def deadline(self) -> dt.date:
        return self.state.deadline

    @property
    def overdue(self) -> bool:
        return self.state.overdue


def request_rows(
    cluster: Cluster, on: dt.date, member: Member | None = None, provided_only: bool = False
) -> list[RequestRow]:
    qs = StatementRequest.objects.filter(cluster=cluster).select_related("member")
    if member is not None:
        qs = qs.filter(member=member)
    if provided_only:
        qs = qs.filter(provided_on__isnull=False)
    return [
        RequestRow(r, statements.statement_request(r.requested_on, on, r.provided_on))
        for r in qs.order_by("-requested_on", "-id")
    ]


def statement_requests_due(cluster: Cluster, on: dt.date) -> list[RequestRow]:
    """The requests the office has not provided yet, by deadline (the overdue come first);
    each row has `.request`, `.deadline`, `.overdue` and `.state.message`."""
    rows = [r for r in request_rows(cluster, on) if r.request.provided_on is None]
    return sorted(rows, key=lambda r: (r.deadline, r.request.pk))


@dataclass
class StatementLine:
    day: dt.date
    amount: Decimal
    title: str
    documents: list[str]


def statement_lines(request: StatementRequest) -> list[StatementLine]:
    """The member's payments into the cluster's sub-account within the request's period: the
    bank entry's booking title, or the office's note for a receipt recorded by hand."""
    payments = (
        Payment.objects.filter(
            cluster_id=request.cluster_id,
            member_id=request.member_id,
            day__gte=request.period_start,
            day__lte=request.period_end,
        )
        .select_related("entry")
        .order_by("day", "id")
    )
    return [
        StatementLine(
            p.day,
            p.amount,
            (p.entry.title if p.entry is not None else p.note) or "",
            [str(d) for d in (p.documents or [])],
        )
        for p in payments
    ]
