"""Data: every meeting keeps the statute version it was (or would have been) convened under, and
every vote and resolution records its meeting's — so that a correction added later changes none of
them. A meeting with no version takes the one in force on its day (the latest start on or before
it; these rows all have revision 1)."""

from django.db import migrations


def pin(apps, schema_editor):
    Meeting = apps.get_model("governance", "Meeting")
    Vote = apps.get_model("governance", "Vote")
    Resolution = apps.get_model("governance", "Resolution")
    Version = apps.get_model("core", "StatuteProfileVersion")
    for meeting in Meeting.objects.filter(statute_version__isnull=True).only("id", "cluster_id", "date"):
        version = (Version.objects.filter(cluster_id=meeting.cluster_id, valid_from__lte=meeting.date)
                   .order_by("-valid_from", "-revision").first())
        if version is not None:
            Meeting.objects.filter(pk=meeting.pk).update(statute_version=version)
    for vote in Vote.objects.filter(statute_version__isnull=True).select_related("meeting"):
        if vote.meeting.statute_version_id:
            Vote.objects.filter(pk=vote.pk).update(statute_version_id=vote.meeting.statute_version_id)
    for resolution in Resolution.objects.filter(statute_version__isnull=True).select_related("vote"):
        if resolution.vote.statute_version_id:
            Resolution.objects.filter(pk=resolution.pk).update(statute_version_id=resolution.vote.statute_version_id)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0004_statute_version_revision"),
        ("governance", "0003_vote_resolution_statute_version"),
    ]

    operations = [
        migrations.RunPython(pin, migrations.RunPython.noop),
    ]
