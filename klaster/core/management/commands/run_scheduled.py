"""`klaster run-scheduled`: enqueue the periodic jobs due today (klaster.core.jobs.enqueue_due) on
the queue of Django's task framework, each job once a Warsaw day whoever calls it how often — safe
from cron beside `klaster worker`, which runs what is enqueued (and enqueues the same way itself).
Prints the jobs enqueued now, one a line."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from klaster.core import jobs


class Command(BaseCommand):
    help = "Kolejkuje dzisiejsze zadania okresowe (każde raz na dobę; bezpieczne z crona)."

    def handle(self, *args, **options):
        made = jobs.enqueue_due(timezone.localdate())
        for run in made:
            self.stdout.write(f"{run.name} {run.day:%Y-%m-%d}: w kolejce")
        if not made:
            self.stdout.write("nic nowego: dzisiejsze zadania są już w kolejce lub wykonane")
