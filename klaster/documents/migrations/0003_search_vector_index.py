"""PostgreSQL: the GIN index rebuilt on the very expression the search filters by
(``SearchVector("search_text", config="simple")`` compiles to
``to_tsvector('simple'::regconfig, COALESCE(search_text, ''))``), so the planner uses it.
SQLite keeps its FTS5 table (0002); nothing to do there."""

from django.db import migrations

PG_UP = (
    "DROP INDEX IF EXISTS documents_document_fts",
    "CREATE INDEX documents_document_fts ON documents_document "
    "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_text, '')))",
)
PG_DOWN = (
    "DROP INDEX IF EXISTS documents_document_fts",
    "CREATE INDEX documents_document_fts ON documents_document "
    "USING gin (to_tsvector('simple', search_text))",
)


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_search")]
    operations = [migrations.RunPython(_run(PG_UP), _run(PG_DOWN))]
