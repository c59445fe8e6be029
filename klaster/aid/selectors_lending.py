"""Reads of the lending queue (AID-4, AID-5): the catalogue with today's prices, the queue of
each product as its reader may see it, an application with its checklist, a ranking list in the
rule's order. A fixed number of queries per page, whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch

from klaster.aid.models import Application, Contract, Equipment, PriceList
from klaster.core.access import Grants
from klaster.core.models import Cluster

S = Application.Status
#: the applications a queue shows: not withdrawn, refused or finished
LIVE = (S.RECEIVED, S.COMPLETE, S.INCOMPLETE, S.CHOSEN, S.WAITING, S.CONTRACTED)
#: the applications that hold the product's days
HOLDING = (S.CHOSEN, S.CONTRACTED)


@dataclass
class QueueRow:
    """One place in a product's queue. ``application`` is None for another member's, which a
    representative sees only as days taken."""

    start: dt.date
    end: dt.date
    status: str
    status_label: str
    application: Application | None = None
    contract: Contract | None = None


@dataclass
class Product:
    equipment: Equipment
    price: PriceList | None
    queue: list[QueueRow] = field(default_factory=list)


def _contract(app: Application) -> Contract | None:
    try:
        return app.contract
    except ObjectDoesNotExist:
        return None


def products(
    cluster: Cluster, grants: Grants, today: dt.date, *, only: int | None = None
) -> list[Product]:
    """The catalogue (the office sees the products not lent too) with the price list in force
    today and the queue: the office sees every live application; a representative its own
    members' in full and the others' only as days taken (chosen or under contract)."""
    equipment = Equipment.objects.filter(cluster=cluster)
    if only is not None:
        equipment = equipment.filter(pk=only)
    elif not grants.office:
        equipment = equipment.filter(active=True)
    apps = (
        Application.objects.filter(status__in=LIVE)
        .select_related("member", "contract")
        .order_by("arrived_at", "pk")
    )
    if not grants.office:
        from django.db.models import Q

        apps = apps.filter(Q(member_id__in=grants.member_ids) | Q(status__in=HOLDING))
    rows = list(
        equipment.order_by("name", "pk").prefetch_related(
            Prefetch(
                "prices",
                queryset=PriceList.objects.filter(valid_from__lte=today).order_by("-valid_from"),
                to_attr="prices_now",
            ),
            Prefetch("applications", queryset=apps, to_attr="live"),
        )
    )
    out = []
    for eq in rows:
        product = Product(eq, eq.prices_now[0] if eq.prices_now else None)
        for app in eq.live:
            contract = _contract(app)
            start, end = (contract.start, contract.end) if contract else (app.start, app.end)
            mine = grants.office or app.member_id in grants.member_ids
            product.queue.append(
                QueueRow(
                    start,
                    end,
                    app.status,
                    app.get_status_display(),
                    app if mine else None,
                    contract if mine else None,
                )
            )
        out.append(product)
    return out


def application_detail(cluster: Cluster, application_id: int) -> Application:
    """One application with its member, product and documents (for get_in_cluster)."""
    from klaster.core.access import get_in_cluster

    return get_in_cluster(
        Application.objects.select_related("member", "equipment").prefetch_related("documents"),
        cluster,
        pk=application_id,
    )
