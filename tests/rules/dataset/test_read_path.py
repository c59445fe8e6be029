"""Issue 8: read_path() — what `klaster kkk evaluate` reads a file with — gives what
load_path() gives, for every file: the same dataset, or the same messages. It scans a JSON
file's nesting only when the fast readers do not take the file as it is; and the fast
readers' compiled code is kept in __pycache__ like a module's bytecode."""

from __future__ import annotations

import json
import marshal
import sys
from pathlib import Path
from typing import Any

import pytest

from klaster.rules.dataset import schema
from klaster.rules.dataset.errors import DatasetError
from klaster.rules.dataset.load import HOOKS, MAX_DEPTH, SCHEMA_DEPTH, load_path, read_path
from klaster.rules.dataset.yamlio import parse_yaml

EXAMPLE = Path(__file__).with_name("data") / "dataset_md_example.yaml"


def _valid() -> dict[str, Any]:
    return json.loads(json.dumps(parse_yaml(EXAMPLE.read_text(encoding="utf-8")), default=str))


def _messages(path: Path, read: Any) -> list[str]:
    with pytest.raises(DatasetError) as caught:
        read(path)
    return caught.value.messages


def _deep(levels: int) -> Any:
    value: Any = "x"
    for _ in range(levels):
        value = [value]
    return value


def test_a_file_the_readers_take_nests_within_the_limit():
    assert SCHEMA_DEPTH == 5  # root, members, a member, its years, a year
    assert SCHEMA_DEPTH <= MAX_DEPTH


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_read_path_reads_what_load_path_reads(tmp_path: Path, suffix: str):
    path = tmp_path / f"k{suffix}"
    path.write_text(
        json.dumps(_valid()) if suffix == ".json" else EXAMPLE.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    parsed, dataset = read_path(path)
    assert dataset == load_path(path)
    assert isinstance(parsed, dict) and parsed["cluster"]["name"] == dataset.cluster.name


def _broken_files() -> dict[str, str]:
    too_deep_member = _valid()
    too_deep_member["members"][0]["name"] = _deep(MAX_DEPTH + 5)
    too_deep_unknown = _valid()
    too_deep_unknown["extra"] = _deep(MAX_DEPTH)  # an unknown key: too deep all the same
    schema_error = _valid()
    schema_error["members"][0]["joined"] = "2015-13-01"
    just_within = _valid()
    just_within["extra"] = _deep(MAX_DEPTH - 2)  # root + extra's lists: at the limit, no deeper
    return {
        "too_deep_valid_json": json.dumps(too_deep_member),
        "too_deep_unknown_key": json.dumps(too_deep_unknown),
        "too_deep_and_broken": json.dumps(too_deep_member)[:-3] + "]]",
        "too_deep_for_the_parser": "[" * 100_000 + "]" * 100_000,
        "syntax": json.dumps(_valid())[:-1],
        "schema": json.dumps(schema_error),
        "within_the_depth_limit_but_unknown": json.dumps(just_within),
        "not_an_object": "[1, 2]",
        "empty": "",
    }


@pytest.mark.parametrize("name", sorted(_broken_files()))
def test_read_path_refuses_as_load_path_refuses(tmp_path: Path, name: str):
    path = tmp_path / "k.json"
    path.write_text(_broken_files()[name], encoding="utf-8")
    expected = _messages(path, load_path)
    assert _messages(path, read_path) == expected
    if name.startswith("too_deep"):
        assert (
            len(expected) == 1 and f"zagnieżdżenie głębsze niż {MAX_DEPTH} poziomów" in expected[0]
        )


def test_read_path_refuses_a_missing_or_mistyped_file_as_load_path(tmp_path: Path):
    for path in (tmp_path / "missing.json", tmp_path / "k.txt"):
        assert _messages(path, read_path) == _messages(path, load_path)


# -- the fast readers' code, kept compiled ------------------------------------------------


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(schema, "SCHEMA_PATH", tmp_path / "schema.json")
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    return tmp_path / "__pycache__"


def _source() -> str:
    return schema.COMPILED.fast_source(HOOKS)


def _kept(cache_dir: Path) -> Path:
    return cache_dir / f"fast_readers.{sys.implementation.cache_tag}.bin"


def test_the_compiled_readers_are_kept_and_used_again(cache_dir: Path):
    source = _source()
    code = schema._compiled(source, "<fast>")
    kept = _kept(cache_dir).read_bytes()
    assert marshal.loads(kept[32:]) == code == compile(source, "<fast>", "exec")
    _kept(cache_dir).write_bytes(kept[:32] + marshal.dumps(compile("USED = 1", "<fast>", "exec")))
    namespace: dict[str, Any] = {}
    exec(schema._compiled(source, "<fast>"), namespace)  # noqa: S102
    assert namespace["USED"] == 1  # what was kept, not compiled again


def test_a_changed_source_is_compiled_again(cache_dir: Path):
    source = _source()
    schema._compiled(source, "<fast>")
    namespace: dict[str, Any] = {}
    exec(schema._compiled(source + "\nCHANGED = 1\n", "<fast>"), namespace)  # noqa: S102
    assert namespace["CHANGED"] == 1
    assert schema._compiled(source, "<fast>") == compile(source, "<fast>", "exec")


def test_a_damaged_file_is_compiled_again(cache_dir: Path):
    source = _source()
    schema._compiled(source, "<fast>")
    kept = _kept(cache_dir).read_bytes()
    _kept(cache_dir).write_bytes(kept[:32] + b"\x00garbage")
    assert schema._compiled(source, "<fast>") == compile(source, "<fast>", "exec")
    assert _kept(cache_dir).read_bytes() == kept


def test_nothing_is_written_where_bytecode_is_not(cache_dir: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    source = _source()
    assert schema._compiled(source, "<fast>") == compile(source, "<fast>", "exec")
    assert not cache_dir.exists()
