"""On PostgreSQL, audit events are append-only in the database itself, not only in the ORM.

UPDATE may only (a) null the actor/organisation when those rows are deleted, or (b) replace
`detail` inside an erasure transaction that set `hamroh.audit_redaction = 'on'` (SET LOCAL),
so personal data that slipped into a payload can still be erased. DELETE is refused.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'audit events are append-only';
    END IF;
    IF NEW.id <> OLD.id OR NEW.action <> OLD.action OR NEW.created_at <> OLD.created_at
       OR NEW.object_type <> OLD.object_type OR NEW.object_id <> OLD.object_id
       OR (NEW.actor_id IS NOT NULL AND NEW.actor_id IS DISTINCT FROM OLD.actor_id)
       OR (NEW.organisation_id IS NOT NULL
           AND NEW.organisation_id IS DISTINCT FROM OLD.organisation_id) THEN
        RAISE EXCEPTION 'audit events are append-only';
    END IF;
    IF NEW.detail::text <> OLD.detail::text
       AND coalesce(current_setting('hamroh.audit_redaction', true), '') <> 'on' THEN
        RAISE EXCEPTION 'audit events are append-only';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
