"""Issue 9: fill the folded search columns of the rows that exist (new rows get them on save)."""

from django.db import migrations

from klaster.rules.text import fold

BATCH = 2000


def fill(apps, schema_editor):
    # The historical models have no save() override: the text is built here as the models do.
    Member = apps.get_model("members", "Member")
    DelegatedPerson = apps.get_model("members", "DelegatedPerson")
    rows = []
    for m in Member.objects.only("id", "name", "city").iterator(chunk_size=BATCH):
        m.search = f"{fold(m.name or '')}\n{fold(m.city or '')}"[:430]
        rows.append(m)
    Member.objects.bulk_update(rows, ["search"], batch_size=BATCH)
    people = []
    for p in DelegatedPerson.objects.only("id", "name").iterator(chunk_size=BATCH):
        p.search = fold(p.name or "")[:200]
        people.append(p)
    DelegatedPerson.objects.bulk_update(people, ["search"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("members", "0006_member_search_folded")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
