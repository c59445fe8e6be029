"""PLT-4 (issue 9): the governance rows of the audit log in words, for ``core.audit_text`` —
a vote's ballots, stored as ``{member id: "for (chair)"}``, read as the members' names and the
choice and the way it was given in words."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from klaster.governance.models import Ballot
from klaster.members.models import Member


def ballot_changes(rows: Sequence[Any]) -> dict[int, list[tuple[str, str, str]]]:
    """Per audit row, its ballots as (member's name, "—", "for (recorded by the chair)");
    the members of the whole page in one query."""
    ids = {int(k) for row in rows for k in (row.changes or {}) if str(k).isdigit()}
    names = dict(Member.objects.filter(pk__in=ids).values_list("pk", "name"))
    choices = dict(Ballot.Choice.choices)
    ways = dict(Ballot.Via.choices)
    out: dict[int, list[tuple[str, str, str]]] = {}
    for row in rows:
        changes = []
        for key, pair in (row.changes or {}).items():
            new = pair[1] if isinstance(pair, list | tuple) and len(pair) == 2 else pair
            choice, _sep, via = str(new).partition(" (")
            via = via.rstrip(")")
            text = str(choices.get(choice, choice))
            if via:
                text += f" ({ways.get(via, via)})"
            name = names.get(int(key), str(key)) if str(key).isdigit() else str(key)
            changes.append((name, "—", text))
        out[row.pk] = changes
    return out
