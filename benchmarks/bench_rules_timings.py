"""Issue 8: the timings that were assertions in tests (the house rule: never a timing assertion
in a test), each printed beside its limit, with a reference measured in the same run for scale.

    .venv/bin/python benchmarks/bench_rules_timings.py [--runs 5]
    .venv/bin/python benchmarks/run.py --only timings

- KKK-S2-17, `mean_of_ratios` over 5,000 exporters with unrelated revenues (the data of
  tests/rules/kkk/test_stage2.py::test_kkk_s2_17_many_exporters_with_unrelated_revenues).
  Limit 1 s (the test's former assertion). For scale: the exact mean as a sum of 5,000 Fractions,
  which the function builds only near a band edge (tens of thousands of digits).
- MEM-9, 10,000 gazetteer lookups, half by postal code (with a town), half by town name alone
  (the data of tests/rules/test_geo.py::test_mem9_lookups_in_bulk). Limit 1 s (the test's former
  assertion). For scale: loading the gazetteer, which every process pays once.

Pure Python, no database. Medians of --runs runs with their spread (min–max) and every run.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from klaster.rules import geo  # noqa: E402
from klaster.rules.kkk.measure import mean_of_ratios  # noqa: E402

LIMIT_S = 1.0


def spread(values: list[float], unit: str = " ms", digits: int = 1) -> str:
    return (
        f"median {statistics.median(values):.{digits}f}{unit}, spread {min(values):.{digits}f}–"
        f"{max(values):.{digits}f} (runs: {', '.join(f'{v:.{digits}f}' for v in values)})"
    )


def timed(work: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return times


def verdict(values: list[float]) -> str:
    median = statistics.median(values) / 1000
    return f"{'within' if median <= LIMIT_S else 'OVER'} the limit of {LIMIT_S:g} s"


def bench_mean_of_ratios(runs: int) -> None:
    rnd = random.Random(7)
    pairs = [
        (Decimal(rnd.randint(0, 10**8)) / 100, Decimal(rnd.randint(10**8, 10**10)) / 100)
        for _ in range(5000)
    ]
    edges = (Fraction(25, 100), Fraction(35, 100), Fraction(45, 100))
    fast = timed(lambda: mean_of_ratios(pairs, edges), runs)

    def exact() -> Fraction:
        total = Fraction(0)
        for a, b in pairs:
            total += Fraction(a) / Fraction(b)
        return total / len(pairs)

    slow = timed(exact, min(runs, 3))
    print("KKK-S2-17 mean_of_ratios, 5,000 exporters with unrelated revenues")
    print(f"  mean_of_ratios                     {spread(fast)} — {verdict(fast)}")
    print(f"  for scale, the exact Fraction mean {spread(slow)}")


def bench_geocode(runs: int) -> None:
    # the first load in this process, timed on its own (functools.cache keeps it afterwards)
    start = time.perf_counter()
    geo.load()
    load_ms = (time.perf_counter() - start) * 1000
    codes = geo.postal_codes()
    sample = [codes[(i * 7919) % len(codes)] for i in range(10_000)]
    towns = [geo.postal_code_locality(c)[0] for c in sample[:100]]  # type: ignore[index]

    def lookups() -> None:
        for i, code in enumerate(sample):
            if i % 2:
                geo.geocode(code, towns[i % 100])
            else:
                geo.geocode(None, towns[i % 100])

    times = timed(lookups, runs)
    print("MEM-9 gazetteer, 10,000 lookups (half by postal code and town, half by town alone)")
    print(f"  lookups                            {spread(times)} — {verdict(times)}")
    print(f"  for scale, loading the gazetteer   {load_ms:.1f} ms (once per process)")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    bench_mean_of_ratios(args.runs)
    bench_geocode(args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
