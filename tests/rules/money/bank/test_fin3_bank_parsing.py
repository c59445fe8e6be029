"""FIN-3: reading bank statements (MT940 Polish dialects and encodings, camt.053, CSV)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from klaster.rules.money.bank import (
    CsvMapping,
    StatementError,
    decode,
    detect_and_parse,
    dialect,
    model,
    normalize_account,
    split_details,
    valid_iban,
)

SAMPLES = Path(__file__).parent / "samples"
ACCOUNT = "61109010140000071219812874"


def read(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def test_fin3_account_compared_without_spaces_and_pl_prefix() -> None:
    assert normalize_account("PL61 1090 1014 0000 0712 1981 2874") == ACCOUNT
    assert normalize_account("61109010140000071219812874") == ACCOUNT
    assert valid_iban("PL61 1090 1014 0000 0712 1981 2874")
    assert not valid_iban("PL62 1090 1014 0000 0712 1981 2874")


def test_fin3_pko_cp852_tilde_subfields() -> None:
    s = detect_and_parse(read("pko_cp852.sta"))
    assert s.encoding == "cp852" and s.format == "mt940"
    assert s.account == ACCOUNT and s.number == "09/2026/M"
    assert (s.date_from, s.date_to) == (dt.date(2026, 12, 1), dt.date(2026, 12, 1))
    assert (s.opening, s.closing) == (Decimal("0.00"), Decimal("726.00"))
    first, second, fee = s.entries
    assert first.line == 1 and first.amount == Decimal("221.40") and first.currency == "PLN"
    assert first.title == "Faktura FV/2026/0001 składka członkowska"
    assert first.counterparty_name == "Zakład Łączności Spółka z o.o."
    assert first.bank_reference == "2612010001"
    assert first.account == "27109010140000071219800003"  # the virtual sub-account
    assert second.counterparty_name == "Jan Źdźbło"
    assert second.counterparty_iban == "42114020040000340276543210"
    assert fee.amount == Decimal("-12.00")
    assert ":86:" in first.raw
    assert sum((e.amount for e in s.entries), s.opening) == s.closing


def test_fin3_pekao_iso8859_2_caret_subfields() -> None:
    s = detect_and_parse(read("pekao_iso8859_2.sta"))
    assert s.encoding == "iso-8859-2"
    (e,) = s.entries
    assert e.title == "Składka FV/2026/0002 i FV/2026/0003"
    assert e.counterparty_name == "Pracownia Ślusarska Gęś"
    assert s.number == "00231"


def test_fin3_millennium_cp1250_angle_subfields() -> None:
    s = detect_and_parse(read("millennium_cp1250.sta"))
    assert s.encoding == "cp1250"
    (e,) = s.entries
    assert e.counterparty_name == "Żółta Łódź sp. j."
    assert e.title.startswith("NIP 525-000-12-34")
    assert e.counterparty_iban == "56249000050000400012345678"


def test_fin3_mbank_utf8_semicolon_free_text() -> None:
    s = detect_and_parse(read("mbank_utf8.sta"))
    assert s.encoding == "utf-8"
    (e,) = s.entries
    assert e.counterparty_name == "ŁUKASZ ŚMIAŁY UL. KWIATOWA 1"
    assert e.counterparty_iban == "56249000050000400012345678"
    assert e.title == "M007 składka"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("020~00VE02~20Tytuł~27Nazwa", "~"),
        ("152^00PRZELEW^20Tytuł^27Nazwa", "^"),
        ("<00PRZELEW<20Tytuł<27Nazwa", "<"),
        ("PRZELEW;JAN;PL61109010140000071219812874;tytuł", ";"),
        ("zwykły tekst", ""),
    ],
)
def test_fin3_dialect_detected_from_content(text: str, kind: str) -> None:
    assert dialect(text) == kind


def test_fin3_details_iban_from_bank_and_account_fields() -> None:
    info = split_details("~20x~3010901014~310000071219812874")
    assert info["iban"] == ACCOUNT


@pytest.mark.parametrize("encoding", ["cp852", "iso-8859-2", "cp1250", "utf-8"])
def test_fin3_each_encoding_decodes_to_polish_letters(encoding: str) -> None:
    text = "Zażółć gęślą jaźń ŻÓŁĆ GĘŚLĄ JAŹŃ składka członkowska"
    decoded, found = decode(text.encode(encoding))
    assert decoded == text
    assert found == encoding


def test_fin3_ambiguous_encoding_is_refused_not_guessed() -> None:
    # bytes that are control characters or mojibake in every 8-bit candidate
    with pytest.raises(StatementError) as err:
        decode(bytes([0x80, 0x81, 0x83, 0x88, 0x90]) * 3)
    assert err.value.code == "money.bank.bad_encoding"


def test_fin3_malformed_mt940_names_the_line() -> None:
    data = read("pko_cp852.sta").replace(b":61:2612011201CN516,60", b":61:26XX011201CN516,60")
    with pytest.raises(StatementError) as err:
        detect_and_parse(data)
    assert err.value.code == "money.bank.bad_file"
    assert err.value.params["line"] == 8


def test_fin3_file_size_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model, "MAX_BYTES", 100)
    with pytest.raises(StatementError) as err:
        detect_and_parse(read("pko_cp852.sta"))
    assert err.value.code == "money.bank.too_big"
    monkeypatch.setattr(model, "MAX_BYTES", 10**9)
    monkeypatch.setattr(model, "MAX_LINES", 3)
    with pytest.raises(StatementError) as err:
        detect_and_parse(read("pko_cp852.sta"))
    assert err.value.code == "money.bank.too_long"


@pytest.mark.parametrize("name", ["camt053_001_02.xml", "camt053_001_08.xml"])
def test_fin3_camt053_versions(name: str) -> None:
    s = detect_and_parse(read(name))
    assert s.format == "camt.053" and s.account == ACCOUNT and s.number == "245"
    assert (s.opening, s.closing) == (Decimal("100.00"), Decimal("300.00"))
    credit, debit = s.entries
    assert credit.amount == Decimal("221.40") and credit.bank_reference == "CAMT0001"
    assert credit.value_date == dt.date(2026, 12, 4) and credit.booking_date == dt.date(2026, 12, 5)
    assert credit.counterparty_name == "Zakład Łączności Sp. z o.o."
    assert credit.counterparty_iban == "42114020040000340276543210"
    assert credit.title == "FV/2026/0001"
    assert debit.amount == Decimal("-21.40")


def test_fin3_camt_entities_refused() -> None:
    evil = b"""<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>&x;</BkToCstmrStmt></Document>"""
    with pytest.raises(StatementError) as err:
        detect_and_parse(evil)
    assert err.value.code == "money.bank.bad_file"


def test_fin3_camt_broken_xml_names_line() -> None:
    with pytest.raises(StatementError) as err:
        detect_and_parse(b'<?xml version="1.0"?>\n<Document><BkToCstmrStmt>\n<Stmt></Document>')
    assert err.value.params["line"] == 3


MAPPING = CsvMapping(
    date="Data operacji",
    amount="Kwota",
    title="Tytuł",
    counterparty_name="Nadawca",
    counterparty_iban="Rachunek nadawcy",
    reference="Referencja",
    date_format="%d.%m.%Y",
    account="PL61 1090 1014 0000 0712 1981 2874",
)


def test_fin3_csv_mapping() -> None:
    s = detect_and_parse(read("mapped.csv"), csv_mapping=MAPPING)
    assert s.format == "csv" and s.encoding == "cp1250" and s.account == ACCOUNT
    first, second = s.entries
    assert first.amount == Decimal("221.40") and first.title == "FV/2026/0001"
    assert first.counterparty_name == "Zakład Łączności"
    assert second.amount == Decimal("-1012.00") and second.bank_reference == "CSV002"


def test_fin3_csv_bad_field_named() -> None:
    data = read("mapped.csv").replace(b"06.12.2026", b"2026-99-99")
    with pytest.raises(StatementError) as err:
        detect_and_parse(data, csv_mapping=MAPPING)
    assert err.value.params == {"field": "date", "line": 3, "value": "2026-99-99"}


def test_fin3_unknown_format() -> None:
    with pytest.raises(StatementError) as err:
        detect_and_parse(b"hello;world\n1;2\n")
    assert err.value.code == "money.bank.unknown_format"


def test_fin3_mt940_wrong_account_checksum_refused() -> None:
    data = read("pko_cp852.sta").replace(b":25:/PL61109", b":25:/PL62109")
    with pytest.raises(StatementError) as err:
        detect_and_parse(data)
    assert err.value.code == "money.bank.bad_account" and err.value.params["line"] == 2


def test_fin3_mt940_balances_must_add_up() -> None:
    data = read("pko_cp852.sta").replace(b":62F:C261201PLN726,00", b":62F:C261201PLN727,00")
    with pytest.raises(StatementError) as err:
        detect_and_parse(data)
    assert err.value.code == "money.bank.bad_balance"


def test_fin3_bank_messages_english_and_polish() -> None:
    import re

    from klaster.rules import message
    from klaster.rules.message import Msg, say

    codes = sorted(c for c in message.codes() if c.startswith("money.bank."))
    assert len(codes) == 9
    params = {
        "line": 3,
        "detail": "x",
        "limit": 5,
        "field": "date",
        "value": "v",
        "account": "PL00",
        "opening": 1,
        "total": 2,
        "closing": 3,
    }
    for code in codes:
        assert not re.search(r"[ąćęłńóśźż]", message.english(code), re.I)
        english = message.english(code).format(**params)
        polish = say(Msg.of(code, **params), "pl")
        assert polish != english and "{" not in polish


def test_fin3_statement_on_a_foreign_account_refused() -> None:
    s = detect_and_parse(read("pko_cp852.sta"))
    model.check_cluster_account(s, ["PL61 1090 1014 0000 0712 1981 2874"])
    with pytest.raises(StatementError) as err:
        model.check_cluster_account(s, ["PL27 1090 1014 0000 0712 1980 0003", ""])
    assert err.value.code == "money.bank.foreign_account"
    assert err.value.params["account"] == ACCOUNT


def test_fin3_unreadable_balance_amount_names_the_line() -> None:
    """A balance the mt-940 library cannot read as a number (decimal.InvalidOperation) is a
    malformed file naming its line, not a crash."""
    data = read("pko_cp852.sta").replace(b":62F:C", b":62F:C9")
    with pytest.raises(StatementError) as e:
        detect_and_parse(data)
    assert e.value.code == "money.bank.bad_file"
    assert e.value.params["line"] == data.count(b"\n", 0, data.index(b":62F:")) + 1
