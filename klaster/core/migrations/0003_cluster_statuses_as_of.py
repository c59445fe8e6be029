import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """Clusters that exist already get no date, so their first page view brings every member's
    cached status up to date with its events; new clusters start from the day they are made."""

    dependencies = [
        ("core", "0002_coordinator_and_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="cluster",
            name="statuses_as_of",
            field=models.DateField(editable=False, null=True,
                                   verbose_name="member statuses brought up to date on"),
        ),
        migrations.AlterField(
            model_name="cluster",
            name="statuses_as_of",
            field=models.DateField(default=django.utils.timezone.localdate, editable=False, null=True,
                                   verbose_name="member statuses brought up to date on"),
        ),
    ]
