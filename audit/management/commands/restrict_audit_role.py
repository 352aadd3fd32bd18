"""Take UPDATE, DELETE and TRUNCATE on the audit table away from the application's DB role.

    manage.py restrict_audit_role --role hamroh_app

Run it as the table owner (the migration role) when the app connects with its own role. The
trigger from audit/migrations/0002 already refuses changes; this adds "permission denied"
for the app role, as a second, independent lock (ASVS 16.4.2). PostgreSQL only.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = "Revoke UPDATE/DELETE/TRUNCATE on audit_auditevent from a database role."

    def add_arguments(self, parser):
        parser.add_argument("--role", required=True, help="The role the application uses.")

    def handle(self, *args, role: str, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Only PostgreSQL has roles to restrict.")
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                raise CommandError(f"No database role {role!r}.")
            cursor.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON audit_auditevent FROM {qn(role)}")
            cursor.execute(f"GRANT SELECT, INSERT ON audit_auditevent TO {qn(role)}")
        self.stdout.write(f"{role}: audit events are insert-only.")
