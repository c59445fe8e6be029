"""The forum's periodic work (klaster.core.jobs), run by `klaster worker`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from klaster.core.jobs import daily


@daily("forum-figures")
def forum_figures(today: dt.date) -> dict[str, int]:
    """FOR-1: every cluster of a forum gets its figures as of the day (its KKK evaluation read
    into the indicator set), so the comparison is never older than a day. Idempotent: a cluster
    that already has the day's figures is left alone; of a year's earlier figures only the last
    is kept (the trend is by year), the one just made being that year's last."""
    from klaster.core.models import Cluster
    from klaster.forum import services
    from klaster.forum.models import Membership, Snapshot
    from klaster.rules.forum.sets import KKK_2021

    clusters = Cluster.objects.filter(
        pk__in=Membership.objects.filter(left_on__isnull=True).values("cluster_id")
    )
    done = set(
        Snapshot.objects.filter(set_code=KKK_2021.code, as_of=today).values_list(
            "cluster_id", flat=True
        )
    )
    made = 0
    for cluster in clusters.exclude(pk__in=done):
        services.refresh_figures(cluster=cluster, as_of=today)
        Snapshot.objects.filter(
            cluster=cluster, set_code=KKK_2021.code, as_of__year=today.year, as_of__lt=today
        ).delete()
        made += 1
    return {"computed": made, "already": len(done)}


FORUM_DIGEST = "forum-digest"


def _digest_for(forum: Any, day: dt.date) -> str:
    """The words of a forum's day: new works and the posts of each thread (issue 13 point 2)."""
    from django.urls import reverse

    from klaster.forum.models import Post, Work
    from klaster.rules.calendar import WARSAW

    start = dt.datetime.combine(day, dt.time(0), WARSAW)
    end = start + dt.timedelta(days=1)
    works = list(
        Work.objects.filter(forum=forum, created_at__gte=start, created_at__lt=end).order_by("pk")
    )
    posts = list(
        Post.objects.filter(work__forum=forum, created_at__gte=start, created_at__lt=end)
        .select_related("work", "cluster")
        .order_by("work_id", "created_at")
    )
    if not works and not posts:
        return ""
    lines = [f"Forum {forum.name}: co nowego {day:%d.%m.%Y}", ""]
    for w in works:
        lines.append(f"Nowe: {w.get_kind_display()} „{w.title}”")
        lines.append(f"  {reverse('forum_work', args=[forum.slug, w.pk])}")
    threads: dict[int, list[Any]] = {}
    for p in posts:
        threads.setdefault(p.work_id, []).append(p)
    for group in threads.values():
        work = group[0].work
        lines.append("")
        lines.append(f"„{work.title}” — wpisy: {len(group)}")
        for p in group[:5]:
            who = p.cluster.name if p.cluster else "biuro forum"
            text = " ".join(p.text.split())
            lines.append(f"  - {who}: {text[:200]}{'…' if len(text) > 200 else ''}")
        lines.append(f"  {reverse('forum_work', args=[forum.slug, work.pk])}")
    lines += ["", "Zestawienie wysyłane raz na dobę przez Klaster."]
    return "\n".join(lines) + "\n"


def _send_digest(cluster: Any, forum: Any, day: dt.date, body: str) -> str:
    from django.conf import settings
    from django.core.mail import EmailMessage

    from klaster.core.models import ClusterRole, OutboxMessage, Role
    from klaster.core.outbox import office_addresses, outbox_enqueue

    to = set(office_addresses(cluster))
    to |= set(
        ClusterRole.objects.filter(cluster=cluster, role=Role.FORUM_VIEWER)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    if not to:
        return "brak adresów"
    outbox_enqueue(
        cluster=cluster,
        messages=[
            EmailMessage(
                f"Forum {forum.name}: zestawienie z {day:%d.%m.%Y}",
                body,
                settings.DEFAULT_FROM_EMAIL,
                sorted(to),
            )
        ],
        kind=OutboxMessage.Kind.OTHER,
        source=f"forum:{forum.pk}",
    )
    return f"do {len(to)} adr."


@daily(FORUM_DIGEST)
def forum_digest(today: dt.date) -> dict[str, str]:
    """Issue 13 point 2: each forum's yesterday — new works and the posts of their threads — goes
    once a day, through the outbox, to each member cluster's office and forum representatives;
    a day with nothing new sends nothing. A retried job sends nothing twice (one step per forum
    and cluster)."""
    import functools

    from klaster.core.jobs import once
    from klaster.forum.models import Forum, Membership

    day = today - dt.timedelta(days=1)
    out: dict[str, str] = {}
    for forum in Forum.objects.order_by("slug"):
        body = _digest_for(forum, day)
        if not body:
            continue
        for m in Membership.objects.filter(forum=forum, left_on__isnull=True).select_related(
            "cluster"
        ):
            step = functools.partial(_send_digest, m.cluster, forum, day, body)
            result = once(f"{FORUM_DIGEST}:{forum.pk}", today, m.cluster, step)
            out[f"{forum.slug}/{m.cluster.slug}"] = result or "wysłane wcześniej"
    return out
