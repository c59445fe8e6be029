"""A member's own ballot in one statement (GOV-1, issue 8: a thousand voters at once).

The common ballot — a representative casting its own member's vote in an open General Assembly
vote — is decided, locked, written and audited by one PostgreSQL statement sent in autocommit
(a single statement is its own transaction):

1. `target`: the member's right in the vote, with the vote locked FOR SHARE — only when the vote
   is this cluster's (by slug), open, of the General Assembly (every member takes part,
   `access.takes_part`), the member is present directly (not through a proxy) and the user is
   one of its representatives in the cluster (`_via` → "own");
2. `cast_`: the ballot, unless one exists already (`ON CONFLICT DO NOTHING` on the (vote,
   member) constraint: a ballot committed by a concurrent cast, by either path, is not doubled;
   so the right's row needs no lock of its own);
3. `logged`: the audit row `audit_record` writes for a ballot — only if the ballot was written.

A right found with no ballot written means the member has voted already: that refusal is
answered here (`AlreadyVoted`), in the full path's words.

Anything else — no such right, a closed vote, a ballot already cast, a proxy holder, several
members at once, a Council or Board vote, SQLite, the switch off — answers None, and the caller
takes the full path (`access_ballot` → `ballot_cast`), which decides the same way and words the
refusal. So the statement only ever accepts what the full path accepts; the tests compare both
(tests/governance/test_ballot_statement.py), and the locks are those of `_rights_locked`:
`vote_close` (FOR UPDATE of the vote) waits for a running ballot, and a ballot that waited for it
reads the vote as closed (PostgreSQL re-reads a row it waited to lock).

Off with KLASTER_DB_PREPARED_BALLOTS=false, as the other prepared ballot statements.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from klaster.core.db import hot_cursor
from klaster.core.middleware import current
from klaster.core.models import AuditLog, Cluster, ClusterRole, Role
from klaster.governance.access import _MAX_ID
from klaster.governance.models import Ballot, Meeting, Organ, OrganKind, Vote, VoteRight


@cache
def _sql() -> str:
    qn = connection.ops.quote_name
    right, vote, meeting, cluster, organ, role, ballot, audit = (
        qn(m._meta.db_table)
        for m in (VoteRight, Vote, Meeting, Cluster, Organ, ClusterRole, Ballot, AuditLog)
    )
    # table names from the models, every value a parameter
    return (
        f"WITH target AS ("  # noqa: S608
        f"SELECT r.vote_id, r.member_id, r.proxy_id, m.cluster_id, m.title AS meeting_title, "
        f"m.date, v.number, v.title AS vote_title "
        f"FROM {right} r INNER JOIN {vote} v ON v.id = r.vote_id "
        f"INNER JOIN {meeting} m ON m.id = v.meeting_id "
        f"INNER JOIN {cluster} c ON c.id = m.cluster_id "
        f"INNER JOIN {organ} o ON o.id = m.organ_id "
        f"WHERE r.vote_id = %(vote)s AND r.member_id = %(member)s AND c.slug = %(slug)s "
        f"AND v.status = %(open)s AND o.kind = %(ga)s AND r.mode <> %(proxy)s "
        f"AND EXISTS (SELECT 1 FROM {role} cr WHERE cr.user_id = %(user)s "
        f"AND cr.cluster_id = m.cluster_id AND cr.role = %(representative)s "
        f"AND cr.member_id = r.member_id) "
        f"FOR SHARE OF v), "
        f"cast_ AS (INSERT INTO {ballot} "
        f"(vote_id, member_id, choice, cast_by_id, cast_by_name, via, proxy_id, cast_at) "
        f"SELECT vote_id, member_id, %(choice)s, %(user)s, %(name)s, %(own)s, proxy_id, %(now)s "
        f"FROM target ON CONFLICT (vote_id, member_id) DO NOTHING RETURNING id), "
        f"logged AS (INSERT INTO {audit} "
        f"(cluster_id, user_id, at, action, model, object_id, object_repr, changes, ip, source) "
        f"SELECT t.cluster_id, %(user)s, %(now)s, %(action)s, %(model)s, %(vote_text)s, "
        f"LEFT(t.meeting_title || ' (' || TO_CHAR(t.date, 'DD.MM.YYYY') || '): ' "
        f"|| t.number::text || '. ' || t.vote_title, 300), "
        f"CAST(%(changes)s AS jsonb), CAST(%(ip)s AS inet), %(source)s "
        f"FROM target t CROSS JOIN cast_) "
        f"SELECT (SELECT id FROM cast_), (SELECT count(*) FROM target)"
    )


class AlreadyVoted(Exception):
    """The member's ballot is in already (one member, one vote, GOV-1)."""

    def __init__(self, member_id: int) -> None:
        super().__init__(member_id)
        self.member_id = member_id


def ballot_cast_statement(
    *, user: Any, slug: str, vote_id: int, choices: dict[int, str]
) -> Ballot | None:
    """The ballot written by one statement, or None: take the full path (see the module).
    Raises AlreadyVoted when the member's right is there and its ballot is in already."""
    if (
        connection.vendor != "postgresql"
        or not settings.KLASTER_DB_PREPARED_BALLOTS
        or connection.in_atomic_block  # inside a transaction the full path's locks serve
        or len(choices) != 1
        or not getattr(user, "pk", None)
        or not 0 < vote_id <= _MAX_ID
    ):
        return None
    ((member_id, choice),) = choices.items()
    now = timezone.now()
    ctx = current.get()
    via = Ballot.Via.OWN
    params = {
        "vote": vote_id,
        "member": member_id,
        "slug": slug,
        "open": Vote.Status.OPEN,
        "ga": OrganKind.GA,
        "proxy": "proxy",
        "user": user.pk,
        "representative": Role.REPRESENTATIVE,
        "choice": choice,
        "name": user.get_full_name() or user.get_username(),
        "own": via,
        "now": now,
        "action": "ballot",
        "model": Vote._meta.label,
        "vote_text": str(vote_id),
        # what `ballot_cast` gives `audit_record`: member → [None, "choice (via)"]
        "changes": json.dumps({str(member_id): [None, f"{choice} ({via})"]}),
        "ip": ctx.ip if ctx else None,
        "source": ctx.source if ctx else "cli",
    }
    with hot_cursor() as cur:
        cur.execute(_sql(), params)
        ballot_id, rights = cur.fetchone()
    if ballot_id is None:
        if rights:
            raise AlreadyVoted(member_id)
        return None
    ballot = Ballot(
        id=ballot_id,
        vote_id=vote_id,
        member_id=member_id,
        choice=choice,
        cast_by_id=user.pk,
        cast_by_name=params["name"],
        via=via,
        cast_at=now,
    )
    ballot._state.adding = False
    return ballot
