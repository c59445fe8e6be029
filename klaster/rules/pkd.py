"""PKD codes (Polska Klasyfikacja Działalności): normalising what a person typed and
telling whether a code falls within a branch (MEM-1 specialisation, MEM-10 preference).

A PKD code is hierarchical: division ``62``, group ``62.0``, class ``62.01``, subclass
``62.01.Z``. A member's register entry lists subclasses; a cluster's branch may be given
at any level, so a member's code is in the branch when the branch code is its prefix at a
level boundary (``62`` covers ``62.01.Z``; ``62.01.Z`` does not cover ``62.02.Z``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_DOTTED = re.compile(r"^\d{2}(\.\d(\d(\.[A-Z])?)?)?$")
_COMPACT = re.compile(r"^(\d{2})(\d)(\d)([A-Z])$")


class PkdError(ValueError):
    """A code that is not PKD-shaped; ``str(err)`` names the code (Polish)."""


def normalise_pkd(value: str) -> str:
    """``" 62.01.z "`` → ``"62.01.Z"``; ``"6201Z"`` → ``"62.01.Z"``; otherwise PkdError."""
    text = "".join(value.split()).upper()
    compact = _COMPACT.match(text)
    if compact:
        text = f"{compact[1]}.{compact[2]}{compact[3]}.{compact[4]}"
    if not _DOTTED.match(text):
        raise PkdError(f"PKD: nieprawidłowy kod {value.strip()!r} (oczekiwano np. 62.01.Z)")
    return text


def _level_prefix(branch: str, code: str) -> bool:
    if code == branch:
        return True
    if not code.startswith(branch):
        return False
    # "62" covers "62.01.Z" but not "620…"; "62.0" covers "62.01"; "62.01" covers "62.01.Z".
    nxt = code[len(branch)]
    return nxt == "." or (len(branch) == 4 and nxt.isdigit())


def in_branch(code: str, branch_codes: Iterable[str]) -> bool:
    """Whether ``code`` lies within one of ``branch_codes`` (all compared normalised)."""
    try:
        norm = normalise_pkd(code)
    except PkdError:
        return False
    for branch in branch_codes:
        try:
            if _level_prefix(normalise_pkd(branch), norm):
                return True
        except PkdError:
            continue
    return False
