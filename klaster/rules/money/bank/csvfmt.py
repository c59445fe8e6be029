"""CSV statements with a cluster-defined column mapping (FIN-3)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from klaster.rules.message import Msg
from klaster.rules.money.bank.model import (
    BAD_FIELD,
    Entry,
    Statement,
    StatementError,
    normalize_account,
)


@dataclass(frozen=True)
class CsvMapping:
    """Column names (header) or 0-based indexes; '' / None = absent."""

    date: str | int
    amount: str | int
    title: str | int | None = None
    counterparty_name: str | int | None = None
    counterparty_iban: str | int | None = None
    reference: str | int | None = None
    value_date: str | int | None = None
    account_column: str | int | None = None  # per-entry (virtual) account, if the bank writes one
    account: str = ""  # the statement's account (CSV exports rarely carry it)
    number: str = ""
    decimal_comma: bool = True
    date_format: str = "%Y-%m-%d"
    delimiter: str = ";"
    encoding: str = ""  # '' = detect
    header: bool = True
    skip_rows: int = 0
    currency: str = "PLN"


def _error(field: str, line: int, value: str) -> StatementError:
    return StatementError(Msg.of(BAD_FIELD, field=field, line=line, value=value[:60]))


def _day(text: str, fmt: str) -> dt.date:
    return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar day, no time


def parse_csv(text: str, mapping: CsvMapping, encoding: str = "") -> Statement:
    lines = text.splitlines()[mapping.skip_rows :]
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=mapping.delimiter)
    rows = list(reader)
    header: list[str] = []
    first = 1 + mapping.skip_rows
    if mapping.header and rows:
        header = [h.strip() for h in rows[0]]
        rows = rows[1:]
        first += 1

    def index(col: str | int | None, field: str) -> int | None:
        if col is None or col == "":
            return None
        if isinstance(col, int):
            return col
        if col not in header:
            raise _error(field, first - 1, col)
        return header.index(col)

    cols = {
        f: index(getattr(mapping, f), f)
        for f in (
            "date",
            "amount",
            "title",
            "counterparty_name",
            "counterparty_iban",
            "reference",
            "value_date",
            "account_column",
        )
    }
    entries: list[Entry] = []
    for offset, row in enumerate(rows):
        line = first + offset
        if not any(c.strip() for c in row):
            continue

        def cell(f: str, row: list[str] = row, line: int = line) -> str:
            i = cols[f]
            if i is None:
                return ""
            if i >= len(row):
                raise _error(f, line, "")
            return row[i].strip()

        try:
            booking = _day(cell("date"), mapping.date_format)
        except ValueError as exc:
            raise _error("date", line, cell("date")) from exc
        value_text = cell("value_date")
        try:
            value = _day(value_text, mapping.date_format) if value_text else booking
        except ValueError as exc:
            raise _error("value_date", line, value_text) from exc
        raw_amount = cell("amount").replace(" ", "").replace("\xa0", "")
        if mapping.decimal_comma:
            raw_amount = raw_amount.replace(".", "").replace(",", ".")
        try:
            amount = Decimal(raw_amount)
        except InvalidOperation as exc:
            raise _error("amount", line, cell("amount")) from exc
        entries.append(
            Entry(
                line=len(entries) + 1,
                booking_date=booking,
                value_date=value,
                amount=amount,
                currency=mapping.currency,
                bank_reference=cell("reference"),
                counterparty_name=cell("counterparty_name"),
                counterparty_iban=normalize_account(cell("counterparty_iban")),
                title=cell("title"),
                raw=mapping.delimiter.join(row),
                account=normalize_account(cell("account_column")),
            )
        )
    dates = [e.booking_date for e in entries]
    return Statement(
        account=normalize_account(mapping.account),
        number=mapping.number,
        date_from=min(dates) if dates else None,
        date_to=max(dates) if dates else None,
        opening=Decimal("0.00"),
        closing=sum((e.amount for e in entries), Decimal("0.00")),
        currency=mapping.currency,
        entries=tuple(entries),
        format="csv",
        encoding=encoding,
    )
