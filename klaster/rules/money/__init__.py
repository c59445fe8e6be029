"""The money rules (SPEC §4, FIN-1 … FIN-12): pure Python, no Django.

Every result is a frozen dataclass that explains itself: `rule_id` (the SPEC id) and `message`
(a `klaster.rules.message.Msg`, rendered at the edge). Money is `Decimal`, exact sums are
`Fraction`, and amounts are rounded half up to the grosz once per document line (`to_grosz`).
Statute numbers come from the cluster's `StatuteProfile` (`entry_fee`, `suspension`,
`arrears`, `admission.fee_deposit_share`); cluster settings (tariff, VAT treatment, payment
term, Board rate) are arguments. Bad input raises `MoneyInputError` (`.field`, `.message`).

Public API
----------
Tariff and VAT (FIN-1) — `tariff.py`
    `Tariff(valid_from, monthly={category: net})`, `tariff_in_force(versions, on)`,
    `evoluma_tariff(valid_from, **others)` (micro 180, small 420, medium 900, large 1200),
    `SIZE_CLASSES`, `FeeType(key, vat=(VatSetting(valid_from, "taxable"|"outside_vat"),),
    interest_regime="statutory"|"commercial", recovery_compensation=False)`, `DUES`,
    `ENTRY_FEE`, `default_fee_types(since)`, `VatRate`, `VAT_RATES_PL` (23 %),
    `vat_rate_on(day)`, `vat_line(fee, net, issued) -> VatLine` (kind "invoice"/"debit_note").
Dues (FIN-1, FIN-2, the Reading) — `dues.py`
    `MemberDues(member_id, category, events, suspensions, exemptions, billing)`,
    `dues_bearing_spans`, `dues_bearing_on`, `months_owed(member, first, last)`,
    `period_of(billing, day)`, `dues_documents(member, tariffs, fee, start=, through=,
    payment_term_days=) -> [DuesDocument]`, `dues_correction(number, issued, now)`,
    `DUES_READING` (the Reading as a message code, to show where dues are shown).
Numbers (FIN-2) — `numbering.py`
    `SERIES` ({"invoice": "FV", "debit_note": "NO", "correction": "KOR"}),
    `format_number(series, year, seq)`, `parse_number(text) -> DocumentNumber`,
    `numbers_in_text(text)`.
Interest (FIN-4) — `interest.py`
    `reference_rates()` (the shipped NBP table), `parse_rate_table(csv_text)`, `rate_on(regime,
    day)`, `interest(principal, due, to, payments=, regime=) -> Interest` (`.amount`,
    `.basis`, `.pieces`), `recovery_compensation(gross, due, eur_rate)`,
    `compensation_rate_day(due)`, `BASIS`.
Arrears and the vote (FIN-4, GOV-1 Reading) — `arrears.py`
    `OpenDocument(number, due, open)`, `arrears_stage(document, on, rule) -> ArrearsStage`
    (`.stage` "none"/"60"/"90", `.days_overdue`), `member_votes(documents, on, rule)`.
Entry fee and return (FIN-6, FIN-8) — `entry_fee.py`
    `entry_fee_terms(profile, annual_dues, distance_km, waived=0)`, `on_refusal(deposit_paid)`,
    `return_fee(profile, fee, resigned, returns_on)`.
Suspension (FIN-7) — `suspension.py`
    `check_suspension(profile, request, previous, commitments)`, `suspension_on(periods, on)`.
Board remuneration (FIN-9) — `board.py`
    `Attendance(person, meeting, day, mode)`, `board_pay(attendances, per_meeting=500)`.
Staff time (FIN-10) — `staff.py`
    `working_hours(year, month)`, `month_time(...)`, `year_time(person, year, hours_by_month,
    hourly_rates)`, `register(entries)`.
Statement requests (FIN-12) — `statements.py`
    `statement_request(requested, on, provided=None)` (deadline: 5 business days).
Ledger (FIN-2, FIN-3) — `ledger.py`
    `LedgerDocument`, `LedgerPayment`, `ledger(documents, payments, on=None) -> Ledger`
    (`.open`, `.credit`, `.allocations`, `.payments`, `.open_documents(member)`,
    `.balance(member)`, `.payments_of(number)`).

Not here: bank statement parsing and matching (`klaster.rules.money.bank`, another module),
number allocation without gaps, KSeF and PDFs (the Django app `klaster.money`).
"""

from __future__ import annotations

from klaster.rules.money._common import GROSZ, MoneyInputError, Period, to_grosz
from klaster.rules.money.arrears import (
    ArrearsStage,
    DuesVote,
    OpenDocument,
    arrears_stage,
    days_overdue,
    member_votes,
)
from klaster.rules.money.board import Attendance, BoardPay, board_pay
from klaster.rules.money.dues import (
    BILLINGS,
    DuesCorrection,
    DuesDocument,
    MemberDues,
    MonthCharge,
    dues_bearing_on,
    dues_bearing_spans,
    dues_correction,
    dues_documents,
    months_owed,
    period_of,
)
from klaster.rules.money.dues import (
    READING as DUES_READING,
)
from klaster.rules.money.entry_fee import (
    EntryFeeTerms,
    Refusal,
    ReturnFee,
    entry_fee_terms,
    on_refusal,
    return_fee,
)
from klaster.rules.money.interest import (
    BASIS,
    Compensation,
    Interest,
    RateChange,
    compensation_rate_day,
    interest,
    parse_rate_table,
    rate_on,
    recovery_compensation,
    reference_rates,
)
from klaster.rules.money.ledger import (
    Allocation,
    Ledger,
    LedgerDocument,
    LedgerPayment,
    PaymentResult,
    ledger,
)
from klaster.rules.money.numbering import (
    SERIES,
    DocumentNumber,
    format_number,
    numbers_in_text,
    parse_number,
)
from klaster.rules.money.staff import (
    MonthTime,
    YearTime,
    month_time,
    register,
    working_hours,
    year_time,
)
from klaster.rules.money.statements import StatementRequest, last_closed_quarter, statement_request
from klaster.rules.money.suspension import (
    SuspensionDecision,
    SuspensionState,
    check_suspension,
    suspension_on,
)
from klaster.rules.money.tariff import (
    DUES,
    ENTRY_FEE,
    EVOLUMA_MONTHLY,
    SIZE_CLASSES,
    VAT_RATES_PL,
    FeeType,
    Tariff,
    VatLine,
    VatRate,
    VatSetting,
    default_fee_types,
    evoluma_tariff,
    tariff_in_force,
    vat_line,
    vat_rate_on,
)

__all__ = [
    "BASIS",
    "BILLINGS",
    "DUES",
    "DUES_READING",
    "ENTRY_FEE",
    "EVOLUMA_MONTHLY",
    "GROSZ",
    "SERIES",
    "SIZE_CLASSES",
    "VAT_RATES_PL",
    "Allocation",
    "ArrearsStage",
    "Attendance",
    "BoardPay",
    "Compensation",
    "DocumentNumber",
    "DuesCorrection",
    "DuesDocument",
    "DuesVote",
    "EntryFeeTerms",
    "FeeType",
    "Interest",
    "Ledger",
    "LedgerDocument",
    "LedgerPayment",
    "MemberDues",
    "MoneyInputError",
    "MonthCharge",
    "MonthTime",
    "OpenDocument",
    "PaymentResult",
    "Period",
    "RateChange",
    "Refusal",
    "ReturnFee",
    "StatementRequest",
    "SuspensionDecision",
    "SuspensionState",
    "Tariff",
    "VatLine",
    "VatRate",
    "VatSetting",
    "YearTime",
    "arrears_stage",
    "board_pay",
    "check_suspension",
    "compensation_rate_day",
    "days_overdue",
    "default_fee_types",
    "dues_bearing_on",
    "dues_bearing_spans",
    "dues_correction",
    "dues_documents",
    "entry_fee_terms",
    "evoluma_tariff",
    "format_number",
    "interest",
    "last_closed_quarter",
    "ledger",
    "member_votes",
    "month_time",
    "months_owed",
    "numbers_in_text",
    "on_refusal",
    "parse_number",
    "parse_rate_table",
    "period_of",
    "rate_on",
    "recovery_compensation",
    "reference_rates",
    "register",
    "return_fee",
    "statement_request",
    "suspension_on",
    "tariff_in_force",
    "to_grosz",
    "vat_line",
    "vat_rate_on",
    "working_hours",
    "year_time",
]
