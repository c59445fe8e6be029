"""MT940 in the Polish dialects (FIN-3).

The pinned `mt-940` library parses balances and `:61:`; its `:86:` parser is German, so the
`:86:` text is split here per dialect, told from its content: PKO BP / ING (`~NN` subfields),
Pekao / BNP (`^NN`), Millennium (`<NN`), the German-style `?NN`, and mBank free text with `;`.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from mt940 import models as mt_models
from mt940 import tags as mt_tags
from stdnum import iban as stdnum_iban

from klaster.rules.money.bank.model import (
    Entry,
    Statement,
    StatementError,
    bad,
    check_account,
    check_balance,
    normalize_account,
)

_TAG = re.compile(r"^:(?P<tag>\d\d[A-Z]?):(?P<value>.*)$")
_SUBFIELD_SEPARATORS = ("~", "^", "<", "?")
_IBAN_FIELD = re.compile(r"^(PL)?\s*\d{2}(\s?\d{4}){6}$")

TITLE_FIELDS = ("20", "21", "22", "23", "24", "25", "26")
NAME_FIELDS = ("27", "28", "29", "32", "33")


def looks_like_mt940(text: str) -> bool:
    return bool(re.search(r"^:20:", text, re.M)) and bool(re.search(r"^:61:", text, re.M))


def split_tags(text: str) -> list[tuple[int, str, str]]:
    """(line, tag, value) with continuation lines joined by newlines."""
    out: list[tuple[int, str, str]] = []
    for no, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r")
        m = _TAG.match(line)
        if m:
            out.append((no, m["tag"], m["value"]))
        elif line.strip() in ("", "-", "-}") or line.startswith("{") or line.startswith("}"):
            continue
        elif out:
            ln, tag, value = out[-1]
            out[-1] = (ln, tag, value + "\n" + line)
        else:
            raise bad(no, "text before the first tag")
    return out


def dialect(details: str) -> str:
    """'~', '^', '<', '?' (numbered subfields), ';' (mBank free text) or '' (plain text)."""
    flat = details.replace("\n", "")
    counts = {sep: len(re.findall(re.escape(sep) + r"\d\d", flat)) for sep in _SUBFIELD_SEPARATORS}
    sep, n = max(counts.items(), key=lambda kv: kv[1])
    if n >= 2:
        return sep
    if ";" in flat:
        return ";"
    return ""


def split_details(details: str) -> dict[str, str]:
    """The `:86:` text as {'code', 'title', 'name', 'iban', 'bank', 'dialect'}."""
    kind = dialect(details)
    flat = details.replace("\n", "")
    out = {"dialect": kind or "text", "code": "", "title": "", "name": "", "iban": "", "bank": ""}
    if kind in _SUBFIELD_SEPARATORS:
        head, *parts = re.split(re.escape(kind) + r"(?=\d\d)", flat)
        fields: dict[str, str] = {}
        for part in parts:
            fields[part[:2]] = fields.get(part[:2], "") + part[2:]
        out["code"] = head.strip() or fields.get("00", "").strip()
        out["title"] = "".join(fields.get(k, "") for k in TITLE_FIELDS).strip()
        out["name"] = " ".join(
            fields.get(k, "").strip() for k in NAME_FIELDS if fields.get(k, "").strip()
        )
        out["bank"] = fields.get("30", "").strip()
        iban = fields.get("38", "").strip()
        if not iban and fields.get("31", "").strip():
            iban = nrb_from_parts(out["bank"], fields["31"].strip())
        out["iban"] = normalize_account(iban)
    elif kind == ";":
        parts = [p.strip() for p in flat.split(";")]
        at = next((i for i, p in enumerate(parts) if _IBAN_FIELD.match(p)), None)
        out["code"] = parts[0]
        if at is not None:
            out["iban"] = normalize_account(parts[at])
            out["name"] = " ".join(p for p in parts[1:at] if p)
            out["title"] = " ".join(p for p in parts[at + 1 :] if p)
        else:
            out["name"] = parts[1] if len(parts) > 2 else ""
            out["title"] = " ".join(p for p in parts[2 if len(parts) > 2 else 1 :] if p)
    else:
        out["title"] = flat.strip()
    return out


def nrb_from_parts(bank: str, account: str) -> str:
    """A Polish NRB (26 digits) from the 8-digit bank number and 16-digit account the bank
    wrote apart (`~30`, `~31`): the two check digits are computed; '' when they cannot be."""
    bban = re.sub(r"\D", "", bank + account)
    if len(bban) != 24:
        return re.sub(r"\s", "", bank + account)
    for check in range(100):
        if stdnum_iban.is_valid(f"PL{check:02d}{bban}"):
            return f"{check:02d}{bban}"
    return ""


_BALANCE_TAGS: dict[str, tuple[Any, str]] = {
    "60F": (mt_tags.FinalOpeningBalance, "final_opening_balance"),
    "60M": (mt_tags.IntermediateOpeningBalance, "intermediate_opening_balance"),
    "62F": (mt_tags.FinalClosingBalance, "final_closing_balance"),
    "62M": (mt_tags.IntermediateClosingBalance, "intermediate_closing_balance"),
}


def _balance(holder: Any, tag: str, value: str) -> Any:
    """The mt-940 library's Balance for a :60F:/:60M:/:62F:/:62M: value."""
    cls, key = _BALANCE_TAGS[tag]
    return cls()(holder, cls().parse(holder, value.strip()))[key]


def _date(value: Any) -> dt.date:
    return dt.date(value.year, value.month, value.day)


def parse_mt940(text: str, encoding: str = "") -> Statement:
    tags = split_tags(text)
    if not tags:
        raise bad(1, "no MT940 tags")
    holder = mt_models.Transactions()
    account = number = ""
    opening: Decimal | None = None
    closing = Decimal("0")
    currency = "PLN"
    d_from: dt.date | None = None
    d_to: dt.date | None = None
    entries: list[Entry] = []
    pending: dict[str, Any] | None = None
    closing_seen = False

    def flush() -> None:
        nonlocal pending
        if pending is None:
            return
        info = split_details(pending.get("details", ""))
        entries.append(
            Entry(
                line=len(entries) + 1,
                booking_date=pending["booking"],
                value_date=pending["value"],
                amount=pending["amount"],
                currency=currency,
                bank_reference=pending["ref"],
                counterparty_name=info["name"],
                counterparty_iban=info["iban"],
                title=info["title"],
                raw=pending["raw"]
                + ("\n:86:" + pending["details"] if "details" in pending else ""),
                account=pending.get("account", ""),
            )
        )
        pending = None

    for line, tag, value in tags:
        try:
            if tag == "25":
                account = account or check_account(normalize_account(value.split("/")[-1]), line)
            elif tag == "28C" or tag == "28":
                number = number or value.strip()
            elif tag in ("60F", "60M"):
                bal = _balance(holder, tag, value)
                if opening is None:
                    opening = Decimal(bal.amount.amount)
                    currency = bal.amount.currency or currency
                    d_from = _date(bal.date)
            elif tag in ("62F", "62M"):
                flush()
                bal = _balance(holder, tag, value)
                closing = Decimal(bal.amount.amount)
                closing_seen = True
                d_to = _date(bal.date)
            elif tag == "61":
                flush()
                first, _, rest = value.partition("\n")
                st = mt_tags.Statement()
                data: dict[str, Any] = st(holder, st.parse(holder, first.strip()))
                extra = (data.get("extra_details") or "") + rest
                virtual = re.search(r"(?:PL)?\d{26}", extra.replace(" ", ""))
                pending = {
                    "value": _date(data["date"]),
                    "booking": _date(data.get("entry_date") or data["date"]),
                    "amount": Decimal(data["amount"].amount),
                    "ref": (
                        data.get("bank_reference") or data.get("customer_reference") or ""
                    ).strip(),
                    "raw": ":61:" + value,
                    "account": normalize_account(virtual.group(0)) if virtual else "",
                }
            elif tag == "86":
                if pending is not None:
                    pending["details"] = value
        except StatementError:
            raise
        except (
            RuntimeError,
            ValueError,
            KeyError,
            TypeError,
            AttributeError,
            ArithmeticError,  # decimal.InvalidOperation from the mt-940 library's amounts
        ) as exc:
            raise bad(line, f":{tag}: {value[:60]!r} ({type(exc).__name__})") from exc
    flush()
    if not account:
        raise bad(1, "no :25: account")
    if opening is None:
        raise bad(1, "no :60F: opening balance")
    if closing_seen:
        check_balance(opening, tuple(entries), closing)
    return Statement(
        account=account,
        number=number,
        date_from=d_from,
        date_to=d_to,
        opening=opening,
        closing=closing,
        currency=currency,
        entries=tuple(entries),
        format="mt940",
        encoding=encoding,
    )
