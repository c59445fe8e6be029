"""How long reading and writing a large cluster dataset takes (budgets: `klaster kkk
evaluate` 3 s for the whole process, `klaster import` 15 s).

    .venv/bin/python benchmarks/bench_dataset_load.py [--members 10000] [--repeat 3] [--jsonschema]

Builds a synthetic, valid dataset in memory (10,000 members with 3 fiscal years each,
2,000 projects, 5,000 events by default), writes it as JSON and YAML to a temporary
folder, reads it back, and prints the best of N runs of each step, wall-clock and CPU
(the CPU figure is the steadier one when other work shares the machine).
``--jsonschema`` also times the reference jsonschema validator on the same dict: that
is why the loader compiles schema.json into its own one-pass readers instead.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from stdnum.pl import regon as regon_mod

from klaster.rules.dataset import load
from klaster.rules.dataset.dump import dump_data, dump_path


def _nip(rnd: random.Random) -> str:
    while True:
        base = "".join(rnd.choice("0123456789") for _ in range(9))
        check = sum(w * int(n) for w, n in zip((6, 5, 7, 2, 3, 4, 5, 6, 7), base, strict=True)) % 11
        if check != 10 and base != "000000000":
            return base + str(check)


def _regon(rnd: random.Random) -> str:
    base = "".join(rnd.choice("0123456789") for _ in range(8))
    return base + regon_mod.calc_check_digit(base)


def synthetic(
    members: int = 10_000, projects: int = 2_000, events: int = 5_000, seed: int = 1
) -> dict[str, Any]:
    """A valid dataset in its JSON form (dates and money as strings)."""
    rnd = random.Random(seed)
    types = ["micro", "small", "medium", "large", "iob", "science", "other"]
    ids = [f"m{i:05d}" for i in range(members)]
    mlist: list[dict[str, Any]] = []
    for i, mid in enumerate(ids):
        mtype = types[i % len(types)]
        m: dict[str, Any] = {
            "id": mid,
            "name": f"Firma {i} sp. z o.o.",
            "type": mtype,
            "category": "partner" if i % 10 else "strategic_partner",
            "nip": _nip(rnd),
            "regon": _regon(rnd),
            "krs": f"{rnd.randrange(1, 10**9):010d}",
            "address": {"street": f"ul. Długa {i}", "postal_code": "15-001", "city": "Białystok"},
            "location": {
                "lat": f"53.{rnd.randrange(10**4):04d}",
                "lon": f"23.{rnd.randrange(10**4):04d}",
            },
            "joined": f"20{rnd.randrange(10, 21)}-{rnd.randrange(1, 13):02d}-{rnd.randrange(1, 29):02d}",
            "years": [
                {
                    "year": y,
                    "revenue": f"{rnd.randrange(10**8)}.{rnd.randrange(100):02d}",
                    "export_revenue": f"{rnd.randrange(10**7)}.{rnd.randrange(100):02d}",
                    "rd_expenditure": f"{rnd.randrange(10**6)}.00",
                    "fte": f"{rnd.randrange(1, 500)}.5",
                }
                for y in (2018, 2019, 2020)
            ],
            "industry40": bool(i % 3),
            "iso": [{"standard": "ISO 9001:2015", "ics": "03"}] if i % 4 == 0 else [],
            "certificates": ["TÜV"] if i % 50 == 0 else [],
        }
        if mtype in ("micro", "small", "medium", "large"):
            m["independent"] = bool(i % 5)
        if mtype == "science":
            m["science_category"] = "A"
        mlist.append(m)
    plist = [
        {
            "id": f"p{j}",
            "name": f"Projekt {j}",
            "type": "research",
            "international": j % 3 == 0,
            "rd": j % 2 == 0,
            "coordinator_participates": True,
            "participants": rnd.sample(ids, 5),
            "value": f"{rnd.randrange(10**7)}.00",
            "private_contribution": f"{rnd.randrange(10**6)}.10",
            "funding_source": "POIR 1.2",
            "start": "2019-02-01",
            "end": "2021-12-31",
        }
        for j in range(projects)
    ]
    elist = [
        {
            "name": f"Targi {k}",
            "kind": ("industry", "cluster", "fair")[k % 3],
            "location": "abroad" if k % 2 else "poland",
            "online": False,
            "date": "2019-04-01",
            "coordinator_participated": k % 2 == 0,
            "participants": rnd.sample(ids, 8),
        }
        for k in range(events)
    ]
    return {
        "format": "klaster-dataset/1",
        "as_of": "2021-06-30",
        "cluster": {
            "name": "Klaster Syntetyczny",
            "mode": "grant",
            "coordinator": {"member": ids[0], "clustering_experience_years": 9},
        },
        "members": mlist,
        "projects": plist,
        "events": elist,
    }


def _best(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Best wall-clock and best CPU seconds of ``repeat`` runs (CPU time is steadier on a busy machine)."""
    wall = cpu = float("inf")
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall = min(wall, time.perf_counter() - w0)
        cpu = min(cpu, time.process_time() - c0)
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--projects", type=int, default=2_000)
    parser.add_argument("--events", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--jsonschema", action="store_true", help="also time the jsonschema package"
    )
    args = parser.parse_args(argv)

    data = synthetic(args.members, args.projects, args.events)
    print(
        f"dataset: {args.members} members x 3 fiscal years, {args.projects} projects, {args.events} events"
    )
    ds = load.load_data(data)
    rows: list[tuple[str, tuple[float, float]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        jpath = Path(tmp) / "d.json"
        ypath = Path(tmp) / "d.yaml"
        rows.append(("dump_path(.json)", _best(lambda: dump_path(ds, jpath), 1)))
        rows.append(("dump_path(.yaml)", _best(lambda: dump_path(ds, ypath), 1)))
        jtext = jpath.read_text(encoding="utf-8")
        ytext = ypath.read_text(encoding="utf-8")
        rows += [
            ("dump_data(ds) -> dict", _best(lambda: dump_data(ds), args.repeat)),
            ("load_data(dict): validate + build", _best(lambda: load.load_data(data), args.repeat)),
            (
                "parse JSON text (parse_float=Decimal)",
                _best(lambda: load.parse_text(jtext, "json"), args.repeat),
            ),
            ("load_path(.json)", _best(lambda: load.load_path(jpath), args.repeat)),
            (
                "parse YAML text (event builder)",
                _best(lambda: load.parse_text(ytext, "yaml"), args.repeat),
            ),
            ("load_path(.yaml)", _best(lambda: load.load_path(ypath), args.repeat)),
        ]
        sizes = f"files: JSON {len(jtext) / 1e6:.1f} MB, YAML {len(ytext) / 1e6:.1f} MB"
        assert load.load_path(jpath) == ds
        assert load.load_path(ypath) == ds
    if args.jsonschema:
        import jsonschema

        validator = jsonschema.Draft202012Validator(load.schema())
        rows.append(
            (
                "jsonschema Draft202012Validator.validate (reference only)",
                _best(lambda: validator.validate(data), 1),
            )
        )
    print(sizes)
    print(f"{'':<58} {'wall s':>8} {'cpu s':>8}")
    for label, (wall, cpu) in rows:
        print(f"{label:<58} {wall:8.3f} {cpu:8.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
