"""Tasks for the tests of the task set-up itself (and for the fault drills)."""

import os
import time
from pathlib import Path

from django.tasks import task


@task()
def add(*, left, right):
    return left + right


@task()
def record_run(*, label, path, workers=1, patience=60):
    """Append this run (its label and the worker's process id) to `path`, then wait until
    `workers` workers have each started a task (at most `patience` seconds after the first run),
    so that a test sees the workers run side by side however slowly each one starts."""
    with open(path, "a") as runs:
        runs.write(f"{label} {os.getpid()} {time.time()}\n")
    while True:
        runs = [line.split() for line in Path(path).read_text().splitlines()]
        started = {pid for _label, pid, _at in runs}
        if len(started) >= workers or time.time() - float(runs[0][2]) > patience:
            return
        time.sleep(0.05)


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
