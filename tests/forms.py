"""Posting an edit form as a browser would: with the edit version the page carried (issue 7
point 4, klaster.core.concurrency)."""

from __future__ import annotations

import html
import re
from typing import Any


def page_version(client: Any, page_url: str, prefix: str = "") -> str:
    body = client.get(page_url).content.decode()
    name = f"{prefix}-version" if prefix else "version"
    found = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', body)
    assert found, f"{page_url} shows no {name}"
    return html.unescape(found.group(1))


def versioned(client: Any, page_url: str, data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """`data` plus the version the edit page at `page_url` shows now."""
    name = f"{prefix}-version" if prefix else "version"
    return {**data, name: page_version(client, page_url, prefix)}
