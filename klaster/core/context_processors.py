from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    match = getattr(request, "resolver_match", None)
    return {
        "current_slug": match.kwargs.get("slug") if match else None,
        "demo_mailbox": settings.DEMO_MAILBOX,  # the office's link to the demo mailbox
    }
