"""`klaster refresh-statuses`: bring members' cached status up to date with dated events.

The background worker does this right at its start and after each midnight (`klaster worker`,
started by `klaster serve`; klaster.members.jobs); this command does it at once, for every
cluster — for an operator, or a scheduler where no worker runs."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from klaster.core.models import Cluster
from klaster.members.services import statuses_bring_up_to_date


class Command(BaseCommand):
    help = "Uwzględnia w statusie członków zdarzenia członkostwa datowane do dziś (raz dziennie na klaster)."

    def handle(self, *args, **options):
        for cluster in Cluster.objects.order_by("slug"):
            changed = statuses_bring_up_to_date(cluster)
            self.stdout.write(f"{cluster.slug}: zmieniono status {changed} członków")
