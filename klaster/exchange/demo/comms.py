"""The demo's communications (newsletters, the outbox's pages, portal notices (PLT-2))."""

from __future__ import annotations

import datetime as dt
from typing import Any


def comms_demo_build(*, cluster: Any, user: Any, today: dt.date) -> None:
    """Filled in by the comms app's work."""
    return None
