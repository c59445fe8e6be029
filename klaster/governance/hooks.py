"""What governance learns from the apps above it, without importing them (STYLE, issue 8).

An app above governance (money) registers a provider from its ``AppConfig.ready``; governance
calls every provider registered. With none registered (a product without the money app, or a
test that unregisters it), the answers are empty: no member loses its vote to arrears.

- ``arrears_on(cluster, on, member_ids)`` (GOV-1 Reading, FIN-4): per member id, the numbers of
  its documents more than the statute's first-notice days past due on ``on``; such a member is
  not "paying dues" and does not vote that day. ``member_ids`` None: every member.
- ``fee_payments(admission)`` (GOV-12, FIN-6): what the candidate paid towards its entry fee,
  from the ledger, when money issued the fee as a document; None otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

ArrearsProvider = Callable[[Any, dt.date, int, "Iterable[int] | None"], dict[int, tuple[str, ...]]]

_arrears: dict[str, ArrearsProvider] = {}


def register_arrears(name: str, provider: ArrearsProvider) -> None:
    """``provider(cluster, on, limit_days, member_ids) -> {member_id: (number, …)}``."""
    _arrears[name] = provider


def unregister_arrears(name: str) -> ArrearsProvider | None:
    return _arrears.pop(name, None)


def has_arrears() -> bool:
    return bool(_arrears)


def arrears_on(
    cluster: Any, on: dt.date, limit_days: int, member_ids: Iterable[int] | None
) -> dict[int, tuple[str, ...]]:
    ids = None if member_ids is None else list(member_ids)
    out: dict[int, tuple[str, ...]] = {}
    for provider in _arrears.values():
        for mid, numbers in provider(cluster, on, limit_days, ids).items():
            out[mid] = out.get(mid, ()) + tuple(numbers)
    return out


# --- the entry fee's payments (GOV-12, FIN-6) ---------------------------------------------------

FeeProvider = Callable[[Any], "list[tuple[dt.date, Decimal]] | None"]

_fees: dict[str, FeeProvider] = {}


def register_fee_payments(name: str, provider: FeeProvider) -> None:
    """``provider(admission) -> [(day, amount), …]`` paid towards the candidate's entry fee, read
    from the ledger; None when the ledger holds no entry-fee document for the candidate (the
    office then records payments on the admission itself)."""
    _fees[name] = provider


def unregister_fee_payments(name: str) -> FeeProvider | None:
    return _fees.pop(name, None)


def fee_payments(admission: Any) -> list[tuple[dt.date, Decimal]] | None:
    for provider in _fees.values():
        paid = provider(admission)
        if paid is not None:
            return paid
    return None
