"""Bank statements (FIN-3): parsing MT940 (Polish dialects), camt.053 and mapped CSV into one
`Statement` model, and matching its entries to members and documents. Pure Python, no Django.

Public API
----------
Model — `model.py`: `Statement`, `Entry` (amount Decimal, debit negative), `StatementError`
    (`.code`, `.params`: a `Msg` naming the line/field), `normalize_account`, `valid_iban`,
    `check_cluster_account(statement, accounts)` (refuses a statement on a foreign account),
    `MAX_BYTES`, `MAX_LINES`.
Reading — `detect_and_parse(data: bytes, csv_mapping=None) -> Statement` (`detect.py`);
    `parse_mt940(text)`, `split_details(text_86)`, `dialect(text_86)` (`mt940.py`);
    `parse_camt(data)` (`camt.py`); `CsvMapping`, `parse_csv(text, mapping)` (`csvfmt.py`);
    `decode(data) -> (text, encoding)` (`encoding.py`: UTF-8, CP852, ISO-8859-2, CP1250).
Matching — `matching.py`: `MemberFacts`, `OpenDoc`, `match_statement(statement, members,
    documents, already_imported=()) -> MatchResult` (`.matched`, `.queued`, `.ignored`,
    `.duplicates`, `.imported` keys, `.open_after`), `entry_key`, `import_report(result)` (the
    `klaster bank import` JSON of MONEY-CLI.md).
"""

from __future__ import annotations

from klaster.rules.money.bank.camt import parse_camt
from klaster.rules.money.bank.csvfmt import CsvMapping, parse_csv
from klaster.rules.money.bank.detect import detect_and_parse
from klaster.rules.money.bank.encoding import decode
from klaster.rules.money.bank.matching import (
    Candidate,
    Ignored,
    Matched,
    MatchResult,
    MemberFacts,
    OpenDoc,
    Queued,
    entry_key,
    import_report,
    match_statement,
)
from klaster.rules.money.bank.model import (
    Entry,
    Statement,
    StatementError,
    check_cluster_account,
    normalize_account,
    valid_iban,
)
from klaster.rules.money.bank.mt940 import dialect, parse_mt940, split_details

__all__ = [
    "Candidate",
    "CsvMapping",
    "Entry",
    "Ignored",
    "MatchResult",
    "Matched",
    "MemberFacts",
    "OpenDoc",
    "Queued",
    "Statement",
    "StatementError",
    "check_cluster_account",
    "decode",
    "detect_and_parse",
    "dialect",
    "entry_key",
    "import_report",
    "match_statement",
    "normalize_account",
    "parse_camt",
    "parse_csv",
    "parse_mt940",
    "split_details",
    "valid_iban",
]
