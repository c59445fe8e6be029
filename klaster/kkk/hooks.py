"""What the KKK dashboard shows from the apps above kkk, without importing them (STYLE, issue 8).

An app above kkk (the forum) registers a panel from its ``AppConfig.ready``; the dashboard
renders every registered panel for the reader. A panel is ``fn(cluster, grants) -> str``: safe
HTML, or "" when it has nothing for this reader. With none registered the dashboard shows none.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.safestring import SafeString, mark_safe

Panel = Callable[[Any, Any], str]

_panels: dict[str, Panel] = {}


def register_panel(name: str, panel: Panel) -> None:
    _panels[name] = panel


def unregister_panel(name: str) -> Panel | None:
    return _panels.pop(name, None)


def panels(cluster: Any, grants: Any) -> list[SafeString]:
    """The registered panels' HTML for this reader, in registration order, empty ones left out."""
    out = []
    for panel in _panels.values():
        html = panel(cluster, grants)
        if html:
            out.append(mark_safe(html))  # noqa: S308 — a panel renders its own template
    return out
