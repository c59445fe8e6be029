"""MEM-9 on the registry's rows: place each seat offline (klaster.rules.geo) and store the
distance from the coordinator's seat, rounded to 10 km. A manual override is kept apart
(``distance_override_km``) and shown as such; an unplaceable seat gets the reason."""

from __future__ import annotations

from decimal import Decimal

from klaster.members.models import Member
from klaster.rules import geo

_Q = Decimal("0.000001")


def _place(member: Member) -> None:
    if member.location_given and member.lat is not None and member.lon is not None:
        member.location_note = geo.Source.COORDINATES.label
        return
    found = geo.geocode(member.postal_code or None, member.city or None)
    if found.place is None:
        member.lat = member.lon = None
        member.location_note = found.problem or "Nie ustalono położenia siedziby."
        return
    member.lat = Decimal(str(found.place.lat)).quantize(_Q)
    member.lon = Decimal(str(found.place.lon)).quantize(_Q)
    member.location_note = (found.place.label + (f" — {found.place.note}" if found.place.note else ""))[:200]


def _distance(member: Member, coordinator: Member | None) -> None:
    if coordinator is None or coordinator.lat is None or member.lat is None:
        member.distance_km = None
        return
    member.distance_km = geo.distance_km_rounded(member, coordinator)


def place_members(members: list[Member], *, coordinator_key: str) -> None:
    """Place unsaved rows in bulk (import) and fill their distances."""
    for m in members:
        _place(m)
    coordinator = next((m for m in members if m.key == coordinator_key), None)
    for m in members:
        _distance(m, coordinator)


def place_member(member: Member) -> None:
    """Re-place one member (its address or coordinates changed) and recompute its distance."""
    _place(member)
    coordinator = member if member.cluster.coordinator_id in (None, member.pk) else member.cluster.coordinator
    _distance(member, coordinator)


def recompute_distances(cluster) -> None:
    """The coordinator's seat moved: every distance changes."""
    coordinator = cluster.coordinator
    rows = list(Member.objects.filter(cluster=cluster))
    for m in rows:
        _distance(m, coordinator)
    Member.objects.bulk_update(rows, ["distance_km"], batch_size=2000)
