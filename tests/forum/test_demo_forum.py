"""Issue 13: `klaster demo` gives the `forum` persona a forum (FOR-1): the demo cluster and four
smaller clusters of the region joined by decision, their figures over three years, what each
shares, and shared work of every kind (FOR-2) — and the persona reads the comparison."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from klaster.forum.models import Forum, Sharing, Snapshot, Work

pytestmark = pytest.mark.django_db


def test_for_1_the_demo_forum_has_clusters_figures_sharing_and_shared_work():
    with time_machine.travel(dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC)):
        call_command("demo", stdout=io.StringIO())
        forum = Forum.objects.get(slug="lodzkie")
        clusters = forum.memberships.filter(left_on__isnull=True)
        assert clusters.count() == 5
        assert {w.kind for w in Work.objects.filter(forum=forum)} == set(Work.Kind.values)
        demo = clusters.get(cluster__slug="demo").cluster
        assert Snapshot.objects.filter(cluster=demo).count() == 3  # 2024, 2025, today
        assert Sharing.objects.filter(cluster=demo, key="s2.total").exists()
        client = Client()
        client.force_login(get_user_model().objects.get(username="forum"))
        page = client.get(reverse("forum_benchmark", args=[forum.slug]))
        html = page.content.decode()
        assert page.status_code == 200
        assert "(twój klaster)" in html
        one = client.get(reverse("forum_indicator", args=[forum.slug, "s2.total"])).content
        text = one.decode()
        assert "Klaster ICT Polska Centralna" in text  # agreed to be named
        assert "Łódzki Klaster Mody" not in text  # did not: a letter instead
        assert client.get(reverse("forum_list")).content.decode().count(forum.name) >= 1
