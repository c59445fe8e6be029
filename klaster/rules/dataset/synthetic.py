"""A large synthetic cluster for benchmarks (``klaster demo-data --members N``).

``synthetic_cluster(n)``: as many members as asked, each with three fiscal years, plus
thousands of projects and events; deterministic for a seed, with no dependence on today's
date (D = 2026-06-30). Seats are real postal codes of the gazetteer (``klaster.rules.geo``);
the organisations and identifiers are invented, with valid NIP/REGON check digits.

It stays code because its size is a parameter. The demo cluster the product ships is data:
``klaster/exchange/data/demo.yaml``, read by ``klaster.exchange.demo.demo_cluster``.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from stdnum.pl import regon as _regon

from klaster.rules import geo
from klaster.rules.dataset.model import (
    ActualStart,
    Address,
    Cluster,
    Coordinator,
    Dataset,
    Event,
    Iso,
    Location,
    Member,
    MemberYear,
    Project,
    Strategy,
)

AS_OF = dt.date(2026, 6, 30)
_NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)
# First three NIP digits are the issuing tax office; a plausible spread of real ones.
_NIP_PREFIXES = (
    "725", "727", "728", "729", "731", "732", "771", "773", "776", "831", "832", "836",
    "521", "525", "526", "527", "951", "676", "677", "634", "954", "583", "584", "779",
    "782", "657", "959", "796", "774", "618", "968", "888",
)  # fmt: skip
_REGON_PREFIXES = ("47", "10", "14", "01", "24", "27", "30", "36", "38", "52", "63", "22")


# --- identifiers -----------------------------------------------------------------------


def nip_check_digit(first9: str) -> int | None:
    """The NIP check digit of nine digits, or None when the sum gives 10 (no valid NIP)."""
    check = sum(w * int(d) for w, d in zip(_NIP_WEIGHTS, first9, strict=True)) % 11
    return None if check == 10 else check


class _Ids:
    """Unique, valid NIP/REGON/KRS numbers drawn from one random stream."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seen: set[str] = set()

    def nip(self) -> str:
        while True:
            first9 = self.rng.choice(_NIP_PREFIXES) + f"{self.rng.randrange(10**6):06d}"
            check = nip_check_digit(first9)
            if check is not None and first9 not in self.seen:
                self.seen.add(first9)
                return first9 + str(check)

    def regon(self) -> str:
        while True:
            first8 = self.rng.choice(_REGON_PREFIXES) + f"{self.rng.randrange(10**6):06d}"
            if "R" + first8 not in self.seen:
                self.seen.add("R" + first8)
                return first8 + _regon.calc_check_digit(first8)

    def krs(self) -> str:
        while True:
            krs = f"0000{self.rng.randrange(10**5, 10**6):06d}"
            if krs not in self.seen:
                self.seen.add(krs)
                return krs


# --- names -----------------------------------------------------------------------------

_STEMS = (
    "Auto", "Robo", "Mechatro", "Elektro", "Hydro", "Pneumo", "Precyz", "Metal", "Termo",
    "Sensor", "Kontro", "Techno", "Inno", "Info", "Spaw", "Laser", "Plast", "Energo",
    "Napęd", "Servo", "Pomiar", "Stal", "Form", "Cyber",
)  # fmt: skip
_ENDINGS = (
    "mat", "tech", "pol", "sys", "tron", "serwis", "projekt", "stal", "com", "soft",
    "met", "lab", "mech", "tor", "ex", "trans", "nova", "bud",
)  # fmt: skip
_STREETS = (
    "ul. Przemysłowa", "ul. Fabryczna", "ul. Technologiczna", "ul. Zakładowa", "ul. Łąkowa",
    "ul. Kolejowa", "ul. Słoneczna", "ul. Lipowa", "al. Jana Pawła II", "ul. Warszawska",
    "ul. Polna", "ul. Mickiewicza", "ul. Kościuszki", "ul. Sienkiewicza", "ul. Ogrodowa",
    "ul. Wojska Polskiego", "ul. Składowa", "ul. Rzemieślnicza", "ul. Inżynierska",
)  # fmt: skip


def _brand(rng: random.Random) -> str:
    return rng.choice(_STEMS) + rng.choice(_ENDINGS)


def _money(value: float) -> Decimal:
    """Whole thousands of PLN, as a two-place Decimal."""
    return Decimal(int(round(value / 1000)) * 1000).quantize(Decimal("0.01"))


def _fte(value: float) -> Decimal:
    return Decimal(str(round(max(value, 0.5), 1)))


# --- figures --------------------------------------------------------------------------


_YEARS = (2023, 2024, 2025)


def _years_for(
    rng: random.Random, mtype: str, *, exporter: bool, rd: bool
) -> tuple[MemberYear, ...]:
    if mtype in ("science", "iob", "other"):
        if not rd:
            return ()
        base = rng.uniform(0.6e6, 4.0e6)
        return tuple(
            MemberYear(year=y, rd_expenditure=_money(base * (1 + 0.05 * i)))
            for i, y in enumerate(_YEARS)
        )
    revenue, fte = {
        "micro": (rng.uniform(0.4e6, 6e6), rng.uniform(1, 9)),
        "small": (rng.uniform(6e6, 32e6), rng.uniform(12, 45)),
        "medium": (rng.uniform(45e6, 165e6), rng.uniform(60, 220)),
        "large": (rng.uniform(260e6, 820e6), rng.uniform(280, 1400)),
    }[mtype]
    export_share = rng.uniform(0.08, 0.55) if exporter else 0.0
    rd_share = rng.uniform(0.01, 0.06) if rd else 0.0
    growth = rng.uniform(-0.03, 0.12)
    out = []
    for i, y in enumerate(_YEARS):
        r = revenue * (1 + growth) ** i
        out.append(
            MemberYear(
                year=y,
                revenue=_money(r),
                export_revenue=_money(r * export_share) if exporter else None,
                rd_expenditure=_money(r * rd_share) if rd else None,
                fte=_fte(fte * (1 + growth / 2) ** i),
            )
        )
    return tuple(out)


# --- the synthetic cluster --------------------------------------------------------------

_SYNTH_TYPES = (
    ("micro", 45),
    ("small", 25),
    ("medium", 8),
    ("large", 2),
    ("iob", 5),
    ("science", 5),
    ("other", 10),
)


def synthetic_cluster(
    members: int, *, projects: int = 2000, events: int = 5000, seed: int = 1
) -> Dataset:
    """A large deterministic cluster for benchmarks (D = 2026-06-30).

    ``members`` members (at least 7, so that every type is there; m00000 is the
    coordinator), each with three fiscal years; ``projects`` projects and ``events``
    events over the last five years, with participants drawn from the members. Seats are
    real postal codes of the gazetteer; about a third of the members also carry
    coordinates, the rest must be geocoded; a few carry a manual distance.
    """
    if members < 7:
        raise ValueError("a synthetic cluster needs at least 7 members (one of each type)")
    rng = random.Random(seed)
    ids = _Ids(rng)
    all_codes = geo.postal_codes()
    names, weights = zip(*_SYNTH_TYPES, strict=True)
    types = ["iob", *[t for t, _ in _SYNTH_TYPES]]
    types += rng.choices(names, weights=weights, k=members - len(types))
    founding = dt.date(2012, 1, 1)
    out: list[Member] = []
    for i, mtype in enumerate(types):
        code = rng.choice(all_codes)
        town = geo.postal_code_locality(code)
        address = Address(
            f"{rng.choice(_STREETS)} {rng.randint(1, 200)}", code, town[0] if town else None
        )
        enterprise = mtype in ("micro", "small", "medium", "large")
        location = None
        if rng.random() < 0.3:
            place = geo.locate(code, None)
            if place is not None:
                location = Location(Decimal(f"{place.lat:.4f}"), Decimal(f"{place.lon:.4f}"))
        out.append(
            Member(
                id=f"m{i:05d}",
                name=(f"{_brand(rng)} {i}" + (" sp. z o.o." if enterprise else " — jednostka")),
                type=mtype,
                category="strategic_partner" if rng.random() < 0.05 else "partner",
                nip=ids.nip(),
                regon=ids.regon(),
                krs=ids.krs() if rng.random() < 0.6 else None,
                address=address,
                location=location,
                distance_km=Decimal(rng.randrange(0, 600, 10)) if rng.random() < 0.01 else None,
                joined=founding + dt.timedelta(days=rng.randrange(5200)),
                independent=(rng.random() < 0.9) if enterprise else None,
                science_category=rng.choice(("A+", "A", "B+", "B", "C"))
                if mtype == "science"
                else None,
                years=_years_for(rng, mtype, exporter=rng.random() < 0.3, rd=rng.random() < 0.35)
                if enterprise or mtype == "science"
                else (),
                industry40=enterprise and rng.random() < 0.15,
                iso=(Iso("ISO 9001:2015", "03"),) if rng.random() < 0.4 else (),
            )
        )
    member_ids = [m.id for m in out]
    start = dt.date(2021, 7, 1)

    def sample(k: int) -> tuple[str, ...]:
        return tuple(rng.sample(member_ids, min(k, len(member_ids))))

    project_list = tuple(
        Project(
            id=f"p{j:05d}",
            name=f"Projekt {j}",
            type=rng.choice(("investment", "research", "promotion", "training", "other")),
            international=rng.random() < 0.1,
            rd=rng.random() < 0.3,
            coordinator_participates=rng.random() < 0.2,
            participants=sample(rng.randint(2, 8)),
            value=_money(rng.uniform(1e5, 2e7)),
            private_contribution=_money(rng.uniform(0, 2e6)),
            start=start + dt.timedelta(days=rng.randrange(1800)),
        )
        for j in range(projects)
    )
    event_list = tuple(
        Event(
            name=f"Wydarzenie {j}",
            kind=rng.choice(("industry", "cluster", "fair")),
            date=start + dt.timedelta(days=rng.randrange(1800)),
            location=rng.choice(("poland", "abroad")),
            coordinator_participated=rng.random() < 0.3,
            participants=sample(rng.randint(0, 20)),
        )
        for j in range(events)
    )
    return Dataset(
        as_of=AS_OF,
        cluster=Cluster(
            name=f"Klaster syntetyczny {members}",
            coordinator=Coordinator(member="m00000", dues_revenue=True),
            agreement_date=founding,
            actual_start=ActualStart(2012),
            eccp_registered=True,
            strategies=(Strategy("Strategia", None, dt.date(2020, 1, 1), dt.date(2030, 12, 31)),),
        ),
        members=tuple(out),
        projects=project_list,
        events=event_list,
    )
