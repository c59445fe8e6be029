"""camt.053 (ISO 20022 bank-to-customer statement), versions .001.02 … .001.08 (FIN-3).

Parsed with lxml without entity expansion, DTD loading or network access.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from lxml import etree

from klaster.rules.money.bank.model import Entry, Statement, bad, check_account, normalize_account


def looks_like_camt(text: str) -> bool:
    head = text[:4096]
    return "camt.053" in head or "BkToCstmrStmt" in text[:20000]


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
    )


def _local(el: etree._Element) -> str:
    return str(etree.QName(el).localname)


def _find(el: etree._Element | None, path: str) -> etree._Element | None:
    """First descendant along a '/'-separated path of local names (namespace ignored)."""
    if el is None:
        return None
    current = [el]
    for step in path.split("/"):
        nxt: list[etree._Element] = []
        for c in current:
            nxt.extend(ch for ch in c if isinstance(ch.tag, str) and _local(ch) == step)
        if not nxt:
            return None
        current = nxt
    return current[0]


def _findall(el: etree._Element, name: str) -> list[etree._Element]:
    return [ch for ch in el if isinstance(ch.tag, str) and _local(ch) == name]


def _text(el: etree._Element | None, path: str) -> str:
    found = _find(el, path)
    return (found.text or "").strip() if found is not None else ""


def _date(el: etree._Element | None, path: str) -> dt.date | None:
    value = _text(el, path + "/Dt") or _text(el, path + "/DtTm")[:10]
    return dt.date.fromisoformat(value) if value else None


def _amount(el: etree._Element, what: str) -> Decimal:
    try:
        value = Decimal(_text(el, "Amt"))
    except InvalidOperation as exc:
        raise bad(el.sourceline or 0, f"{what}: bad Amt") from exc
    if _text(el, "CdtDbtInd") == "DBIT":
        value = -value
    return value


def parse_camt(data: bytes, encoding: str = "") -> Statement:
    if b"<!ENTITY" in data or b"<!DOCTYPE" in data:
        raise bad(1, "DTD/entity declarations are not allowed")
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise bad(exc.lineno or 0, str(exc.msg)) from exc
    stmt = _find(root, "BkToCstmrStmt/Stmt")
    if stmt is None:
        raise bad(1, "no BkToCstmrStmt/Stmt")
    account = normalize_account(_text(stmt, "Acct/Id/IBAN") or _text(stmt, "Acct/Id/Othr/Id"))
    if not account:
        raise bad(stmt.sourceline or 0, "no Acct/Id/IBAN")
    check_account(account, stmt.sourceline or 0)
    number = _text(stmt, "ElctrncSeqNb") or _text(stmt, "LglSeqNb") or _text(stmt, "Id")
    opening = closing = Decimal("0")
    frto = _find(stmt, "FrToDt")
    d_from = dt.date.fromisoformat(_text(frto, "FrDtTm")[:10]) if _text(frto, "FrDtTm") else None
    d_to = dt.date.fromisoformat(_text(frto, "ToDtTm")[:10]) if _text(frto, "ToDtTm") else None
    currency = "PLN"
    for bal in _findall(stmt, "Bal"):
        code = _text(bal, "Tp/CdOrPrtry/Cd")
        amt_el = _find(bal, "Amt")
        if amt_el is not None and amt_el.get("Ccy"):
            currency = amt_el.get("Ccy") or currency
        if code in ("OPBD", "PRCD"):
            opening = _amount(bal, "Bal/OPBD")
            d_from = d_from or _date(bal, "Dt")
        elif code == "CLBD":
            closing = _amount(bal, "Bal/CLBD")
            d_to = d_to or _date(bal, "Dt")
    entries: list[Entry] = []
    for ntry in _findall(stmt, "Ntry"):
        amount = _amount(ntry, f"Ntry line {ntry.sourceline}")
        booking = _date(ntry, "BookgDt")
        if booking is None:
            raise bad(ntry.sourceline or 0, "Ntry without BookgDt")
        value = _date(ntry, "ValDt") or booking
        tx = _find(ntry, "NtryDtls/TxDtls")
        incoming = amount > 0
        party = "Dbtr" if incoming else "Cdtr"
        name = _text(tx, f"RltdPties/{party}/Nm") or _text(tx, f"RltdPties/{party}/Pty/Nm")
        iban = _text(tx, f"RltdPties/{party}Acct/Id/IBAN") or _text(
            tx, f"RltdPties/{party}Acct/Id/Othr/Id"
        )
        own = _text(tx, f"RltdPties/{'Cdtr' if incoming else 'Dbtr'}Acct/Id/IBAN")
        ustrd = []
        rmt = _find(tx, "RmtInf")
        if rmt is not None:
            ustrd = [(u.text or "").strip() for u in _findall(rmt, "Ustrd")]
        title = " ".join(u for u in ustrd if u) or _text(ntry, "AddtlNtryInf")
        amt_el = _find(ntry, "Amt")
        entries.append(
            Entry(
                line=len(entries) + 1,
                booking_date=booking,
                value_date=value,
                amount=amount,
                currency=(amt_el.get("Ccy") if amt_el is not None else None) or currency,
                bank_reference=_text(ntry, "AcctSvcrRef") or _text(tx, "Refs/AcctSvcrRef"),
                counterparty_name=name,
                counterparty_iban=normalize_account(iban),
                title=title,
                raw=etree.tostring(ntry, encoding="unicode"),
                account=normalize_account(own) if normalize_account(own) != account else "",
            )
        )
    return Statement(
        account=account,
        number=number,
        date_from=d_from,
        date_to=d_to,
        opening=opening,
        closing=closing,
        currency=currency,
        entries=tuple(entries),
        format="camt.053",
        encoding=encoding,
    )
