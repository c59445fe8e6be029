"""`klaster kkk evaluate FILE [--as-of] [--format]` (DATASET.md): exit 0 whatever the verdict,
2 on a malformed file or bad arguments with the message on stderr and nothing on stdout."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import types
from pathlib import Path

import jsonschema
import pytest

from klaster.rules.kkk import schema
from klaster.rules.kkk.cli import main

VALID = """\
format: klaster-dataset/1
as_of: 2021-06-30
cluster:
  name: Klaster Mały
  coordinator: {member: m000}
members:
  - {id: m000, name: Koordynator, type: iob, joined: 2015-01-01, location: {lat: 53.1325, lon: 23.1688}}
  - {id: m001, name: Firma, type: micro, joined: 2021-01-01, independent: true, location: {lat: 53.1325, lon: 23.1688}}
"""


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def valid(tmp_path: Path) -> Path:
    path = tmp_path / "klaster.yaml"
    path.write_text(VALID, encoding="utf-8")
    return path


def test_kkk_cli_json_exits_0_whatever_the_verdict(valid):
    """DATASET.md: a cluster failing stage I still exits 0; the JSON validates."""
    code, out, err = run("evaluate", str(valid))
    assert (code, err) == (0, "")
    data = json.loads(out)
    jsonschema.validate(data, schema())
    assert data["status"] == "not_granted" and data["as_of"] == "2021-06-30"
    assert data["members"]["total"] == 2


def test_kkk_cli_as_of_overrides_the_files_date(valid):
    """D = --as-of when given (KKK-S1-1: the member who joins 2021-01-01 is not one on 2020-12-31)."""
    code, out, _ = run("evaluate", str(valid), "--as-of", "2020-12-31")
    assert code == 0
    data = json.loads(out)
    assert data["as_of"] == "2020-12-31" and data["members"]["total"] == 1


def test_kkk_cli_text_report_in_polish(valid):
    """--format text prints the Polish report."""
    code, out, err = run("evaluate", str(valid), "--format", "text")
    assert (code, err) == (0, "")
    assert out.startswith("OCENA WNIOSKU O STATUS KRAJOWEGO KLASTRA KLUCZOWEGO")
    assert "KKK-S1-1 Liczba członków" in out


def test_kkk_cli_json_file_works_like_yaml(tmp_path):
    """The file's ending picks the format (DATASET.md)."""
    import yaml

    path = tmp_path / "k.json"
    path.write_text(json.dumps(yaml.safe_load(VALID), default=str), encoding="utf-8")
    code, out, _ = run("evaluate", str(path))
    assert code == 0 and json.loads(out)["members"]["total"] == 2


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (VALID + "bogus: 1\n", "bogus"),
        (VALID.replace("2015-01-01", "2015-13-01"), "members[0].joined"),
        ("members: [\n", "YAML"),
        (VALID.replace("type: micro", "type: mikro"), "members[1].type"),
    ],
)
def test_kkk_cli_malformed_file_exits_2_with_nothing_on_stdout(tmp_path, content, needle):
    """DATASET.md: a malformed file — message naming the field on stderr, nothing on stdout, exit 2."""
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    code, out, err = run("evaluate", str(path))
    assert (code, out) == (2, "")
    assert needle in err and str(path) in err


def test_kkk_cli_missing_file_exits_2(tmp_path):
    code, out, err = run("evaluate", str(tmp_path / "nope.yaml"))
    assert (code, out) == (2, "") and "nie można odczytać" in err


def test_kkk_cli_no_date_anywhere_exits_2(tmp_path):
    """SPEC §6: without D nothing can be evaluated."""
    path = tmp_path / "k.yaml"
    path.write_text(VALID.replace("as_of: 2021-06-30\n", ""), encoding="utf-8")
    code, out, err = run("evaluate", str(path))
    assert (code, out) == (2, "") and "--as-of" in err
    assert run("evaluate", str(path), "--as-of", "2021-06-30")[0] == 0


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["evaluate"],
        ["assess", "x.yaml"],
        ["evaluate", "x.yaml", "--format", "xml"],
        ["evaluate", "x.yaml", "--as-of", "2021-13-01"],
        ["evaluate", "x.yaml", "--as-of", "20210630"],
        ["evaluate", "x.yaml", "--as-of", "2021-02-29"],
        ["evaluate", "x.yaml", "--edition", "1999"],
        ["evaluate", "x.yaml", "extra"],
    ],
)
def test_kkk_cli_bad_arguments_exit_2_with_nothing_on_stdout(argv):
    """Bad arguments: exit 2, usage and a Polish message on stderr, stdout empty."""
    code, out, err = run(*argv)
    assert (code, out) == (2, "")
    assert "użycie:" in err and "błąd:" in err


def test_kkk_cli_help_in_polish_on_stdout():
    code, out, err = run("evaluate", "--help")
    assert (code, err) == (0, "")
    assert "data oceny D" in out and "raport po polsku" in out and "opcje:" in out


def test_kkk_cli_loader_errors_list_every_problem(monkeypatch, tmp_path):
    """A DatasetError with several problems prints one line per problem on stderr."""

    class DatasetError(ValueError):
        def __init__(self, errors):
            super().__init__("\n".join(errors))
            self.errors = errors

    def load_path(path):
        raise DatasetError(["members[0].id: brak", "cluster.name: brak"])

    fake = types.ModuleType("klaster.rules.dataset.load")
    fake.DatasetError = DatasetError
    fake.load_path = load_path
    monkeypatch.setitem(sys.modules, "klaster.rules.dataset.load", fake)
    code, out, err = run("evaluate", str(tmp_path / "k.yaml"))
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"{tmp_path / 'k.yaml'}: members[0].id: brak",
        f"{tmp_path / 'k.yaml'}: cluster.name: brak",
    ]


def test_kkk_cli_imports_no_django():
    """The console script routes `klaster kkk` here without starting Django: keep imports light."""
    code = "import sys, klaster.rules.kkk.cli; print(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


EXAMPLE = Path(__file__).resolve().parents[1] / "dataset" / "data" / "dataset_md_example.yaml"


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_the_kkk_process_prints_what_main_prints(tmp_path: Path, fmt: str) -> None:
    """As a process, `klaster kkk` ends with os._exit once its output is flushed (klaster.cli):
    stdout holds the whole result, byte for byte what main() writes, and the code is 0."""
    done = subprocess.run(
        [sys.executable, "-m", "klaster.cli", "kkk", "evaluate", str(EXAMPLE), "--format", fmt],
        capture_output=True,
        check=False,
    )
    code, out, err = run("evaluate", str(EXAMPLE), "--format", fmt)
    assert (
        (done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8"))
        == (code, out, err)
        == (0, out, "")
    )


def test_the_kkk_process_refuses_with_2_and_nothing_on_stdout(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"format": "klaster-dataset/1", "cluster": {}, "members": [{"id": "m1"}]}',
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "klaster.cli", "kkk", "evaluate", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines() == run("evaluate", str(bad))[2].splitlines()
    assert f"{bad}: members[0].type: brak wymaganego klucza" in done.stderr


def test_kkk_evaluate_of_a_json_file_imports_no_yaml(tmp_path: Path) -> None:
    """PyYAML is imported only when YAML is read (klaster.rules.dataset.limits holds the bounds
    both readers share); `load.DatasetYamlLoader` still answers, importing it then."""
    from klaster.rules.dataset.dump import dump_path
    from klaster.rules.dataset.load import load_path

    data = tmp_path / "k.json"
    dump_path(load_path(EXAMPLE), data)
    code = (
        "import io, sys\n"
        "from klaster.rules.kkk.cli import main\n"
        f"assert main(['evaluate', {str(data)!r}], io.StringIO(), io.StringIO()) == 0\n"
        "print('yaml' in sys.modules)\n"
        "from klaster.rules.dataset import load\n"
        "print(load.DatasetYamlLoader.__name__, 'yaml' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["False", "DatasetYamlLoader", "True"]
