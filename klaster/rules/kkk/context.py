"""Everything an edition's criteria share, computed once per evaluation in linear time.

The member list on D, an index of members by id, each member's distance from the
coordinator, per-member sums over the last three fiscal years, and the date windows. Criteria
look members up in `by_id` (a dict), never by scanning the member list, so a dataset with
10,000 members, 2,000 projects and 5,000 events is evaluated in one pass over each.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from klaster.rules.dataset.model import ENTERPRISE_TYPES, Address, Dataset, Member
from klaster.rules.kkk.measure import minus_months, minus_years
from klaster.rules.message import Msg, render

# A gazetteer: an address to (latitude, longitude), or None when it cannot be placed.
Locate = Callable[[Address], "tuple[float | Decimal, float | Decimal] | None"]

# The IUGG mean Earth radius, as klaster.rules.geo uses, so that the distance in this report
# and in table 4 (MEM-9) round to the same 10 km.
EARTH_RADIUS_KM = 6371.0088
ZERO = Decimal(0)
_UNKNOWN: Any = object()


class KkkError(ValueError):
    """The dataset cannot be evaluated at all (no date of evaluation, an unknown edition or mode,
    a panel score out of range). `message` says why as a message (code and parameters) that the
    edge renders in its reader's language — the CLI in Polish; `str()` is the English."""

    def __init__(self, message: Msg) -> None:
        self.message = message
        super().__init__(render(message, "en", lambda code, text: text))


def is_member_on(member: Member, day: dt.date) -> bool:
    """Whether `member` belongs to the cluster on `day`.

    Joined on or before the day (the accession document's date, MEM-6) and not left by then:
    `left` is the day membership ended (a resignation takes effect the day the statement
    reaches the coordinator, 000 §6.3), so a member whose `left` is D is no longer counted
    on D. A member with no `joined` date is counted (it is on the register) but can never
    show a year of membership (KKK-S1-3, S1-6).
    """
    if member.joined is not None and member.joined > day:
        return False
    return member.left is None or member.left > day


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance on a sphere of the mean Earth radius."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def round_to_10_km(km: float) -> Decimal:
    """004 pt 4d: the distance is given "z dokładnością do 10 km" — to the nearest 10, half up.

    The float's exact value decides (as klaster.rules.geo does): 244.99999 km is 240, 245 is 250.
    """
    tens = km / 10
    whole = math.floor(tens)
    if abs(tens - whole - 0.5) > 1e-6:  # clearly on one side of the half: float rounding is exact
        return _TENS_KM[whole + 1 if tens - whole > 0.5 else whole]
    return (Decimal(km) / 10).quantize(Decimal(1), rounding=ROUND_HALF_UP) * 10


class _TensOfKm(dict[int, Decimal]):
    """n → Decimal(10·n), each made once: thousands of members are a few hundred distances."""

    def __missing__(self, tens: int) -> Decimal:
        value = self[tens] = Decimal(tens * 10)
        return value


_TENS_KM = _TensOfKm()


class Facts(NamedTuple):
    """One member's sums over the last three fiscal years (None when no year gave a figure).

    A named tuple, made for every member on every evaluation: cheaper than a dataclass."""

    revenue: Decimal | None
    export_revenue: Decimal | None
    rd_expenditure: Decimal | None
    exports: bool  # export revenue above 0
    does_rd: bool  # R&D expenditure above 0

    @classmethod
    def of(
        cls, revenue: Decimal | None, export_revenue: Decimal | None, rd_expenditure: Decimal | None
    ) -> Facts:
        return cls(
            revenue,
            export_revenue,
            rd_expenditure,
            export_revenue is not None and export_revenue > 0,
            rd_expenditure is not None and rd_expenditure > 0,
        )


class Context:
    """The dataset seen from date D."""

    def __init__(self, dataset: Dataset, as_of: dt.date, locate: Locate | None = None) -> None:
        self.dataset = dataset
        self.d = as_of
        # SPEC §6: "last 3 years" is D minus 3 years up to D, both ends included;
        # "last 3 fiscal years" are the 3 calendar years before D's year.
        self.three_years_ago = minus_years(as_of, 3)
        self.one_year_ago = minus_years(as_of, 1)
        self.twelve_months_ago = minus_months(as_of, 12)
        self.three_months_ago = minus_months(as_of, 3)
        self.fiscal_years = (as_of.year - 3, as_of.year - 2, as_of.year - 1)

        # is_member_on(), inlined: it runs for every member
        self.members: tuple[Member, ...] = tuple(
            [
                m
                for m in dataset.members
                if (m.joined is None or m.joined <= as_of) and (m.left is None or m.left > as_of)
            ]
        )
        self.by_id: dict[str, Member] = {m.id: m for m in self.members}
        self.known_ids: frozenset[str] = frozenset(m.id for m in dataset.members)
        self.enterprises: tuple[Member, ...] = tuple(
            m for m in self.members if m.type in ENTERPRISE_TYPES
        )
        self.coordinator_id = dataset.cluster.coordinator.member
        self.coordinator: Member | None = self.by_id.get(self.coordinator_id)

        # Per-rule caches for one evaluation (e.g. whether each project is joint: four rules ask).
        self.memo: dict[str, dict[Any, Any]] = {}

        first, last = self.fiscal_years[0], self.fiscal_years[-1]
        # Runs for every member (a tenth of an evaluation on a 10,000-member file): locals
        # only, and the named tuple made with _make (no Python-level __new__ call).
        facts: dict[str, Facts] = {}
        make = Facts._make
        no_facts = Facts.of(None, None, None)
        for m in self.members:
            years = m.years
            if not years:
                facts[m.id] = no_facts
                continue
            revenue = export = rd = None
            for y in years:  # one pass over each member's years
                if first <= y.year <= last:
                    value = y.revenue
                    if value is not None:
                        revenue = value if revenue is None else revenue + value
                    value = y.export_revenue
                    if value is not None:
                        export = value if export is None else export + value
                    value = y.rd_expenditure
                    if value is not None:
                        rd = value if rd is None else rd + value
            if export is None and rd is None:
                facts[m.id] = (
                    no_facts if revenue is None else make((revenue, None, None, False, False))
                )
            else:
                facts[m.id] = make(
                    (
                        revenue,
                        export,
                        rd,
                        export is not None and export > 0,
                        rd is not None and rd > 0,
                    )
                )
        self.facts = facts

        self.distance: dict[str, Decimal | None] = {}
        self.distance_source: dict[str, str] = {}
        self._place_members(locate)
        self.within_200_km: frozenset[str] = frozenset(
            i for i, km in self.distance.items() if km is not None and km <= 200
        )

    # -- distances (MEM-9) -------------------------------------------------------------

    def _place_members(self, locate: Locate | None) -> None:
        # keyed by the address's fields, which is what Address's __eq__ and __hash__ compare:
        # the tuple is hashed and compared in C, not by the dataclass's Python-level methods
        places: dict[tuple[str | None, str | None, str | None], tuple[float, float] | None] = {}

        def place(address: Address) -> tuple[float, float] | None:
            """The address's position, asking `locate` once per distinct address."""
            key = (address.street, address.postal_code, address.city)
            placed: tuple[float, float] | None = places.get(key, _UNKNOWN)
            if placed is _UNKNOWN:
                found = locate(address) if locate is not None else None
                placed = places[key] = None if found is None else (float(found[0]), float(found[1]))
            return placed

        def position(member: Member) -> tuple[float, float] | None:
            location = member.location
            if location is not None:
                return float(location.lat), float(location.lon)
            address = member.address
            return place(address) if address is not None else None

        coordinator_record = self.coordinator
        if coordinator_record is None:
            coordinator_record = next(
                (m for m in self.dataset.members if m.id == self.coordinator_id), None
            )
        origin = position(coordinator_record) if coordinator_record is not None else None
        if origin is not None:
            # great_circle_km() with the origin's terms computed once: the same operations on
            # the same floats, so the same kilometres to the last bit
            lat1, lon1 = origin
            p1 = math.radians(lat1)
            cos_p1 = math.cos(p1)
        radians, sin, cos, asin, sqrt = math.radians, math.sin, math.cos, math.asin, math.sqrt
        distance, source = self.distance, self.distance_source
        coordinator_id = self.coordinator_id
        # Runs for every member: position() and round_to_10_km() are inlined, and an address
        # is hashed (a Python-level __hash__) only when there is a gazetteer to ask.
        floor = math.floor
        for m in self.members:
            mid = m.id
            if m.distance_km is not None:
                # MEM-9: a manual override is taken as entered and shown as such.
                distance[mid] = m.distance_km
                source[mid] = "override"
                continue
            if mid == coordinator_id:
                distance[mid] = ZERO  # its own seat (004 pt 3.2)
                source[mid] = "coordinator"
                continue
            location = m.location
            if location is not None:
                here: tuple[float, float] | None = (float(location.lat), float(location.lon))
                how = "location"
            elif locate is not None and m.address is not None:
                here, how = place(m.address), "address"
            else:
                here = None
            if here is None or origin is None:
                distance[mid] = None
                source[mid] = "unplaced" if here is None else "no_origin"
                continue
            p2 = radians(here[0])
            dl = radians(here[1] - lon1)
            a = sin((p2 - p1) / 2) ** 2 + cos_p1 * cos(p2) * sin(dl / 2) ** 2
            km = 2 * EARTH_RADIUS_KM * asin(min(1.0, sqrt(a)))
            # round_to_10_km(km), its usual case inline
            tens = km / 10
            whole = floor(tens)
            if abs(tens - whole - 0.5) > 1e-6:
                distance[mid] = _TENS_KM[whole + 1 if tens - whole > 0.5 else whole]
            else:
                distance[mid] = round_to_10_km(km)
            source[mid] = how

    def within(self, member_id: str, km: int) -> bool:
        distance = self.distance.get(member_id)
        return distance is not None and distance <= km

    # -- references -----------------------------------------------------------------------

    def members_among(self, ids: Iterable[str]) -> tuple[list[str], list[str]]:
        """Split references into members on D (deduplicated, in order) and the rest.

        A record counts only the entities listed in table 4 on D (004 pt 21: "wymienione w
        tabeli 4 wniosku"); former members and unknown ids are reported, not counted.
        """
        unique = dict.fromkeys(ids)
        by_id = self.by_id
        if by_id.keys() >= unique.keys():  # the usual case, checked without a Python loop
            return list(unique), []
        found = [i for i in unique if i in by_id]
        return found, [i for i in unique if i not in by_id]

    def enterprises_among(self, ids: Iterable[str]) -> list[str]:
        return [i for i in self.members_among(ids)[0] if self.by_id[i].type in ENTERPRISE_TYPES]

    def coordinator_takes_part(self, flag: bool, ids: Iterable[str]) -> bool:
        """The coordinator takes part when the record says so or lists its id (DATASET.md)."""
        return flag or (self.coordinator is not None and self.coordinator_id in ids)

    # -- windows --------------------------------------------------------------------------

    def in_last_3_years(self, day: dt.date | None) -> bool:
        return day is not None and self.three_years_ago <= day <= self.d

    def running_in_last_3_years(self, start: dt.date | None, end: dt.date | None) -> bool:
        """Started by D (a project without a start date has not been shown to start,
        004 pt 18/20) and not ended before D minus 3 years."""
        if start is None or start > self.d:
            return False
        return end is None or end >= self.three_years_ago
