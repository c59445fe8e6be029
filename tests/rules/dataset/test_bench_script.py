"""benchmarks/bench_dataset_load.py keeps working (run small here; the real figures are printed by hand)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "benchmarks" / "bench_dataset_load.py"


def test_benchmark_script_runs_on_a_small_cluster(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("bench_dataset_load", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (
        module.main(["--members", "60", "--projects", "10", "--events", "10", "--repeat", "1"]) == 0
    )
    out = capsys.readouterr().out
    assert "dataset: 60 members" in out
    assert "load_path(.json)" in out and "load_path(.yaml)" in out
