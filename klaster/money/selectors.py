"""Reads of the money app: the ledger, a member's dues facts, arrears (FIN-1 … FIN-4).

The ledger is computed, never stored: every document and payment of the cluster (or of the
members asked for) is read in two queries and handed to the pure `rules.money.ledger`. Member
ids inside the rules are the members' primary keys as strings.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.utils.translation import gettext as _

from klaster.core.models import Cluster
from klaster.governance.models import VotingRestriction
from klaster.members.models import Member, MembershipEvent
from klaster.money.models import (
    ClusterAccount,
    Document,
    FeeType,
    MemberBilling,
    MoneySettings,
    PayerAccount,
    Payment,
    TariffVersion,
    VatTreatment,
)
from klaster.rules import money as rules
from klaster.rules.membership import MembershipEvent as RuleEvent

ZERO = Decimal("0.00")


def tariff_category(member_type: str, category: str) -> str:
    """The tariff key of a member (FIN-1): a strategic partner by its category, a partner
    enterprise by its size class, any other partner by its type ("iob", "science", "other")."""
    if category == "strategic_partner":
        return "strategic_partner"
    return member_type


def billed_members(cluster: Cluster) -> Any:
    """Members the dues run looks at: all but the coordinator (the issuer) and honorary ones."""
    qs = Member.objects.filter(cluster=cluster, honorary=False)
    if cluster.coordinator_id:
        qs = qs.exclude(pk=cluster.coordinator_id)
    return qs


def member_dues_facts(
    cluster: Cluster, members: Iterable[Member] | None = None
) -> dict[int, rules.MemberDues]:
    """Per member id the facts the accrual reads (FIN-2 Reading): membership events (joining,
    leaving, suspension), dues exemptions (FIN-5, governance's dated restrictions), the
    category over time and the billing period."""
    rows = list(members) if members is not None else list(billed_members(cluster))
    ids = [m.pk for m in rows]
    events: dict[int, list[RuleEvent]] = defaultdict(list)
    changes: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
    by_id = {m.pk: m for m in rows}
    for mid, kind, date, seq, category in (
        MembershipEvent.objects.filter(member_id__in=ids)
        .order_by("date", "id")
        .values_list("member_id", "kind", "date", "id", "category")
    ):
        events[mid].append(RuleEvent(kind=kind, date=date, seq=seq))
        if category:
            changes[mid].append((date, tariff_category(by_id[mid].type, category)))
    exemptions: dict[int, list[rules.Period]] = defaultdict(list)
    for mid, starts, ends in VotingRestriction.objects.filter(
        member_id__in=ids, kind=VotingRestriction.Kind.DUES_EXEMPT
    ).values_list("member_id", "starts", "ends"):
        exemptions[mid].append(rules.Period(starts, ends))
    billing = dict(MemberBilling.objects.filter(member_id__in=ids).values_list("member", "billing"))
    out = {}
    for m in rows:
        # the category an event recorded holds from its date; before the first, the current one
        dated = changes[m.pk]
        base = dated[0][1] if dated else tariff_category(m.type, m.category)
        out[m.pk] = rules.MemberDues(
            member_id=str(m.pk),
            category=base,
            events=tuple(events[m.pk]),
            exemptions=tuple(exemptions[m.pk]),
            billing=cast(Any, billing.get(m.pk, "month")),
            category_changes=tuple(changes[m.pk]),
        )
    return out


def settings_of(cluster: Cluster) -> MoneySettings | None:
    return MoneySettings.objects.filter(cluster=cluster).first()


def tariffs_of(cluster: Cluster) -> list[rules.Tariff]:
    return [
        rules.Tariff(valid_from=t.valid_from, monthly={k: Decimal(v) for k, v in t.monthly.items()})
        for t in TariffVersion.objects.filter(cluster=cluster)
    ]


def fee_types_of(cluster: Cluster) -> dict[str, tuple[FeeType, rules.FeeType]]:
    """Per key the row and the rules' fee type (with its dated VAT settings)."""
    settings: dict[int, list[rules.VatSetting]] = defaultdict(list)
    for fid, valid_from, treatment in VatTreatment.objects.filter(
        fee_type__cluster=cluster
    ).values_list("fee_type_id", "valid_from", "treatment"):
        settings[fid].append(rules.VatSetting(valid_from, cast(Any, treatment)))
    out = {}
    for f in FeeType.objects.filter(cluster=cluster):
        out[f.key] = (
            f,
            rules.FeeType(
                f.key,
                tuple(settings[f.pk]),
                interest_regime=cast(Any, f.interest_regime),
                recovery_compensation=f.recovery_compensation,
            ),
        )
    return out


def csv_mapping_of(cluster: Cluster) -> Any:
    """The cluster's bank CSV columns (FIN-3), or None when it has none set."""
    from klaster.rules.money.bank import CsvMapping

    settings = settings_of(cluster)
    if settings is None or not settings.csv_mapping:
        return None
    return CsvMapping(**settings.csv_mapping)


def cluster_accounts(cluster: Cluster) -> list[str]:
    return list(ClusterAccount.objects.filter(cluster=cluster).values_list("account", flat=True))


# --- the ledger -------------------------------------------------------------------------------


def ledger_rows(
    cluster: Cluster, member_ids: Iterable[int] | None = None
) -> tuple[list[rules.LedgerDocument], list[rules.LedgerPayment]]:
    docs = Document.objects.filter(cluster=cluster)
    pays = Payment.objects.filter(cluster=cluster)
    if member_ids is not None:
        ids = list(member_ids)
        docs = docs.filter(member_id__in=ids)
        pays = pays.filter(member_id__in=ids)
    documents = [
        rules.LedgerDocument(
            number=number,
            member=str(member_id),
            issued=issued,
            due=due,
            gross=gross,
            corrects=corrects,
            kind=kind,
        )
        for number, member_id, issued, due, gross, corrects, kind in docs.values_list(
            "number", "member_id", "issued", "due", "gross", "corrects__number", "kind"
        )
    ]
    payments = [
        rules.LedgerPayment(
            ref=f"p{pk}", member=str(member_id), day=day, amount=amount, documents=tuple(named)
        )
        for pk, member_id, day, amount, named in pays.values_list(
            "pk", "member_id", "day", "amount", "documents"
        )
    ]
    return documents, payments


def cluster_ledger(
    cluster: Cluster, on: dt.date | None = None, member_ids: Iterable[int] | None = None
) -> rules.Ledger:
    documents, payments = ledger_rows(cluster, member_ids)
    return rules.ledger(documents, payments, on=on)


def arrears_for_vote(
    cluster: Cluster, on: dt.date, limit_days: int, member_ids: Iterable[int] | None
) -> dict[int, tuple[str, ...]]:
    """The governance hook (GOV-1, FIN-4 Reading): per member, its documents more than
    `limit_days` past due with an amount still open on `on`. A meeting ahead is read as of
    today: what will be paid by then is not known, so a document is not counted late before it
    is (a roll for a General Assembly in two months would otherwise strip every member whose
    latest dues are simply not due yet)."""
    from django.utils import timezone

    on = min(on, timezone.localdate())
    cutoff = on - dt.timedelta(days=limit_days)
    late = Document.objects.filter(cluster=cluster, due__lt=cutoff, gross__gt=0)
    if member_ids is not None:
        late = late.filter(member_id__in=list(member_ids))
    suspects = set(late.values_list("member_id", flat=True))
    if not suspects:
        return {}
    book = cluster_ledger(cluster, on=on, member_ids=suspects)
    rule = _rule(limit_days)
    out: dict[int, tuple[str, ...]] = {}
    for mid in suspects:
        docs = [
            rules.OpenDocument(d.number, d.due, book.open[d.number])
            for d in book.open_documents(str(mid))
        ]
        vote = rules.member_votes(docs, on, rule)
        if not vote.votes:
            out[mid] = vote.blocking
    return out


def _rule(limit_days: int) -> Any:
    from klaster.rules.statute import ArrearsRule

    return ArrearsRule(first_notice_days=limit_days, second_notice_days=0)


@dataclass(frozen=True)
class MatchFacts:
    members: list[Any]  # rules MemberFacts
    keys: dict[str, str]  # member id (str pk) -> dataset key


def match_facts(cluster: Cluster) -> MatchFacts:
    """What matching knows of each member (FIN-3): virtual account, reference, accounts, NIP."""
    from klaster.rules.money.bank import MemberFacts

    members = list(Member.objects.filter(cluster=cluster).values_list("pk", "key", "nip"))
    billing = {
        mid: (ref, virtual)
        for mid, ref, virtual in MemberBilling.objects.filter(member__cluster=cluster).values_list(
            "member_id", "reference", "virtual_account"
        )
    }
    accounts: dict[int, list[str]] = defaultdict(list)
    for mid, account in PayerAccount.objects.filter(member__cluster=cluster).values_list(
        "member_id", "account"
    ):
        accounts[mid].append(account)
    facts = []
    for pk, key, nip in members:
        ref, virtual = billing.get(pk, ("", ""))
        facts.append(
            MemberFacts(
                member=str(pk),
                virtual_accounts=(virtual,) if virtual else (),
                references=(ref or key,),
                ibans=tuple(accounts[pk]),
                nips=(nip,) if nip else (),
            )
        )
    return MatchFacts(members=facts, keys={str(pk): key for pk, key, _ in members})


# --- arrears (FIN-4) ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArrearsDocument:
    document: Any  # rules LedgerDocument
    issued: dt.date
    gross: Decimal
    paid: Decimal
    open: Decimal
    stage: Any  # rules ArrearsStage
    interest: Any  # rules Interest
    #: FIN-4: the EUR 40/70/100 recovery compensation (rules Compensation) when the fee type
    #: adds it and the document is overdue; `compensation_missing` says why it has no amount
    compensation: Any = None
    compensation_missing: Any = None  # rules Msg: the NBP rate of its day is not known


@dataclass(frozen=True)
class MemberArrears:
    member: Member
    votes: bool
    vote: Any  # rules DuesVote, or None without an arrears rule
    credit: Decimal
    documents: list[ArrearsDocument]

    @property
    def level(self) -> int:
        return max((d.stage.level for d in self.documents), default=0)


def arrears_rule(cluster: Cluster, on: dt.date) -> Any:
    from klaster.core.services import statute_profile_in_force

    profile = statute_profile_in_force(cluster, on)
    return profile.arrears if profile is not None else None


def arrears(cluster: Cluster, as_of: dt.date) -> list[MemberArrears]:
    """Every member with an open document or a credit on `as_of` (MONEY-CLI `klaster arrears`),
    with each open document's stage and interest under its fee type's regime."""
    from klaster.rules.statute import ArrearsRule

    book = cluster_ledger(cluster, on=as_of)
    rule = arrears_rule(cluster, as_of)
    stage_rule = rule or ArrearsRule(first_notice_days=10**6, second_notice_days=0)
    regimes: dict[str, str] = {}
    compensated: set[str] = set()
    for number, regime, adds in Document.objects.filter(cluster=cluster).values_list(
        "number", "fee_type__interest_regime", "fee_type__recovery_compensation"
    ):
        regimes[number] = regime
        if adds:
            compensated.add(number)
    eur_rates: dict[dt.date, Any] = {}
    from klaster.money.rates import reference_rates

    table = reference_rates(cluster)  # the shipped NBP table with the office's entries
    per_member: dict[str, list[Any]] = defaultdict(list)
    for number, value in book.open.items():
        if value > 0:
            d = book.documents[number]
            per_member[d.member].append(d)
    ids = set(per_member) | {m for m, c in book.credit.items() if c > 0}
    members = Member.objects.in_bulk([int(i) for i in ids])
    out = []
    for mid in sorted(ids, key=lambda i: members[int(i)].key):
        docs = []
        for d in sorted(per_member.get(mid, []), key=lambda d: (d.due, d.issued, d.number)):
            open_ = book.open[d.number]
            stage = rules.arrears_stage(
                rules.OpenDocument(d.number, d.due, open_), as_of, stage_rule
            )
            owed = rules.interest(
                d.gross,
                d.due,
                as_of,
                payments=book.payments_of(d.number),
                regime=cast(Any, regimes.get(d.number, "statutory")),
                rates=table,
            )
            compensation = missing = None
            if d.number in compensated and stage.days_overdue > 0:
                compensation, missing = _compensation(d.gross, d.due, eur_rates)
            docs.append(
                ArrearsDocument(
                    document=d,
                    issued=d.issued,
                    gross=d.gross,
                    paid=book.paid.get(d.number, ZERO),
                    open=open_,
                    stage=stage,
                    interest=owed,
                    compensation=compensation,
                    compensation_missing=missing,
                )
            )
        vote = None
        if rule is not None:
            vote = rules.member_votes(
                [rules.OpenDocument(x.document.number, x.document.due, x.open) for x in docs],
                as_of,
                rule,
            )
        out.append(
            MemberArrears(
                member=members[int(mid)],
                votes=vote.votes if vote is not None else True,
                vote=vote,
                credit=book.credit.get(mid, ZERO),
                documents=docs,
            )
        )
    return out


def _compensation(gross: Decimal, due: dt.date, cache: dict[dt.date, Any]) -> tuple[Any, Any]:
    """FIN-4: the recovery compensation of an overdue document, converted at the NBP mean EUR
    rate of the last business day of the month before it fell due (art. 10 ust. 1), or why not:
    a missing rate stops the amount, never an older rate silently."""
    from klaster.core import eur_rates

    day = rules.compensation_rate_day(due)
    if day not in cache:
        try:
            cache[day] = eur_rates.rate_on(day)
        except eur_rates.RateMissing as missing:
            cache[day] = missing
    found = cache[day]
    if isinstance(found, eur_rates.RateMissing):
        return None, found.message
    return rules.recovery_compensation(gross, due, found.table.mid), None


@dataclass(frozen=True)
class CompensationLine:
    number: str
    pln: Decimal | None  # None: the rate of its day is missing
    text: str  # in the reader's language


def compensation_lines(documents: Iterable[ArrearsDocument]) -> list[CompensationLine]:
    """FIN-4: the recovery compensation of each document that carries one, worded for the
    reader (the amount with its band, rate and basis, or why the amount cannot be given)."""
    from klaster.core.say import say

    out = []
    for d in documents:
        if d.compensation is not None:
            out.append(
                CompensationLine(d.document.number, d.compensation.pln, say(d.compensation.message))
            )
        elif d.compensation_missing is not None:
            text = _("Compensation for recovery costs cannot be computed: %(why)s.") % {
                "why": say(d.compensation_missing)
            }
            out.append(CompensationLine(d.document.number, None, text))
    return out


def _money(value: Decimal) -> str:
    return str(Decimal(value).quantize(Decimal("0.01")))


def arrears_json(as_of: dt.date, rows: list[MemberArrears]) -> dict[str, Any]:
    """The JSON of `klaster arrears` (MONEY-CLI.md), keys in its order."""
    return {
        "as_of": as_of.isoformat(),
        "members": [
            {
                "member": r.member.key,
                "name": r.member.name,
                "votes": r.votes,
                "credit": _money(r.credit),
                "documents": [
                    {
                        "number": d.document.number,
                        "kind": d.document.kind,
                        "issued": d.issued.isoformat(),
                        "due": d.document.due.isoformat(),
                        "gross": _money(d.gross),
                        "paid": _money(d.paid),
                        "open": _money(d.open),
                        "days_overdue": d.stage.days_overdue,
                        "stage": d.stage.stage,
                        "interest": _money(d.interest.amount),
                        "regime": d.interest.basis,
                    }
                    for d in r.documents
                ],
            }
            for r in rows
        ],
    }


# --- the entry fee (FIN-6) ----------------------------------------------------------------------


def entry_fee_documents(cluster: Cluster, member_id: int) -> list[Document]:
    return list(
        Document.objects.filter(
            cluster=cluster, member_id=member_id, fee_type__key=rules.ENTRY_FEE
        ).order_by("issued", "seq")
    )


def entry_fee_payments(admission: Any) -> list[tuple[dt.date, Decimal]] | None:
    """The governance hook (GOV-12, FIN-6): what the candidate paid towards its entry-fee
    documents, day by day, as the ledger applied it; None when no such document exists."""
    numbers = {d.number for d in entry_fee_documents(admission.cluster, admission.candidate_id)}
    if not numbers:
        return None
    book = cluster_ledger(admission.cluster, member_ids=[admission.candidate_id])
    return [(a.day, a.amount) for a in book.allocations if a.document in numbers]


def entry_fee_terms(cluster: Cluster, member: Member, on: dt.date, waived: Decimal = ZERO) -> Any:
    """FIN-6 for one candidate on a day: 2× (or 1× within the statute's distance) the annual
    dues of its tariff category, the waiver, the advance due before the deciding meeting.
    None when the cluster has no statute or no tariff in force."""
    from klaster.core.services import statute_profile_in_force

    profile = statute_profile_in_force(cluster, on)
    tariff = rules.tariff_in_force(tariffs_of(cluster), on)
    if profile is None or tariff is None or profile.entry_fee is None:
        return None
    annual = tariff.annual_for(tariff_category(member.type, member.category))
    distance = (
        member.distance_override_km
        if member.distance_override_km is not None
        else member.distance_km
    )
    return rules.entry_fee_terms(profile, annual, distance, waived)


def return_terms(cluster: Cluster, member: Member, on: dt.date, fee: Decimal) -> Any:
    """FIN-8: a member that resigned and comes back pays half the entry fee within the
    statute's years of its resignation, the whole fee later; None for one that never resigned."""
    from klaster.core.services import statute_profile_in_force

    resigned = (
        MembershipEvent.objects.filter(member=member, kind="resigned", date__lte=on)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )
    profile = statute_profile_in_force(cluster, on)
    if resigned is None or profile is None or profile.entry_fee is None:
        return None
    return rules.return_fee(profile, fee, resigned, on)
