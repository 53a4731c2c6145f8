"""Runs of the digests' task already waiting in django-tasks-db's queue name the task by its
dotted path; they are pointed at where it is defined, notifications.digests.send_digests, so the
worker can import them and the schedule (`schedule_digest`, which looks runs up by that path)
finds them instead of starting a second chain."""

from django.db import migrations

TASK_PATH = "notifications.digests.send_digests"
# Paths a queue may still hold runs of the task under.
FORMER_PATHS = ["notifications.services.send_digests", "lessons.notifications.send_digests"]
# Runs not finished: waiting, or running (a run whose worker dies is queued again by its path).
UNFINISHED = ["READY", "RUNNING"]


def point_runs_at(apps, task_path, former_paths):
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    DBTaskResult.objects.filter(task_path__in=former_paths, status__in=UNFINISHED).update(
        task_path=task_path
    )


def forwards(apps, schema_editor):
    point_runs_at(apps, TASK_PATH, FORMER_PATHS)


def backwards(apps, schema_editor):
    point_runs_at(apps, FORMER_PATHS[0], [TASK_PATH])


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
