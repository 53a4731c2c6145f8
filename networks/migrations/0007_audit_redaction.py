"""The audit log stays append-only, with one narrow exception: erasing an official.

An erasure (networks.account_services.official_erase) may rewrite the label, the recorded changes
and the address of events that name the erased person, inside its own transaction, after setting
`minilateral.audit_redaction` locally. Who acted, what they did, where and when never change, and
no event can be deleted.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION networks_auditevent_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND current_setting('minilateral.audit_redaction', true) = 'on'
       AND NEW.id = OLD.id
       AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
       AND NEW.action = OLD.action
       AND NEW.network_id IS NOT DISTINCT FROM OLD.network_id
       AND NEW.target_type = OLD.target_type
       AND NEW.target_id = OLD.target_id
       AND NEW.created_at = OLD.created_at
       AND (NEW.ip_address IS NULL OR NEW.ip_address = OLD.ip_address)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""

REVERSE = """
CREATE OR REPLACE FUNCTION networks_auditevent_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""


class Migration(migrations.Migration):
    dependencies = [("networks", "0006_access_denial")]

    operations = [migrations.RunSQL(FUNCTION, REVERSE)]
