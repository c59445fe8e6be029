"""How long the KKK scoring engine takes on a large cluster (budget: the whole
`klaster kkk evaluate` process ≤ 3 s for 10,000 members including loading, ≈ 1 s of it the
loader's — so the engine must be linear).

    .venv/bin/python benchmarks/bench_kkk_engine.py [--members 10000] [--runs 5] [--no-process]

Builds a Dataset in code (10,000 members with 3 fiscal years each, 2,000 projects, 5,000
events, and hundreds of every other record; 5% of the members placed only by address), then
prints the median of N runs of: evaluate(), to_json()+json.dumps, to_text(). Unless
--no-process, it also writes the dataset as JSON (with the project's dumper) and times the
whole `python -m klaster.cli kkk evaluate FILE` process, loading and the gazetteer included.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from klaster.rules.dataset.model import (  # noqa: E402
    ActualStart,
    Address,
    Certificate,
    Cluster,
    Coordinator,
    Dataset,
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
    Staff,
    StartupCooperation,
    Strategy,
)
from klaster.rules.kkk import evaluate, to_json, to_text  # noqa: E402

AS_OF = dt.date(2021, 6, 30)
TYPES = ("micro", "micro", "micro", "small", "small", "medium", "large", "iob", "science", "other")
# real towns and postal codes, so that the gazetteer can place address-only members
TOWNS = (
    ("15-001", "Białystok", 53.1325, 23.1688),
    ("16-400", "Suwałki", 54.1118, 22.9309),
    ("18-400", "Łomża", 53.1781, 22.0590),
    ("00-001", "Warszawa", 52.2297, 21.0122),
    ("30-001", "Kraków", 50.0647, 19.9450),
)


def build(
    members: int = 10_000, projects: int = 2_000, events: int = 5_000, seed: int = 1
) -> Dataset:
    rnd = random.Random(seed)
    ids = [f"m{i:05d}" for i in range(members)]

    def money(lo: int, hi: int) -> Decimal:
        return Decimal(rnd.randint(lo * 100, hi * 100)) / 100

    def some(n: int, k: int) -> tuple[str, ...]:
        return tuple(rnd.sample(ids, min(k, n)))

    ms = []
    for i, mid in enumerate(ids):
        type_ = "iob" if i == 0 else TYPES[i % len(TYPES)]
        code, city, lat, lon = rnd.choice(TOWNS)
        address_only = i % 20 == 7
        ms.append(
            Member(
                id=mid,
                name=f"Firma {i}",
                type=type_,
                address=Address(street=f"ul. Testowa {i}", postal_code=code, city=city),
                location=None
                if address_only
                else Location(
                    Decimal(str(lat + rnd.uniform(-0.2, 0.2))),
                    Decimal(str(lon + rnd.uniform(-0.2, 0.2))),
                ),
                distance_km=Decimal(rnd.choice((0, 50, 150, 250))) if i % 10 == 3 else None,
                joined=AS_OF - dt.timedelta(days=rnd.randint(0, 3000)),
                left=AS_OF + dt.timedelta(days=30) if i % 97 == 5 else None,
                independent=(i % 9 != 0)
                if type_ in ("micro", "small", "medium", "large")
                else None,
                years=tuple(
                    MemberYear(
                        year=y,
                        revenue=money(100_000, 5_000_000),
                        export_revenue=money(0, 1_000_000) if i % 3 == 0 else None,
                        rd_expenditure=money(0, 100_000) if i % 4 == 0 else None,
                        fte=Decimal("12.5"),
                    )
                    for y in (2018, 2019, 2020)
                ),
                industry40=i % 8 == 0,
                iso=(Iso("ISO 9001:2015", ics=rnd.choice(("03", "35", "13"))),)
                if i % 2 == 0
                else (),
                certificates=(rnd.choice(("TÜV", "IATF 16949", "AS9100")),) if i % 5 == 0 else (),
            )
        )

    def day(back_days: int = 2500) -> dt.date:
        return AS_OF - dt.timedelta(days=rnd.randint(0, back_days))

    def span() -> tuple[dt.date, dt.date | None]:
        start = day()
        return start, (
            start + dt.timedelta(days=rnd.randint(30, 1500)) if rnd.random() < 0.5 else None
        )

    spans = [span() for _ in range(projects)]
    return Dataset(
        as_of=AS_OF,
        cluster=Cluster(
            name="Klaster Wydajnościowy",
            coordinator=Coordinator(
                member=ids[0],
                clustering_experience_years=Decimal(9),
                dues_revenue=True,
                platforms=Platforms(communication=True, sales=True),
            ),
            agreement_date=dt.date(2012, 1, 23),
            actual_start=ActualStart(year=2012),
            eccp_registered=True,
            strategies=(
                Strategy(
                    name="Strategia", valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2025, 12, 31)
                ),
            ),
        ),
        members=tuple(ms),
        staff=tuple(
            Staff(
                name=f"P{i}",
                manager=i < 3,
                employed_from=dt.date(2019, 1, 1),
                years_cluster_mgmt=Decimal(3),
                years_intl_projects=Decimal(2),
            )
            for i in range(300)
        ),
        certificates=(
            Certificate(kind="esca_silver", name="ESCA Silver", valid_until=dt.date(2022, 5, 31)),
        ),
        shared_resources=tuple(
            SharedResource(
                name=f"R{i}",
                kind=rnd.choice(("production", "laboratory", "digital", "demonstration")),
                provider=rnd.choice(ids),
                equal_preferential_access=True,
            )
            for i in range(100)
        ),
        projects=tuple(
            Project(
                id=f"p{i:04d}",
                name=f"Projekt {i}",
                international=i % 5 == 0,
                rd=i % 3 == 0,
                coordinator_participates=i % 7 == 0,
                participants=some(members, rnd.randint(1, 8)),
                private_contribution=money(0, 500_000),
                start=spans[i][0],
                end=spans[i][1],
            )
            for i in range(projects)
        ),
        funding_applications=tuple(
            FundingApplication(name=f"W{i}", submitted=day(), applicants=some(members, 2))
            for i in range(500)
        ),
        ip_rights=tuple(
            IpRight(
                kind=rnd.choice(("patent", "utility_model", "industrial_design", "trademark")),
                holder=rnd.choice(ids),
                protected_until=dt.date(2030, 1, 1),
            )
            for _ in range(1_000)
        ),
        innovations=tuple(
            Innovation(name=f"I{i}", introduced=day(), by=some(members, 2), from_rd=True)
            for i in range(300)
        ),
        events=tuple(
            Event(
                name=f"E{i}",
                kind=rnd.choice(("industry", "cluster", "fair")),
                location=rnd.choice(("poland", "abroad")),
                date=day(),
                coordinator_participated=i % 11 == 0,
                participants=some(members, rnd.randint(0, 20)),
            )
            for i in range(events)
        ),
        missions=tuple(
            Mission(name=f"M{i}", kind="mission", date=day(), participants=some(members, 30))
            for i in range(500)
        ),
        services=tuple(
            Service(
                name=f"S{i % 50}",
                kind=rnd.choice(("knowledge_transfer", "ecosystem")),
                date=day(365),
                beneficiaries=some(members, 10),
            )
            for i in range(300)
        ),
        kis=(Kis(number=15, consistent_with_specialisation=True, confirmed_by_projects=True),),
        dual_education=tuple(
            DualEducation(kind=k, date=day(900), entities=some(members, 3))
            for k in ("curricula", "student_internships", "teacher_internships")
        ),
        startup_cooperations=tuple(
            StartupCooperation(
                member=rnd.choice(ids), startup=f"S{i}", programme="P", basis="umowa"
            )
            for i in range(50)
        ),
        circular_economy=tuple(
            EntitiesPractice(kind="material_recovery", entities=some(members, 5)) for _ in range(20)
        ),
        low_emission=tuple(
            EntitiesPractice(kind="energy_audit", entities=some(members, 5)) for _ in range(20)
        ),
        joint_products=tuple(
            JointProduct(
                name=f"J{i}", introduced=day(900), offered_by=some(members, 3), revenue=True
            )
            for i in range(30)
        ),
        panel=Panel(8, 7, 6, 7),
    )


def fake_locate(address: Address) -> tuple[float, float] | None:
    """Stands in for the gazetteer in the engine-only figure (the process figure uses the real one)."""
    for code, _, lat, lon in TOWNS:
        if address.postal_code == code:
            return lat, lon
    return None


def median_of(runs: int, fn: Callable[[], object]) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def show(label: str, runs: int, fn: Callable[[], object]) -> float:
    med, times = median_of(runs, fn)
    print(f"  {label:<34} median {med:.3f} s   (runs: {', '.join(f'{t:.3f}' for t in times)})")
    return med


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--projects", type=int, default=2_000)
    parser.add_argument("--events", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--no-process", action="store_true", help="skip timing the whole CLI process"
    )
    args = parser.parse_args()

    start = time.perf_counter()
    ds = build(args.members, args.projects, args.events)
    print(
        f"KKK engine, {args.members} members × 3 fiscal years, {args.projects} projects, {args.events} events "
        f"(built in {time.perf_counter() - start:.1f} s)"
    )
    engine = show("evaluate()", args.runs, lambda: evaluate(ds, locate=fake_locate))
    ev = evaluate(ds, locate=fake_locate)
    show(
        "to_json() + json.dumps",
        args.runs,
        lambda: json.dumps(to_json(ev), ensure_ascii=False, indent=2),
    )
    show("to_text()", args.runs, lambda: to_text(ev))
    print(f"  result: stage II {ev.stage2.total}/{ev.stage2.max}, status {ev.status}")

    if args.no_process:
        return
    try:
        from klaster.rules.dataset.dump import dump_data
    except ImportError:
        print("  (no dumper yet: whole-process figure skipped)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.json"
        path.write_text(
            json.dumps(dump_data(ds), ensure_ascii=False, default=str), encoding="utf-8"
        )
        cmd = [sys.executable, "-m", "klaster.cli", "kkk", "evaluate", str(path)]

        def process() -> None:
            done = subprocess.run(cmd, capture_output=True, cwd=ROOT, check=False)
            if done.returncode != 0:
                raise SystemExit(done.stderr.decode())

        whole = show("klaster kkk evaluate (process)", args.runs, process)
    print(
        f"  budget: whole process ≤ 3 s → {'OK' if whole <= 3 else 'OVER'}; engine share {engine / whole:.0%}"
    )


if __name__ == "__main__":
    main()
