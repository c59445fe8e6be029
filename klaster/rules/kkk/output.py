"""to_json(): the evaluation in exactly the shape DATASET.md shows for `--format json`.

Outside tools read this: keys and order are those of DATASET.md, validated against
`output.schema.json` next to this file. Per indicator `points` is always the product's
proposal; `stage2.total` is the experts' result when experts scored (KKK-S2-EXP), and each
indicator's `note` then shows the experts' scores, their mean and the difference.

The evaluation speaks codes (klaster.rules.message); this is one of its edges: the notes are
rendered here, in Polish for the CLI (DATASET.md shows Polish notes), from the compiled
catalogue, without Django.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from klaster.rules.kkk.result import Criterion, Evaluation, Indicator, Value
from klaster.rules.message import Msg, catalogue_translator, render

SCHEMA_FILE = "output.schema.json"


Say = Callable[[Msg], str]


def sayer(lang: str = "pl") -> Say:
    """Render a message in `lang` from the compiled catalogue (Django-free)."""
    translate = catalogue_translator(lang)
    return lambda message: render(message, lang, translate)


def _value(value: Value, say: Say) -> int | str | bool | None:
    return say(value) if isinstance(value, Msg) else value


def _criterion(c: Criterion, say: Say) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": c.id,
        "passed": c.passed,
        "value": _value(c.value, say),
        "required": c.required,
        "basis": list(c.basis),
    }
    # KKK-4: in renewal the verdict is the applicant's statement, said so by a fixed word
    if c.statement:
        out["note"] = "statement"
    elif c.note is not None:
        out["note"] = say(c.note)
    return out


def _indicator(i: Indicator, say: Say) -> dict[str, Any]:
    return {
        "id": i.id,
        "points": i.points,
        "max": i.max,
        "value": _value(i.value, say),
        "basis": list(i.basis),
        "note": say(i.note),
    }


def to_json(evaluation: Evaluation, lang: str = "pl") -> dict[str, Any]:
    """A JSON-ready dict (plain str/int/bool/None/list/dict) of the evaluation, its notes in
    `lang` (Polish by default, as DATASET.md shows them)."""
    e = evaluation
    say = sayer(lang)
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
            "criteria": [_criterion(c, say) for c in e.stage1.criteria],
        },
        "stage2": {
            "total": e.stage2.total,
            "passed": e.stage2.passed,
            "indicators": [_indicator(i, say) for i in e.stage2.indicators],
        },
        "stage3": None if e.stage3 is None else {"total": e.stage3.total},
        "total": e.total,
        "status": e.status,
    }


def dumps(evaluation: Evaluation) -> str:
    """The JSON text the CLI prints: UTF-8 Polish left as is, two-space indent.

    Exactly ``json.dumps(to_json(evaluation), ensure_ascii=False, indent=2) + "\\n"``: with
    an indent the json module writes through its pure-Python encoder, a tenth of a second on a
    10,000-member cluster whose `basis` lists hold every member's id; :func:`_indented` writes
    the same text with the C string encoder, lists of strings a line each in one join.
    """
    data = to_json(evaluation)
    out: list[str] = []
    try:
        _indented(data, "", out)
    except _Unsupported:  # pragma: no cover - to_json() makes only the types _indented writes
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    out.append("\n")
    return "".join(out)


class _Unsupported(Exception):
    pass


_STRING: Any = (
    getattr(json.encoder, "c_encode_basestring", None) or json.encoder.py_encode_basestring
)
_SCALARS: dict[object, str] = {True: "true", False: "false", None: "null"}


def _indented(value: Any, indent: str, out: list[str]) -> None:
    """Append to ``out`` the pieces of ``json.dumps(value, ensure_ascii=False, indent=2)`` for
    str, int, bool, None, list and dict with str keys (the layout of json.encoder's
    _make_iterencode); anything else raises _Unsupported. The pieces are joined once, at the
    end: the ids are ASCII and the notes Polish, and joining them level by level would widen
    the ASCII text again at every level."""
    cls = value.__class__
    if cls is str:
        out.append(_STRING(value))
    elif cls is bool or value is None:
        out.append(_SCALARS[value])
    elif cls is int:
        out.append(int.__repr__(value))
    elif cls is list:
        if not value:
            out.append("[]")
            return
        inner = indent + "  "
        out.append("[\n" + inner)
        if all(v.__class__ is str for v in value):
            out.append((",\n" + inner).join(map(_STRING, value)))
        else:
            for i, item in enumerate(value):
                if i:
                    out.append(",\n" + inner)
                _indented(item, inner, out)
        out.append("\n" + indent + "]")
    elif cls is dict:
        if not value:
            out.append("{}")
            return
        inner = indent + "  "
        out.append("{\n" + inner)
        for i, (key, item) in enumerate(value.items()):
            if key.__class__ is not str:
                raise _Unsupported
            if i:
                out.append(",\n" + inner)
            out.append(_STRING(key) + ": ")
            _indented(item, inner, out)
        out.append("\n" + indent + "}")
    else:
        raise _Unsupported


def schema() -> dict[str, Any]:
    """The JSON Schema of to_json()'s output."""
    from importlib import resources  # only tests and tools ask for it: keep the CLI's start light

    text = resources.files("klaster.rules.kkk").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded
