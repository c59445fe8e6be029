"""PostgreSQL: search over the stored ``search_vector`` (0004) instead of an index on the
expression (0003) — a query that matches most of the archive ("klaster") made the planner scan
the table and parse every text again (1.5 s over 10,000 documents); the stored vectors read in
milliseconds. The vectors are filled here for the documents already kept. SQLite: nothing (its
FTS5 table, 0002, stays)."""

from django.db import migrations

PG_UP = (
    "DROP INDEX IF EXISTS documents_document_fts",
    "UPDATE documents_document SET search_vector = "
    "to_tsvector('simple'::regconfig, COALESCE(search_text, ''))",
    "CREATE INDEX documents_document_fts ON documents_document USING gin (search_vector)",
)
PG_DOWN = (
    "DROP INDEX IF EXISTS documents_document_fts",
    "CREATE INDEX documents_document_fts ON documents_document "
    "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_text, '')))",
)


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("documents", "0004_document_search_vector")]
    operations = [migrations.RunPython(_run(PG_UP), _run(PG_DOWN))]
