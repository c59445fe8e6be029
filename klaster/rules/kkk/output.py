"""to_json(): the evaluation in exactly the shape DATASET.md shows for `--format json`.

Outside tools read this: keys and order are those of DATASET.md, validated against
`output.schema.json` next to this file. Per indicator `points` is always the product's
proposal; `stage2.total` is the experts' result when experts scored (KKK-S2-EXP), and each
indicator's `note` then shows the experts' scores, their mean and the difference.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from klaster.rules.kkk.result import Criterion, Evaluation, Indicator

SCHEMA_FILE = "output.schema.json"


def _criterion(c: Criterion) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": c.id,
        "passed": c.passed,
        "value": c.value,
        "required": c.required,
        "basis": list(c.basis),
    }
    if c.note:
        out["note"] = c.note
    return out


def _indicator(i: Indicator) -> dict[str, Any]:
    return {
        "id": i.id,
        "points": i.points,
        "max": i.max,
        "value": i.value,
        "basis": list(i.basis),
        "note": i.note,
    }


def to_json(evaluation: Evaluation) -> dict[str, Any]:
    """A JSON-ready dict (plain str/int/bool/None/list/dict) of the evaluation."""
    e = evaluation
    return {
        "as_of": e.as_of.isoformat(),
        "members": {
            "total": e.members.total,
            "by_type": dict(e.members.by_type),
            "enterprises": e.members.enterprises,
            "within_200_km": e.members.within_200_km,
        },
        "stage1": {
            "passed": e.stage1.passed,
            "criteria": [_criterion(c) for c in e.stage1.criteria],
        },
        "stage2": {
            "total": e.stage2.total,
            "passed": e.stage2.passed,
            "indicators": [_indicator(i) for i in e.stage2.indicators],
        },
        "stage3": None if e.stage3 is None else {"total": e.stage3.total},
        "total": e.total,
        "status": e.status,
    }


def dumps(evaluation: Evaluation) -> str:
    """The JSON text the CLI prints: UTF-8 Polish left as is, two-space indent."""
    return json.dumps(to_json(evaluation), ensure_ascii=False, indent=2) + "\n"


def schema() -> dict[str, Any]:
    """The JSON Schema of to_json()'s output."""
    text = resources.files("klaster.rules.kkk").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded
