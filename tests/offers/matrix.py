"""Offers and competences rows of the access matrix (tests/core/test_access_matrix.py)."""

from __future__ import annotations


def rows():
    return {}
