"""The money app's writes (FIN-1 … FIN-4): the dues run, numbering, statements, payments,
arrears steps. Every write is one transaction and is audited; bad input raises
`MoneyError` (a rule message naming the field) before anything is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db import transaction
from django.db.models import F

from klaster.core.audit import audit_record
from klaster.core.bulk import insert_rows
from klaster.core.models import Cluster
from klaster.members.models import Member
from klaster.money import ksef, selectors
from klaster.money.models import (
    ArrearsStep,
    BankEntry,
    ClusterAccount,
    Document,
    DocumentCounter,
    FeeType,
    MemberBilling,
    MoneySettings,
    Payment,
    Statement,
    TariffVersion,
    VatTreatment,
)
from klaster.money.outbox import mark_for_ksef
from klaster.rules import money as rules
from klaster.rules.message import Money, Msg, define, to_json
from klaster.rules.money.bank import (
    CsvMapping,
    MatchResult,
    StatementError,
    check_cluster_account,
    detect_and_parse,
    import_report,
    match_statement,
)
from klaster.rules.money.bank.matching import OpenDoc, entry_key
from klaster.rules.money.bank.model import check_size, normalize_account
from klaster.rules.money.dues import CORRECTION, CORRECTION_WHY

NO_SETTINGS = define(
    "money.setup.no_settings",
    "The cluster has no money settings (the first month billed and the payment term).",
)
NO_TARIFF_IN_FORCE = define("money.setup.no_tariff", "The cluster has no tariff in force on {day}.")
NO_FEE_TYPE = define("money.setup.no_fee_type", "The cluster has no fee type “{fee}”.")
NO_ACCOUNTS = define(
    "money.setup.no_accounts", "The cluster has no bank account whose statements may be imported."
)
NOT_QUEUED = define("money.entry.not_queued", "This bank entry is not waiting for the office.")
OTHER_CLUSTER = define("money.entry.other_member", "The member is not in this cluster.")


class MoneyError(ValueError):
    """Refused input: `field` and a rule message (rendered in the reader's language)."""

    def __init__(self, field: str, message: Msg) -> None:
        super().__init__(field, message.code)
        self.field = field
        self.message = message


# --- numbers without gaps (FIN-2) ---------------------------------------------------------------


def reserve_numbers(cluster: Cluster, series: str, year: int, count: int) -> int:
    """Reserve `count` consecutive numbers of a series and year; returns the first. Must run
    inside the issuing transaction: the UPDATE holds the counter's row until the commit, so
    parallel issuers queue (PostgreSQL's row lock; SQLite's write lock taken at BEGIN), and a
    rolled-back issue gives its numbers back — no gap, no number twice."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("numbers are reserved inside the issuing transaction")
    counter, _created = DocumentCounter.objects.get_or_create(
        cluster=cluster, series=series, year=year
    )
    DocumentCounter.objects.filter(pk=counter.pk).update(last=F("last") + count)
    last = DocumentCounter.objects.values_list("last", flat=True).get(pk=counter.pk)
    return last - count + 1


# --- settings -------------------------------------------------------------------------------


@transaction.atomic
def money_setup(
    *,
    cluster: Cluster,
    user: Any = None,
    billing_start: dt.date,
    payment_term_days: int = 14,
    sub_account_iban: str = "",
    tariff: rules.Tariff | None = None,
    treatment: str = "taxable",
    accounts: tuple[str, ...] = (),
) -> MoneySettings:
    """A cluster's money settings with the two fee types every cluster has (dues, the entry
    fee), both with one VAT treatment from `billing_start`, and a first tariff (FIN-1)."""
    settings, _ = MoneySettings.objects.update_or_create(
        cluster=cluster,
        defaults={
            "billing_start": billing_start,
            "payment_term_days": payment_term_days,
            "sub_account_iban": normalize_account(sub_account_iban),
        },
    )
    names = {rules.DUES: "Składki członkowskie", rules.ENTRY_FEE: "Opłata wpisowa"}
    for key, name in names.items():
        fee, created = FeeType.objects.get_or_create(
            cluster=cluster, key=key, defaults={"name": name}
        )
        if created:
            VatTreatment.objects.create(fee_type=fee, valid_from=billing_start, treatment=treatment)
    if tariff is not None:
        TariffVersion.objects.update_or_create(
            cluster=cluster,
            valid_from=tariff.valid_from,
            defaults={"monthly": {k: str(v) for k, v in tariff.monthly.items()}},
        )
    for account in accounts:
        ClusterAccount.objects.get_or_create(cluster=cluster, account=normalize_account(account))
    audit_record(cluster=cluster, user=user, action="update", instance=settings, source="money")
    return settings


# --- the dues run (FIN-1, FIN-2) ------------------------------------------------------------------


@dataclass
class DuesRun:
    """What a dues run issued: `count` at once; `issued` (the Document rows, in number order,
    corrections last) read back on first use — the run itself never builds model instances for
    the documents it writes."""

    through: dt.date
    members: int = 0
    cluster_id: int | None = None
    new: int = 0
    ranges: list[tuple[str, int, int, int]] = field(default_factory=list)
    corrections: list[Document] = field(default_factory=list)

    @property
    def count(self) -> int:
        return self.new + len(self.corrections)

    @cached_property
    def issued(self) -> list[Document]:
        rows: list[Document] = []
        if self.cluster_id is None:
            return list(self.corrections)
        for series, year, low, high in self.ranges:
            rows += Document.objects.filter(
                cluster_id=self.cluster_id, series=series, year=year, seq__range=(low, high)
            )
        rows.sort(key=lambda r: (r.issued, r.series, r.seq))
        return rows + self.corrections


def _setup_for_run(
    cluster: Cluster, through: dt.date
) -> tuple[MoneySettings, list[rules.Tariff], Any]:
    settings = selectors.settings_of(cluster)
    if settings is None:
        raise MoneyError("settings", Msg.of(NO_SETTINGS))
    tariffs = selectors.tariffs_of(cluster)
    if rules.tariff_in_force(tariffs, through) is None:
        raise MoneyError("tariff", Msg.of(NO_TARIFF_IN_FORCE, day=through))
    fees = selectors.fee_types_of(cluster)
    if rules.DUES not in fees:
        raise MoneyError("fee_type", Msg.of(NO_FEE_TYPE, fee=rules.DUES))
    return settings, tariffs, fees[rules.DUES]


def dues_run(*, cluster: Cluster, through: dt.date, user: Any = None) -> DuesRun:
    """Issue every dues document whose period has begun by `through` (MONEY-CLI `klaster dues
    run`), and a correcting document for every period billed before whose months owed have
    changed since (an exemption, a suspension or a leaving recorded later: FIN-2, never an
    edit). Idempotent: periods already billed and corrected are skipped. All or nothing."""
    settings, tariffs, (fee_row, fee) = _setup_for_run(cluster, through)
    run = DuesRun(through=through)
    if through < settings.billing_start:
        return run
    facts = selectors.member_dues_facts(cluster)
    run.members = len(facts)
    billed = _billed_periods(cluster, fee_row)
    billed_of: dict[int, list[tuple[dt.date, Document, list[list[str]]]]] = defaultdict(list)
    for (bmid, start), (original, months) in billed.items():
        billed_of[bmid].append((start, original, months))
    due: list[tuple[int, rules.DuesDocument]] = []
    corrections: list[tuple[int, Document, rules.DuesCorrection, list[list[str]]]] = []
    for mid, member in facts.items():
        try:
            docs = rules.dues_documents(
                member,
                tariffs,
                fee,
                start=settings.billing_start,
                through=through,
                payment_term_days=settings.payment_term_days,
            )
        except rules.MoneyInputError as e:
            raise MoneyError(e.field, e.message) from e
        now = {d.period_start: d for d in docs}
        mine = billed_of.get(mid, ())
        last_end = max((o.period_end for _s, o, _m in mine if o.period_end), default=None)
        if last_end is not None and last_end > through:
            # a period billed before is compared whole: its months as they read today, even
            # those after `through` (a run with an earlier date must not "remove" them)
            now = {
                d.period_start: d
                for d in rules.dues_documents(
                    member,
                    tariffs,
                    fee,
                    start=settings.billing_start,
                    through=last_end,
                    payment_term_days=settings.payment_term_days,
                )
            }
        for d in docs:
            if (mid, d.period_start) not in billed:
                due.append((mid, d))
        for start, original, months in mine:
            change = _correction(original, months, now.get(start))
            if change is not None:
                corrections.append((mid, original, change[0], change[1]))
    if not due and not corrections:
        return run
    keys = dict(Member.objects.filter(cluster=cluster).values_list("pk", "key"))
    due.sort(key=lambda pair: (pair[1].issued, pair[1].kind, keys.get(pair[0], ""), pair[0]))
    run.cluster_id = cluster.pk
    # FIN-2: taxable invoices to VAT payers wait in the KSeF outbox (outbox.mark_for_ksef's
    # rule, applied to the rows before they are written: no UPDATE names 100,000 ids after)
    not_payers = set(
        MemberBilling.objects.filter(member__cluster=cluster, vat_payer=False).values_list(
            "member_id", flat=True
        )
    )
    by = user.pk if getattr(user, "pk", None) else None
    with transaction.atomic():
        by_series: dict[tuple[str, int], list[tuple[int, rules.DuesDocument]]] = defaultdict(list)
        for mid, d in due:
            by_series[(rules.SERIES[d.kind], d.issued.year)].append((mid, d))
        values: list[list[Any]] = []
        waiting = 0
        for (series, year), items in sorted(by_series.items()):
            first = reserve_numbers(cluster, series, year, len(items))
            run.ranges.append((series, year, first, first + len(items) - 1))
            for offset, (mid, d) in enumerate(items):
                row = _document_values(
                    cluster.pk, fee_row.pk, mid, d, series, year, first + offset, by
                )
                if d.kind == Document.Kind.INVOICE and ksef.ksef_required(
                    fee_taxable=True, buyer_vat_payer=mid not in not_payers
                ):
                    row[KSEF_STATE] = Document.Ksef.WAITING
                    waiting += 1
                values.append(row)
        insert_rows(Document, DOCUMENT_COLUMNS, values)
        run.new = len(values)
        fixed = _issue_corrections(cluster, fee, through, corrections, user, not_payers)
        waiting += sum(1 for d in fixed if d.ksef_state == Document.Ksef.WAITING)
        audit_record(
            cluster=cluster,
            user=user,
            action="create",
            model="money.Document",
            object_repr=f"dues run through {through:%Y-%m-%d}",
            changes={
                "documents": [len(values)],
                "corrections": [len(fixed)],
                "through": [through.isoformat()],
                # the outbox's own audit words: these documents now wait for KSeF
                **(
                    {"ksef_state": ["", Document.Ksef.WAITING], "ksef_waiting": [waiting]}
                    if waiting
                    else {}
                ),
            },
            source="money",
        )
    run.corrections = fixed
    return run


def _billed_periods(
    cluster: Cluster, fee_row: FeeType
) -> dict[tuple[int, dt.date], tuple[Document, list[list[str]]]]:
    """Per (member, period start) the original document and the months it bills as they stand
    after its corrections (a correction stores the months after it)."""
    originals = {
        d.pk: d
        for d in Document.objects.filter(
            cluster=cluster, fee_type=fee_row, corrects__isnull=True, period_start__isnull=False
        ).only("pk", "member_id", "period_start", "months", "number", "issued", "kind", "net")
    }
    latest: dict[int, list[list[str]]] = {pk: d.months for pk, d in originals.items()}
    for corrects_id, months in (
        (
            Document.objects.filter(cluster=cluster, corrects_id__in=list(originals))
            .order_by("issued", "seq")
            .values_list("corrects_id", "months")
            .iterator()
        )
        if originals
        else ()
    ):
        latest[corrects_id] = months
    return {
        (d.member_id, d.period_start): (d, latest[pk])
        for pk, d in originals.items()
        if d.period_start is not None
    }


def _correction(
    original: Document, months: list[list[str]], now: rules.DuesDocument | None
) -> tuple[rules.DuesCorrection, list[list[str]]] | None:
    """What the period's months owed today change against what is billed (None: nothing)."""
    billed = {dt.date.fromisoformat(m): Decimal(v) for m, v in months}
    current = {c.month: c.net for c in now.months} if now is not None else {}
    if billed == current:
        return None
    before = sum(billed.values(), Decimal("0.00"))
    after = sum(current.values(), Decimal("0.00"))
    change = rules.DuesCorrection(
        number=original.number,
        net_difference=after - before,
        months_removed=tuple(sorted(set(billed) - set(current))),
        months_added=tuple(sorted(set(current) - set(billed))),
        message=Msg.of(
            CORRECTION,
            number=original.number,
            before=Money(before),
            after=Money(after),
            difference=Money(after - before),
            why=Msg.of(CORRECTION_WHY),
        ),
    )
    return change, [[m.isoformat(), str(v)] for m, v in sorted(current.items())]


def _issue_corrections(
    cluster: Cluster,
    fee: rules.FeeType,
    through: dt.date,
    corrections: list[tuple[int, Document, rules.DuesCorrection, list[list[str]]]],
    user: Any,
    not_payers: set[int] | frozenset[int] = frozenset(),
) -> list[Document]:
    """One correcting document per changed period (series KOR), dated `through`, its VAT at the
    corrected document's treatment and rate (FIN-2: a correction, never an edit). A correction
    of a VAT invoice to a member that is a VAT payer waits for KSeF as the invoice did (FA(3)
    KOR, `outbox.invoice_of`), whether or not the invoice itself went through KSeF."""
    if not corrections:
        return []
    year = through.year
    first = reserve_numbers(cluster, rules.SERIES["correction"], year, len(corrections))
    settings = selectors.settings_of(cluster)
    term = settings.payment_term_days if settings is not None else 14
    rows = []
    for offset, (mid, original, change, months) in enumerate(
        sorted(corrections, key=lambda c: (c[1].issued, c[1].number))
    ):
        line = rules.vat_line(fee, change.net_difference, original.issued)
        seq = first + offset
        rows.append(
            Document(
                cluster=cluster,
                member_id=mid,
                fee_type_id=original.fee_type_id,
                kind=Document.Kind.CORRECTION,
                series=rules.SERIES["correction"],
                year=year,
                seq=seq,
                number=rules.format_number(rules.SERIES["correction"], year, seq),
                issued=through,
                due=through + dt.timedelta(days=term),
                period_start=original.period_start,
                period_end=original.period_end,
                billing=original.billing,
                net=line.net,
                vat=line.vat,
                gross=line.gross,
                vat_rate="" if line.rate is None else str(int(line.rate * 100)),
                months=months,
                explanation=to_json(change.message),
                corrects=original,
                ksef_state=Document.Ksef.WAITING
                if original.kind == Document.Kind.INVOICE
                and ksef.ksef_required(fee_taxable=True, buyer_vat_payer=mid not in not_payers)
                else "",
                created_by=user if getattr(user, "pk", None) else None,
            )
        )
    insert_documents(rows)
    return rows


#: the columns a document is written with in bulk (the rest take their defaults: created_at now)
DOCUMENT_COLUMNS = (
    "cluster_id",
    "member_id",
    "fee_type_id",
    "kind",
    "series",
    "year",
    "seq",
    "number",
    "issued",
    "due",
    "period_start",
    "period_end",
    "billing",
    "net",
    "vat",
    "gross",
    "vat_rate",
    "months",
    "explanation",
    "corrects_id",
    "ksef_state",
    "created_by_id",
)


def insert_documents(rows: list[Document]) -> int:
    """Write issued documents in one pass (klaster.core.bulk: a prepared INSERT over plain tuples
    on SQLite, COPY on PostgreSQL) — the ORM's bulk_create compiled every value of every row and
    was two thirds of a 10,000-member dues run. The instances get their ids back: one query per
    series and year (their numbers are a range of it)."""
    if not rows:
        return 0
    count = insert_rows(
        Document, DOCUMENT_COLUMNS, ([getattr(d, c) for c in DOCUMENT_COLUMNS] for d in rows)
    )
    ranges: dict[tuple[str, int], list[int]] = {}
    for d in rows:
        low_high = ranges.setdefault((d.series, d.year), [d.seq, d.seq])
        low_high[0], low_high[1] = min(low_high[0], d.seq), max(low_high[1], d.seq)
    ids: dict[str, int] = {}
    for (series, year), (low, high) in ranges.items():
        ids.update(
            Document.objects.filter(
                cluster_id=rows[0].cluster_id, series=series, year=year, seq__range=(low, high)
            ).values_list("number", "pk")
        )
    for d in rows:
        d.pk = ids[d.number]
        d._state.adding = False
    return count


KSEF_STATE = DOCUMENT_COLUMNS.index("ksef_state")


def _document_values(
    cluster_id: int,
    fee_type_id: int,
    member_id: int,
    d: rules.DuesDocument,
    series: str,
    year: int,
    seq: int,
    by: int | None,
) -> list[Any]:
    """One dues document as the values of DOCUMENT_COLUMNS, in their order."""
    rate = d.line.rate
    return [
        cluster_id,
        member_id,
        fee_type_id,
        d.kind,
        series,
        year,
        seq,
        rules.format_number(series, year, seq),
        d.issued,
        d.due,
        d.period_start,
        d.period_end,
        d.billing,
        d.net,
        d.vat,
        d.gross,
        "" if rate is None else str(int(rate * 100)),
        [[c.month.isoformat(), str(c.net)] for c in d.months],
        to_json(d.message),
        None,
        "",
        by,
    ]


# --- the entry fee (FIN-6) ------------------------------------------------------------------------

ENTRY_FEE_TWICE = define(
    "money.entry_fee.issued_before",
    "The entry fee of {member} was already issued as {number}; a change is a correcting document.",
)
NOT_POSITIVE = define("money.entry_fee.not_positive", "The entry fee must be more than 0.")


def entry_fee_waived(
    *, cluster: Cluster, member: Member, fee: Decimal, resolution: str, user: Any = None
) -> None:
    """The voting members waived the whole entry fee (FIN-6): nothing is issued; the waiver and
    its resolution are recorded."""
    if member.cluster_id != cluster.pk:
        raise MoneyError("member", Msg.of(OTHER_CLUSTER))
    with transaction.atomic():
        audit_record(
            cluster=cluster,
            user=user,
            action="update",
            instance=member,
            object_repr=f"opłata wpisowa: {member.name}",
            changes={"entry_fee_waived": [None, str(fee)], "resolution": [None, resolution]},
            source="money",
        )


def entry_fee_issue(
    *,
    cluster: Cluster,
    member: Member,
    amount: Decimal,
    issued: dt.date,
    user: Any = None,
    waived: Decimal = Decimal("0.00"),
    resolution: str = "",
) -> Document:
    """Issue the candidate's entry fee as one document (FIN-6): an invoice or a debit note by the
    fee type's VAT treatment on the issue date, due after the payment term; `amount` is what is
    left to pay after a part `waived` by `resolution`. Governance's admission file then reads
    the advance paid from the ledger (its hook)."""
    if member.cluster_id != cluster.pk:
        raise MoneyError("member", Msg.of(OTHER_CLUSTER))
    if amount <= 0:
        raise MoneyError("amount", Msg.of(NOT_POSITIVE))
    settings = selectors.settings_of(cluster)
    if settings is None:
        raise MoneyError("settings", Msg.of(NO_SETTINGS))
    fees = selectors.fee_types_of(cluster)
    if rules.ENTRY_FEE not in fees:
        raise MoneyError("fee_type", Msg.of(NO_FEE_TYPE, fee=rules.ENTRY_FEE))
    fee_row, fee = fees[rules.ENTRY_FEE]
    try:
        line = rules.vat_line(fee, amount, issued)
    except rules.MoneyInputError as e:
        raise MoneyError(e.field, e.message) from e
    with transaction.atomic():
        Member.objects.select_for_update().filter(pk=member.pk).first()
        before = Document.objects.filter(
            cluster=cluster, member=member, fee_type=fee_row, corrects__isnull=True
        ).first()
        if before is not None:
            raise MoneyError(
                "member", Msg.of(ENTRY_FEE_TWICE, member=member.name, number=before.number)
            )
        series = rules.SERIES[line.kind]
        seq = reserve_numbers(cluster, series, issued.year, 1)
        document = Document.objects.create(
            cluster=cluster,
            member=member,
            fee_type=fee_row,
            kind=line.kind,
            series=series,
            year=issued.year,
            seq=seq,
            number=rules.format_number(series, issued.year, seq),
            issued=issued,
            due=issued + dt.timedelta(days=settings.payment_term_days),
            net=line.net,
            vat=line.vat,
            gross=line.gross,
            vat_rate="" if line.rate is None else str(int(line.rate * 100)),
            explanation=to_json(line.message),
            created_by=user if getattr(user, "pk", None) else None,
        )
        audit_record(
            cluster=cluster,
            user=user,
            action="create",
            instance=document,
            changes={"waived": [None, str(waived)], "resolution": [None, resolution]}
            if waived
            else None,
            source="money",
        )
        mark_for_ksef([document], user=user)
    return document


# --- bank statements (FIN-3) ----------------------------------------------------------------------


@dataclass(frozen=True)
class StatementImport:
    statement: Statement
    result: MatchResult
    report: dict[str, Any]  # MONEY-CLI's JSON, member ids as dataset keys


def read_statement(data: bytes, csv_mapping: CsvMapping | None = None) -> Any:
    check_size(data)
    return detect_and_parse(data, csv_mapping)


def import_statement(
    *,
    cluster: Cluster,
    data: bytes,
    user: Any = None,
    csv_mapping: CsvMapping | None = None,
) -> StatementImport:
    """Read, check and match a statement, then store it with its entries and the payments it
    brings (MONEY-CLI `klaster bank import`). All or nothing: a malformed file or one on
    another account raises `StatementError` and writes nothing; entries imported before are
    duplicates and change nothing."""
    if csv_mapping is None:
        csv_mapping = selectors.csv_mapping_of(cluster)
    parsed = read_statement(data, csv_mapping)
    check_cluster_account(parsed, selectors.cluster_accounts(cluster))
    with transaction.atomic():
        # one import at a time per cluster: two would both see the same open amounts
        Cluster.objects.select_for_update().filter(pk=cluster.pk).first()
        facts = selectors.match_facts(cluster)
        book = selectors.cluster_ledger(cluster)
        open_docs = _open_docs(cluster, book)
        account = normalize_account(parsed.account)
        known = {
            _key_tuple(k)
            for k in BankEntry.objects.filter(cluster=cluster, key__startswith=account + "|")
            .values_list("key", flat=True)
            .iterator()
        }
        result = match_statement(parsed, facts.members, open_docs, already_imported=known)
        statement = Statement.objects.create(
            cluster=cluster,
            account=account,
            number=parsed.number,
            date_from=parsed.date_from,
            date_to=parsed.date_to,
            opening=parsed.opening,
            closing=parsed.closing,
            format=parsed.format,
            encoding=parsed.encoding,
            sha256=hashlib.sha256(data).hexdigest(),
            lines=len(parsed.entries),
            duplicates=result.duplicates,
            imported_by=user if getattr(user, "pk", None) else None,
        )
        _store_entries(cluster, statement, parsed, result, user)
        audit_record(
            cluster=cluster,
            user=user,
            action="create",
            instance=statement,
            changes={
                "lines": [len(parsed.entries)],
                "matched": [len(result.matched)],
                "queued": [len(result.queued)],
                "duplicates": [result.duplicates],
            },
            source="money",
        )
    report = _with_keys(import_report(result), facts.keys)
    return StatementImport(statement=statement, result=result, report=report)


def _key_text(key: tuple[str, dt.date, Decimal, str]) -> str:
    account, day, amount, ref = key
    return f"{account}|{day.isoformat()}|{amount}|{ref}"


def _key_tuple(text: str) -> tuple[str, dt.date, Decimal, str]:
    account, day, amount, ref = text.split("|", 3)
    return (account, dt.date.fromisoformat(day), Decimal(amount), ref)


def _open_docs(cluster: Cluster, book: rules.Ledger) -> list[OpenDoc]:
    ksef = dict(
        Document.objects.filter(cluster=cluster)
        .exclude(ksef_number="")
        .values_list("number", "ksef_number")
    )
    return [
        OpenDoc(
            number=d.number,
            member=d.member,
            open=book.open[d.number],
            due=d.due,
            ksef_number=ksef.get(d.number, ""),
        )
        for d in book.documents.values()
        if book.open[d.number] > 0
    ]


def _store_entries(
    cluster: Cluster, statement: Statement, parsed: Any, result: MatchResult, user: Any
) -> None:
    matched = {m.line: m for m in result.matched}
    queued = {q.line: q for q in result.queued}
    ignored = {i.line: i for i in result.ignored}
    duplicate = set(result.duplicate_lines)
    rows = []
    for e in parsed.entries:
        if e.line in duplicate:
            continue
        if e.line in matched:
            state, reason, candidates = BankEntry.State.MATCHED, "", []
        elif e.line in queued:
            state, reason = BankEntry.State.QUEUED, ""
            candidates = [
                {"member": int(c.member), "documents": list(c.documents), "evidence": c.evidence}
                for c in queued[e.line].candidates
            ]
        else:
            state, reason, candidates = BankEntry.State.IGNORED, ignored[e.line].reason, []
        rows.append(
            BankEntry(
                cluster=cluster,
                statement=statement,
                line=e.line,
                key=_key_text(entry_key(parsed.account, e)),
                booked=e.booking_date,
                amount=e.amount,
                currency=e.currency,
                title=e.title[:2000],
                counterparty_name=e.counterparty_name[:300],
                counterparty_iban=normalize_account(e.counterparty_iban)[:34],
                bank_reference=e.bank_reference[:100],
                state=state,
                reason=reason,
                candidates=candidates,
            )
        )
    insert_rows(BankEntry, ENTRY_COLUMNS, ([getattr(e, c) for c in ENTRY_COLUMNS] for e in rows))
    if not matched:
        return
    ids = dict(
        BankEntry.objects.filter(statement=statement, line__in=list(matched)).values_list(
            "line", "pk"
        )
    )
    by_line = {e.line: e for e in parsed.entries}
    by = user.pk if getattr(user, "pk", None) else None
    insert_rows(
        Payment,
        ("cluster_id", "member_id", "entry_id", "day", "amount", "documents", "created_by_id"),
        (
            (
                cluster.pk,
                int(m.member),
                ids[m.line],
                by_line[m.line].booking_date,
                m.amount,
                list(m.documents),
                by,
            )
            for m in result.matched
        ),
    )


ENTRY_COLUMNS = (
    "cluster_id",
    "statement_id",
    "line",
    "key",
    "booked",
    "amount",
    "currency",
    "title",
    "counterparty_name",
    "counterparty_iban",
    "bank_reference",
    "state",
    "reason",
    "candidates",
)


def _with_keys(report: dict[str, Any], keys: dict[str, str]) -> dict[str, Any]:
    for m in report["matched"]:
        m["member"] = keys.get(m["member"], m["member"])
    for q in report["queued"]:
        for c in q["candidates"]:
            c["member"] = keys.get(c["member"], c["member"])
    return report


@transaction.atomic
def entry_resolve(*, entry: BankEntry, member: Member, user: Any = None) -> Payment:
    """The office assigns a queued entry to a member (FIN-3): it becomes that member's payment,
    applied like any other (documents named in the title first). Only once: a second resolve
    of the same entry is refused."""
    locked = BankEntry.objects.select_for_update().get(pk=entry.pk)
    if locked.state != BankEntry.State.QUEUED:
        raise MoneyError("entry", Msg.of(NOT_QUEUED))
    if member.cluster_id != locked.cluster_id:
        raise MoneyError("member", Msg.of(OTHER_CLUSTER))
    named = [
        n for c in locked.candidates if c.get("member") == member.pk for n in c.get("documents", [])
    ]
    payment = Payment.objects.create(
        cluster_id=locked.cluster_id,
        member=member,
        entry=locked,
        day=locked.booked,
        amount=locked.amount,
        documents=[str(n) for n in named if str(n) in locked.title],
        created_by=user if getattr(user, "pk", None) else None,
    )
    before = locked.state
    locked.state = BankEntry.State.RESOLVED
    locked.save(update_fields=["state"])
    audit_record(
        cluster=locked.cluster,
        user=user,
        action="update",
        instance=locked,
        changes={"state": [before, locked.state], "member": [None, member.name]},
        source="money",
    )
    return payment


# --- arrears (FIN-4) --------------------------------------------------------------------------------


@transaction.atomic
def arrears_step(
    *,
    cluster: Cluster,
    member: Member,
    kind: str,
    stage: str,
    day: dt.date,
    documents: list[str],
    regime: str = "",
    interest: Decimal = Decimal("0.00"),
    compensation: Decimal = Decimal("0.00"),
    user: Any = None,
) -> ArrearsStep:
    """Record a step taken (the notice, the registered letter) with its date (FIN-4)."""
    if member.cluster_id != cluster.pk:
        raise MoneyError("member", Msg.of(OTHER_CLUSTER))
    step = ArrearsStep.objects.create(
        cluster=cluster,
        member=member,
        kind=kind,
        stage=stage,
        day=day,
        documents=documents,
        regime=regime,
        interest=interest,
        compensation=compensation,
        created_by=user if getattr(user, "pk", None) else None,
    )
    audit_record(cluster=cluster, user=user, action="create", instance=step, source="money")
    return step


__all__ = [
    "DuesRun",
    "MoneyError",
    "StatementError",
    "StatementImport",
    "arrears_step",
    "dues_run",
    "entry_fee_issue",
    "entry_resolve",
    "import_statement",
    "money_setup",
    "reserve_numbers",
]


# --- settings edited by the office -----------------------------------------------------------------


@transaction.atomic
def money_settings_save(
    *,
    cluster: Cluster,
    user: Any,
    changes: dict[str, Any],
    accounts: list[str],
    expected_version: str | None,
) -> MoneySettings:
    """The office's money settings (FIN-1 … FIN-3); a stale form is refused (StaleEdit)."""
    from klaster.core.updates import audited_update

    settings = MoneySettings.objects.filter(cluster=cluster).first()
    if settings is None:
        settings = money_setup(
            cluster=cluster,
            user=user,
            billing_start=changes["billing_start"],
            payment_term_days=changes["payment_term_days"],
            sub_account_iban=changes["sub_account_iban"],
        )
        expected_version = None
    audited_update(
        settings,
        fields=list(changes),
        actor=user,
        changes=changes,
        expected_version=expected_version,
    )
    have = set(cluster_account_list(cluster))
    if set(accounts) != have:
        ClusterAccount.objects.filter(cluster=cluster).exclude(account__in=accounts).delete()
        ClusterAccount.objects.bulk_create(
            [ClusterAccount(cluster=cluster, account=a) for a in accounts if a not in have]
        )
        audit_record(
            cluster=cluster,
            user=user,
            action="update",
            model="money.ClusterAccount",
            object_repr="rachunki klastra",
            changes={"accounts": [sorted(have), sorted(accounts)]},
            source="money",
        )
    return settings


def cluster_account_list(cluster: Cluster) -> list[str]:
    return selectors.cluster_accounts(cluster)


@transaction.atomic
def tariff_save(
    *, cluster: Cluster, user: Any, valid_from: dt.date, monthly: dict[str, str]
) -> TariffVersion:
    """A tariff version from a date (FIN-1). A version from a day already billed is refused:
    issued documents are never changed, a new price applies from a month not yet billed."""
    last_billed = (
        Document.objects.filter(cluster=cluster, period_start__isnull=False)
        .order_by("-period_end")
        .values_list("period_end", flat=True)
        .first()
    )
    if last_billed is not None and valid_from <= last_billed:
        raise MoneyError("valid_from", Msg.of(TARIFF_BILLED, day=valid_from, billed=last_billed))
    tariff, created = TariffVersion.objects.update_or_create(
        cluster=cluster, valid_from=valid_from, defaults={"monthly": monthly}
    )
    audit_record(
        cluster=cluster,
        user=user,
        action="create" if created else "update",
        instance=tariff,
        object_repr=f"cennik od {valid_from:%d.%m.%Y}",
        changes={"monthly": [None, monthly]},
        source="money",
    )
    return tariff


TARIFF_BILLED = define(
    "money.tariff.billed",
    "A tariff from {day} would change months already billed (through {billed}); choose a later "
    "first day.",
)


TREATMENT_AFTER_ISSUED = define(
    "money.fee.issued_after",
    "Documents of this fee type were issued on or after {day} (the last on {last}); a new VAT "
    "treatment may start only after them.",
)


@transaction.atomic
def fee_type_save(
    *,
    fee_type: FeeType,
    user: Any,
    treatment: str,
    valid_from: dt.date,
    basis: str,
    interest_regime: str,
    recovery_compensation: bool,
) -> FeeType:
    """A fee type's VAT treatment from a day (a new dated setting when it changes; documents
    already issued keep theirs, so a day on or before the last one issued is refused) and its
    interest regime (FIN-1, FIN-4). Audited."""
    from klaster.core.updates import audited_update

    in_force = (
        VatTreatment.objects.filter(fee_type=fee_type, valid_from__lte=valid_from)
        .order_by("-valid_from")
        .first()
    )
    if in_force is None or in_force.treatment != treatment or (basis and basis != in_force.basis):
        last = (
            Document.objects.filter(fee_type=fee_type, issued__gte=valid_from)
            .order_by("-issued")
            .values_list("issued", flat=True)
            .first()
        )
        if last is not None:
            raise MoneyError(
                "valid_from", Msg.of(TREATMENT_AFTER_ISSUED, day=valid_from, last=last)
            )
        setting, _created = VatTreatment.objects.update_or_create(
            fee_type=fee_type,
            valid_from=valid_from,
            defaults={"treatment": treatment, "basis": basis},
        )
        audit_record(
            cluster=fee_type.cluster,
            user=user,
            action="create",
            instance=setting,
            object_repr=f"{fee_type.name}: VAT od {valid_from:%d.%m.%Y}",
            changes={"treatment": [in_force.treatment if in_force else None, treatment]},
            source="money",
        )
    audited_update(
        fee_type,
        fields=["interest_regime", "recovery_compensation"],
        actor=user,
        changes={
            "interest_regime": interest_regime,
            "recovery_compensation": recovery_compensation,
        },
    )
    return fee_type


def arrears_email(*, step: ArrearsStep, user: Any = None) -> ArrearsStep:
    """E-mail the step's notice or letter (FIN-4) to the member's notification addresses, the
    letter's PDF attached: queued in the outbox (`core.outbox`, as the meetings' notices and
    summaries go) in the same transaction that records the addresses on the step, so the letter
    is never lost to a mail server that is down — the worker sends it and retries; "Sent mail"
    shows when it left. It is statutory: an address that unsubscribed from newsletters still
    gets it. Nothing to send to: the reason is recorded on the step."""
    from django.conf import settings as django_settings
    from django.core.mail import EmailMessage

    from klaster.core.mailbox import CLUSTER_HEADER
    from klaster.core.outbox import outbox_enqueue
    from klaster.members.models import NotificationEmail
    from klaster.money import pdf

    member, cluster = step.member, step.cluster
    addresses = sorted(
        set(NotificationEmail.objects.filter(member=member).values_list("email", flat=True))
    )
    rows = [r for r in selectors.arrears(cluster, step.day) if r.member.pk == member.pk]
    error = ""
    if not addresses:
        error = "Członek nie ma adresu do powiadomień."
    elif not rows:
        error = "W tym dniu członek nie ma zaległości."
    else:
        attachment = pdf.arrears_letter_pdf(cluster, rows[0], step.day, step.stage)
        subject = (
            f"Zaległe składki — wezwanie do zapłaty ({cluster.name})"
            if step.kind == ArrearsStep.Kind.LETTER
            else f"Zaległe składki — zawiadomienie ({cluster.name})"
        )
        body = (
            f"Szanowni Państwo,\n\nw załączniku przesyłamy pismo w sprawie zaległych składek "
            f"{member.name} według stanu na {step.day:%d.%m.%Y}: dokumenty "
            f"{', '.join(step.documents)}.\n\n{cluster.name}\n"
        )
        message = EmailMessage(
            subject,
            body,
            django_settings.DEFAULT_FROM_EMAIL,
            addresses,
            headers={CLUSTER_HEADER: cluster.slug},
        )
        message.attach(
            f"zaleglosci-{member.key}-{step.day:%Y%m%d}.pdf", attachment, "application/pdf"
        )
    with transaction.atomic():
        if not error:
            outbox_enqueue(
                cluster=cluster,
                messages=[message],
                source=f"money:arrears:{step.pk}",
                statutory=True,
                user=user,
            )
        step.emailed_to = addresses if not error else []
        step.send_error = error
        step.save(update_fields=["emailed_to", "send_error"])
        audit_record(
            cluster=cluster,
            user=user,
            action="update",
            instance=step,
            changes={"emailed_to": [[], step.emailed_to], "send_error": ["", error]},
            source="money",
        )
    return step
