"""Runs of the notifications' tasks already waiting in django-tasks-db's queue name each task by
its dotted path; they are pointed at where the task is defined now, so that the worker can import
them and the digests' schedule (`schedule_digests`, which looks runs up by path) finds its runs
instead of starting a second chain. Going back points them at the paths of the layout before."""

from django.db import migrations

# Where each task was defined in the layout before (lessons.notifications), and where it is now.
MOVED = {
    "lessons.notifications.send_digests": "notifications.digests.send_digests",
    "lessons.notifications.email_notification": "notifications.services.email_notification",
}
# Runs not finished: waiting, or running (a run whose worker dies is queued again by its path).
UNFINISHED = ["READY", "RUNNING"]


def point_runs_at(apps, paths):
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    for old, new in paths.items():
        DBTaskResult.objects.filter(task_path=old, status__in=UNFINISHED).update(task_path=new)


def forwards(apps, schema_editor):
    point_runs_at(apps, MOVED)


def backwards(apps, schema_editor):
    point_runs_at(apps, {new: old for old, new in MOVED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
