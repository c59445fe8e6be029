"""The goals' table that `bin/bench` prints last: each benchmark records its figure here.

A benchmark that measures a goal calls ``record(...)`` with its per-run ratios (each taken
within one run, against the limit measured in that run). When run by ``benchmarks/run.py`` the
records go to the file named by ``KLASTER_BENCH_SUMMARY`` and run.py prints them together at the
end; a benchmark run on its own prints only its own lines.
"""

from __future__ import annotations

import json
import os
import statistics
from pathlib import Path

ENV = "KLASTER_BENCH_SUMMARY"


def record(
    work: str, values: list[float], *, goal: float, unit: str = "×", higher_is_better: bool = False
) -> None:
    """One goal's figure: ``values`` are the runs' ratios (or seconds when ``unit`` is "s")."""
    target = os.environ.get(ENV)
    if not target or not values:
        return
    row = {"work": work, "values": values, "goal": goal, "unit": unit, "higher": higher_is_better}
    with Path(target).open("a", encoding="utf-8") as out:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")


def table(path: Path) -> str:
    """The recorded goals as the lines run.py prints."""
    if not path.exists():
        return ""
    rows = [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    if not rows:
        return ""
    lines = [
        "",
        "Goals of issue 8 (each ratio taken within one run against the limit measured in it):",
    ]
    width = max(len(r["work"]) for r in rows)
    for r in rows:
        values, unit, goal = r["values"], r["unit"], r["goal"]
        median = statistics.median(values)
        met = median >= goal if r["higher"] else median <= goal
        sign = "≥" if r["higher"] else "≤"
        lines.append(
            f"  {r['work']:<{width}}  median {median:.2f}{unit} "
            f"(min {min(values):.2f}, max {max(values):.2f}, {len(values)} runs)  "
            f"goal {sign} {goal:g}{unit}: {'met' if met else 'NOT met'}"
        )
    return "\n".join(lines)
