"""Issue 8: `klaster kkk evaluate` against reading its file, and a `klaster` command's start.

    .venv/bin/python benchmarks/bench_startup_and_engine.py [--members 10000] [--runs 7] [--only engine,startup]

Every figure is a whole fresh process (wall time from start to exit, and its CPU time), put
beside its limit measured in the same run, the processes taking turns so that a noisy machine
slows both alike; medians of --runs runs, the spread as min–max:

* engine: `klaster kkk evaluate FILE --format json` on a 10,000-member file against
  `python -c "import json; json.load(open(FILE))"` (goal ≤ 3×), and the same for the YAML
  file against PyYAML's own C loader, `yaml.load(open(FILE), Loader=yaml.CSafeLoader)`
  (no goal: for information);
* startup: `klaster clusters` against the 0.3 s goal, beside `python -c pass` and a bare
  `django.setup()` with our settings.

The files come from `klaster demo-data`; `clusters` runs on a freshly migrated SQLite file.
Bytecode caches are written before the runs (a development shell's PYTHONDONTWRITEBYTECODE=1
would otherwise make every run compile the changed modules again, as no installation does),
the dataset loader's compiled fast readers among them (klaster/rules/dataset/schema.py).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _summary  # noqa: E402  (benchmarks/_summary.py, also when run on its own)

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
SCRIPT = Path(PY).with_name("klaster")
KLASTER = [str(SCRIPT)] if SCRIPT.exists() else [PY, "-m", "klaster.cli"]
ENGINE_GOAL = 3.0
START_GOAL_S = 0.3


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=ROOT, check=False
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        sys.stderr.write(done.stderr.decode("utf-8", "replace"))
        raise SystemExit(f"failed: {' '.join(cmd)}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def measure(
    cmds: dict[str, list[str]], env: dict[str, str], runs: int
) -> dict[str, tuple[list[float], list[float]]]:
    for cmd in cmds.values():  # warm up: bytecode caches, the file in the page cache
        timed(cmd, env)
    walls: dict[str, list[float]] = {name: [] for name in cmds}
    cpus: dict[str, list[float]] = {name: [] for name in cmds}
    for _ in range(runs):
        for name, cmd in cmds.items():  # in turns: noise hits every command alike
            wall, cpu = timed(cmd, env)
            walls[name].append(wall)
            cpus[name].append(cpu)
    return {name: (walls[name], cpus[name]) for name in cmds}


def spread(values: list[float]) -> str:
    return f"median {statistics.median(values):.3f} s (min {min(values):.3f}, max {max(values):.3f}, {len(values)} runs)"


def show(cmd: list[str]) -> str:
    return " ".join(c if " " not in c else repr(c) for c in cmd).replace(str(ROOT) + "/", "")


def engine(tmp: Path, env: dict[str, str], members: int, runs: int) -> None:
    for suffix in ("json", "yaml"):
        path = tmp / f"big.{suffix}"
        if not path.exists():
            timed([*KLASTER, "demo-data", "--members", str(members), "--out", str(path)], env)
        if suffix == "json":
            limit_name, limit = (
                "json.load",
                [PY, "-c", f"import json; json.load(open({str(path)!r}))"],
            )
        else:
            limit_name, limit = (
                "yaml.load (CSafeLoader)",
                [PY, "-c", f"import yaml; yaml.load(open({str(path)!r}), Loader=yaml.CSafeLoader)"],
            )
        ours = [*KLASTER, "kkk", "evaluate", str(path), "--format", "json"]
        got = measure({"ours": ours, "limit": limit}, env, runs)
        wall = statistics.median(got["ours"][0]) / statistics.median(got["limit"][0])
        cpu = statistics.median(got["ours"][1]) / statistics.median(got["limit"][1])
        if suffix == "json":
            verdict = f"goal ≤ {ENGINE_GOAL:g}×: {'met' if wall <= ENGINE_GOAL else 'NOT met'}"
        else:
            verdict = "no goal (for information)"
        print(
            f"klaster kkk evaluate, {members} members, {suffix.upper()} file ({path.stat().st_size / 1e6:.1f} MB)"
            f" vs {limit_name} of the same file"
        )
        print(f"  measured  {spread(got['ours'][0])}   {show(ours)}")
        print(f"  limit     {spread(got['limit'][0])}   {show(limit)}")
        print(f"  ratio     {wall:.2f}× wall time, {cpu:.2f}× CPU time   {verdict}")
        if suffix == "json":
            # per-run ratios: the runs alternate, so run i of each was measured side by side
            pairs = zip(got["ours"][0], got["limit"][0], strict=True)
            _summary.record(
                f"kkk evaluate, {members} members, JSON / json.load",
                [a / b for a, b in pairs],
                goal=ENGINE_GOAL,
            )


def startup(tmp: Path, env: dict[str, str], runs: int) -> None:
    db_env = {**env, "DATABASE_URL": f"sqlite:///{tmp / 'startup.sqlite3'}"}
    timed([*KLASTER, "migrate"], db_env)
    setup = "import os, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'klaster.settings'); django.setup()"
    cmds = {
        "clusters": [*KLASTER, "clusters"],
        "pass": [PY, "-c", "pass"],
        "setup": [PY, "-c", setup],
    }
    got = measure(cmds, db_env, runs)
    clusters = statistics.median(got["clusters"][0])
    verdict = f"goal ≤ {START_GOAL_S:g} s: {'met' if clusters <= START_GOAL_S else 'NOT met'}"
    print("klaster clusters (a whole command: start, one query, exit) vs the 0.3 s goal")
    print(f"  measured  {spread(got['clusters'][0])}   {show(cmds['clusters'])}")
    print(f"  limit     {START_GOAL_S:.3f} s (the goal)")
    print(f"  ratio     {clusters / START_GOAL_S:.2f}× the goal   {verdict}")
    print(f"  context   python -c pass: {spread(got['pass'][0])}")
    print(f"            bare django.setup(): {spread(got['setup'][0])}")
    _summary.record(
        "klaster clusters (a command's start), s", got["clusters"][0], goal=START_GOAL_S, unit=" s"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--only", default="engine,startup", help="comma-separated: engine, startup")
    args = parser.parse_args()
    only = set(args.only.split(","))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(ROOT)
    with tempfile.TemporaryDirectory(prefix="klaster-bench-start-") as tmpdir:
        tmp = Path(tmpdir)
        env["KLASTER_VAR_DIR"] = str(tmp)
        if "engine" in only:
            engine(tmp, env, args.members, max(args.runs, 5))
        if "startup" in only:
            startup(tmp, env, max(args.runs, 5))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
