"""Issue 7 point 2: hostile XLSX files uploaded to the member import (a 600 KB file once took a
worker to 9.5 GB for 5.5 minutes). Each is built in its own process and written to disk; a fresh
process reads it and hands it to the importer's reader, which must refuse it. The figure beside
each is the limit measured in the same run: the peak of a bare Django process that only reads
the file (whatever the refusal adds must be small), and the time to read a real 2,000-row
member list (refusing must cost no more than accepting a normal file).

    .venv/bin/python benchmarks/bench_hostile_uploads.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = {
    "sharedStrings.xml of 300 MB unpacked": "shared_strings_bomb(300 * 2**20)",
    "a cell in column XFD in 2,000 rows": "xfd_in_every_row(2000)",
    "2,000,000 style records": "styles_bomb(2_000_000)",
    "5,000 ZIP entries": "many_entries(5000)",
}
NORMAL = "member_list(2000)"
BUILD = """
import sys
sys.path.insert(0, {root!r})
from tests.exchange.xlsx_hostile import *


def member_list(rows):
    import io
    from openpyxl import Workbook
    wb = Workbook()
    wb.active.append(["Nazwa", "NIP", "Typ", "Kod pocztowy", "Miejscowość", "Data przystąpienia"])
    for r in range(rows):
        wb.active.append([f"Firma {{r}} sp. z o.o.", "", "mikro", "90-361", "Łódź", "2020-01-15"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


open({path!r}, "wb").write({expr})
"""
READ = """
import os, resource, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klaster.settings")
import django
django.setup()
from klaster.exchange.spreadsheet import SpreadsheetError, read_sheet
data = open(sys.argv[1], "rb").read()
start = time.perf_counter()
outcome = "read"
if sys.argv[2] == "parse":
    try:
        read_sheet(data, "lista.xlsx")
        outcome = "accepted"
    except SpreadsheetError:
        outcome = "refused"
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, outcome)
"""


def measure(
    path: Path, mode: str, runs: int, env: dict[str, str]
) -> tuple[list[float], list[float], str]:
    times, peaks, outcome = [], [], ""
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", READ, str(path), mode],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            check=True,
        ).stdout.split()
        times.append(float(out[0]))
        peaks.append(float(out[1]))
        outcome = out[2]
    return times, peaks, outcome


def fmt(values: list[float], unit: str, scale: float = 1) -> str:
    return (
        f"median {statistics.median(values) * scale:.1f} {unit} "
        f"(runs: {', '.join(f'{v * scale:.1f}' for v in values)})"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="klaster-hostile-") as tmpdir:
        tmp = Path(tmpdir)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "KLASTER_VAR_DIR": str(tmp)}
        normal = tmp / "normal.xlsx"
        subprocess.run(
            [sys.executable, "-c", BUILD.format(root=str(ROOT), path=str(normal), expr=NORMAL)],
            check=True,
            cwd=ROOT,
        )
        _t, bare_peaks, _o = measure(normal, "read", args.runs, env)
        normal_times, _p, normal_outcome = measure(normal, "parse", args.runs, env)
        print("Hostile XLSX uploads to the member import (issue 7: refused before parsing)")
        print(f"  limit, peak: a bare Django process reading the file: {fmt(bare_peaks, 'MB')}")
        print(
            f"  limit, time: reading a normal 2,000-row member list ({normal_outcome}): "
            f"{fmt(normal_times, 'ms', 1000)}"
        )
        for name, expr in CASES.items():
            path = tmp / "hostile.xlsx"
            subprocess.run(
                [sys.executable, "-c", BUILD.format(root=str(ROOT), path=str(path), expr=expr)],
                check=True,
                cwd=ROOT,
            )
            times, peaks, outcome = measure(path, "parse", args.runs, env)
            print(
                f"  {name} ({path.stat().st_size // 1024} KB): {outcome}; "
                f"time {fmt(times, 'ms', 1000)}; peak {fmt(peaks, 'MB')}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
