from __future__ import annotations

from django.core.management.base import BaseCommand

from klaster.core.models import Cluster


class Command(BaseCommand):
    help = "Wypisuje identyfikatory (slug) klastrów, po jednym w wierszu."

    def handle(self, *args, **options):
        for slug in Cluster.objects.order_by("slug").values_list("slug", flat=True):
            self.stdout.write(slug)
