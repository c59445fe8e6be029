"""Offline gazetteer of Polish postal codes and localities, and distances (MEM-9, KKK 4d).

MEM-9: the distance of every member's seat from the coordinator's seat, in km rounded to
10 km, computed offline from the address, with a manual override shown as such.

The data is ``data/pl_postal_codes.csv.gz`` (22,090 postal codes, about 3,400 places),
built by ``scripts/build_gazetteer.py`` from the PyPI package
countrystatecity-postal-codes; ODbL 1.0, see ``data/pl_postal_codes.NOTICE.txt``. It is
read once, lazily, on the first lookup; nothing is ever downloaded. A caller placing
thousands of addresses by their postal codes (``klaster kkk evaluate``) asks
``postal_code_position``, which reads only the codes' lines, not the whole gazetteer.

A seat is placed, in this order of precedence (``Source``):

1. ``override``    — the member's ``distance_km`` typed in by the office (the distance
                     itself is taken as entered; the position, if known, is still shown);
2. ``coordinates`` — the member's ``location`` (lat/lon typed in or taken from a map);
3. ``postal_code`` — the coordinates of the postal code in the gazetteer;
4. ``locality``    — the place whose name matches the town, after folding case,
                     diacritics and prefixes such as "m." or "m. st.". A name shared by
                     several places is resolved by the postal code's leading digits or
                     by the voivodeship when given, and otherwise reported as ambiguous.

What users read (problems, notes, labels) is in Polish.
"""

from __future__ import annotations

import functools
import gzip
import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from klaster.rules.dataset.model import Dataset, Member

DATA_FILE = "pl_postal_codes.csv.gz"
_DATA_PATH = Path(__file__).with_name("data") / DATA_FILE  # klaster.rules.data: plain files
_COLUMNS = "postal_code,locality,voivodeship,lat,lon,place,approx"
SOURCE = (
    "countrystatecity-postal-codes 2.0.1 (PyPI), z bazy countries-states-cities-database; "
    "licencja ODbL 1.0"
)
EARTH_RADIUS_KM = 6371.0088  # IUGG mean Earth radius

# TERYT voivodeship codes, as used in the data file.
VOIVODESHIPS: dict[str, str] = {
    "02": "dolnośląskie",
    "04": "kujawsko-pomorskie",
    "06": "lubelskie",
    "08": "lubuskie",
    "10": "łódzkie",
    "12": "małopolskie",
    "14": "mazowieckie",
    "16": "opolskie",
    "18": "podkarpackie",
    "20": "podlaskie",
    "22": "pomorskie",
    "24": "śląskie",
    "26": "świętokrzyskie",
    "28": "warmińsko-mazurskie",
    "30": "wielkopolskie",
    "32": "zachodniopomorskie",
}


class Source(StrEnum):
    """How a seat was placed (or its distance given)."""

    POSTAL_CODE = "postal_code"
    LOCALITY = "locality"
    COORDINATES = "coordinates"
    OVERRIDE = "override"

    @property
    def label(self) -> str:
        """Polish label for the UI."""
        return _SOURCE_LABELS[self]


_SOURCE_LABELS: dict[Source, str] = {
    Source.POSTAL_CODE: "z kodu pocztowego",
    Source.LOCALITY: "z nazwy miejscowości",
    Source.COORDINATES: "ze współrzędnych podanych ręcznie",
    Source.OVERRIDE: "odległość wpisana ręcznie",
}


class HasLatLon(Protocol):
    """Anything with a latitude and longitude in degrees (Place, model.Location …)."""

    @property
    def lat(self) -> float | Decimal: ...

    @property
    def lon(self) -> float | Decimal: ...


@dataclass(frozen=True)
class Point:
    """A position in degrees."""

    lat: float
    lon: float


@dataclass(frozen=True)
class Place:
    """A located seat: coordinates and how they were found."""

    lat: float
    lon: float
    source: Source
    locality: str | None = None
    voivodeship: str | None = None  # name, e.g. "łódzkie"
    postal_code: str | None = None  # the gazetteer's code that gave the position
    approximate: bool = False  # the gazetteer's position is the postal area's centre
    note: str | None = None  # Polish remark worth showing (a fallback was used …)

    @property
    def label(self) -> str:
        """Polish one-line description, e.g. "Łódź (łódzkie), z kodu pocztowego 90-001"."""
        where = self.locality or f"{self.lat:.4f}, {self.lon:.4f}"
        if self.voivodeship:
            where += f" ({self.voivodeship})"
        how = self.source.label
        if self.source is Source.POSTAL_CODE and self.postal_code:
            how += f" {self.postal_code}"
        if self.approximate:
            how += ", położenie przybliżone"
        return f"{where}, {how}"


@dataclass(frozen=True)
class Geocoding:
    """The answer of ``geocode``: a place, or a Polish message saying why there is none."""

    place: Place | None
    problem: str | None = None
    candidates: tuple[Place, ...] = ()  # when a locality name is ambiguous

    @property
    def found(self) -> bool:
        return self.place is not None


@dataclass(frozen=True)
class Distance:
    """MEM-9 / KKK 4d: one member's distance from the coordinator's seat.

    ``km`` is what goes into table 4: the computed great-circle distance rounded to
    10 km (half up), or the manual override exactly as entered. ``None`` when the
    distance cannot be had; ``problem`` then says why, in Polish.
    """

    member: str
    km: Decimal | None
    source: Source | None
    exact_km: float | None = None  # computed, before rounding (None for an override)
    place: Place | None = None
    problem: str | None = None

    @property
    def is_override(self) -> bool:
        return self.source is Source.OVERRIDE

    @property
    def label(self) -> str:
        """Polish text for the UI: "250 km (z kodu pocztowego)", "180 km (odległość wpisana ręcznie)"."""
        if self.km is None:
            return f"brak — {self.problem}" if self.problem else "brak"
        assert self.source is not None
        return f"{self.km} km ({self.source.label})"


# --- distances ------------------------------------------------------------------------


def great_circle_km(a: HasLatLon, b: HasLatLon) -> float:
    """Great-circle distance in km (haversine on a sphere of radius 6371.0088 km).

    Within Poland the spherical model is within about 0.5% of the ellipsoidal distance,
    far below the 10 km rounding of KKK 4d.
    """
    lat1, lon1 = math.radians(float(a.lat)), math.radians(float(a.lon))
    lat2, lon2 = math.radians(float(b.lat)), math.radians(float(b.lon))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def round_to_10_km(km: float | Decimal) -> int:
    """Round a distance to the nearest 10 km; a 5 rounds up (half up): 245 → 250, 244.9 → 240.

    The float is converted to Decimal exactly (no detour through its decimal repr), so
    244.99999 stays below the half and 245.0 is exactly the half.
    """
    if isinstance(km, float) and not math.isfinite(km):
        raise ValueError(f"not a distance: {km}")
    d = Decimal(km)
    if d < 0:
        raise ValueError(f"negative distance: {km}")
    return int((d / 10).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * 10


def distance_km_rounded(a: HasLatLon, b: HasLatLon) -> int:
    """Great-circle distance rounded to the nearest 10 km, a 5 rounding up (MEM-9, KKK 4d)."""
    return round_to_10_km(great_circle_km(a, b))


# --- the gazetteer --------------------------------------------------------------------


@dataclass(frozen=True)
class _PlaceRec:
    """A place of the gazetteer: its name, voivodeship, position and postal codes."""

    name: str
    voivodeship: str  # name
    lat: float
    lon: float
    codes: tuple[str, ...]


@dataclass(frozen=True)
class _Gazetteer:
    """The whole gazetteer: codes, places and places by folded name."""

    codes: dict[str, tuple[float, float, int, bool]]  # code -> lat, lon, place, approx
    places: tuple[_PlaceRec, ...]
    by_name: dict[str, tuple[int, ...]]  # folded name -> place numbers


_POSTAL_RE = re.compile(r"^\s*(\d{2})\s*[-–]?\s*(\d{3})\s*$")
_LEADING_CODE_RE = re.compile(r"^\s*\d{2}\s*[-–]?\s*\d{3}\s+")
_PREFIX_RE = re.compile(
    r"^(?:m\.\s*st\.|m\.\s*|miasto\s+stołeczne\s+|miasto\s+|gm\.\s*|gmina\s+|wieś\s+|wies\s+|"
    r"w\.\s*|os\.\s*|osiedle\s+)"
)
_PUNCT_RE = re.compile(r"[\s\-–—.,;:'\"()/]+")


def normalise_postal_code(value: str | None) -> str | None:
    """'00001', '00-001', ' 00 - 001 ' → '00-001'; anything else → None."""
    if value is None:
        return None
    m = _POSTAL_RE.match(value)
    return f"{m.group(1)}-{m.group(2)}" if m else None


@functools.lru_cache(maxsize=65536)
def normalise_locality(value: str) -> str:
    """Fold a town name for lookup: case, diacritics (ł too), "m."/"m. st."/"gm." prefixes,
    a leading postal code, hyphens and punctuation. 'M. st. Warszawa' → 'warszawa',
    'KĘDZIERZYN-KOŹLE' → 'kedzierzyn kozle'."""
    s = _LEADING_CODE_RE.sub("", value).strip().casefold()
    while True:
        stripped = _PREFIX_RE.sub("", s, count=1).strip()
        if stripped == s or not stripped:
            break
        s = stripped
    s = s.replace("ł", "l")
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    return _PUNCT_RE.sub(" ", s).strip()


@functools.cache
def _lines() -> tuple[str, ...]:
    """The data file's rows, as text. The file is written by scripts/build_gazetteer.py with
    no quoting (no name holds a comma or a quote), so a row is split at its commas: the csv
    module would give the same fields, ten times slower."""
    text = gzip.decompress(_DATA_PATH.read_bytes()).decode("utf-8")
    header, *rows = text.splitlines()
    if header != _COLUMNS:
        raise RuntimeError(f"{DATA_FILE}: unexpected columns {header}")
    if '"' in text:
        raise RuntimeError(f"{DATA_FILE}: quoted fields are not expected")
    return tuple(rows)


@functools.cache
def _code_rows() -> dict[str, str]:
    """Postal code → its row, not yet split (a row is split when its code is asked for)."""
    return {row[:6]: row for row in _lines()}


def postal_code_position(postal_code: str | None) -> tuple[float, float] | None:
    """(lat, lon) of what ``locate(postal_code, None)`` places, or None when it places nothing.

    The same coordinates from the code's row alone: the whole gazetteer (places, medians,
    folded names for matching towns) is not built. ``klaster kkk evaluate`` places thousands
    of members by their postal codes this way and asks ``locate`` only for the rest."""
    code = normalise_postal_code((postal_code or "").strip())
    row = _code_rows().get(code) if code else None
    if row is None:
        return None
    _code, _name, _voiv, lat, lon, _place, _approx = row.split(",")
    return float(lat), float(lon)


@functools.cache
def _gazetteer() -> _Gazetteer:
    import statistics  # only for the whole gazetteer, not for postal_code_position

    codes: dict[str, tuple[float, float, int, bool]] = {}
    grouped: dict[int, tuple[str, str, list[str], list[float], list[float]]] = {}
    for row in _lines():
        code, name, voiv, lat_s, lon_s, place_s, approx = row.split(",")
        lat, lon, place = float(lat_s), float(lon_s), int(place_s)
        codes[code] = (lat, lon, place, approx == "1")
        g = grouped.get(place)
        if g is None:
            g = grouped[place] = (name, VOIVODESHIPS.get(voiv, voiv), [], [], [])
        g[2].append(code)
        g[3].append(lat)
        g[4].append(lon)
    places = tuple(
        _PlaceRec(
            name=g[0],
            voivodeship=g[1],
            lat=statistics.median(g[3]),
            lon=statistics.median(g[4]),
            codes=tuple(g[2]),
        )
        for _, g in sorted(grouped.items())
    )
    by_name: dict[str, list[int]] = {}
    for i, p in enumerate(places):
        by_name.setdefault(normalise_locality(p.name), []).append(i)
    return _Gazetteer(codes, places, {k: tuple(v) for k, v in by_name.items()})


def load() -> None:
    """Load the gazetteer now (it is otherwise loaded on the first lookup)."""
    _gazetteer()


@dataclass(frozen=True)
class GazetteerInfo:
    """What the gazetteer holds, for the UI."""

    source: str
    postal_codes: int
    places: int
    locality_names: int


def gazetteer_info() -> GazetteerInfo:
    g = _gazetteer()
    return GazetteerInfo(SOURCE, len(g.codes), len(g.places), len(g.by_name))


def postal_codes() -> tuple[str, ...]:
    """All postal codes of the gazetteer, sorted."""
    return tuple(sorted(_gazetteer().codes))


def postal_code_locality(code: str) -> tuple[str, str] | None:
    """The post-office locality and voivodeship name of a postal code, if known."""
    norm = normalise_postal_code(code)
    g = _gazetteer()
    rec = g.codes.get(norm) if norm else None
    if rec is None:
        return None
    p = g.places[rec[2]]
    return p.name, p.voivodeship


def postal_codes_of(city: str, *, voivodeship: str | None = None) -> tuple[str, ...]:
    """The postal codes of the one place of that name (narrowed by voivodeship name);
    empty when the name is unknown or still ambiguous."""
    g = _gazetteer()
    nums, partial = _find_places(g, city)
    if voivodeship:
        want = normalise_locality(voivodeship)
        nums = tuple(i for i in nums if normalise_locality(g.places[i].voivodeship) == want)
    if partial or len(nums) != 1:
        return ()
    return g.places[nums[0]].codes


# --- lookups ---------------------------------------------------------------------------


def _place_from_code(g: _Gazetteer, code: str, note: str | None) -> Place:
    lat, lon, num, approx = g.codes[code]
    p = g.places[num]
    return Place(lat, lon, Source.POSTAL_CODE, p.name, p.voivodeship, code, approx, note)


def _place_from_locality(g: _Gazetteer, num: int, note: str | None) -> Place:
    p = g.places[num]
    return Place(p.lat, p.lon, Source.LOCALITY, p.name, p.voivodeship, None, False, note)


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _find_places(g: _Gazetteer, city: str) -> tuple[tuple[int, ...], bool]:
    """Place numbers for a town name; the flag says the match used only its first words
    ('Warszawa-Wola' → Warszawa)."""
    key = normalise_locality(city)
    if not key:
        return (), False
    found = g.by_name.get(key)
    if found:
        exact = tuple(i for i in found if g.places[i].name.casefold() == city.strip().casefold())
        return (exact or found), False
    words = key.split(" ")
    for n in range(len(words) - 1, 0, -1):
        found = g.by_name.get(" ".join(words[:n]))
        if found:
            return found, True
    return (), False


def geocode(
    postal_code: str | None, city: str | None, *, voivodeship: str | None = None
) -> Geocoding:
    """Place an address: the postal code first, then the locality name (see module doc).

    ``voivodeship`` (a name such as "lubelskie", any case or diacritics) only helps to
    choose among places of the same name.
    """
    g = _gazetteer()
    code_in = (postal_code or "").strip()
    city_in = (city or "").strip()
    code = normalise_postal_code(code_in) if code_in else None
    notes: list[str] = []
    if code_in and code is None:
        notes.append(f"Kod pocztowy „{code_in}” ma zły format (oczekiwano NN-NNN).")
    elif code and code not in g.codes:
        notes.append(f"Kodu pocztowego {code} nie ma w wykazie.")

    if code and code in g.codes:
        note = None
        num = g.codes[code][2]
        if city_in:
            names, _ = _find_places(g, city_in)
            if num not in names:
                p = g.places[num]
                note = (
                    f"Kod pocztowy {code} należy do placówki w miejscowości {p.name} "
                    f"({p.voivodeship}), nie „{city_in}”; przyjęto położenie z kodu pocztowego."
                )
        return Geocoding(_place_from_code(g, code, note))

    if not city_in:
        if not code_in:
            return Geocoding(
                None,
                "Brak adresu: podaj kod pocztowy i miejscowość albo współrzędne siedziby.",
            )
        return Geocoding(
            None,
            " ".join(notes)
            + " Podaj miejscowość, współrzędne siedziby albo odległość wpisz ręcznie.",
        )

    nums, partial = _find_places(g, city_in)
    if not nums:
        what = f"miejscowości „{city_in}”"
        if code:
            what = f"kodu pocztowego {code} ani " + what
        elif code_in:
            what = f"poprawnego kodu pocztowego ani {what}"
        return Geocoding(
            None,
            f"Nie znaleziono w wykazie {what}. "
            "Podaj współrzędne siedziby albo odległość wpisz ręcznie.",
        )
    if partial:
        notes.append(
            f"Nie znaleziono miejscowości „{city_in}”; "
            f"przyjęto miejscowość {g.places[nums[0]].name}."
        )
    if len(nums) > 1 and voivodeship:
        want = normalise_locality(voivodeship).removeprefix("wojewodztwo ").removeprefix("woj ")
        narrowed = tuple(i for i in nums if normalise_locality(g.places[i].voivodeship) == want)
        nums = narrowed or nums
    if len(nums) > 1 and code:
        # A code missing from the wykaz still tells the region: its leading digits.
        best = max(max(_common_prefix(code, c) for c in g.places[i].codes) for i in nums)
        if best >= 2:
            narrowed = tuple(
                i for i in nums if max(_common_prefix(code, c) for c in g.places[i].codes) == best
            )
            if len(narrowed) == 1:
                notes.append(
                    f"Spośród {len(nums)} miejscowości o tej nazwie wybrano tę, "
                    f"której kody zaczynają się jak {code}."
                )
            nums = narrowed
    if len(nums) > 1:
        candidates = tuple(_place_from_locality(g, i, None) for i in nums)
        listed = "; ".join(
            f"{g.places[i].name} ({g.places[i].voivodeship}, kod {g.places[i].codes[0]})"
            for i in nums
        )
        return Geocoding(
            None,
            f"Miejscowość „{city_in}” występuje w wykazie {len(nums)} razy: {listed}. "
            "Podaj kod pocztowy albo współrzędne siedziby.",
            candidates,
        )
    return Geocoding(_place_from_locality(g, nums[0], " ".join(notes) or None))


def locate(
    postal_code: str | None, city: str | None, *, voivodeship: str | None = None
) -> Place | None:
    """The place of an address, or None when it cannot be placed (``geocode`` says why)."""
    return geocode(postal_code, city, voivodeship=voivodeship).place


# --- members ---------------------------------------------------------------------------


def member_place(member: Member) -> Geocoding:
    """Where a member's seat is: its ``location`` if given, else its address."""
    loc = member.location
    if loc is not None:
        lat, lon = float(loc.lat), float(loc.lon)
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            return Geocoding(None, f"Współrzędne {loc.lat}, {loc.lon} są poza zakresem.")
        near = None
        addr = member.address
        if addr is not None and (addr.postal_code or addr.city):
            near = locate(addr.postal_code, addr.city)
        return Geocoding(
            Place(
                lat,
                lon,
                Source.COORDINATES,
                near.locality if near else (addr.city if addr else None),
                near.voivodeship if near else None,
            )
        )
    addr = member.address
    if addr is None:
        return Geocoding(
            None, "Brak adresu siedziby: podaj kod pocztowy i miejscowość albo współrzędne."
        )
    return geocode(addr.postal_code, addr.city)


def member_distance(member: Member, coordinator: Geocoding | Member) -> Distance:
    """MEM-9: a member's distance from the coordinator's seat, for KKK table 4d.

    A manual ``distance_km`` wins and is reported as an override, exactly as entered.
    Otherwise both seats are placed and the great-circle distance is rounded to 10 km
    (half up). Pass the coordinator's ``Geocoding`` to place it once for many members.
    """
    here = member_place(member)
    if member.distance_km is not None:
        return Distance(member.id, member.distance_km, Source.OVERRIDE, None, here.place)
    coord = member_place(coordinator) if isinstance(coordinator, Member) else coordinator
    if here.place is None:
        return Distance(member.id, None, None, problem=here.problem)
    if coord.place is None:
        return Distance(
            member.id,
            None,
            here.place.source,
            place=here.place,
            problem=f"Nie ustalono położenia siedziby koordynatora: {coord.problem}",
        )
    exact = great_circle_km(here.place, coord.place)
    return Distance(
        member.id,
        Decimal(round_to_10_km(exact)),
        here.place.source,
        exact,
        here.place,
    )


def member_distances(dataset: Dataset) -> dict[str, Distance]:
    """MEM-9 for every member of a dataset, by member id (the coordinator itself: 0 km)."""
    coord_id = dataset.cluster.coordinator.member
    coordinator = next((m for m in dataset.members if m.id == coord_id), None)
    coord = (
        member_place(coordinator)
        if coordinator is not None
        else Geocoding(None, f"Koordynatora {coord_id} nie ma wśród członków.")
    )
    return {m.id: member_distance(m, coord) for m in dataset.members}
