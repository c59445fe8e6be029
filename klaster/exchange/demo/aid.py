"""The demo cluster's de minimis register and lending queue for `klaster demo` (issue 11).

Run once, when the demo cluster is first created, after money, on the real day (`today`):

- the grantor's settings (AID-6, AID-8): the coordinator, its address and NIP, the programme's
  legal basis, the cluster director as signatory, SHRIMP access granted half a year ago;
- the NBP table A series shipped with Klaster (`klaster.aid.rates.load_shipped`, AID-2), when
  that module is there;
- the register (AID-1, AID-3) through the import path of `klaster aid import`
  (`klaster.aid.dataset.register_import`): six member enterprises by their NIPs, two firms
  that are not members, and control links making two groups — the `czlonek` persona's
  enterprise controls a service company; one member controlled another until last year
  (a link that ended) —, and grants from other bodies (a district labour office, a commune, the
  regional development agency, the agricultural agency) under 1407/2013 and 2023/2831;
- three pieces of equipment, each with a price list (AID-6);
- applications (AID-4, AID-5): one complete, one missing its KRS extract, two complete ones
  overlapping for one product — the office's to rank —;
- when the shipped series has a table for its day, one signed lending contract (on the
  series' last table day) with its grant within the headroom (through the engine, the one path
  to a verdict) and its certificate — plain rows: the demo does not wait for the contract
  service.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from klaster.aid import engine
from klaster.aid.dataset import register_import
from klaster.aid.models import (
    AidSettings,
    Application,
    ApplicationDocument,
    Certificate,
    Contract,
    Equipment,
    Grant,
    PriceList,
    RateSeries,
    RateTable,
)
from klaster.core.models import Cluster
from klaster.members.models import ENTERPRISE_TYPES, Member
from klaster.rules.aid import model as m
from klaster.rules.aid.check import to_eur

LEGAL_BASIS = (
    "Rozporządzenie Komisji (UE) 2023/2831 z dnia 13 grudnia 2023 r. w sprawie stosowania "
    "art. 107 i 108 TFUE do pomocy de minimis; Regulamin udostępniania produktów projektu "
    "„Łódź Industry 4.0 — laboratorium automatyki”, § 3–6"
)
PROJECT = "Łódź Industry 4.0 — laboratorium automatyki (FEŁ.01.04)"

# firms in the register that are not members (NIPs with valid check digits)
SUBSIDIARY = ("7010000005", "Autotech Serwis sp. z o.o.")
FORMER_PARENT = ("7010001370", "Holding Przemysłowy Łódź S.A.")

EQUIPMENT = (
    # name, inventory, description, upkeep/day, lending/day, aid/day
    (
        "Robot współpracujący UR10e ze stanowiskiem",
        "ST/2024/001",
        "Ramię 6-osiowe, udźwig 12,5 kg, chwytak elektryczny, stół montażowy.",
        "40.00",
        "60.00",
        "850.00",
    ),
    (
        "Drukarka 3D przemysłowa (SLS)",
        "ST/2024/002",
        "Spiekanie proszków poliamidowych, komora 300 × 300 × 300 mm.",
        "55.00",
        "45.00",
        "620.00",
    ),
    (
        "Skaner 3D z oprogramowaniem do inżynierii odwrotnej",
        "ST/2024/003",
        "Dokładność 0,02 mm, zestaw do pomiarów w hali.",
        "15.00",
        "25.00",
        "310.00",
    ),
)


@dataclass
class DemoAid:
    undertakings: int
    grants: int
    equipment: list[Equipment]
    complete: Application
    incomplete: Application
    overlapping: tuple[Application, Application]
    contract: Contract | None


def _address(member: Member) -> str:
    return ", ".join(x for x in (member.street, f"{member.postal_code} {member.city}".strip()) if x)


def _load_rates(user: Any, cluster: Cluster) -> None:
    try:
        from klaster.aid import rates
    except ImportError:  # pragma: no cover - the rates module lands with its own helper
        return
    if hasattr(rates, "load_shipped"):
        rates.load_shipped(user=user, cluster=cluster)


def _register(cluster: Cluster, members: list[Member], user: Any) -> int:
    """The register through the import path: members by NIP, two other firms, links, grants."""
    a, b, c, d, e, f = members[:6]

    def u(member: Member) -> m.Undertaking:
        return m.Undertaking(member.nip, member.name)

    undertakings = (
        u(a),
        u(b),
        u(c),
        m.Undertaking(d.nip, d.name, (7, 1)),  # a fiscal year from 1 July
        u(e),
        u(f),
        m.Undertaking(*SUBSIDIARY),
        m.Undertaking(*FORMER_PARENT),
    )
    links = (
        m.Link(a.nip, SUBSIDIARY[0], dt.date(2019, 4, 1), None, "a"),
        m.Link(FORMER_PARENT[0], c.nip, dt.date(2017, 1, 2), dt.date(2025, 9, 30), "b"),
        m.Link(FORMER_PARENT[0], e.nip, dt.date(2020, 6, 1), None, "a"),
    )

    def g(ref: str, nip: str, body: str, reg: str, day: dt.date, pln: str, eur: str | None):
        return m.Grant(
            ref,
            nip,
            body,
            reg,
            day,
            Decimal(pln),
            Decimal(eur) if eur else None,
            f"{ref}/{day.year}",
        )

    pup, gmina = "Powiatowy Urząd Pracy w Łodzi", "Gmina Miasto Zgierz"
    marr, arimr = (
        "Łódzka Agencja Rozwoju Regionalnego S.A.",
        "Agencja Restrukturyzacji i Modernizacji Rolnictwa",
    )
    grants = (
        g("PUP-118", a.nip, pup, "1407/2013", dt.date(2022, 3, 15), "46350.00", "10000.00"),
        g("GZ-7", a.nip, gmina, "1407/2013", dt.date(2023, 9, 4), "21900.00", "4884.04"),
        g("ŁARR-2024-31", a.nip, marr, "2023/2831", dt.date(2024, 5, 20), "107500.00", "25000.00"),
        g("PUP-402", SUBSIDIARY[0], pup, "2023/2831", dt.date(2025, 2, 10), "20805.00", "5000.00"),
        g("ŁARR-2022-12", b.nip, marr, "1407/2013", dt.date(2022, 11, 28), "234500.00", "50000.00"),
        g("ARiMR-55", c.nip, arimr, "1408/2013", dt.date(2023, 4, 17), "45780.00", "10000.00"),
        g("GZ-19", c.nip, gmina, "2023/2831", dt.date(2024, 10, 1), "12900.00", "3000.00"),
        g("PUP-77", d.nip, pup, "1407/2013", dt.date(2023, 6, 30), "44460.00", "10000.00"),
        g(
            "ŁARR-2025-4",
            FORMER_PARENT[0],
            marr,
            "2023/2831",
            dt.date(2025, 1, 15),
            "850000.00",
            "200000.00",
        ),
        g("PUP-510", e.nip, pup, "2023/2831", dt.date(2025, 6, 2), "8500.00", None),
    )
    aid_file = m.AidFile(undertakings, links, (), (), grants, m.Rates((), None))
    done = register_import(cluster=cluster, aid_file=aid_file, filename="demo", user=user)
    return done.grants


def _equipment(cluster: Cluster) -> list[Equipment]:
    out = []
    for name, inventory, description, upkeep, lending, aid in EQUIPMENT:
        item = Equipment.objects.create(
            cluster=cluster, name=name, inventory_no=inventory, description=description
        )
        PriceList.objects.create(
            equipment=item,
            valid_from=dt.date(2024, 1, 1),
            upkeep_fee_per_day=Decimal(upkeep),
            lending_fee_per_day=Decimal(lending),
            aid_per_day=Decimal(aid),
        )
        out.append(item)
    return out


def _application(
    cluster: Cluster,
    member: Member,
    item: Equipment,
    start: dt.date,
    days: int,
    arrived: dt.datetime,
    *,
    status: str,
    extract: bool = True,
) -> Application:
    app = Application.objects.create(
        cluster=cluster,
        member=member,
        equipment=item,
        start=start,
        end=start + dt.timedelta(days=days - 1),
        purpose="Prototyp linii montażowej i testy z klientem.",
        arrived_at=arrived,
        status=status,
    )
    received = timezone.localdate(arrived)
    kinds = ["rules", "annex1", "statement_2b", "annex3"] + (["extract"] if extract else [])
    for kind in kinds:
        ApplicationDocument.objects.create(
            application=app,
            kind=kind,
            form="printout" if kind == "extract" else "paper",
            received_on=received,
            issued_on=received - dt.timedelta(days=12) if kind == "extract" else None,
        )
    return app


def _contract(
    cluster: Cluster, settings: AidSettings, member: Member, item: Equipment, user: Any
) -> Contract | None:
    """One contract signed on the shipped series' last table day, if the series has one."""
    series = RateSeries.objects.order_by("pk").first()
    if series is None or series.complete_through is None:
        return None
    table = RateTable.objects.filter(date__lte=series.complete_through).order_by("-date").first()
    if table is None or table.date != series.complete_through:
        # only a real table of the signing day: the demo never signs on a borrowed rate
        table = RateTable.objects.filter(date=series.complete_through).first()
    if table is None:
        return None
    signed = table.date
    start = signed + dt.timedelta(days=5)
    days = 10
    price = (
        PriceList.objects.filter(equipment=item, valid_from__lte=signed)
        .order_by("-valid_from")
        .first()
    )
    if price is None:
        return None
    aid_pln = price.aid_per_day * days
    regulation = "2023/2831" if signed >= dt.date(2024, 1, 1) else "1407/2013"
    if not engine.verdict(cluster.pk, member.nip, signed, aid_pln, regulation).allowed:
        return None
    app = _application(
        cluster,
        member,
        item,
        start,
        days,
        timezone.make_aware(dt.datetime.combine(signed - dt.timedelta(days=20), dt.time(10, 15))),
        status=Application.Status.CONTRACTED,
    )
    undertaking = engine.find(cluster.pk, member.nip)
    number = f"UM/{signed.year}/001"
    cert_no = f"ZPDM/{signed.year}/001"
    eur = to_eur(aid_pln, table.mid)
    grant = Grant.objects.create(
        cluster=cluster,
        undertaking=undertaking,
        source=Grant.Source.CONTRACT,
        body_name=settings.grantor_name,
        body_nip=settings.grantor_nip,
        regulation=regulation,
        granted_on=signed,
        amount_pln=aid_pln,
        amount_eur=eur,
        rate_table=table.number,
        rate_date=table.date,
        rate_mid=table.mid,
        certificate_no=cert_no,
        legal_basis=settings.legal_basis,
        created_by=user,
    )
    returned = start + dt.timedelta(days=days - 1)
    contract = Contract.objects.create(
        cluster=cluster,
        application=app,
        number=number,
        signed_on=signed,
        start=start,
        end=returned,
        upkeep_fee=price.upkeep_fee_per_day * days,
        lending_fee=price.lending_fee_per_day * days,
        aid_pln=aid_pln,
        grant=grant,
        status=Contract.Status.RETURNED
        if returned < timezone.localdate()
        else Contract.Status.SIGNED,
        returned_on=returned if returned < timezone.localdate() else None,
        created_by=user,
    )
    Certificate.objects.create(
        cluster=cluster,
        grant=grant,
        number=cert_no,
        issued_on=signed,
        fields={
            "issued_on": signed.isoformat(),
            "grantor": {
                "name": settings.grantor_name,
                "nip": settings.grantor_nip,
                "address": settings.grantor_address,
            },
            "beneficiary": {"name": member.name, "nip": member.nip, "address": _address(member)},
            "granted_on": signed.isoformat(),
            "gross_pln": f"{aid_pln:.2f}",
            "gross_eur": f"{eur:.2f}",
            "rate": {
                "table": table.number,
                "date": table.date.isoformat(),
                "mid": f"{table.mid:.4f}",
            },
            "legal_basis": settings.legal_basis,
            "regulation": regulation,
            "signatory": {"name": settings.signatory_name, "role": settings.signatory_role},
            "contract": number,
        },
    )
    return contract


def aid_demo_build(*, cluster: Cluster, user: Any, today: dt.date) -> DemoAid:
    coordinator = cluster.coordinator
    assert coordinator is not None  # the demonstration dataset names its coordinator
    settings = AidSettings.objects.create(
        cluster=cluster,
        grantor_name=coordinator.name,
        grantor_nip=coordinator.nip,
        grantor_address=_address(coordinator),
        legal_basis=LEGAL_BASIS,
        project=PROJECT,
        signatory_name="Magdalena Kaczmarek",
        signatory_role="Dyrektor klastra",
        shrimp_access_since=today - dt.timedelta(days=180),
    )
    _load_rates(user, cluster)
    enterprises = list(
        cluster.members.filter(type__in=ENTERPRISE_TYPES).exclude(nip="").order_by("id")
    )
    grants = _register(cluster, enterprises, user)
    equipment = _equipment(cluster)
    robot, printer, scanner = equipment
    now = timezone.now()
    a, b, c, _d, e, f = enterprises[:6]
    soon = today + dt.timedelta(days=21)
    complete = _application(
        cluster,
        a,
        scanner,
        soon,
        10,
        now - dt.timedelta(days=6),
        status=Application.Status.COMPLETE,
    )
    incomplete = _application(
        cluster,
        b,
        printer,
        soon,
        5,
        now - dt.timedelta(days=3),
        status=Application.Status.INCOMPLETE,
        extract=False,
    )
    first = _application(
        cluster, c, robot, soon + dt.timedelta(days=7), 14, now - dt.timedelta(days=9),
        status=Application.Status.COMPLETE,
    )  # fmt: skip
    second = _application(
        cluster, e, robot, soon + dt.timedelta(days=14), 10, now - dt.timedelta(days=2),
        status=Application.Status.COMPLETE,
    )  # fmt: skip
    contract = _contract(cluster, settings, f, scanner, user)
    return DemoAid(
        undertakings=8,
        grants=grants,
        equipment=equipment,
        complete=complete,
        incomplete=incomplete,
        overlapping=(first, second),
        contract=contract,
    )
