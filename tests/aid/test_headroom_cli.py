"""Issue 11 point 8: `klaster aid headroom` answers from the register what `klaster aid check`
answers on the file the register was imported from (AID-1, AID-2, AID-3).

For every file — the situation behind AID-DATASET.md's JSON example and every aid file of the
`aid check` tests (tests/rules/aid/data), plus tests/aid/data/leap.yaml (29 February, a fiscal
year from 1 April, a merger that takes the history over the ceiling) — the file is imported with
`klaster aid import` into a fresh cluster, and then for every undertaking of the file, on every
day the file makes interesting (each link's first and last day, each merger, split and grant,
the first table, the series' end — each with the day before and after — and the regulations'
edges, 29 February 2024 included), with and without `--regulation`, both commands run:

- `aid check FILE … --amount-pln 0.01 --format json` (the least amount the check accepts: it
  is 0.00 EUR at any rate above 2 PLN, so its ``allowed`` is the headroom's: used + 0 ≤ ceiling);
- `aid headroom CLUSTER … --format json`.

They must exit alike; on 0 the headroom's output must be, byte for byte, the check's with
``amount`` 0.00 PLN (keys in the same order); on 2 both print nothing on stdout and a message on
stderr. Where the check allows, the headroom it reports in PLN is allowed by `aid check` and
5 grosze more is not (the rounding of AID-DATASET.md admits at most 2 grosze over).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from unittest import mock

import pytest

from klaster.rules.aid.cli import main as aid_check
from klaster.rules.aid.load import load_path
from klaster.rules.aid.model import AidFile
from tests.money.conftest import klaster

pytestmark = pytest.mark.django_db

RULES_DATA = Path(__file__).resolve().parent.parent / "rules" / "aid" / "data"
FILES = sorted(RULES_DATA.glob("*.yaml")) + [Path(__file__).resolve().parent / "data" / "leap.yaml"]
ZERO = {"pln": "0.00", "eur": "0.00"}
EDGES = [
    dt.date(2023, 12, 31),
    dt.date(2024, 1, 1),
    dt.date(2024, 2, 28),
    dt.date(2024, 2, 29),
    dt.date(2024, 3, 1),
    dt.date(2024, 6, 30),
    dt.date(2024, 7, 1),
]
DAY = dt.timedelta(days=1)


def days_of(f: AidFile) -> list[dt.date]:
    """The days a check of ``f`` can turn on, with the day before and after each."""
    days: set[dt.date] = set(EDGES)
    for link in f.links:
        days.add(link.start)
        if link.end is not None:
            days.add(link.end)
    days.update(x.date for x in f.mergers)
    days.update(x.date for x in f.splits)
    days.update(g.date for g in f.grants)
    if f.rates.tables:
        days.add(f.rates.tables[0].date)
    if f.rates.complete_through:
        days.add(f.rates.complete_through)
    for u in f.undertakings:  # the fiscal year's first day in the years of the grants
        for year in {g.date.year for g in f.grants}:
            days.add(dt.date(year, *u.fiscal_year_start))
    return sorted({d + k * DAY for d in days for k in (-1, 0, 1)})


#: The files here list tables sparsely: the table a date needs may be much older than the date.
#: An engine that read only a fortnight back (as a first version did) answered "no table" there
#: while the file check answered; those days are compared in a test of their own so that a
#: regression shows by name.
LOOKBACK = dt.timedelta(days=14)


def beyond_lookback(f: AidFile, day: dt.date) -> bool:
    """Whether the table for ``day``, or for a grant given only in PLN that a check on ``day``
    may convert, lies more than the engine's fortnight before that date."""
    tables = [t.date for t in f.rates.tables]
    dates = [day] + [
        g.date
        for g in f.grants
        if g.eur is None and day - dt.timedelta(days=4 * 366) <= g.date <= day
    ]
    for x in dates:
        before = [t for t in tables if t <= x]
        if before and before[-1] < x - LOOKBACK:
            return True
    return False


def check(path: Path, nip: str, day: dt.date, regulation: str | None, amount: str):
    args = ["check", str(path), "--undertaking", nip, "--date", day.isoformat()]
    args += ["--amount-pln", amount, "--format", "json"]
    if regulation:
        args += ["--regulation", regulation]
    out, err = io.StringIO(), io.StringIO()
    code = aid_check(args, out, err)
    return code, out.getvalue(), err.getvalue()


def headroom(capsys, slug: str, nip: str, day: dt.date, regulation: str | None):
    args = ["aid", "headroom", slug, "--undertaking", nip, "--date", day.isoformat()]
    args += ["--format", "json"]
    if regulation:
        args += ["--regulation", regulation]
    capsys.readouterr()
    code = klaster(args)
    out, err = capsys.readouterr()
    return code, out, err


def imported(capsys, path: Path) -> str:
    from tests.factories import ClusterFactory

    cluster = ClusterFactory()
    capsys.readouterr()
    assert klaster(["aid", "import", str(path), "--cluster", cluster.slug]) == 0
    out, err = capsys.readouterr()
    assert err == "" and out.startswith("Zaimportowano") or out.startswith("Imported"), out
    return cluster.slug


def agree(capsys, path: Path, *, gaps: bool) -> tuple[int, int]:
    """Every case of ``path`` (those beyond the engine's lookback when ``gaps``, the others
    otherwise) compared; (answered, refused) counted."""
    f = load_path(path)
    slug = imported(capsys, path)
    answered = refused = 0
    for u in f.undertakings:
        for day in days_of(f):
            if beyond_lookback(f, day) != gaps:
                continue
            for regulation in (None, "1407/2013", "2023/2831"):
                case = f"{path.name} {u.nip} {day} {regulation}"
                c_code, c_out, c_err = check(path, u.nip, day, regulation, "0.01")
                h_code, h_out, h_err = headroom(capsys, slug, u.nip, day, regulation)
                assert h_code == c_code, f"{case}: check {c_code} {c_err} / headroom {h_err}"
                if c_code != 0:
                    assert (c_out, h_out) == ("", ""), case
                    assert c_err.strip() and h_err.strip(), case
                    refused += 1
                    continue
                expected = json.loads(c_out)
                assert expected["amount"] == {"pln": "0.01", "eur": "0.00"}, case
                expected["amount"] = ZERO
                assert h_out == json.dumps(expected, ensure_ascii=False, indent=2) + "\n", case
                assert h_err == "", case
                answered += 1
                if expected["allowed"] and expected["headroom_pln"] != "0.00":
                    # the headroom means what it says: that much is allowed, 5 grosze more not
                    at = expected["headroom_pln"]
                    code, out, _ = check(path, u.nip, day, regulation, at)
                    assert json.loads(out)["allowed"] is True, case
                    more = f"{float(at) + 0.05:.2f}"
                    code, out, _ = check(path, u.nip, day, regulation, more)
                    assert json.loads(out)["allowed"] is False, case
    return answered, refused


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_aid_1_aid_2_aid_3_headroom_from_the_register_agrees_with_aid_check_on_the_file(
    capsys, path: Path
):
    answered, refused = agree(capsys, path, gaps=False)
    # both kinds were compared (a file whose every case failed alike would prove nothing)
    assert answered > 0 and refused > 0


GAPPED = [p for p in FILES if any(beyond_lookback(load_path(p), d) for d in days_of(load_path(p)))]


@pytest.mark.parametrize("path", GAPPED, ids=lambda p: p.name)
def test_aid_2_headroom_agrees_where_the_last_table_is_older_than_a_fortnight(capsys, path):
    agree(capsys, path, gaps=True)


def test_aid_3_a_history_over_the_ceiling_leaves_no_headroom_and_allows_nothing(capsys):
    """AID-DATASET.md "If the history already exceeds the ceiling": after Alfa absorbs Beta the
    headroom is 0 and `allowed` is false (reason ceiling_exceeded) even for an amount of 0; the
    day before, the same register allows."""
    path = FILES[-1]
    slug = imported(capsys, path)
    code, out, _ = headroom(capsys, slug, "7010000005", dt.date(2024, 3, 1), None)
    after = json.loads(out)
    assert code == 0
    assert float(after["used_eur"]) > float(after["ceiling_eur"])
    assert (after["headroom_eur"], after["headroom_pln"]) == ("0.00", "0.00")
    assert (after["allowed"], after["reason"], after["amount"]) == (False, "ceiling_exceeded", ZERO)
    code, out, _ = headroom(capsys, slug, "7010000005", dt.date(2024, 2, 29), None)
    before = json.loads(out)
    assert (code, before["allowed"], before["reason"]) == (0, True, None)
    assert [c["id"] for c in before["counted"]] == ["a2", "a3", "a4", "a5"]  # from 28 Feb 2021


def test_aid_headroom_refuses_with_exit_2_and_a_polish_message(capsys):
    """Exit codes as `aid check`: 2, a message on stderr, nothing on stdout."""
    slug = imported(capsys, FILES[-1])
    cases = [
        (["aid", "headroom", "nie-ma", "--undertaking", "7010000005", "--date", "2024-03-01"]),
        (["aid", "headroom", slug, "--undertaking", "7010009590", "--date", "2024-03-01"]),
        (["aid", "headroom", slug, "--undertaking", "7010000006", "--date", "2024-03-01"]),
        (["aid", "headroom", slug, "--undertaking", "7010000005", "--date", "2024-02-30"]),
        (["aid", "headroom", slug, "--undertaking", "7010000005", "--date", "2025-03-04"]),
        (["aid", "headroom", slug, "--undertaking", "7010000005", "--date", "2021-02-25"]),
    ]
    for args in cases:
        capsys.readouterr()
        assert klaster(args) == 2, args
        out, err = capsys.readouterr()
        assert out == "", args
        assert err.startswith("klaster aid headroom: "), (args, err)
        assert "nie" in err or "brak" in err, (args, err)  # Polish


RUN = """
import io, json, sys
from klaster import cli
sys.stdout = io.StringIO()
code = cli.main(sys.argv[1:])
sys.__stdout__.write(json.dumps({"code": code, "django": "django" in sys.modules}))
"""


def test_aid_check_stays_without_django_while_headroom_and_import_go_to_it(tmp_path):
    """The console script sends `aid check` to the pure rules (no Django started, as the
    issue's file check asks); `aid import` and `aid headroom` to the management command."""
    import subprocess
    import sys

    args = ["aid", "check", str(RULES_DATA / "spec_example.yaml"), "--undertaking", "6791926635"]
    args += ["--date", "2025-06-16", "--amount-pln", "100"]
    done = subprocess.run(
        [sys.executable, "-c", RUN, *args], capture_output=True, text=True, check=False
    )
    assert json.loads(done.stdout) == {"code": 0, "django": False}, done.stderr

    from klaster import cli

    seen = []
    with mock.patch.object(cli, "_execute", lambda argv, whole_process: seen.append(argv)):
        assert cli.main(["aid", "headroom", "alfa", "--undertaking", "6793994090"]) == 0
        assert cli.main(["aid", "import", "x.yaml", "--cluster", "alfa"]) == 0
    assert [a[:3] for a in seen] == [["klaster", "aid", "headroom"], ["klaster", "aid", "import"]]
