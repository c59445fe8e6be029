"""The two dated tables of amounts the office keeps (FIN-4, FIN-9).

- The NBP reference rate, from which interest is computed: the product ships its history
  (`klaster.rules.money.reference_rates()`); the office enters a later change (the Monetary
  Policy Council's resolution) and this cluster's interest reads both at once
  (`reference_rates(cluster)`). An entered row may be removed again; a shipped one may only
  be replaced by an entry of the same day.
- The Board's remuneration per meeting: 500 PLN gross unless the General Assembly decided
  otherwise from a day (`board_rate_on(cluster)`).

Every write is audited and refused, naming its field, when it cannot stand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from klaster.core.audit import audit_record
from klaster.core.models import Cluster
from klaster.money.models import BoardRate, ReferenceRate
from klaster.money.services import MoneyError
from klaster.rules import money as rules
from klaster.rules.message import Msg, define
from klaster.rules.money.board import DEFAULT_AMOUNT

MAX_RATE = Decimal("50.00")

RATE_RANGE = define(
    "money.rates.rate_range", "The reference rate must be between 0 and {max}% a year."
)
RATE_TWICE = define(
    "money.rates.rate_twice", "A reference rate from {day} has already been entered."
)
AMOUNT_NEGATIVE = define("money.rates.amount_negative", "The amount cannot be negative.")
BOARD_TWICE = define(
    "money.rates.board_twice", "An amount per meeting from {day} has already been entered."
)
SOURCE_REQUIRED = define(
    "money.rates.source_required", "Name the source: the resolution that set the rate."
)
RESOLUTION_REQUIRED = define(
    "money.rates.resolution_required", "Name the General Assembly resolution that set the amount."
)


# --- the NBP reference rate (FIN-4) ---------------------------------------------------------


def reference_rates(cluster: Cluster) -> tuple[rules.RateChange, ...]:
    """The shipped table with the cluster's entries, by day (an entry replaces its day)."""
    rows = {r.valid_from: r for r in rules.reference_rates()}
    for valid_from, rate in ReferenceRate.objects.filter(cluster=cluster).values_list(
        "valid_from", "rate"
    ):
        rows[valid_from] = rules.RateChange(valid_from, rate)
    return tuple(rows[d] for d in sorted(rows))


def reference_rate_add(
    *, cluster: Cluster, valid_from: dt.date, rate: Decimal, source: str, user: Any
) -> ReferenceRate:
    if not Decimal(0) <= rate <= MAX_RATE:
        raise MoneyError("rate", Msg.of(RATE_RANGE, max=MAX_RATE))
    if not source.strip():
        raise MoneyError("source", Msg.of(SOURCE_REQUIRED))
    return _entry_add(
        ReferenceRate,
        Msg.of(RATE_TWICE, day=valid_from),
        f"stopa referencyjna NBP od {valid_from:%d.%m.%Y}",
        cluster=cluster,
        user=user,
        valid_from=valid_from,
        rate=rate,
        source=source.strip(),
    )


def reference_rate_remove(*, row: ReferenceRate, user: Any) -> None:
    _entry_remove(row, f"stopa referencyjna NBP od {row.valid_from:%d.%m.%Y}", user)


@transaction.atomic
def _entry_add(
    model: Any, twice: Msg, words: str, *, cluster: Cluster, user: Any, **values: Any
) -> Any:
    """One dated entry of the cluster (its day once: `twice` refuses another), audited."""
    try:
        with transaction.atomic():
            row = model.objects.create(
                cluster=cluster, created_by=user if getattr(user, "pk", None) else None, **values
            )
    except IntegrityError:
        raise MoneyError("valid_from", twice) from None
    changes = {k: [None, str(v)] for k, v in values.items() if k != "valid_from"}
    audit_record(
        cluster=cluster,
        user=user,
        action="create",
        instance=row,
        object_repr=words,
        changes=changes,
        source="money",
    )
    return row


@transaction.atomic
def _entry_remove(row: Any, words: str, user: Any) -> None:
    """An entered dated row removed (its creation and removal stay in the audit log)."""
    fields = [f.attname for f in row._meta.concrete_fields]
    kept = ("id", "cluster_id", "valid_from", "created_at", "created_by_id")
    audit_record(
        cluster=row.cluster,
        user=user,
        action="delete",
        instance=row,
        object_repr=words,
        changes={f: [str(getattr(row, f)), None] for f in fields if f not in kept},
        source="money",
    )
    row.delete()


# --- the Board's remuneration (FIN-9) --------------------------------------------------------


def board_rate_on(cluster: Cluster) -> Callable[[dt.date], Decimal]:
    """The amount per meeting in force on a day: the last entry from on or before it, else the
    default of 001 "Kadra" 2 (one query, whatever the number of meetings)."""
    entries = list(
        BoardRate.objects.filter(cluster=cluster)
        .order_by("valid_from")
        .values_list("valid_from", "amount")
    )

    def on(day: dt.date) -> Decimal:
        amount = DEFAULT_AMOUNT
        for valid_from, value in entries:
            if valid_from <= day:
                amount = value
        return amount

    return on


def board_rate_add(
    *, cluster: Cluster, valid_from: dt.date, amount: Decimal, resolution: str, user: Any
) -> BoardRate:
    if amount < 0:
        raise MoneyError("amount", Msg.of(AMOUNT_NEGATIVE))
    if not resolution.strip():
        raise MoneyError("resolution", Msg.of(RESOLUTION_REQUIRED))
    return _entry_add(
        BoardRate,
        Msg.of(BOARD_TWICE, day=valid_from),
        f"wynagrodzenie Zarządu od {valid_from:%d.%m.%Y}",
        cluster=cluster,
        user=user,
        valid_from=valid_from,
        amount=amount,
        resolution=resolution.strip(),
    )


def board_rate_remove(*, row: BoardRate, user: Any) -> None:
    _entry_remove(row, f"wynagrodzenie Zarządu od {row.valid_from:%d.%m.%Y}", user)
