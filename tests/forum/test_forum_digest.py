"""Issue 13 point 2: the forum's threads in a daily e-mail digest through the platform's outbox —
yesterday's new works and posts, to each member cluster's office and forum representatives,
once a day; nothing new, nothing sent."""

from __future__ import annotations

import datetime as dt

import time_machine

from klaster.core.models import OutboxMessage
from klaster.forum import jobs, services
from klaster.rules.calendar import WARSAW
from tests.factories import ForumFactory, ForumMembershipFactory, UserFactory, WorkFactory, grant

DAY = dt.date(2026, 12, 3)


def test_for_1_forum_threads_go_out_as_a_daily_digest_once(world):
    forum = ForumFactory(slug="lodzkie", name="Forum Łódzkie")
    ForumMembershipFactory(forum=forum, cluster=world.alfa)
    ForumMembershipFactory(forum=forum, cluster=world.beta)
    world.users["office"].email = "biuro@alfa.example.pl"
    world.users["office"].save()
    reader = UserFactory(username="czyta.forum", email="forum@beta.example.pl")
    grant(reader, world.beta, "forum_viewer")
    with time_machine.travel(dt.datetime(2026, 12, 3, 10, tzinfo=WARSAW), tick=False):
        work = WorkFactory(forum=forum, kind="consultation", title="Konsultacja strategii")
        services.add_post(
            work=work,
            user=world.users["office"],
            cluster=world.alfa,
            text="Nasze uwagi do strategii",
            answer=True,
            today=DAY,
        )
    assert jobs.forum_digest(DAY) == {}  # the digest of the 2nd: nothing that day
    done = jobs.forum_digest(DAY + dt.timedelta(days=1))
    assert set(done) == {"lodzkie/alfa", "lodzkie/beta"}
    rows = {r.cluster.slug: r for r in OutboxMessage.objects.select_related("cluster")}
    assert rows["alfa"].to == ["biuro@alfa.example.pl"]
    assert rows["beta"].to == ["forum@beta.example.pl"]
    text = bytes(rows["beta"].raw).decode("utf-8", "replace")
    assert "Konsultacja strategii" in text
    jobs.forum_digest(DAY + dt.timedelta(days=1))  # a retried job
    assert OutboxMessage.objects.count() == 2
