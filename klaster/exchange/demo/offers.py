"""The demo's offers and competences (offers, competences and gaps, ideas, training needs (PLT-3))."""

from __future__ import annotations

import datetime as dt
from typing import Any


def offers_demo_build(*, cluster: Any, user: Any, today: dt.date) -> None:
    """Filled in by the offers app's work."""
    return None
