"""A notification that flags hid the reader's content no longer carries the English words the
flags wrote as its reason: its title says what happened, in the reader's language."""

from django.db import migrations

FLAGS_DECISIONS = ["lesson.hide_by_flags", "comment.hide_by_flags"]


def forwards(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    for notification in Notification.objects.filter(
        kind="moderation", data__decision__in=FLAGS_DECISIONS
    ).exclude(data__reason=""):
        notification.data["reason"] = ""
        notification.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_digest_task_path")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
