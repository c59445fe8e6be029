"""MEM-9 on the registry's rows: place each seat offline (klaster.rules.geo) and store the
distance from the coordinator's seat, rounded to 10 km. A manual override is kept apart
(``distance_override_km``) and shown as such; an unplaceable seat gets the reason."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from klaster.members.models import Member
from klaster.rules import geo

if TYPE_CHECKING:
    from klaster.core.models import Cluster

_Q = Decimal("0.000001")


class Seat(Protocol):
    """What placing reads and writes of a member: a Member, or the import's row before it is
    inserted (klaster.exchange.dataset_io builds no model instance per member)."""

    key: str
    postal_code: str
    city: str
    lat: Decimal | None
    lon: Decimal | None
    location_given: bool
    location_note: str
    distance_km: int | None


Lookup = Callable[[str | None, str | None], geo.Geocoding]


def _place(member: Seat, lookup: Lookup = geo.geocode) -> None:
    if member.location_given and member.lat is not None and member.lon is not None:
        member.location_note = geo.Source.COORDINATES.label
        return
    found = lookup(member.postal_code or None, member.city or None)
    if found.place is None:
        member.lat = member.lon = None
        member.location_note = found.problem or "Nie ustalono położenia siedziby."
        return
    member.lat = Decimal(str(found.place.lat)).quantize(_Q)
    member.lon = Decimal(str(found.place.lon)).quantize(_Q)
    member.location_note = (
        found.place.label + (f" — {found.place.note}" if found.place.note else "")
    )[:200]


def _distance(member: Seat, coordinator: Seat | None) -> None:
    if coordinator is None or coordinator.lat is None or member.lat is None:
        member.distance_km = None
        return
    member.distance_km = geo.distance_km_rounded(member, coordinator)  # type: ignore[arg-type]


def place_members(members: Sequence[Seat], *, coordinator_key: str) -> None:
    """Place unsaved rows in bulk (import) and fill their distances. Members at the same postal
    code and town (a cluster's members often share a town) are looked up once."""
    answers: dict[tuple[str | None, str | None], geo.Geocoding] = {}

    def lookup(postal_code: str | None, city: str | None) -> geo.Geocoding:
        found = answers.get((postal_code, city))
        if found is None:
            found = answers[postal_code, city] = geo.geocode(postal_code, city)
        return found

    for m in members:
        _place(m, lookup)
    coordinator = next((m for m in members if m.key == coordinator_key), None)
    for m in members:
        _distance(m, coordinator)


def place_member(member: Member) -> None:
    """Re-place one member (its address or coordinates changed) and recompute its distance."""
    _place(member)
    coordinator = (
        member if member.cluster.coordinator_id in (None, member.pk) else member.cluster.coordinator
    )
    _distance(member, coordinator)


def recompute_distances(cluster: Cluster) -> None:
    """The coordinator's seat moved: every distance changes."""
    coordinator = cluster.coordinator
    rows = list(Member.objects.filter(cluster=cluster))
    for m in rows:
        _distance(m, coordinator)
    Member.objects.bulk_update(rows, ["distance_km"], batch_size=2000)
