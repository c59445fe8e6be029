"""What the money commands share: the cluster by slug, dates, refusals with exit code 2."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import CommandError


def refuse(text: str) -> CommandError:
    """MONEY-CLI: a refusal exits 2 with the cause on stderr and nothing written."""
    return CommandError(text, returncode=2)


def cluster_by_slug(slug: str) -> Any:
    from klaster.core.models import Cluster

    try:
        return Cluster.objects.get(slug=slug)
    except Cluster.DoesNotExist:
        raise refuse(f"Nie ma klastra „{slug}”. Dostępne: klaster clusters") from None


def day(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise refuse(f"{option}: data w postaci RRRR-MM-DD, nie „{text}”.") from None


def say(message: Any) -> str:
    from klaster.rules.message import say as rule_say

    return rule_say(message, "pl")
