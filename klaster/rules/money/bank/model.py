"""The one statement model every bank format is read into (FIN-3)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from stdnum import iban as stdnum_iban

from klaster.rules.message import Money, Msg, define

BAD_FILE = define("money.bank.bad_file", "Malformed bank statement at line {line}: {detail}")
TOO_BIG = define("money.bank.too_big", "The statement file is too large (limit {limit} bytes)")
TOO_LONG = define("money.bank.too_long", "The statement file has too many lines (limit {limit})")
UNKNOWN_FORMAT = define(
    "money.bank.unknown_format", "The file is not MT940, camt.053 or the CSV mapping"
)
BAD_ENCODING = define("money.bank.bad_encoding", "The file's encoding cannot be told apart safely")
BAD_ACCOUNT = define(
    "money.bank.bad_account", "The statement account {account} at line {line} is not a valid IBAN"
)
BAD_BALANCE = define(
    "money.bank.bad_balance",
    "Opening balance {opening} plus the entries {total} is not the closing balance {closing}",
)
BAD_FIELD = define("money.bank.bad_field", "Bad value in field {field} at line {line}: {value}")
FOREIGN_ACCOUNT = define(
    "money.bank.foreign_account", "The statement account {account} is not one of the cluster's"
)

MAX_BYTES = 20 * 1024 * 1024
MAX_LINES = 200_000


class StatementError(ValueError):
    """A file that cannot be read; `.message` is a Msg naming the line/field."""

    def __init__(self, message: Msg) -> None:
        super().__init__(message.code, message.kwargs)
        self.message = message

    @property
    def code(self) -> str:
        return self.message.code

    @property
    def params(self) -> dict[str, object]:
        return self.message.kwargs


def bad(line: int, detail: str) -> StatementError:
    return StatementError(Msg.of(BAD_FILE, line=line, detail=detail))


def normalize_account(text: str | None) -> str:
    """An account compared without spaces/dashes and the PL prefix (26 digits for Polish NRB)."""
    if not text:
        return ""
    s = re.sub(r"[\s\-/]", "", text).upper()
    if s.startswith("PL") and s[2:].isdigit():
        s = s[2:]
    return s


def valid_iban(text: str | None) -> bool:
    s = normalize_account(text)
    if not s:
        return False
    if s.isdigit() and len(s) == 26:
        s = "PL" + s
    return bool(stdnum_iban.is_valid(s))


def check_account(account: str, line: int) -> str:
    """The statement's own account, normalised; a wrong IBAN checksum is refused."""
    if not valid_iban(account):
        raise StatementError(Msg.of(BAD_ACCOUNT, account=account, line=line))
    return account


def check_cluster_account(statement: Statement, accounts: Iterable[str]) -> None:
    """MONEY-CLI `klaster bank import`: a statement on an account that is not one of the
    cluster's (compared without spaces and the PL prefix) is refused."""
    own = {normalize_account(a) for a in accounts if normalize_account(a)}
    if normalize_account(statement.account) not in own:
        raise StatementError(Msg.of(FOREIGN_ACCOUNT, account=statement.account or "-"))


def check_balance(opening: Decimal, entries: tuple[Entry, ...], closing: Decimal) -> None:
    total = sum((e.amount for e in entries), Decimal("0.00"))
    if opening + total != closing:
        raise StatementError(
            Msg.of(BAD_BALANCE, opening=Money(opening), total=Money(total), closing=Money(closing))
        )


def check_size(data: bytes) -> None:
    if len(data) > MAX_BYTES:
        raise StatementError(Msg.of(TOO_BIG, limit=MAX_BYTES))
    if data.count(b"\n") > MAX_LINES:
        raise StatementError(Msg.of(TOO_LONG, limit=MAX_LINES))


@dataclass(frozen=True)
class Entry:
    line: int
    booking_date: dt.date
    value_date: dt.date
    amount: Decimal  # debit negative
    currency: str
    bank_reference: str = ""
    counterparty_name: str = ""
    counterparty_iban: str = ""
    title: str = ""
    raw: str = ""
    account: str = ""  # the account the bank wrote for the entry (virtual sub-account), if any

    @property
    def is_credit(self) -> bool:
        return self.amount > 0


@dataclass(frozen=True)
class Statement:
    account: str
    number: str
    date_from: dt.date | None
    date_to: dt.date | None
    opening: Decimal
    closing: Decimal
    currency: str = "PLN"
    entries: tuple[Entry, ...] = field(default_factory=tuple)
    format: str = ""
    encoding: str = ""
