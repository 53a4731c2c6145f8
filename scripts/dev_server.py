"""`make run`: migrate, load the demo cast, then serve the app beside the background worker.

Runs inside scripts/database.py, which has set DATABASE_URL. Ctrl-C stops everything started here.
"""

import contextlib
import os
import signal
import subprocess  # nosec B404
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
ADDRESS = os.environ.get("RUN_ADDRESS", "127.0.0.1:8000")
DEMO_PASSWORD = "minilateral-demo-2026"  # noqa: S105  # nosec B105


def manage(*args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=PROJECT, check=True)


def main():
    os.environ.setdefault("DEBUG", "true")
    manage("migrate", "--no-input", "--verbosity", "1")
    manage("createcachetable")
    manage("seed_demo")
    manage("schedule_digests")  # the worker sends the digests; each run schedules the next
    processes = [
        subprocess.Popen([sys.executable, "manage.py", "worker"], cwd=PROJECT),
        subprocess.Popen(
            [sys.executable, "manage.py", "runserver", ADDRESS, "--skip-checks"], cwd=PROJECT
        ),
    ]
    print(
        f"""
  Minilateral is running at http://{ADDRESS}/ (the background worker runs beside it).
  Sign in with any demo account, password {DEMO_PASSWORD}, for example:
    lucia.perez@gub.uy     a member of Digital Nations
    kadri.tamm@riik.ee     the convenor of Digital Nations (TOTP secret JBSWY3DPEHPK3PXP)
    admin@minilateral.test the platform admin, also at http://{ADDRESS}/admin/
  Emails are printed here. Press Ctrl-C to stop.
""",
        flush=True,
    )
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the children get Ctrl-C from the terminal
    signal.signal(signal.SIGTERM, lambda *_: [p.terminate() for p in processes])
    try:
        while all(process.poll() is None for process in processes):
            with contextlib.suppress(subprocess.TimeoutExpired):
                processes[1].wait(timeout=1)
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
