"""People and access in a person's data (MEM-12, issue 12 point 7): the invitations sent to the
person's address and their user account (klaster.members.personal_data)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from klaster.core.models import Cluster, ClusterRole
from klaster.members.personal_data import Addresses, Source, by_email, placeholder, register
from klaster.people.models import Invitation


def _invitations_export(cluster: Cluster, addresses: Addresses) -> list[dict[str, Any]]:
    rows = Invitation.objects.filter(by_email(addresses), cluster=cluster).order_by("id")
    return [
        {
            "email": r.email,
            "role": r.role,
            "sent": r.created_at.isoformat(),
            "accepted": r.accepted_at.isoformat() if r.accepted_at else None,
            "revoked": r.revoked_at.isoformat() if r.revoked_at else None,
        }
        for r in rows
    ]


def _invitations_erase(cluster: Cluster, addresses: Addresses, today: dt.date) -> int:
    """The address replaced; an invitation not yet accepted is revoked (its link dies)."""
    rows = list(Invitation.objects.filter(by_email(addresses), cluster=cluster))
    for r in rows:
        Invitation.objects.filter(pk=r.pk).update(
            email=placeholder(f"i{r.pk}"),
            revoked_at=r.revoked_at or (None if r.accepted_at else timezone.now()),
        )
    return len(rows)


def _accounts(cluster: Cluster, addresses: Addresses) -> list[Any]:
    """User accounts with the person's address that hold (or held, by an invitation) a role in
    this cluster — an account of another cluster only is not this office's to show."""
    users = get_user_model().objects.filter(by_email(addresses))
    here = set(ClusterRole.objects.filter(cluster=cluster).values_list("user_id", flat=True))
    here |= set(
        Invitation.objects.filter(cluster=cluster, user__isnull=False).values_list(
            "user_id", flat=True
        )
    )
    return [u for u in users.order_by("id") if u.pk in here]


def _accounts_export(cluster: Cluster, addresses: Addresses) -> list[dict[str, Any]]:
    out = []
    for u in _accounts(cluster, addresses):
        roles = ClusterRole.objects.filter(user=u, cluster=cluster).select_related("member")
        out.append(
            {
                "login": u.get_username(),
                "first_name": u.first_name,
                "last_name": u.last_name,
                "email": u.email,
                "joined": u.date_joined.isoformat(),
                "last_login": u.last_login.isoformat() if u.last_login else None,
                "roles": [
                    {"role": r.role, "member": r.member.name if r.member else None} for r in roles
                ],
            }
        )
    return out


def _accounts_erase(cluster: Cluster, addresses: Addresses, today: dt.date) -> int:
    """An account with no role left in any cluster is closed and anonymised (it can no longer
    log in); an account that still holds a role somewhere is left — the office revokes its
    access first ("People and access"), as the export shows."""
    changed = 0
    for u in _accounts(cluster, addresses):
        if ClusterRole.objects.filter(user=u).exists():
            continue
        u.username = f"usuniety-{u.pk}"
        u.first_name, u.last_name, u.email = "", "", placeholder(f"u{u.pk}")
        u.is_active = False
        u.set_unusable_password()
        u.save()
        changed += 1
    return changed


def register_sources() -> None:
    register(Source("invitations", _invitations_export, _invitations_erase))
    register(Source("user_accounts", _accounts_export, _accounts_erase))
