"""Lessons and comments their flags hid no longer store why in words (English words, whoever
reads them): the words written by the flags are removed, and `hidden_note` says it in each
reader's language. A moderator's own reason is kept."""

from django.db import migrations

# What the flags wrote, in the only language they wrote it in.
FLAGS_WROTE = r"^Flagged by [0-9]+ members?; waiting for a moderator\.$"


def forwards(apps, schema_editor):
    Lesson = apps.get_model("lessons", "Lesson")
    Comment = apps.get_model("discussion", "Comment")
    Lesson.objects.filter(is_hidden=True, hidden_reason__regex=FLAGS_WROTE).update(hidden_reason="")
    Comment.objects.filter(
        is_hidden=True, hidden_by__isnull=True, hidden_reason__regex=FLAGS_WROTE
    ).update(hidden_reason="")


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0001_initial"),
        ("lessons", "0012_capabilities_moved_out"),
        ("discussion", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
