"""The demo's documents (the cluster's document archive with versions and search (PLT-3))."""

from __future__ import annotations

import datetime as dt
from typing import Any


def documents_demo_build(*, cluster: Any, user: Any, today: dt.date) -> None:
    """Filled in by the documents app's work."""
    return None
