"""Covering indexes for the dashboard's overdue deadlines and breakdowns on PostgreSQL.

"Overdue deadlines on open cases, by problem" joins the open deadlines past due with the
organisation's open cases. At 1M cases it read every case of the organisation from the heap to
drop the closed ones and every overdue deadline's row for its case id; with these partial
covering indexes both sides are index-only scans. SQLite (development) does without.
"""

from django.db import migrations

INDEXES = [
    (
        "case_org_open_stats",
        "cases_case (organisation_id) INCLUDE (id, problem_type, migrant_id) "
        "WHERE status NOT IN ('resolved', 'closed')",
    ),
    ("deadline_open_due_case", "cases_deadline (due_date) INCLUDE (case_id) WHERE state = 'open'"),
    # The grouped breakdowns join an organisation's cases with its migrants (stats.queries.
    # dashboard): a hash join of two index-only scans instead of a lookup per case.
    (
        "migrant_org_stats_dims",
        "cases_migrant (organisation_id) "
        "INCLUDE (id, citizenship, gender, date_of_birth, region, sector)",
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
    dependencies = [("cases", "0008_delivery_organisation")]

    operations = [migrations.RunPython(create, drop)]
