"""Data: every existing cluster gets the organs of SPEC §2 it does not have yet.

New clusters get theirs when they are created (governance.apps: a post_save receiver); before
this, pages created them on first use, which a read must not do (issue 8). Each organ created
here gets its audit row, as `organs_ensure` writes one, marked as the migration's."""

from django.conf import settings
from django.db import migrations
from django.utils.translation import gettext, override

KINDS = ["ga", "council", "council_presidium", "board", "board_presidium"]  # governance.models.OrganKind


def organs_for_every_cluster(apps, schema_editor):
    Cluster = apps.get_model("core", "Cluster")
    Organ = apps.get_model("governance", "Organ")
    AuditLog = apps.get_model("core", "AuditLog")
    for cluster in Cluster.objects.order_by("pk"):
        have = set(Organ.objects.filter(cluster=cluster).values_list("kind", flat=True))
        for kind in KINDS:
            if kind in have:
                continue
            organ = Organ.objects.create(cluster=cluster, kind=kind)
            with override(settings.LANGUAGE_CODE):  # the organ's name as the audit page shows others
                name = gettext(organ.get_kind_display())
            AuditLog.objects.create(cluster=cluster, action="create", model="governance.Organ",
                                    object_id=str(organ.pk), object_repr=name, source="migration")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_statute_version_revision"),
        ("governance", "0004_pin_statute_versions"),
    ]

    operations = [
        migrations.RunPython(organs_for_every_cluster, migrations.RunPython.noop),
    ]
