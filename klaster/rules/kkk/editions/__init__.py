"""The registry of KKK editions (SPEC KKK-5).

To add an edition: write `eNNNN.py` next to `e2021.py` with its own `EDITION` (reuse what you
like from `klaster.rules.kkk.measure` and `context`, or import rule functions from an older
edition — never edit it), and add one line below.
"""

from __future__ import annotations

from klaster.rules.kkk.edition import Edition
from klaster.rules.kkk.editions import e2021

EDITIONS: dict[str, Edition] = {
    e2021.EDITION.key: e2021.EDITION,
}

DEFAULT_EDITION = "2021"
