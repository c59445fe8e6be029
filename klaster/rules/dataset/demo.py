"""Demo and benchmark datasets: a realistic cluster and a large synthetic one.

``demo_cluster()`` is the cluster the product ships to show itself: an industrial
automation cluster coordinated from Łódź, 79 current members (and one former), three
fiscal years of figures, and everything the KKK application asks for. It is built to
pass stage I and to land around 70 points in stage II as of D = 2026-06-30, so that
every part of the dashboard has something to show (and some indicators fall short).

``synthetic_cluster(n)`` is for benchmarks: as many members as asked, each with three
fiscal years, plus thousands of projects and events; it is deterministic for a seed.

Both are pure functions of their arguments: a fixed seed, no dependence on today's date.
Towns and postal codes are real (taken from the gazetteer, ``klaster.rules.geo``); the
organisations, people and identifiers are invented, with valid NIP/REGON check digits.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from decimal import Decimal

from stdnum.pl import regon as _regon

from klaster.rules import geo
from klaster.rules.dataset.model import (
    ActualStart,
    Address,
    Certificate,
    Cluster,
    Contact,
    Coordinator,
    Dataset,
    DigitalInitiative,
    DualEducation,
    EntitiesPractice,
    Event,
    FundingApplication,
    Innovation,
    IpRight,
    Iso,
    JointProduct,
    Kis,
    Location,
    Member,
    MemberYear,
    Mission,
    Panel,
    Platforms,
    Project,
    Service,
    SharedResource,
    Specialisation,
    Staff,
    StartupCooperation,
    Strategy,
)

DEMO_AS_OF = dt.date(2026, 6, 30)
DEMO_SEED = 20260630
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
_DESCRIPTORS = (
    "Zakład Automatyki", "Przedsiębiorstwo Produkcyjno-Usługowe", "Biuro Projektowe",
    "Pracownia Konstrukcyjna", "Zakład Mechaniki Precyzyjnej", "Systemy Sterowania",
    "Serwis Maszyn", "Integrator Robotów", "Narzędziownia", "Instalacje Przemysłowe",
)  # fmt: skip
_FIRST_NAMES = (
    "Jan", "Piotr", "Krzysztof", "Andrzej", "Tomasz", "Paweł", "Marcin", "Michał",
    "Grzegorz", "Marek", "Anna", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara",
    "Ewa", "Magdalena", "Joanna", "Monika", "Dorota",
)  # fmt: skip
_SURNAMES_M = (
    "Nowak", "Kowalczyk", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowski", "Zieliński",
    "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur", "Kwiatkowski",
    "Krawczyk", "Piotrowski", "Grabowski", "Pawłowski", "Michalski", "Król", "Wieczorek",
    "Jabłoński", "Majewski", "Olszewski", "Stępień", "Malinowski", "Jaworski", "Adamczyk",
)  # fmt: skip
_STREETS = (
    "ul. Przemysłowa", "ul. Fabryczna", "ul. Technologiczna", "ul. Zakładowa", "ul. Łąkowa",
    "ul. Kolejowa", "ul. Słoneczna", "ul. Lipowa", "al. Jana Pawła II", "ul. Warszawska",
    "ul. Polna", "ul. Mickiewicza", "ul. Kościuszki", "ul. Sienkiewicza", "ul. Ogrodowa",
    "ul. Wojska Polskiego", "ul. Składowa", "ul. Rzemieślnicza", "ul. Inżynierska",
)  # fmt: skip


def _feminine(surname: str) -> str:
    for m, f in (("ski", "ska"), ("cki", "cka"), ("dzki", "dzka")):
        if surname.endswith(m):
            return surname[: -len(m)] + f
    return surname


def _person(rng: random.Random) -> str:
    first = rng.choice(_FIRST_NAMES)
    surname = rng.choice(_SURNAMES_M)
    return f"{first} {_feminine(surname) if first.endswith('a') else surname}"


def _brand(rng: random.Random) -> str:
    return rng.choice(_STEMS) + rng.choice(_ENDINGS)


def _company_name(rng: random.Random, kind: str, used: set[str]) -> str:
    while True:
        brand = _brand(rng)
        if kind == "micro":
            name = rng.choice(
                (
                    f"{rng.choice(_DESCRIPTORS)} {_person(rng)}",
                    f"{brand} s.c.",
                    f"{brand} sp. z o.o.",
                    f"{brand} {_person(rng)}",
                )
            )
        elif kind == "small":
            name = rng.choice(
                (
                    f"{brand} sp. z o.o.",
                    f"{brand} sp. z o.o. sp.k.",
                    f"{rng.choice(_DESCRIPTORS)} {brand} sp. j.",
                )
            )
        elif kind == "medium":
            name = rng.choice((f"{brand} sp. z o.o.", f"{brand} S.A.", f"Grupa {brand} sp. z o.o."))
        else:
            name = rng.choice(
                (f"{brand} S.A.", f"Zakłady Mechaniczne {brand} S.A.", f"{brand} Polska sp. z o.o.")
            )
        if name not in used:
            used.add(name)
            return name


def _money(value: float) -> Decimal:
    """Whole thousands of PLN, as a two-place Decimal."""
    return Decimal(int(round(value / 1000)) * 1000).quantize(Decimal("0.01"))


def _fte(value: float) -> Decimal:
    return Decimal(str(round(max(value, 0.5), 1)))


# --- the demo cluster ------------------------------------------------------------------

# (town, voivodeship, how many members sit there); real towns, all within Poland.
_DEMO_TOWNS: tuple[tuple[str, str, int], ...] = (
    ("Łódź", "łódzkie", 27),
    ("Pabianice", "łódzkie", 4),
    ("Zgierz", "łódzkie", 3),
    ("Aleksandrów Łódzki", "łódzkie", 2),
    ("Konstantynów Łódzki", "łódzkie", 1),
    ("Piotrków Trybunalski", "łódzkie", 3),
    ("Bełchatów", "łódzkie", 2),
    ("Tomaszów Mazowiecki", "łódzkie", 2),
    ("Sieradz", "łódzkie", 2),
    ("Zduńska Wola", "łódzkie", 2),
    ("Skierniewice", "łódzkie", 1),
    ("Kutno", "łódzkie", 2),
    ("Radomsko", "łódzkie", 1),
    ("Łowicz", "łódzkie", 1),
    ("Ozorków", "łódzkie", 1),
    ("Stryków", "łódzkie", 1),
    ("Warszawa", "mazowieckie", 5),
    ("Płock", "mazowieckie", 1),
    ("Radom", "mazowieckie", 1),
    ("Kielce", "świętokrzyskie", 1),
    ("Częstochowa", "śląskie", 2),
    ("Katowice", "śląskie", 2),
    ("Gliwice", "śląskie", 1),
    ("Kalisz", "wielkopolskie", 1),
    ("Poznań", "wielkopolskie", 1),
    ("Włocławek", "kujawsko-pomorskie", 1),
    ("Wrocław", "dolnośląskie", 1),
    # farther than 200 km
    ("Gdańsk", "pomorskie", 2),
    ("Rzeszów", "podkarpackie", 1),
    ("Lublin", "lubelskie", 2),
    ("Bielsko-Biała", "śląskie", 1),
    ("Szczecin", "zachodniopomorskie", 1),
    ("Białystok", "podlaskie", 1),
)

# Institutions (IOB, science, other) in the order of _DEMO_TYPES, each with its seat:
# (name, town, voivodeship, science category, registered in KRS). Invented names.
_INSTITUTIONS: tuple[tuple[str, str, str, str | None, bool], ...] = (
    ("Centrum Transferu Technologii Przemysłowych sp. z o.o.", "Łódź", "łódzkie", None, True),
    ("Fundacja Inkubator Technologiczny Piotrków", "Piotrków Trybunalski", "łódzkie", None, True),
    ("Park Naukowo-Technologiczny Zduńska Wola sp. z o.o.", "Zduńska Wola", "łódzkie", None, True),
    ("Regionalna Izba Gospodarcza Automatyki i Robotyki", "Łódź", "łódzkie", None, True),
    ("Stowarzyszenie Inżynierów Mechatroników", "Warszawa", "mazowieckie", None, True),
    ("Instytut Automatyki i Pomiarów Przemysłowych", "Łódź", "łódzkie", "A+", True),
    ("Instytut Badawczy Technologii Materiałowych", "Warszawa", "mazowieckie", "A", True),
    ("Centrum Badawcze Robotyki Stosowanej", "Gliwice", "śląskie", "B+", True),
    ("Wyższa Szkoła Inżynierska w Sieradzu", "Sieradz", "łódzkie", "B", False),
    ("Akademia Techniczno-Przyrodnicza w Kielcach", "Kielce", "świętokrzyskie", "A", False),
    ("Zespół Szkół Technicznych nr 3 w Łodzi", "Łódź", "łódzkie", None, False),
    ("Technikum Mechatroniczne w Pabianicach", "Pabianice", "łódzkie", None, False),
    ("Centrum Kształcenia Zawodowego w Zgierzu", "Zgierz", "łódzkie", None, False),
    ("Łódzkie Stowarzyszenie Gmin Przemysłowych", "Łódź", "łódzkie", None, True),
    ("Fundusz Poręczeniowy Regionu Łódzkiego sp. z o.o.", "Łódź", "łódzkie", None, True),
    ("Miejskie Centrum Innowacji w Bełchatowie", "Bełchatów", "łódzkie", None, False),
)
# This one's address was entered without a postal code: it is placed by its town.
_NO_POSTAL_CODE = "Miejskie Centrum Innowacji w Bełchatowie"

# Member types in order, after the coordinator (m000, an IOB in Łódź).
_DEMO_TYPES: tuple[str, ...] = (
    ("large",) * 4
    + ("medium",) * 10
    + ("small",) * 22
    + ("micro",) * 26
    + ("iob",) * 5
    + ("science",) * 5
    + ("other",) * 6
    + ("micro",)  # m079: a former member (left 2025-11-30)
)

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


def _address(rng: random.Random, codes: Sequence[str], town: str) -> Address:
    return Address(
        street=f"{rng.choice(_STREETS)} {rng.randint(1, 160)}",
        postal_code=rng.choice(codes),
        city=town,
    )


def _location_of(address: Address) -> Location | None:
    place = geo.locate(address.postal_code, address.city)
    if place is None:
        return None
    return Location(lat=Decimal(f"{place.lat:.4f}"), lon=Decimal(f"{place.lon:.4f}"))


def demo_cluster() -> Dataset:
    """The demo cluster (deterministic; D = 2026-06-30). See the module docstring."""
    rng = random.Random(DEMO_SEED)
    ids = _Ids(rng)
    used_names: set[str] = set()

    # The coordinator and the institutions have their seats; enterprises are dealt the
    # remaining ones at random.
    seats: list[tuple[str, str]] = []
    for town, voiv, count in _DEMO_TOWNS:
        seats += [(town, voiv)] * count
    seats.remove(("Łódź", "łódzkie"))
    for _, town, voiv, _, _ in _INSTITUTIONS:
        seats.remove((town, voiv))
    rng.shuffle(seats)
    codes_of = {(t, v): geo.postal_codes_of(t, voivodeship=v) for t, v, _ in _DEMO_TOWNS}

    # Who exports, does R&D, uses Industry 4.0, holds ISO: counts among the 62 enterprises.
    types = _DEMO_TYPES
    enterprise_idx = [i for i, t in enumerate(types) if t in ("micro", "small", "medium", "large")]
    # large and medium export more often than micro
    exporters = set(enterprise_idx[:11]) | set(rng.sample(enterprise_idx[11:], 9))
    rd_doers = set(enterprise_idx[:9]) | set(rng.sample(enterprise_idx[9:], 15))
    industry40 = set(rng.sample(enterprise_idx[:30], 9)) | set(rng.sample(enterprise_idx[30:], 3))
    iso_holders = set(enterprise_idx[:16]) | set(rng.sample(enterprise_idx[16:], 12))
    linked = set(rng.sample(enterprise_idx, 7))

    founding = dt.date(2014, 3, 12)
    members: list[Member] = []
    coord_addr = Address("ul. Piotrkowska 276", "90-361", "Łódź")
    members.append(
        Member(
            id="m000",
            name="Fundacja Rozwoju Automatyki Przemysłowej",
            type="iob",
            category="strategic_partner",
            nip=ids.nip(),
            regon=ids.regon(),
            krs=ids.krs(),
            address=coord_addr,
            location=_location_of(coord_addr),
            joined=founding,
            years=(),
        )
    )
    institutions = iter(_INSTITUTIONS)
    for i, mtype in enumerate(types):
        mid = f"m{i + 1:03d}"
        krs: str | None = ids.krs()
        science_category = None
        independent: bool | None = None
        if mtype in ("iob", "science", "other"):
            name, town, voiv, science_category, in_krs = next(institutions)
            krs = krs if in_krs else None
        else:
            town, voiv = seats.pop()
            name = _company_name(rng, mtype, used_names)
            if mtype == "micro" and not name.endswith("sp. z o.o."):
                krs = None  # sole traders and civil partnerships are in CEIDG, not KRS
            independent = i not in linked
        address = _address(rng, codes_of[(town, voiv)], town)
        if name == _NO_POSTAL_CODE:
            address = Address(address.street, None, town)
        # joining: a third founded the cluster; five joined within the last year
        if i < 26 or (mtype == "science" and science_category in ("A+", "A")):
            joined = founding
        elif i % 10 == 3:
            joined = dt.date(2025, 7, 1) + dt.timedelta(days=rng.randrange(300))
        else:
            joined = dt.date(2014, 6, 1) + dt.timedelta(days=rng.randrange(365 * 10))
        left = None
        if i == len(types) - 1:
            joined, left = dt.date(2017, 5, 18), dt.date(2025, 11, 30)
        iso: tuple[Iso, ...] = ()
        if i in iso_holders:
            iso = (Iso("ISO 9001:2015", "03"),)
            if rng.random() < 0.35:
                iso += (Iso("ISO 14001:2015", "13"),)
            if rng.random() < 0.15:
                iso += (Iso("ISO/IEC 27001:2022", "35"),)
        members.append(
            Member(
                id=mid,
                name=name,
                type=mtype,
                category="strategic_partner" if mtype in ("large", "science") else "partner",
                nip=ids.nip(),
                regon=ids.regon(),
                krs=krs,
                address=address,
                location=_location_of(address)
                if address.postal_code and rng.random() < 0.35
                else None,
                joined=joined,
                left=left,
                independent=independent,
                science_category=science_category,
                years=_years_for(
                    rng,
                    mtype,
                    exporter=i in exporters,
                    rd=i in rd_doers or mtype == "science",
                ),
                industry40=i in industry40,
                iso=iso,
            )
        )

    assert not seats, "every seat of _DEMO_TOWNS is taken"

    # Branch certificates (KKK 34): two held by at least three members, one by two.
    cert_plan = {
        "Certyfikat integratora robotów przemysłowych": (1, 5, 9, 16),
        "IATF 16949:2016 (motoryzacja)": (2, 6, 11),
        "Certyfikat ATEX — urządzenia w strefach zagrożonych wybuchem": (3, 14),
    }
    by_id = {m.id: m for m in members}
    for cert, nums in cert_plan.items():
        for n in nums:
            mid = f"m{n:03d}"
            m = by_id[mid]
            by_id[mid] = _replace_certs(m, (*m.certificates, cert))
    # The office entered this member's distance by hand (MEM-9 override, shown as such).
    far = next(m for m in by_id.values() if m.address and m.address.city == "Wrocław")
    by_id[far.id] = _with_override(far, Decimal("190"))
    members = [by_id[m.id] for m in members]

    ent = [m.id for m in members if m.is_enterprise and m.left is None]
    large = [m.id for m in members if m.type == "large"]
    medium = [m.id for m in members if m.type == "medium"]
    small = [m.id for m in members if m.type == "small"]
    micro = [m.id for m in members if m.type == "micro" and m.left is None]
    sci = [m.id for m in members if m.type == "science"]
    iobs = [m.id for m in members if m.type == "iob" and m.id != "m000"]
    schools = [m.id for m in members if m.type == "other"][:3]
    former = members[-1].id

    projects = (
        Project(
            id="p01",
            name="Wspólny zakup energii elektrycznej dla członków klastra",
            type="other",
            coordinator_participates=True,
            participants=("m000", *small[:6], *micro[:6]),
            value=Decimal("120000.00"),
            private_contribution=Decimal("120000.00"),
            funding_source="środki własne członków",
            start=dt.date(2016, 1, 1),
            end=dt.date(2018, 12, 31),
        ),
        Project(
            id="p02",
            name="Robotyzacja procesów spawalniczych w MŚP regionu łódzkiego",
            type="investment",
            participants=(small[0], small[3], micro[2], micro[5], former),
            value=Decimal("4200000.00"),
            private_contribution=Decimal("1300000.00"),
            funding_source="RPO WŁ 2014-2020, Działanie II.3",
            start=dt.date(2021, 3, 1),
            end=dt.date(2023, 12, 31),
        ),
        Project(
            id="p03",
            name="Cyfrowy bliźniak linii produkcyjnej (Digital Twin)",
            type="research",
            rd=True,
            coordinator_participates=True,
            participants=("m000", sci[0], large[0], medium[1], small[2]),
            value=Decimal("6800000.00"),
            private_contribution=Decimal("1150000.00"),
            funding_source="FENG 1.1 Ścieżka SMART",
            start=dt.date(2024, 2, 1),
            end=dt.date(2026, 12, 31),
        ),
        Project(
            id="p04",
            name="Smart Factory Network — Interreg Baltic Sea Region",
            type="promotion",
            international=True,
            coordinator_participates=True,
            participants=("m000", medium[2], small[4], micro[7]),
            value=Decimal("2100000.00"),
            private_contribution=Decimal("310000.00"),
            funding_source="Interreg Baltic Sea Region 2021-2027",
            start=dt.date(2023, 9, 1),
            end=dt.date(2026, 8, 31),
        ),
        Project(
            id="p05",
            name="AI-driven Quality Inspection in Discrete Manufacturing",
            type="research",
            international=True,
            rd=True,
            participants=(sci[1], large[1], medium[0], small[1]),
            value=Decimal("3900000.00"),
            private_contribution=Decimal("620000.00"),
            funding_source="Horyzont Europa, Klaster 4",
            start=dt.date(2025, 1, 1),
            end=dt.date(2027, 12, 31),
        ),
        Project(
            id="p06",
            name="Akademia Automatyka — szkolenia kadr dla przemysłu 4.0",
            type="training",
            coordinator_participates=True,
            participants=("m000", *schools[:2], *small[5:10], *micro[8:13]),
            value=Decimal("850000.00"),
            private_contribution=Decimal("128000.00"),
            funding_source="FERS 1.2",
            start=dt.date(2024, 9, 1),
            end=dt.date(2026, 6, 30),
        ),
        Project(
            id="p07",
            name="Inteligentne czujniki drgań do predykcyjnego utrzymania ruchu",
            type="research",
            rd=True,
            participants=(sci[2], medium[3], micro[14]),
            value=Decimal("1450000.00"),
            private_contribution=Decimal("290000.00"),
            funding_source="FENG 1.1 Ścieżka SMART",
            start=dt.date(2023, 11, 1),
            end=dt.date(2025, 10, 31),
        ),
        Project(
            id="p08",
            name="Marka klastra na rynkach DACH",
            type="promotion",
            international=True,
            coordinator_participates=True,
            participants=("m000", large[2], medium[4], small[11], small[12]),
            value=Decimal("640000.00"),
            private_contribution=Decimal("96000.00"),
            funding_source="FENG 2.16 Internacjonalizacja KKK",
            start=dt.date(2025, 4, 1),
            end=None,
        ),
        Project(
            id="p09",
            name="Wdrożenie autonomicznych wózków AGV — projekt dwóch firm",
            type="investment",
            participants=(medium[5], small[13]),  # only two members: not a joint project
            value=Decimal("900000.00"),
            private_contribution=Decimal("900000.00"),
            start=dt.date(2025, 5, 1),
        ),
    )

    funding_applications = (
        FundingApplication(
            "Cyfrowy bliźniak linii produkcyjnej",
            dt.date(2023, 9, 14),
            "FENG 1.1",
            True,
            (large[0], medium[1]),
        ),
        FundingApplication(
            "Automatyczna kontrola jakości spoin",
            dt.date(2023, 10, 2),
            "FENG 1.1",
            False,
            (small[7],),
        ),
        FundingApplication(
            "Czujniki drgań IoT", dt.date(2023, 7, 20), "FENG 1.1", True, (medium[3], micro[14])
        ),
        FundingApplication(
            "Robotyzacja lakierni", dt.date(2024, 3, 11), "FEŁ 2021-2027 1.3", True, (small[2],)
        ),
        FundingApplication(
            "Magazyn energii w zakładzie", dt.date(2024, 6, 28), "FEnIKS", None, (medium[6],)
        ),
        FundingApplication(
            "Ekspansja na rynek skandynawski",
            dt.date(2025, 2, 17),
            "FENG 2.16",
            True,
            (large[2], small[11]),
        ),
        FundingApplication(
            "Platforma zakupowa członków",
            dt.date(2025, 9, 5),
            "FEŁ 2021-2027 1.4",
            False,
            (micro[3],),
        ),
        FundingApplication(
            "Linia pilotażowa druku 3D metali",
            dt.date(2026, 1, 23),
            "FENG 1.1",
            None,
            (medium[7], sci[1]),
        ),
        FundingApplication(
            "Stara aplikacja (poza okresem)", dt.date(2021, 5, 10), "POIR 2.3.1", True, (small[0],)
        ),
    )

    ip_rights = (
        IpRight("patent", large[0], "PL241563", "Chwytak adaptacyjny robota", dt.date(2039, 4, 2), "polish"),
        IpRight("patent", medium[1], "EP3901221", "Układ kompensacji drgań wrzeciona", dt.date(2041, 1, 15), "foreign"),
        IpRight("patent", small[6], "PL228004", "Głowica spawalnicza (wygasły)", dt.date(2024, 2, 1), "polish"),
        IpRight("patent", sci[0], "PL244310", "Metoda kalibracji czujników", dt.date(2042, 6, 30), "polish"),
        IpRight("utility_model", micro[4], "PL72811", "Uchwyt narzędziowy", dt.date(2029, 3, 1), "polish"),
        IpRight("utility_model", small[9], "PL73002", "Osłona stanowiska zrobotyzowanego", dt.date(2030, 11, 20), "polish"),
        IpRight("trademark", large[0], "R.312455", "AUTOMA", dt.date(2031, 8, 1), "polish"),
        IpRight("trademark", medium[2], "EUTM 018442210", "SERVOLINE", dt.date(2030, 4, 10), "foreign"),
        IpRight("trademark", small[1], "R.330190", "PRECYZ", dt.date(2032, 1, 12), "polish"),
        IpRight("trademark", micro[9], "R.298877", "ROBOSPAW", dt.date(2028, 5, 5), "polish"),
        IpRight("industrial_design", medium[4], "Rp.27711", "Obudowa sterownika", dt.date(2033, 7, 7), "polish"),
    )  # fmt: skip

    innovations = (
        Innovation("Cela spawalnicza z wizyjną kontrolą spoiny", dt.date(2024, 5, 6), (small[0], micro[2]), True),
        Innovation("Moduł predykcji awarii łożysk", dt.date(2025, 11, 3), (medium[3],), True),
        Innovation("Adaptacyjny chwytak do detali o zmiennej geometrii", dt.date(2025, 2, 18), (large[0],), True),
        Innovation("Nowy układ logistyki wewnętrznej (bez B+R)", dt.date(2024, 8, 1), (medium[5],), False),
        Innovation("Sterownik napędu liniowego", dt.date(2021, 9, 1), (small[3],), True),
    )  # fmt: skip

    def part(pool: Sequence[str], k: int) -> tuple[str, ...]:
        return tuple(sorted(rng.sample(list(pool), k)))

    events = (
        Event("Hannover Messe 2025", "fair", dt.date(2025, 3, 31), "abroad", False, True,
              (large[0], medium[0], medium[2], *part(small, 4), *part(micro, 3))),
        Event("Automatica 2025, Monachium", "fair", dt.date(2025, 6, 24), "abroad", False, False,
              (large[1], medium[1], *part(small, 2))),
        Event("ITM Industry Europe 2024, Poznań", "fair", dt.date(2024, 6, 4), "poland", False, True,
              (*part(medium, 3), *part(small, 3), *part(micro, 3))),
        Event("European Cluster Conference 2024, Bruksela", "cluster", dt.date(2024, 11, 26), "abroad", False, True, ()),
        Event("Smart Factory Days 2025, Brno", "industry", dt.date(2025, 10, 8), "abroad", False, True,
              (medium[2], small[4])),
        Event("Robotics Summit 2026, Wiedeń", "industry", dt.date(2026, 3, 17), "abroad", True, True, ()),
        Event("Forum Automatyki Przemysłowej 2025, Łódź", "industry", dt.date(2025, 5, 15), "poland", False, True,
              part(ent, 22)),
        Event("Targi EXPO-WELDING 2022, Katowice", "fair", dt.date(2022, 10, 18), "poland", False, True,
              part(ent, 8)),
    )  # fmt: skip

    mission_pool = ent[:]
    missions = (
        Mission("Misja gospodarcza do Badenii-Wirtembergii", "mission", dt.date(2024, 5, 13), part(mission_pool, 8)),
        Mission("Spotkania B2B na Automatica 2025", "matchmaking", dt.date(2025, 6, 25), part(mission_pool, 7)),
        Mission("Misja do Czech i Słowacji", "mission", dt.date(2025, 10, 6), part(mission_pool, 6)),
        Mission("Giełda kooperacyjna Enterprise Europe Network", "meeting", dt.date(2026, 2, 10), part(mission_pool, 5)),
        Mission("Misja do Norwegii (poza okresem)", "mission", dt.date(2022, 9, 12), part(mission_pool, 6)),
    )  # fmt: skip

    services = (
        Service("Audyt dojrzałości cyfrowej", "knowledge_transfer", dt.date(2025, 9, 15), part(ent, 8)),
        Service("Szkolenie: cyberbezpieczeństwo systemów OT", "knowledge_transfer", dt.date(2025, 11, 20), part(ent, 12)),
        Service("Doradztwo w ochronie własności przemysłowej", "knowledge_transfer", dt.date(2026, 1, 28), part(ent, 6)),
        Service("Warsztaty lean manufacturing", "knowledge_transfer", dt.date(2026, 4, 9), part(ent, 5)),
        Service("Doradztwo eksportowe", "knowledge_transfer", dt.date(2026, 5, 12), part(ent, 4)),
        Service("Mapa kompetencji i łańcucha wartości klastra", "ecosystem", dt.date(2025, 10, 1), ()),
        Service("Program rozwoju lokalnych dostawców dla przemysłu", "ecosystem", dt.date(2026, 3, 2), ()),
        Service("Szkolenie z zamówień publicznych (poza okresem)", "knowledge_transfer", dt.date(2024, 11, 5), part(ent, 9)),
    )  # fmt: skip

    dual_education = (
        DualEducation("curricula", "Program nauczania w zawodzie technik robotyk", dt.date(2023, 9, 1),
                      (schools[0], schools[1], large[0], medium[0])),
        DualEducation("student_internships", "Staże uczniowskie w firmach klastra", dt.date(2025, 7, 1),
                      (schools[0], *part(small, 4))),
        DualEducation("teacher_internships", "Staże nauczycieli zawodu", dt.date(2024, 2, 12),
                      (schools[1], medium[1])),
    )  # fmt: skip

    startup_cooperations = (
        StartupCooperation(medium[0], "VisionBot sp. z o.o.", "Przemysłowe Inkubatory Innowacji (FENG 2.2)",
                           "umowa o współpracy", dt.date(2024, 3, 1), dt.date(2025, 2, 28)),
        StartupCooperation(large[1], "Senso Analytics P.S.A.", "Program akceleracyjny Hub of Talents",
                           "umowa partnerska", dt.date(2025, 5, 15), None),
    )  # fmt: skip

    dataset = Dataset(
        as_of=DEMO_AS_OF,
        cluster=Cluster(
            name="Klaster Automatyki i Robotyki Przemysłowej „Łódź Industry 4.0”",
            website="https://klaster-automatyki.example.pl",
            specialisation=Specialisation(
                "PKD",
                ("28.99.Z", "33.20.Z", "27.12.Z", "62.01.Z"),
                "automatyka przemysłowa, robotyka i systemy sterowania dla przemysłu",
            ),
            agreement_date=founding,
            actual_start=ActualStart(
                2014,
                ("joint_project", "strategic_document"),
                "Pierwszy wspólny projekt zakupowy i strategia rozwoju klastra przyjęta w 2014 r.",
            ),
            eccp_registered=True,
            mode="grant",
            strategies=(
                Strategy(
                    "Strategia rozwoju klastra 2018-2023",
                    dt.date(2018, 2, 20),
                    dt.date(2018, 1, 1),
                    dt.date(2023, 12, 31),
                ),
                Strategy(
                    "Strategia rozwoju klastra 2024-2030",
                    dt.date(2023, 11, 28),
                    dt.date(2024, 1, 1),
                    dt.date(2030, 12, 31),
                ),
            ),  # fmt: skip
            coordinator=Coordinator(
                member="m000",
                clustering_experience_years=Decimal("12"),
                platforms=Platforms(communication=True, purchasing=False, sales=True),
                dues_revenue=True,
            ),
            contact=Contact(
                name="Magdalena Kaczmarek",
                position="Dyrektor klastra",
                email="biuro@klaster-automatyki.example.pl",
                phone="+48 42 000 12 34",
                address="ul. Piotrkowska 276, 90-361 Łódź",
            ),
        ),
        members=tuple(members),
        staff=(
            Staff(
                "Magdalena Kaczmarek",
                "m.kaczmarek@klaster-automatyki.example.pl",
                "Dyrektor klastra",
                True,
                "employment",
                dt.date(2016, 2, 1),
                None,
                Decimal("11"),
                Decimal("10"),
                Decimal("4"),
            ),
            Staff(
                "Tomasz Wieczorek",
                "t.wieczorek@klaster-automatyki.example.pl",
                "Kierownik projektów międzynarodowych",
                True,
                "employment",
                dt.date(2019, 9, 1),
                None,
                Decimal("6"),
                Decimal("3"),
                Decimal("6"),
            ),
            Staff(
                "Joanna Pawłowska",
                "j.pawlowska@klaster-automatyki.example.pl",
                "Specjalista ds. komunikacji",
                False,
                "employment",
                dt.date(2021, 3, 1),
            ),
            Staff(
                "Paweł Stępień",
                "p.stepien@klaster-automatyki.example.pl",
                "Specjalista ds. usług dla członków",
                False,
                "employment",
                dt.date(2023, 1, 9),
            ),
            Staff("Ewa Majewska", None, "Księgowa", False, "civil_law", dt.date(2026, 5, 1)),
        ),  # fmt: skip
        certificates=(
            Certificate("esca_bronze", "ESCA Bronze Label", dt.date(2019, 10, 31)),
            Certificate("esca_silver", "ESCA Silver Label", dt.date(2027, 4, 30)),
        ),
        shared_resources=(
            SharedResource("Laboratorium metrologii i pomiarów 3D", "laboratory", sci[0], True),
            SharedResource("Chmura obliczeniowa do symulacji procesów", "digital", medium[1], True),
            SharedResource("Linia demonstracyjna Przemysłu 4.0", "demonstration", large[0], True),
            SharedResource("Hala prototypowa koordynatora", "production", "m000", True),
            SharedResource("Stanowisko badań EMC", "laboratory", iobs[0], False),
        ),
        projects=projects,
        funding_applications=funding_applications,
        ip_rights=ip_rights,
        innovations=innovations,
        events=events,
        missions=missions,
        services=services,
        kis=(
            Kis(
                10,
                "Specjalizacja klastra (automatyka i robotyka) odpowiada zakresowi tej KIS.",
                True,
                True,
            ),
            Kis(12, "Systemy sterowania i oprogramowanie przemysłowe.", True, False),
        ),  # fmt: skip
        dual_education=dual_education,
        digital_initiatives=(
            DigitalInitiative("Cykl webinarów „Przemysł 4.0 w MŚP”", dt.date(2025, 10, 14)),
        ),
        startup_cooperations=startup_cooperations,
        circular_economy=(
            EntitiesPractice("material_recovery", (large[0], medium[2])),
            EntitiesPractice("waste_minimisation", (medium[0], small[3], small[8])),
        ),
        low_emission=(
            EntitiesPractice("energy_audit", (large[1], medium[4], small[5])),
            EntitiesPractice("renewables", (large[0], medium[6])),
        ),
        joint_products=(
            JointProduct(
                "Zrobotyzowana cela spawalnicza pod klucz",
                dt.date(2024, 9, 16),
                (small[0], micro[2]),
                False,
                True,
            ),
            JointProduct(
                "Pakiet wdrożeniowy Przemysł 4.0 dla MŚP",
                dt.date(2025, 12, 1),
                ("m000",),
                True,
                False,
            ),
        ),  # fmt: skip
        panel=Panel(successes_strategy=8, knowledge_transfer=7, public_policies=6, pandemic=7),
    )
    return dataset


def _replace_certs(m: Member, certs: tuple[str, ...]) -> Member:
    from dataclasses import replace

    return replace(m, certificates=certs)


def _with_override(m: Member, km: Decimal) -> Member:
    from dataclasses import replace

    return replace(m, distance_km=km)


# --- synthetic clusters for benchmarks ------------------------------------------------

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
        as_of=DEMO_AS_OF,
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
