"""Tasks for the tests of the task set-up itself (and for the fault drills)."""

import time
from pathlib import Path

from django.tasks import task


@task()
def add(*, left, right):
    return left + right


@task()
def hold(*, release_file, marker, at_least=0.0):
    """Runs until `release_file` exists, and for at least `at_least` seconds: a task that stays
    RUNNING as long as a test or a fault drill (scripts/faults.py) needs. Returns `marker`."""
    started = time.monotonic()
    while not Path(release_file).exists() or time.monotonic() - started < at_least:
        if time.monotonic() - started > 120:
            raise TimeoutError(f"{release_file} never appeared")
        time.sleep(0.05)
    return marker
