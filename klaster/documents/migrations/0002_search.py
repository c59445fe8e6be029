"""Full-text search over the archive (PLT-3): on SQLite an FTS5 table keyed by the document's id
(klaster.documents.search keeps it in step with ``Document.search_text``); on PostgreSQL a GIN
index on the text's tsvector ('simple' configuration: the text is folded already)."""

from django.db import migrations

SQLITE_UP = (
    "CREATE VIRTUAL TABLE documents_fts USING fts5(body, tokenize='unicode61 remove_diacritics 2')"
)
SQLITE_DOWN = "DROP TABLE IF EXISTS documents_fts"
PG_UP = (
    "CREATE INDEX documents_document_fts ON documents_document "
    "USING gin (to_tsvector('simple', search_text))"
)
PG_DOWN = "DROP INDEX IF EXISTS documents_document_fts"


def up(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)
    elif vendor == "postgresql":
        schema_editor.execute(PG_UP)


def down(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)
    elif vendor == "postgresql":
        schema_editor.execute(PG_DOWN)


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [migrations.RunPython(up, down)]
