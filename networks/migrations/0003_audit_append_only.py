from django.db import migrations

FUNCTION = """
CREATE FUNCTION networks_auditevent_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER networks_auditevent_append_only
    BEFORE UPDATE OR DELETE ON networks_auditevent
    FOR EACH ROW EXECUTE FUNCTION networks_auditevent_refuse_change();
"""

REVERSE = """
DROP TRIGGER IF EXISTS networks_auditevent_append_only ON networks_auditevent;
DROP FUNCTION IF EXISTS networks_auditevent_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("networks", "0002_memberships")]

    operations = [migrations.RunSQL(FUNCTION, REVERSE)]
