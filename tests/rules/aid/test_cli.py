"""`klaster aid check` (AID-DATASET.md): its JSON, its Polish report and its exit codes."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from klaster.rules.aid.cli import main

DATA = Path(__file__).parent / "data"
EXAMPLE = str(DATA / "spec_example.yaml")
# the JSON example of AID-DATASET.md, copied literally
SPEC_OUTPUT = (DATA / "spec_example_output.json").read_text()


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def _args(**changes: str) -> list[str]:
    args = {
        "file": EXAMPLE,
        "--undertaking": "6791926635",
        "--date": "2025-06-16",
        "--amount-pln": "362000",
    }
    args.update(changes)
    out = ["check", args.pop("file")]
    for key, value in args.items():
        out += [key, value]
    return out


def _key_paths(value, path: str = "") -> list[str]:
    """Every key with its path, in the order written (lists: their first item's keys)."""
    if isinstance(value, dict):
        keys = []
        for key, item in value.items():
            keys.append(f"{path}.{key}")
            keys += _key_paths(item, f"{path}.{key}")
        return keys
    if isinstance(value, list) and value:
        return _key_paths(value[0], f"{path}[]")
    return []


def test_aid_3_json_keys_are_in_the_order_of_the_spec_example_literally():
    code, out, err = run(*_args(), "--format", "json")
    assert (code, err) == (0, "")
    ours = json.loads(out)
    spec = json.loads(SPEC_OUTPUT)
    assert list(ours) == list(spec)
    assert _key_paths(ours) == _key_paths(spec)
    # the same situation gives the same answer: every value but the elided counted list,
    # whose first entry is the example's
    for key in spec:
        if key != "counted":
            assert ours[key] == spec[key], key
    assert ours["counted"][0] == spec["counted"][0]
    assert out.endswith("}\n")


def test_aid_3_json_of_a_grant_converted_at_its_days_table():
    code, out, _ = run(*_args(), "--format", "json")
    c11 = next(c for c in json.loads(out)["counted"] if c["id"] == "c11")
    assert c11 == {
        "id": "c11",
        "undertaking": "6791926635",
        "member": "6791926635",
        "regulation": "2023/2831",
        "date": "2024-03-02",
        "eur": "100000.00",
        "rate": {"table": "044/A/NBP/2024", "date": "2024-03-01", "mid": "4.3000"},
    }


def test_aid_3_a_refused_grant_exits_0_with_the_reason():
    code, out, err = run(*_args(**{"--amount-pln": "383328.03"}), "--format", "json")
    assert (code, err) == (0, "")
    answer = json.loads(out)
    assert answer["allowed"] is False and answer["reason"] == "ceiling_exceeded"
    assert answer["headroom_pln"] == "383328.00"


def test_aid_3_the_text_report_is_polish_and_names_regulation_window_table_and_rule():
    code, out, err = run(*_args())
    assert (code, err) == (0, "")
    assert "Rozporządzenie: 2023/2831" in out
    assert "16.06.2022 – 16.06.2025" in out
    assert "115/A/NBP/2025" in out
    assert "Reguła (AID-3)" in out
    assert "Pomoc dopuszczalna" in out
    assert "362000,00 zł" in out
    code, out, _ = run(*_args(**{"--amount-pln": "383328.03"}))
    assert code == 0 and "Odmowa w całości" in out and "ceiling_exceeded" in out


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"--undertaking": "6818974989"}, "w pliku nie ma takiego przedsiębiorstwa"),
        ({"--undertaking": "6791926636"}, "to nie jest NIP"),
        ({"--date": "2025-02-30"}, "to nie jest data"),
        ({"--date": "16.06.2025"}, "to nie jest data"),
        ({"--amount-pln": "1000.001"}, "to nie jest kwota"),
        ({"--amount-pln": "0"}, "to nie jest kwota"),
        ({"--amount-pln": "abc"}, "to nie jest kwota"),
        ({"--date": "2025-06-17"}, "starszego kursu się nie używa"),
        ({"--date": "2022-06-14"}, "pierwsza tabela w pliku jest z 15.06.2022"),
    ],
)
def test_aid_bad_arguments_and_a_missing_rate_exit_2_with_nothing_on_stdout(changes, words):
    code, out, err = run(*_args(**changes))
    assert code == 2
    assert out == ""
    assert words in err


def test_aid_3_a_regulation_not_applicable_exits_2():
    code, out, err = run(*_args(), "--regulation", "1407/2013")
    assert (code, out) == (2, "")
    assert "nie ma zastosowania" in err
    code, out, err = run(*_args(), "--regulation", "360/2012")
    assert (code, out) == (2, "")
    assert "niedozwolona wartość" in err


def test_aid_3_a_ceased_undertaking_exits_2():
    code, out, err = run(
        "check",
        str(DATA / "events.yaml"),
        "--undertaking",
        "9790626039",
        "--date",
        "2024-12-02",
        "--amount-pln",
        "1",
    )
    assert (code, out) == (2, "")
    assert "przestało istnieć 02.04.2024 (mergers[0])" in err


def test_aid_a_malformed_file_exits_2_naming_the_field(tmp_path):
    path = tmp_path / "aid.yaml"
    text = (DATA / "spec_example.yaml").read_text().replace('pln: "93000.00"', 'pln: "93000.001"')
    path.write_text(text)
    code, out, err = run(*_args(file=str(path)))
    assert (code, out) == (2, "")
    assert err.startswith(f"{path}: grants[0].pln: to nie jest kwota")
    code, out, err = run(*_args(file=str(tmp_path / "missing.yaml")))
    assert (code, out) == (2, "")


def test_aid_missing_arguments_exit_2():
    code, out, err = run("check", EXAMPLE)
    assert (code, out) == (2, "")
    assert "brak wymaganych argumentów" in err


def test_aid_klaster_aid_runs_without_django():
    code = (
        "import io, sys; from klaster.cli import main; "
        f"rc = main(['aid', 'check', {EXAMPLE!r}, '--undertaking', '6791926635', "
        "'--date', '2025-06-16', '--amount-pln', '362000', '--format', 'json']); "
        "assert rc == 0, rc; "
        "sys.exit(3 if any(m == 'django' or m.startswith('django.') for m in sys.modules) else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["allowed"] is True
