"""The search generation moves on when an official's name changes too: lesson lists, which are
remembered like searches (lessons.views.network_lessons), show authors' names."""

from django.db import migrations

OLD = "UPDATE OF deactivated_at"
NEW = "UPDATE OF deactivated_at, full_name"


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


class Migration(migrations.Migration):
    dependencies = [("lessons", "0009_search_generation")]

    operations = [migrations.RunSQL(triggers(NEW), triggers(OLD))]
