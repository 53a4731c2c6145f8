"""`manage.py worker` (minilateral/worker.py): a task whose worker died runs again; a worker
rides out lost database connections. Real worker processes on the test database."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from minilateral import worker as recovering
from tests.tasks import add, hold

PROJECT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.django_db(transaction=True)


WORKER_COMMAND = [sys.executable, "manage.py", "worker", "--no-reload", "--no-startup-delay"]
WORKER_COMMAND += ["--interval", "0.1"]


def database_url():
    settings = connection.settings_dict
    user = quote(settings["USER"] or "")
    if settings["PASSWORD"]:
        user += ":" + quote(settings["PASSWORD"])
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    host = quote(settings["HOST"] or "", safe="")
    return f"postgres://{user}@{host}{port}/{quote(settings['NAME'])}"


@pytest.fixture
def workers():
    """Start real `manage.py worker` processes on the test database; all stopped at the end."""
    started = []

    def start():
        env = {**os.environ, "DATABASE_URL": database_url(), "LOG_LEVEL": "WARNING"}
        process = subprocess.Popen(
            WORKER_COMMAND,
            cwd=PROJECT,
            env=env,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def wait_for(predicate, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def status_of(result):
    return DBTaskResult.objects.get(pk=result.id).status


def test_a_task_whose_worker_was_killed_runs_to_completion_when_a_worker_starts(workers, tmp_path):
    release = tmp_path / "release"
    result = hold.enqueue(release_file=str(release), marker="done")
    first = workers()
    assert wait_for(lambda: status_of(result) == TaskResultStatus.RUNNING)

    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    time.sleep(0.5)
    # django-tasks-db alone leaves it so for ever: nothing else would run it again.
    assert status_of(result) == TaskResultStatus.RUNNING

    release.touch()
    workers()
    assert wait_for(lambda: status_of(result) == TaskResultStatus.SUCCESSFUL)
    finished = DBTaskResult.objects.get(pk=result.id)
    assert finished.return_value == "done"
    assert len(finished.worker_ids) == 2
    assert all(w.startswith(recovering.WORKER_ID_PREFIX) for w in finished.worker_ids)


def _running(result, worker_ids):
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING, worker_ids=worker_ids
    )


def test_a_task_of_a_live_worker_is_left_running():
    result = add.enqueue(left=1, right=2)
    worker_id = recovering.new_worker_id()
    _running(result, [worker_id])
    liveness = recovering.Liveness()
    liveness.hold(worker_id)
    try:
        assert recovering.recover_orphaned_tasks() == ([], [])
        assert status_of(result) == TaskResultStatus.RUNNING
    finally:
        liveness.close()
    assert recovering.recover_orphaned_tasks() == ([str(result.id)], [])
    assert status_of(result) == TaskResultStatus.READY


def test_a_task_that_killed_its_worker_three_times_is_marked_failed():
    result = add.enqueue(left=1, right=2)
    _running(result, [recovering.new_worker_id() for _ in range(recovering.MAX_ATTEMPTS)])
    assert recovering.recover_orphaned_tasks() == ([], [str(result.id)])
    failed = DBTaskResult.objects.get(pk=result.id)
    assert failed.status == TaskResultStatus.FAILED
    assert failed.exception_class_path == "minilateral.worker.WorkerDied"


def test_a_task_claimed_by_a_plain_db_worker_is_not_touched():
    result = add.enqueue(left=1, right=2)
    _running(result, ["a-plain-db-worker-id"])
    assert recovering.recover_orphaned_tasks() == ([], [])
    assert status_of(result) == TaskResultStatus.RUNNING


def test_the_worker_keeps_working_after_its_database_connections_are_terminated(workers):
    first = add.enqueue(left=2, right=3)
    process = workers()
    assert wait_for(lambda: status_of(first) == TaskResultStatus.SUCCESSFUL)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        assert cursor.fetchone()[0] >= 1
    second = add.enqueue(left=4, right=5)
    assert wait_for(lambda: status_of(second) == TaskResultStatus.SUCCESSFUL)
    assert DBTaskResult.objects.get(pk=second.id).return_value == 9
    assert process.poll() is None
