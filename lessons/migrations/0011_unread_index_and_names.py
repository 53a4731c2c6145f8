"""The unread notifications of one official, found by their own index (the header counts them on
every page); and the search generation (0009) moves on for what the remembered lesson page
(lessons.views.lesson_detail) shows besides what lists show: attachments, requests for a wider
audience, officials' countries (beside commenters' and endorsers' names) and follows (it
remembers for each reader whether they follow); and for the words search suggests from
(lessons_searchterm, the "did you mean" vocabulary, which tests/lessons/test_remembered_tables.py
found read by the remembered search page).
"""

from django.conf import settings
from django.db import migrations, models

OLD = "UPDATE OF deactivated_at, full_name"
NEW = "UPDATE OF deactivated_at, full_name, country_id"


def triggers(events):
    return f"""
DROP TRIGGER networks_user_search_now ON networks_user;
DROP TRIGGER networks_user_search_on_commit ON networks_user;
CREATE TRIGGER networks_user_search_now AFTER {events} ON networks_user
    FOR EACH STATEMENT EXECUTE FUNCTION lessons_search_changed();
CREATE CONSTRAINT TRIGGER networks_user_search_on_commit AFTER {events} ON networks_user
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION lessons_search_changed();
"""


# Tables new to the search generation, as in 0009.
TABLES = ("lessons_attachment", "lessons_audiencerequest", "lessons_follow", "lessons_searchterm")


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
        ("lessons", "0010_search_generation_names"),
        ("networks", "0008_form_submissions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                condition=models.Q(("read_at__isnull", True)),
                fields=["recipient", "id"],
                name="lessons_notification_unread",
            ),
        ),
        migrations.RunSQL(
            triggers(NEW) + "".join(table_triggers(table) for table in TABLES),
            triggers(OLD) + "".join(drop(table) for table in TABLES),
        ),
    ]
