"""Tasks for the tests of the task set-up itself."""

import os
import time

from django.tasks import task


@task()
def add(*, left, right):
    return left + right


@task()
def record_run(*, label, path, seconds=0):
    """Take `seconds`, then append this run (the label and the worker's process id) to `path`."""
    time.sleep(seconds)
    with open(path, "a") as runs:
        runs.write(f"{label} {os.getpid()}\n")
