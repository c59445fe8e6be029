#!/usr/bin/env python3
"""Rebuild klaster/rules/data/pl_postal_codes.csv.gz from a package on PyPI.

Source: the wheel of ``countrystatecity-postal-codes`` (PyPI), file
``countrystatecity_postal_codes/data/by-country/PL/postcodes.json`` — every Polish
postal code (NN-NNN) with its post-office locality, its voivodeship (TERYT code) and
coordinates. The data comes from the countries-states-cities-database project and is
licensed under the Open Database License (ODbL) 1.0; the file we derive from it is
therefore ODbL too (see klaster/rules/data/pl_postal_codes.NOTICE.txt).

The package is needed only here, at build time: the product reads the compact file we
write and never downloads anything at run time.

    python scripts/build_gazetteer.py                 # pip-downloads the pinned wheel
    python scripts/build_gazetteer.py --wheel PATH    # or uses one you already have

What the script does to the data, and why:

* Outliers: a handful of codes were geocoded to a homonym far away (86-181 Serock,
  kujawsko-pomorskie, sits at Serock near Warsaw). A code more than OUTLIER_KM from the
  median of the codes sharing its first three digits (NN-N, a small postal area) gets
  that median instead, and is flagged ``approx`` so that the UI can say so.
* Places: one locality name can mean several places (two Józefów in lubelskie alone).
  Codes of the same name are grouped into places by single linkage: codes closer than
  PLACE_LINK_KM belong to the same place. Each row carries its place number.

The output is sorted by postal code and gzipped with a fixed timestamp, so that the same
wheel always gives the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import math
import statistics
import subprocess
import sys
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path

PACKAGE = "countrystatecity-postal-codes"
VERSION = "2.0.1"
WHEEL_SHA256 = "45151efce4258500df6a696dd72c938a358dff82042e1f205effc64f18f7c6c6"
MEMBER = "countrystatecity_postal_codes/data/by-country/PL/postcodes.json"
OUT = (
    Path(__file__).resolve().parent.parent / "klaster" / "rules" / "data" / "pl_postal_codes.csv.gz"
)

OUTLIER_KM = 55.0
OUTLIER_MIN_GROUP = 5
PLACE_LINK_KM = 15.0
EARTH_RADIUS_KM = 6371.0088


def haversine(a: tuple[float, float], b: tuple[float, float]) -> float:
    p = math.pi / 180
    h = (
        math.sin((b[0] - a[0]) * p / 2) ** 2
        + math.cos(a[0] * p) * math.cos(b[0] * p) * math.sin((b[1] - a[1]) * p / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def fetch_wheel(dest: Path) -> Path:
    subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "-d",
            str(dest),
            f"{PACKAGE}=={VERSION}",
        ],
        check=True,
    )
    wheels = sorted(dest.glob("*.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"expected one wheel in {dest}, found {wheels}")
    return wheels[0]


def read_records(wheel: Path) -> list[dict[str, object]]:
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != WHEEL_SHA256:
        print(
            f"warning: {wheel.name} sha256 {digest} is not the pinned {WHEEL_SHA256}",
            file=sys.stderr,
        )
    with zipfile.ZipFile(wheel) as zf:
        records: list[dict[str, object]] = json.loads(zf.read(MEMBER))
    return records


def fix_outliers(rows: list[dict[str, object]]) -> int:
    groups: dict[str, list[dict[str, object]]] = defaultdict(list)
    for r in rows:
        groups[str(r["code"])[:4]].append(r)
    fixed = 0
    for members in groups.values():
        if len(members) < OUTLIER_MIN_GROUP:
            continue
        mid = (
            statistics.median(float(r["lat"]) for r in members),  # type: ignore[arg-type]
            statistics.median(float(r["lon"]) for r in members),  # type: ignore[arg-type]
        )
        for r in members:
            if haversine(mid, (float(r["lat"]), float(r["lon"]))) > OUTLIER_KM:  # type: ignore[arg-type]
                r["lat"], r["lon"], r["approx"] = mid[0], mid[1], 1
                fixed += 1
    return fixed


def _find(parent: list[int], i: int) -> int:
    """Union-find root with path halving."""
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def assign_places(rows: list[dict[str, object]]) -> int:
    """Single-linkage clusters of the codes of each locality name (see module doc)."""
    by_name: dict[str, list[dict[str, object]]] = defaultdict(list)
    for r in rows:
        by_name[str(r["locality"])].append(r)
    next_place = 0
    for name in sorted(by_name):
        members = by_name[name]
        # Reduce to ~1 km grid cells first: Warszawa has 4,700 codes but few hundred cells.
        cells: dict[tuple[float, float], list[dict[str, object]]] = defaultdict(list)
        for r in members:
            cells[(round(float(r["lat"]), 2), round(float(r["lon"]), 2))].append(r)  # type: ignore[arg-type]
        keys = sorted(cells)
        parent = list(range(len(keys)))
        for i in range(len(keys)):
            for j in range(i + 1, len(keys)):
                if haversine(keys[i], keys[j]) < PLACE_LINK_KM:
                    parent[_find(parent, i)] = _find(parent, j)
        roots: dict[int, list[dict[str, object]]] = defaultdict(list)
        for i, k in enumerate(keys):
            roots[_find(parent, i)].extend(cells[k])
        clusters = sorted(roots.values(), key=lambda rs: min(str(r["code"]) for r in rs))
        for rs in clusters:
            for r in rs:
                r["place"] = next_place
            next_place += 1
    return next_place


def build(records: list[dict[str, object]]) -> tuple[bytes, dict[str, int]]:
    rows: list[dict[str, object]] = []
    seen: set[str] = set()
    for rec in records:
        code = str(rec["code"])
        if len(code) != 6 or code[2] != "-" or not (code[:2] + code[3:]).isdigit():
            raise SystemExit(f"unexpected postal code {code!r}")
        if code in seen:
            raise SystemExit(f"duplicate postal code {code}")
        seen.add(code)
        rows.append(
            {
                "code": code,
                "locality": str(rec["localityName"]).strip(),
                "voiv": str(rec["stateCode"]),
                "lat": float(rec["latitude"]),  # type: ignore[arg-type]
                "lon": float(rec["longitude"]),  # type: ignore[arg-type]
                "approx": 0,
            }
        )
    fixed = fix_outliers(rows)
    places = assign_places(rows)
    rows.sort(key=lambda r: str(r["code"]))
    text = io.StringIO()
    w = csv.writer(text, lineterminator="\n")
    w.writerow(["postal_code", "locality", "voivodeship", "lat", "lon", "place", "approx"])
    for r in rows:
        w.writerow(
            [
                r["code"],
                r["locality"],
                r["voiv"],
                f"{r['lat']:.5f}",
                f"{r['lon']:.5f}",
                r["place"],
                r["approx"] or "",
            ]
        )
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(text.getvalue().encode("utf-8"))
    stats = {
        "postal_codes": len(rows),
        "places": places,
        "locality_names": len({r["locality"] for r in rows}),
        "approximated": fixed,
    }
    return buf.getvalue(), stats


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wheel", type=Path, help=f"a downloaded {PACKAGE} {VERSION} wheel")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or fetch_wheel(Path(tmp))
        data, stats = build(read_records(wheel))
    args.out.write_bytes(data)
    print(f"wrote {args.out} ({len(data):,} bytes): {stats}")


if __name__ == "__main__":
    main()
