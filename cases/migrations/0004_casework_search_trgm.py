"""Trigram indexes for the case list's name and phone search on PostgreSQL.

`search_names` is matched with LIKE 'token%' / '% token%' and phones with LIKE '%digits':
without an index that is a scan of every migrant of the organisation. pg_trgm's GIN index
serves both. SQLite (development) does without: the operation does nothing there.
"""

from django.db import migrations

INDEXES = [
    ("cases_migrant_search_trgm", "search_names"),
    ("cases_migrant_phone_trgm", "phone"),
    ("cases_migrant_phone2_trgm", "phone_secondary"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON cases_migrant "
            f"USING gin ({column} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_security_legal_hold_erasure")]

    operations = [migrations.RunPython(create, drop)]
