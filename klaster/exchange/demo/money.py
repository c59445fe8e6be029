"""Demo money for `klaster demo` (issue 10), written through the money app's services.

Run once, when the demo cluster is first created, after governance and groups, on the real day
(`today`, not the demo's clock): the history of dues lives in the present like the rest.

- the settings: dues billed from the first day of the month six months before today, evoluma's
  tariff (plus 180 PLN for business-support bodies, science units and others, 1,200 PLN for a
  strategic partner), a 14-day term, the cluster's account for statements and on documents;
- the dues run through today (one document a month per member);
- one PKO BP statement (MT940, the bank's `~` sub-fields, CP852) closed yesterday, imported as
  the office would: every document due more than 20 days ago is paid by a transfer naming it,
  booked on or a few days before its due date (so no member was ever late on a past meeting's
  day: the demo's governance history was built with everyone paying), except

  - one member (the third enterprise; not the `czlonek` persona's) who paid nothing for the last
    two months — its oldest open document stays less than 60 days overdue, so nobody loses a
    vote in the General Assembly sitting today;
  - one member who paid everything issued so far and 50 PLN more (a credit);
  - one transfer titled only "przelew" from an unknown account, of the amount of the late
    member's oldest open document: it waits in the office's queue.

The `czlonek` persona's member (the first enterprise) has documents, payments and an open
balance (what is not yet 20 days past due).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from klaster.core.models import Cluster
from klaster.members.models import ENTERPRISE_TYPES, Member
from klaster.money import selectors
from klaster.money import services as money
from klaster.money.models import BankEntry, Document, PayerAccount
from klaster.rules import money as rules

SEED = 20261001
ACCOUNT = "PL61109010140000071219812874"  # the cluster's account (demo.yaml: bank_accounts)
PAID_AFTER_DAYS = 20  # documents due more than this many days ago are paid
LATE_UNPAID_DAYS = 50  # the late member leaves unpaid what fell due in this many days
CREDIT = Decimal("50.00")
VAGUE_TITLE = "przelew"
VAGUE_PAYER = ("Jan Kowalski", "PL10105000997603123456789123")

_TITLES = (
    "Składka członkowska {number}",
    "Faktura {number}",
    "Opłata członkowska {number} klaster",
    "{number} składka",
)


@dataclass
class DemoMoney:
    documents: int
    entries: int
    represented: Member  # the `czlonek` persona's member
    late: Member  # paid nothing for the last two months
    overpaid: Member  # 50 PLN in credit
    queued: BankEntry  # the vague transfer waiting for the office


def billing_start(today: dt.date) -> dt.date:
    """The first day of the month six months before today's."""
    months = today.year * 12 + today.month - 1 - 6
    return dt.date(months // 12, months % 12 + 1, 1)


def tariff(start: dt.date) -> rules.Tariff:
    return rules.evoluma_tariff(
        start,
        iob=Decimal("180"),
        science=Decimal("180"),
        other=Decimal("180"),
        strategic_partner=Decimal("1200"),
    )


def money_demo_build(*, cluster: Cluster, user: Any, today: dt.date) -> DemoMoney:
    start = billing_start(today)
    money.money_setup(
        cluster=cluster,
        user=user,
        billing_start=start,
        payment_term_days=14,
        sub_account_iban=ACCOUNT,
        tariff=tariff(start),
        accounts=(ACCOUNT,),  # get_or_create: the dataset's bank_accounts may have made it
    )
    run = money.dues_run(cluster=cluster, through=today, user=user)

    docs: dict[int, list[Document]] = {}
    for d in Document.objects.filter(cluster=cluster).order_by("due", "issued", "series", "seq"):
        docs.setdefault(d.member_id, []).append(d)
    billed = [m for m in selectors.billed_members(cluster).order_by("id") if m.pk in docs]
    enterprises = [m for m in billed if m.type in ENTERPRISE_TYPES]
    represented = enterprises[0]  # the demo command's first enterprise: the `czlonek` persona's
    late = enterprises[2]
    overpaid = next(
        (m for m in billed if m.type not in ENTERPRISE_TYPES),
        enterprises[3],
    )

    rng = random.Random(SEED)
    yesterday = today - dt.timedelta(days=1)
    payers = _payer_accounts(cluster)
    lines: list[_Line] = []
    for member in billed:
        cutoff = today - dt.timedelta(
            days=LATE_UNPAID_DAYS if member.pk == late.pk else PAID_AFTER_DAYS
        )
        iban = payers.get(member.pk) or _iban(member.pk)
        mine = docs[member.pk]
        paid = [d for d in mine if d.due < cutoff]
        for d in paid:
            early = dt.timedelta(days=rng.randint(0, 7))
            booked = min(max(d.due - early, d.issued), yesterday)
            title = rng.choice(_TITLES).format(number=d.number)
            lines.append(_Line(booked, d.gross, title, member.name, iban))
        if member.pk == overpaid.pk:
            # the rest of what was issued, paid yesterday, the last transfer 50 PLN too much
            rest = [d for d in mine if d not in paid]
            for i, d in enumerate(rest, 1):
                extra = CREDIT if i == len(rest) else Decimal("0.00")
                title = _TITLES[0].format(number=d.number)
                lines.append(_Line(yesterday, d.gross + extra, title, member.name, iban))
    # what the late member owes first; the transfer says only "przelew", from an unknown account
    oldest_open = next(d for d in docs[late.pk] if d.due >= today - dt.timedelta(LATE_UNPAID_DAYS))
    lines.append(_Line(yesterday, oldest_open.gross, VAGUE_TITLE, *VAGUE_PAYER))

    lines.sort(key=lambda x: x.booked)  # stable: a member's transfers keep their order
    data = mt940(lines, account=ACCOUNT, opening=start, closing=yesterday)
    imported = money.import_statement(cluster=cluster, data=data, user=user)
    queued = BankEntry.objects.get(statement=imported.statement, state=BankEntry.State.QUEUED)
    return DemoMoney(
        documents=run.count,
        entries=len(lines),
        represented=represented,
        late=late,
        overpaid=overpaid,
        queued=queued,
    )


def _payer_accounts(cluster: Cluster) -> dict[int, str]:
    """A member's first account from the dataset (`members[].bank_accounts`), if any."""
    out: dict[int, str] = {}
    for mid, account in (
        PayerAccount.objects.filter(member__cluster=cluster)
        .order_by("id")
        .values_list("member_id", "account")
    ):
        out.setdefault(mid, account)
    return out


def _iban(n: int) -> str:
    """An invented Polish account with valid check digits (the bank: PKO BP's 1020 1026)."""
    bban = f"10201026{n:016d}"
    check = 98 - int(bban + "252100") % 97
    return f"PL{check:02d}{bban}"


# --- the statement in PKO BP's MT940 -----------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    booked: dt.date
    amount: Decimal
    title: str
    name: str
    iban: str


def _amount(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


def _fields(first: int, text: str, count: int) -> str:
    """`text` in `~NN` sub-fields of 35 characters from `first` on, at most `count` of them."""
    chunks = [text[i : i + 35] for i in range(0, len(text), 35)][:count] or [""]
    return "".join(f"~{first + i}{chunk}" for i, chunk in enumerate(chunks))


def mt940(lines: list[_Line], *, account: str, opening: dt.date, closing: dt.date) -> bytes:
    """A PKO BP statement (MT940, `~NN` sub-fields of `:86:`, CP852) of credits: each entry
    booked on its day, the bank's reference its day and line number."""
    total = sum((x.amount for x in lines), Decimal("0.00"))
    out = [
        ":20:MT940",
        f":25:/{account}",
        f":28C:{closing:%m}/{closing:%Y}/M",
        f":60F:C{opening:%y%m%d}PLN0,00",
    ]
    for i, x in enumerate(lines, 1):
        d = x.booked.strftime("%y%m%d")
        out.append(f":61:{d}{d[2:]}CN{_amount(x.amount)}S020NONREF//{d}{i:05d}")
        out.append(
            ":86:020~00VE02" + _fields(20, x.title, 6) + _fields(27, x.name, 3) + f"~38{x.iban}"
        )
    out.append(f":62F:C{closing:%y%m%d}PLN{_amount(total)}")
    out.append("-")
    return ("\r\n".join(out) + "\r\n").encode("cp852", errors="replace")
