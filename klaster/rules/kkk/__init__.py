"""The KKK scoring engine (SPEC §6): pure Python, editions as swappable rule sets.

    from klaster.rules.kkk import evaluate, to_json, to_text
    result = evaluate(dataset, as_of=date(2021, 6, 30), edition="2021", locate=None)

`klaster kkk evaluate FILE` is `klaster.rules.kkk.cli.main`.
"""

from klaster.rules.kkk.context import KkkError, Locate
from klaster.rules.kkk.edition import Edition, PanelArea
from klaster.rules.kkk.editions import DEFAULT_EDITION, EDITIONS
from klaster.rules.kkk.engine import evaluate
from klaster.rules.kkk.output import dumps, schema, to_json
from klaster.rules.kkk.report import to_text
from klaster.rules.kkk.result import (
    Criterion,
    Evaluation,
    Indicator,
    MemberCounts,
    PanelScore,
    Stage1,
    Stage2,
    Stage3,
    Status,
    Value,
    WhatIf,
)

__all__ = [
    "DEFAULT_EDITION",
    "EDITIONS",
    "Criterion",
    "Edition",
    "Evaluation",
    "Indicator",
    "KkkError",
    "Locate",
    "MemberCounts",
    "PanelArea",
    "PanelScore",
    "Stage1",
    "Stage2",
    "Stage3",
    "Status",
    "Value",
    "WhatIf",
    "dumps",
    "evaluate",
    "schema",
    "to_json",
    "to_text",
]
