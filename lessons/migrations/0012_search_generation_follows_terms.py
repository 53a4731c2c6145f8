"""The search generation (0009) moves on when an official follows a discussion or stops (the
lesson page remembers, for each reader, whether they follow it: lessons.views.lesson_detail), and
when the words search suggests from change (lessons_searchterm, the "did you mean" vocabulary:
tests/lessons/test_remembered_tables.py found it read by the remembered search page)."""

from django.db import migrations

TABLES = ("lessons_follow", "lessons_searchterm")


def triggers(table):
    return f"""
CREATE TRIGGER {table}_search_now AFTER INSERT OR UPDATE OR DELETE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION lessons_search_changed();
CREATE CONSTRAINT TRIGGER {table}_search_on_commit AFTER INSERT OR UPDATE OR DELETE ON {table}
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION lessons_search_changed();
"""


def drop(table):
    return f"""
DROP TRIGGER IF EXISTS {table}_search_now ON {table};
DROP TRIGGER IF EXISTS {table}_search_on_commit ON {table};
"""


class Migration(migrations.Migration):
    dependencies = [("lessons", "0011_unread_index_and_names")]

    operations = [
        migrations.RunSQL(
            "".join(triggers(table) for table in TABLES),
            "".join(drop(table) for table in TABLES),
        )
    ]
