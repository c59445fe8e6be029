"""Access-matrix rows of the de minimis app's NBP rates pages (wired in tests/core/test_access_matrix.py)."""

from __future__ import annotations


def rows():
    return {}


def payloads():
    return {}
