"""The search generation (lessons/0009) moves on when a question is written: the remembered pages
(a network's lesson list, a lesson page, a search) read questions, for the header's count of
question notices and the lesson page's "made from the question", and trust their key to change
when what they read does (tests/lessons/test_remembered_tables.py)."""

from django.db import migrations

TABLES = ("questions_question",)


def table_triggers(table):
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
    dependencies = [
        ("questions", "0001_initial"),
        ("lessons", "0011_unread_index_and_names"),
    ]

    operations = [
        migrations.RunSQL(
            "".join(table_triggers(table) for table in TABLES),
            "".join(drop(table) for table in TABLES),
        ),
    ]
