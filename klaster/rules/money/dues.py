"""Dues accrual and billing (FIN-1, FIN-2 and the SPEC Reading).

Reading (SPEC FIN-2): a month's dues are owed when the member holds dues-bearing membership
on at least one day of that month; a suspension (FIN-7), an exemption (FIN-5) or a leaving
that takes effect on the 1st frees that month. Dues-bearing: a member (status "active", read
from the membership events with `klaster.rules.membership.state_on`, MEM-6), not suspended
and not exempted on that day. Leaving dated D means not a member on D (000 §6.3), so a
resignation dated 1 March frees March; one dated 2 March does not.

Billing (FIN-2): per member a period of a month, a quarter, a half-year or a year (calendar
aligned: quarters from January, April, July, October). A period's document is due to be issued
once its start is reached: issue date = the period's start (or the first dues-bearing day in
it, when the member joined later: no document is dated before the membership), due date =
issue date + the cluster's payment term in days. Its net amount is the sum of the owed months
of the period, each at the tariff in force on the month's first day (a tariff change inside a
quarter splits it month by month); VAT follows the fee type's treatment on the issue date and
is rounded half up to the grosz once for the line (one line per document).

What changes after a document was issued (an exemption decided later, a leaving inside a
quarter) is settled by a correcting document (`dues_correction`), never by an edit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from klaster.rules.membership import MembershipEvent, state_on
from klaster.rules.message import Money, Msg, define
from klaster.rules.money._common import (
    MISSING,
    MoneyInputError,
    Period,
    check_order,
    choice,
    month_start,
    months_between,
    next_month,
    whole_days,
)
from klaster.rules.money.tariff import (
    VAT_RATES_PL,
    FeeType,
    Tariff,
    VatLine,
    VatRate,
    tariff_in_force,
    vat_line,
)

RULE_ID = "FIN-2"

Billing = Literal["month", "quarter", "half_year", "year"]
BILLINGS: tuple[Billing, ...] = ("month", "quarter", "half_year", "year")
PERIOD_MONTHS = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}

READING = define(
    "money.dues.reading",
    "A month's dues are owed when the member holds dues-bearing membership on at least one day "
    "of that month; a suspension, an exemption or a leaving that takes effect on the 1st frees "
    "that month.",
)
DOCUMENT = define(
    "money.dues.document",
    "Dues for {start} – {end}: {n} {n:month|months} owed ({months}), net {net}. {vat}",
)
MONTH_CHARGE = define("money.dues.month", "{month}: {net}")
NO_TARIFF = define("money.dues.no_tariff", "no tariff is in force on {day}")
CORRECTION = define(
    "money.dues.correction",
    "Correction of {number}: net {before} → {after} (difference {difference}). {why}",
)
CORRECTION_WHY = define(
    "money.dues.correction_why",
    "The months owed changed after the document was issued (a leaving, a suspension or an "
    "exemption dated inside the period).",
)


@dataclass(frozen=True)
class MemberDues:
    """What the accrual needs to know of one member.

    `events`: its membership history (MEM-6); `suspensions` (FIN-7) and `exemptions` (FIN-5):
    periods with both ends included (`end` None: still running) — suspensions may come as
    "suspended"/"resumed" events instead, or as both; `category`: its tariff category.
    """

    member_id: str
    category: str
    events: tuple[MembershipEvent, ...]
    suspensions: tuple[Period, ...] = ()
    exemptions: tuple[Period, ...] = ()
    billing: Billing = "month"
    #: Later categories (a size class that changed), each from its date: (valid_from, category).
    category_changes: tuple[tuple[dt.date, str], ...] = ()

    def __post_init__(self) -> None:
        choice("billing", self.billing, BILLINGS)
        for name in ("suspensions", "exemptions"):
            for p in getattr(self, name):
                if p.end is not None:
                    check_order(name, p.start, p.end)


Span = tuple[dt.date, dt.date | None]  # [start, end): end excluded, None: open


def _active_spans(events: Sequence[MembershipEvent]) -> list[Span]:
    # The status changes only on event days; read it there with the shared replay (MEM-6).
    days = sorted({e.date for e in events})
    spans: list[Span] = []
    for i, day in enumerate(days):
        if state_on(events, day).status != "active":
            continue
        end = days[i + 1] if i + 1 < len(days) else None
        if spans and spans[-1][1] == day:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((day, end))
    return spans


def _subtract(spans: list[Span], cut: Period) -> list[Span]:
    cut_start = cut.start
    cut_end = cut.end + dt.timedelta(days=1) if cut.end is not None else None
    out: list[Span] = []
    for start, end in spans:
        # the part before the cut
        if start < cut_start:
            out.append((start, cut_start if end is None or end > cut_start else end))
        # the part after the cut
        if cut_end is not None and (end is None or end > cut_end):
            out.append((max(start, cut_end), end))
    return [(s, e) for s, e in out if e is None or s < e]


def dues_bearing_spans(member: MemberDues) -> list[Span]:
    """The member's dues-bearing days as [start, end) spans (end None: still running)."""
    spans = _active_spans(member.events)
    for cut in (*member.suspensions, *member.exemptions):
        spans = _subtract(spans, cut)
    return sorted(spans)


def dues_bearing_on(member: MemberDues, day: dt.date) -> bool:
    return any(s <= day and (e is None or day < e) for s, e in dues_bearing_spans(member))


def _owed(spans: list[Span], month: dt.date) -> bool:
    after = next_month(month)
    return any(s < after and (e is None or e > month) for s, e in spans)


def months_owed(member: MemberDues, first: dt.date, last: dt.date) -> list[dt.date]:
    """The months (their 1st days) from `first`'s month to `last`'s whose dues are owed.

    A month counts whole: it is owed when the member is dues-bearing on any day of it, even
    a day outside [first, last] (the window only picks months)."""
    check_order("last", first, last)
    spans = dues_bearing_spans(member)
    return [m for m in months_between(first, last) if _owed(spans, m)]


def period_of(billing: Billing, day: dt.date) -> tuple[dt.date, dt.date]:
    """The calendar-aligned billing period containing `day`: (first day, last day)."""
    length = PERIOD_MONTHS[choice("billing", billing, BILLINGS)]
    first_month = (day.month - 1) // length * length + 1
    start = dt.date(day.year, first_month, 1)
    end = start
    for _ in range(length):
        end = next_month(end)
    return start, end - dt.timedelta(days=1)


@dataclass(frozen=True)
class MonthCharge:
    month: dt.date  # its first day
    net: Decimal
    tariff_from: dt.date  # the tariff version applied


@dataclass(frozen=True)
class DuesDocument:
    """One period's dues for one member: what to issue (numbering is the caller's)."""

    member_id: str
    fee: str
    billing: Billing
    period_start: dt.date
    period_end: dt.date
    issued: dt.date
    due: dt.date
    months: tuple[MonthCharge, ...]
    line: VatLine
    message: Msg
    rule_id: str = RULE_ID

    @property
    def net(self) -> Decimal:
        return self.line.net

    @property
    def vat(self) -> Decimal:
        return self.line.vat

    @property
    def gross(self) -> Decimal:
        return self.line.gross

    @property
    def kind(self) -> str:
        return self.line.kind


def category_on(member: MemberDues, day: dt.date) -> str:
    """The member's tariff category on `day` (its first day, for a month)."""
    category, since = member.category, dt.date.min
    for valid_from, later in member.category_changes:
        if since <= valid_from <= day:
            category, since = later, valid_from
    return category


def month_charge(tariffs: Iterable[Tariff], category: str, month: dt.date) -> MonthCharge:
    tariff = tariff_in_force(tariffs, month)
    if tariff is None:
        raise MoneyInputError(
            "tariff", Msg.of(MISSING, field="tariff", what=Msg.of(NO_TARIFF, day=month))
        )
    return MonthCharge(month=month, net=tariff.monthly_for(category), tariff_from=tariff.valid_from)


def dues_documents(
    member: MemberDues,
    tariffs: Sequence[Tariff],
    fee: FeeType,
    *,
    start: dt.date,
    through: dt.date,
    payment_term_days: int,
    vat_rates: Sequence[VatRate] = VAT_RATES_PL,
) -> list[DuesDocument]:
    """Every dues document of `member` whose period has begun by `through`.

    `start`: the first day the cluster bills dues through the product (months before its
    month are not billed). A period with no owed month gets no document. Idempotence is the
    caller's: it skips the periods it has already issued (`(member_id, fee, period_start)`).
    """
    check_order("through", start, through)
    whole_days("payment_term_days", payment_term_days)
    spans = dues_bearing_spans(member)
    out: list[DuesDocument] = []
    period_start, period_end = period_of(member.billing, start)
    while period_start <= through:
        months = [
            m
            for m in months_between(period_start, period_end)
            if m >= month_start(start) and _owed(spans, m)
        ]
        if months:
            first_day = _first_bearing_day(spans, max(period_start, start))
            issued = period_start if first_day is None else max(period_start, first_day)
            if issued <= through:
                out.append(
                    _document(
                        member,
                        tariffs,
                        fee,
                        months,
                        period_start,
                        period_end,
                        issued,
                        payment_term_days,
                        vat_rates,
                    )
                )
        period_start = period_end + dt.timedelta(days=1)
        period_end = period_of(member.billing, period_start)[1]
    return out


def _first_bearing_day(spans: list[Span], not_before: dt.date) -> dt.date | None:
    candidates = [max(s, not_before) for s, e in spans if e is None or e > not_before]
    return min(candidates) if candidates else None


def _document(
    member: MemberDues,
    tariffs: Sequence[Tariff],
    fee: FeeType,
    months: list[dt.date],
    period_start: dt.date,
    period_end: dt.date,
    issued: dt.date,
    payment_term_days: int,
    vat_rates: Sequence[VatRate],
) -> DuesDocument:
    charges = tuple(month_charge(tariffs, category_on(member, m), m) for m in months)
    net = sum((c.net for c in charges), Decimal("0.00"))
    line = vat_line(fee, net, issued, vat_rates)
    message = Msg.of(
        DOCUMENT,
        start=period_start,
        end=period_end,
        n=len(charges),
        months=tuple(
            Msg.of(MONTH_CHARGE, month=f"{c.month:%m.%Y}", net=Money(c.net)) for c in charges
        ),
        net=Money(net),
        vat=line.message,
    )
    return DuesDocument(
        member_id=member.member_id,
        fee=fee.key,
        billing=member.billing,
        period_start=period_start,
        period_end=period_end,
        issued=issued,
        due=issued + dt.timedelta(days=payment_term_days),
        months=charges,
        line=line,
        message=message,
    )


@dataclass(frozen=True)
class DuesCorrection:
    """A correcting line for an issued document: the net difference (negative: a credit)."""

    number: str
    net_difference: Decimal
    months_removed: tuple[dt.date, ...]
    months_added: tuple[dt.date, ...]
    message: Msg
    rule_id: str = RULE_ID


def dues_correction(
    number: str, issued: DuesDocument, now: DuesDocument | None
) -> DuesCorrection | None:
    """What correcting document `number` (the issued one's number) needs, given the period's
    dues as they read today (`now`: None when no month of the period is owed any more).
    None when nothing changed. VAT on the correction is the caller's: the fee type's treatment
    and rate of the corrected document apply (`vat_line` with the original issue date)."""
    before = {c.month: c.net for c in issued.months}
    after = {c.month: c.net for c in now.months} if now is not None else {}
    if before == after:
        return None
    before_net = sum(before.values(), Decimal("0.00"))
    after_net = sum(after.values(), Decimal("0.00"))
    return DuesCorrection(
        number=number,
        net_difference=after_net - before_net,
        months_removed=tuple(sorted(set(before) - set(after))),
        months_added=tuple(sorted(set(after) - set(before))),
        message=Msg.of(
            CORRECTION,
            number=number,
            before=Money(before_net),
            after=Money(after_net),
            difference=Money(after_net - before_net),
            why=Msg.of(CORRECTION_WHY),
        ),
    )
