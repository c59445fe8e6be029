"""`klaster demo`: the database, the demo cluster and the demo logins.

The cluster is data — ``klaster/exchange/data/demo.yaml``, imported like any dataset file
(``klaster.exchange.demo.demo_cluster``); its history is then built through the services under the
demo's clock (``klaster.exchange.demo.governance``, ``.groups``). A second run changes nothing."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from klaster.core.models import Cluster, ClusterRole, Role
from klaster.core.services import statute_profile_set
from klaster.exchange.dataset_io import cluster_import
from klaster.exchange.demo import demo_cluster
from klaster.exchange.demo.aid import aid_demo_build
from klaster.exchange.demo.clock import at, demo_clock, demo_shift, shifted
from klaster.exchange.demo.comms import comms_demo_build
from klaster.exchange.demo.documents import documents_demo_build
from klaster.exchange.demo.events import events_demo_build
from klaster.exchange.demo.forum import forum_demo_build
from klaster.exchange.demo.governance import governance_demo_build
from klaster.exchange.demo.groups import groups_demo_build
from klaster.exchange.demo.money import money_demo_build
from klaster.exchange.demo.offers import offers_demo_build
from klaster.members.models import Member

DEMO_SLUG = "demo"
DEMO_PASSWORD = "klaster-demo"  # noqa: S105 — a local demo login, printed on screen on purpose

# (login, role, member key or None)
PERSONAS = [
    ("biuro", Role.OFFICE, None),
    ("rada", Role.ORGAN_MEMBER, None),
    ("czlonek", Role.REPRESENTATIVE, "first_enterprise"),
    ("forum", Role.FORUM_VIEWER, None),
]


class Command(BaseCommand):
    help = "Tworzy bazę, wczytuje klaster demonstracyjny i zakłada konta demonstracyjne (hasła na ekranie)."

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        with transaction.atomic():
            existing = Cluster.objects.filter(slug=DEMO_SLUG).first()
            created = existing is None
            if existing is not None:
                cluster = existing
            else:
                cluster = cluster_import(demo_cluster(), slug=DEMO_SLUG, source="cli")
                statute_profile_set(
                    cluster=cluster, preset="evoluma", valid_from=cluster.agreement_date, user=None
                )
                self.stdout.write(f"Wczytano klaster demonstracyjny „{cluster.name}”.")
            users = self._personas(cluster)
            if created:
                # Only with a new demo cluster: a second `klaster demo` adds and changes nothing.
                self._history(cluster, users)
                self.stdout.write(
                    "Dodano organy, posiedzenia, uchwały, kandydaturę i grupy współpracy "
                    "(daty względem dzisiejszego dnia; nadzwyczajne Walne Zgromadzenie trwa teraz, "
                    "z otwartym głosowaniem)."
                )
        self.stdout.write("")
        self.stdout.write(f"Konta demonstracyjne (hasło dla wszystkich: {DEMO_PASSWORD}):")
        self.stdout.write("  biuro    — biuro klastra (pełny dostęp)")
        self.stdout.write("  rada     — członek organu (podgląd rejestru)")
        self.stdout.write("  czlonek  — przedstawiciel jednego członka (portal)")
        self.stdout.write("  forum    — obserwator forum")

    def _personas(self, cluster: Cluster) -> dict[str, Any]:
        User = get_user_model()
        users = {}
        for login, role, member_ref in PERSONAS:
            user, new = User.objects.get_or_create(username=login)
            # Reset a changed password, but leave an unchanged account as it is (idempotent).
            # the Django admin is for superusers only (issue 7): no demo login is staff
            if new or user.is_staff or not user.check_password(DEMO_PASSWORD):
                user.set_password(DEMO_PASSWORD)
                user.is_staff = False
                user.save()
            member = _first_enterprise(cluster) if member_ref else None
            ClusterRole.objects.get_or_create(user=user, cluster=cluster, role=role, member=member)
            users[login] = user
        return users

    def _history(self, cluster: Cluster, users: dict) -> None:
        """Governance and groups as a coordinator would have recorded them by 30.06.2026, moved
        by whole weeks to today (the demo lives in the present: klaster.exchange.demo.clock)."""
        now = timezone.now()  # the real moment, before the demo's clock takes over
        with shifted(demo_shift(timezone.localdate())), demo_clock(at(2026, 1, 12, 9, 0)) as clock:
            governance_demo_build(
                cluster=cluster,
                user=users["biuro"],
                clock=clock,
                organ_user=users["rada"],
                member_user=users["czlonek"],
                represented=_first_enterprise(cluster),
                now=now,
            )
            groups_demo_build(cluster=cluster, user=users["biuro"], clock=clock)
        # money lives on the real day: dues billed over the last six months, a statement closed
        # yesterday (klaster.exchange.demo.money)
        money_demo_build(cluster=cluster, user=users["biuro"], today=timezone.localdate())
        # the de minimis register, equipment and lending queue (klaster.exchange.demo.aid)
        aid_demo_build(cluster=cluster, user=users["biuro"], today=timezone.localdate())
        # the region's forum of clusters with four smaller clusters (klaster.exchange.demo.forum)
        forum_demo_build(cluster=cluster, user=users["biuro"], today=timezone.localdate())
        # the member platform (issue 12): newsletters, events, documents, offers
        for build in (comms_demo_build, events_demo_build, documents_demo_build, offers_demo_build):
            build(cluster=cluster, user=users["biuro"], today=timezone.localdate())


def _first_enterprise(cluster: Cluster) -> Member:
    member = (
        cluster.members.filter(type__in=["micro", "small", "medium", "large"])
        .order_by("id")
        .first()
    )
    assert member is not None  # the demonstration dataset has enterprises
    return member
