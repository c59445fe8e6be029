"""The demo's events (event invitations with RSVP, .ics and attendance (PLT-2))."""

from __future__ import annotations

import datetime as dt
from typing import Any


def events_demo_build(*, cluster: Any, user: Any, today: dt.date) -> None:
    """Filled in by the events app's work."""
    return None
