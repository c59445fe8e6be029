"""The ledger and the aging of arrears as XLSX (FIN-2, FIN-3, FIN-4; issue 10 point 8).

Written like the other workbooks (klaster.kkk.exports): openpyxl, amounts as numbers with two
decimals, dates as dates, headers in Polish, and every workbook saved through
`klaster.core.exports.workbook_bytes`, so a name or title starting with "=" stays text. The
paid and open amounts are the computed ledger's (`selectors.cluster_ledger`): documents,
payments and entries are each read in one query.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from klaster.core.exports import workbook_bytes
from klaster.core.models import Cluster
from klaster.members.models import Member
from klaster.money import selectors
from klaster.money.models import Document, Payment

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
ZERO = Decimal("0.00")

#: the aging buckets (FIN-4): (upper bound of days overdue, inclusive; None: no bound)
BUCKETS: tuple[tuple[int, int | None], ...] = ((1, 30), (31, 60), (61, 90), (91, None))


def _sheet(wb: Workbook, title: str, headers: list[str], first: bool = False) -> Any:
    ws = wb.active if first else wb.create_sheet()
    ws.title = title
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    return ws


def _append(ws: Any, row: list[Any]) -> None:
    ws.append(row)
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, Decimal | float):
            cell.number_format = MONEY_FORMAT
        elif isinstance(cell.value, dt.date):
            cell.number_format = DATE_FORMAT


def _widths(ws: Any) -> None:
    for i, column in enumerate(ws.iter_cols(), 1):
        longest = max((len(str(c.value)) for c in column if c.value is not None), default=8)
        ws.column_dimensions[get_column_letter(i)].width = min(max(longest + 2, 10), 50)


def ledger_xlsx(cluster: Cluster, on: dt.date | None = None) -> bytes:
    """The cluster's ledger on `on` (today's state when None): sheets "Dokumenty", "Wpłaty",
    "Salda" (FIN-2, FIN-3)."""
    with translation.override("pl"):
        return _ledger_xlsx(cluster, on)


def _ledger_xlsx(cluster: Cluster, on: dt.date | None) -> bytes:
    book = selectors.cluster_ledger(cluster, on=on)
    members = {
        str(pk): (key, name)
        for pk, key, name in Member.objects.filter(cluster=cluster).values_list("pk", "key", "name")
    }
    kinds = dict(Document.Kind.choices)
    wb = Workbook()
    ws = _sheet(
        wb,
        pgettext("money export", "Documents"),
        [
            pgettext("money export", "Number"),
            pgettext("money export", "Kind"),
            pgettext("money export", "Member's identifier"),
            pgettext("money export", "Member"),
            pgettext("money export", "Issued"),
            pgettext("money export", "Due"),
            pgettext("money export", "Period from"),
            pgettext("money export", "Period to"),
            pgettext("money export", "Net"),
            pgettext("money export", "VAT"),
            pgettext("money export", "Gross"),
            pgettext("money export", "Paid"),
            pgettext("money export", "Open"),
        ],
        first=True,
    )
    documents = Document.objects.filter(cluster=cluster)
    if on is not None:
        documents = documents.filter(issued__lte=on)
    for row in documents.order_by("issued", "series", "seq").values_list(
        "number",
        "kind",
        "member_id",
        "issued",
        "due",
        "period_start",
        "period_end",
        "net",
        "vat",
        "gross",
    ):
        number, kind, mid, issued, due, start, end, net, vat, gross = row
        key, name = members.get(str(mid), ("", ""))
        _append(
            ws,
            [
                number,
                str(kinds.get(kind, kind)),
                key,
                name,
                issued,
                due,
                start,
                end,
                net,
                vat,
                gross,
                book.paid.get(number, ZERO),
                book.open.get(number, ZERO),
            ],
        )
    _widths(ws)

    ws = _sheet(
        wb,
        pgettext("money export", "Payments"),
        [
            pgettext("money export", "Paid on"),
            pgettext("money export", "Member's identifier"),
            pgettext("money export", "Member"),
            pgettext("money export", "Amount"),
            pgettext("money export", "Applied to documents"),
            pgettext("money export", "To the member's credit"),
            pgettext("money export", "Bank statement"),
            pgettext("money export", "Statement line"),
            pgettext("money export", "Note"),
        ],
    )
    results = {p.ref: p for p in book.payments}
    went: dict[str, list[str]] = defaultdict(list)
    for a in book.allocations:
        if a.document not in went[a.source]:
            went[a.source].append(a.document)
    payments = Payment.objects.filter(cluster=cluster)
    if on is not None:
        payments = payments.filter(day__lte=on)
    for pk, mid, day, amount, statement, line, note in payments.order_by("day", "id").values_list(
        "pk", "member_id", "day", "amount", "entry__statement__number", "entry__line", "note"
    ):
        ref = f"p{pk}"
        key, name = members.get(str(mid), ("", ""))
        result = results.get(ref)
        _append(
            ws,
            [
                day,
                key,
                name,
                amount,
                ", ".join(went.get(ref) or (result.documents if result else ())),
                result.credit if result is not None else ZERO,
                statement or "",
                line,
                note,
            ],
        )
    _widths(ws)

    ws = _sheet(
        wb,
        pgettext("money export", "Balances"),
        [
            pgettext("money export", "Member's identifier"),
            pgettext("money export", "Member"),
            pgettext("money export", "Owed"),
            pgettext("money export", "Credit"),
            pgettext("money export", "Balance"),
        ],
    )
    owed: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for number, value in book.open.items():
        owed[book.documents[number].member] += value
    ids = {m for m, v in owed.items() if v} | {m for m, v in book.credit.items() if v}
    for member in sorted(ids, key=lambda m: members.get(m, (m, ""))[0]):
        key, name = members.get(member, ("", ""))
        credit = book.credit.get(member, ZERO)
        _append(ws, [key, name, owed[member], credit, owed[member] - credit])
    _widths(ws)
    return workbook_bytes(wb)


def bucket_of(days_overdue: int) -> int:
    """The aging column of an open amount: 0 not due yet, 1 for 1–30 days … 4 for over 90."""
    if days_overdue <= 0:
        return 0
    for i, (low, high) in enumerate(BUCKETS, 1):
        if days_overdue >= low and (high is None or days_overdue <= high):
            return i
    return len(BUCKETS)


def aging_xlsx(cluster: Cluster, as_of: dt.date) -> bytes:
    """Open amounts per member on `as_of` by days overdue (FIN-4), with the vote and the
    interest, and a totals row."""
    with translation.override("pl"):
        return _aging_xlsx(cluster, as_of)


def _aging_xlsx(cluster: Cluster, as_of: dt.date) -> bytes:
    wb = Workbook()
    ws = _sheet(
        wb,
        pgettext("money export", "Aging"),
        [
            pgettext("money export", "Member's identifier"),
            pgettext("money export", "Member"),
            pgettext("money export", "Not due"),
            pgettext("money export", "1–30 days"),
            pgettext("money export", "31–60 days"),
            pgettext("money export", "61–90 days"),
            pgettext("money export", "Over 90 days"),
            pgettext("money export", "Total open"),
            pgettext("money export", "Votes"),
            pgettext("money export", "Interest"),
        ],
        first=True,
    )
    totals = [ZERO] * (len(BUCKETS) + 3)  # buckets, total, interest
    for r in selectors.arrears(cluster, as_of):
        buckets = [ZERO] * (len(BUCKETS) + 1)
        interest = ZERO
        for d in r.documents:
            buckets[bucket_of(d.stage.days_overdue)] += d.open
            interest += d.interest.amount
        total = sum(buckets, ZERO)
        if not total:
            continue
        values = [*buckets, total, interest]
        totals = [a + b for a, b in zip(totals, values, strict=True)]
        _append(
            ws,
            [
                r.member.key,
                r.member.name,
                *buckets,
                total,
                pgettext("money export", "Yes") if r.votes else pgettext("money export", "No"),
                interest,
            ],
        )
    _append(ws, [pgettext("money export", "Total"), "", *totals[:-1], "", totals[-1]])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    _widths(ws)
    info = wb.create_sheet(pgettext("money export", "Parameters"))
    info.append([pgettext("money export", "As of"), as_of])
    info["B1"].number_format = DATE_FORMAT
    return workbook_bytes(wb)
