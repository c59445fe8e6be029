"""Format and encoding detection: `detect_and_parse(data, csv_mapping=None) -> Statement`."""

from __future__ import annotations

from klaster.rules.message import Msg
from klaster.rules.money.bank.camt import looks_like_camt, parse_camt
from klaster.rules.money.bank.csvfmt import CsvMapping, parse_csv
from klaster.rules.money.bank.encoding import decode
from klaster.rules.money.bank.model import UNKNOWN_FORMAT, Statement, StatementError, check_size
from klaster.rules.money.bank.mt940 import looks_like_mt940, parse_mt940


def detect_and_parse(data: bytes, csv_mapping: CsvMapping | None = None) -> Statement:
    check_size(data)
    stripped = data.lstrip(b"\xef\xbb\xbf \r\n\t")
    if stripped.startswith(b"<"):
        head = stripped[:4096].decode("ascii", "replace")
        if looks_like_camt(head) or b"BkToCstmrStmt" in stripped[:20000]:
            return parse_camt(stripped, encoding="xml")
        raise StatementError(Msg.of(UNKNOWN_FORMAT))
    if csv_mapping is not None and csv_mapping.encoding:
        try:
            text, enc = data.decode(csv_mapping.encoding), csv_mapping.encoding
        except UnicodeDecodeError as exc:
            raise StatementError(Msg.of(UNKNOWN_FORMAT)) from exc
    else:
        text, enc = decode(data)
    if looks_like_mt940(text):
        return parse_mt940(text, encoding=enc)
    if csv_mapping is not None:
        return parse_csv(text, csv_mapping, encoding=enc)
    raise StatementError(Msg.of(UNKNOWN_FORMAT))
