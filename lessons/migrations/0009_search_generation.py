"""A generation number for remembered searches (lessons/search.py): every write that can change
what a search finds, counts or names moves it on, so a remembered count or ranking of an older
generation is never used again.

PostgreSQL does the counting, so no write escapes it (services, the admin, bulk updates, a
script): each table below moves the sequence on after every statement, and once more when the
writing transaction commits (a deferred constraint trigger), so that a search that ran between
the write and its commit, and so still saw the old rows, is of an older generation too. A
sequence, not a row, so that writers never wait on one another.
"""

from django.db import migrations

SEQUENCE = "lessons_search_generation"

# Tables whose rows search reads: the lessons and comments it finds, the endorsements it sorts
# by, the tags and names of its facets, and an author's erasure (which hides their country);
# 0010 adds officials' names.
TABLES = {
    "lessons_lesson": "INSERT OR UPDATE OR DELETE",
    "lessons_comment": "INSERT OR UPDATE OR DELETE",
    "lessons_endorsement": "INSERT OR UPDATE OR DELETE",
    "lessons_lesson_tags": "INSERT OR UPDATE OR DELETE",
    "lessons_tag": "INSERT OR UPDATE OR DELETE",
    "lessons_technologyarea": "INSERT OR UPDATE OR DELETE",
    "lessons_policyarea": "INSERT OR UPDATE OR DELETE",
    "networks_network": "INSERT OR UPDATE OR DELETE",
    "networks_workinggroup": "INSERT OR UPDATE OR DELETE",
    "networks_country": "INSERT OR UPDATE OR DELETE",
    "networks_user": "UPDATE OF deactivated_at",
}

FUNCTION = f"""
CREATE SEQUENCE {SEQUENCE};
CREATE FUNCTION lessons_search_changed() RETURNS trigger AS $$
BEGIN
    PERFORM nextval('{SEQUENCE}');
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""


def triggers(table, events):
    return f"""
CREATE TRIGGER {table}_search_now AFTER {events} ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION lessons_search_changed();
CREATE CONSTRAINT TRIGGER {table}_search_on_commit AFTER {events} ON {table}
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION lessons_search_changed();
"""


def drop(table):
    return f"""
DROP TRIGGER IF EXISTS {table}_search_now ON {table};
DROP TRIGGER IF EXISTS {table}_search_on_commit ON {table};
"""


class Migration(migrations.Migration):
    dependencies = [("lessons", "0008_featured_index"), ("networks", "0008_form_submissions")]

    operations = [
        migrations.RunSQL(
            FUNCTION + "".join(triggers(table, events) for table, events in TABLES.items()),
            "".join(drop(table) for table in TABLES)
            + f"DROP FUNCTION lessons_search_changed(); DROP SEQUENCE {SEQUENCE};",
        )
    ]
