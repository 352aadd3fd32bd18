"""Covering indexes for the statistics dashboard on PostgreSQL.

The dashboard groups an organisation's cases opened in a period by status, problem, outcome
and month, and by the migrant's citizenship, gender, age, region and sector (stats.queries.
dashboard). With the first two indexes both sides of that join are index-only scans: the period's
range of (organisation, opened_at) carrying the case columns, and the migrants' columns by id,
about a fifth of the pages of the two tables. The medians (closed cases opened in the period)
read the first index too; the cases closed per month read a small partial index of closed cases.
SQLite (development) does without: the operation does nothing there.
"""

from django.db import migrations

INDEXES = [
    (
        "case_org_opened_stats",
        "cases_case (organisation_id, opened_at) "
        "INCLUDE (migrant_id, status, problem_type, outcome, closed_at)",
    ),
    (
        "migrant_stats_dims",
        "cases_migrant (id) INCLUDE (citizenship, gender, date_of_birth, region, sector)",
    ),
    # Cases closed per month in the period: an index-only range scan of the closed cases.
    (
        "case_org_closed_stats",
        "cases_case (organisation_id, closed_at) WHERE closed_at IS NOT NULL",
    ),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, target in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _target in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_reminders_ledger")]

    operations = [migrations.RunPython(create, drop)]
