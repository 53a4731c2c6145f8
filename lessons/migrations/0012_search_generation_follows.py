"""The search generation (0009) moves on when an official follows a discussion or stops: the
lesson page remembers, for each reader, whether they follow it (lessons.views.lesson_detail)."""

from django.db import migrations

TABLE = "lessons_follow"


class Migration(migrations.Migration):
    dependencies = [("lessons", "0011_unread_index_and_names")]

    operations = [
        migrations.RunSQL(
            f"""
CREATE TRIGGER {TABLE}_search_now AFTER INSERT OR UPDATE OR DELETE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION lessons_search_changed();
CREATE CONSTRAINT TRIGGER {TABLE}_search_on_commit AFTER INSERT OR UPDATE OR DELETE ON {TABLE}
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION lessons_search_changed();
""",
            f"""
DROP TRIGGER {TABLE}_search_now ON {TABLE};
DROP TRIGGER {TABLE}_search_on_commit ON {TABLE};
""",
        )
    ]
