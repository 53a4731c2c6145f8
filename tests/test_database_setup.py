"""scripts/database.py: how `make run` and `make test` find or start PostgreSQL."""

import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
SCRIPT = PROJECT / "scripts" / "database.py"

PROBE = (
    "import os, psycopg2;"
    "c = psycopg2.connect(os.environ['DATABASE_URL']);"
    "cur = c.cursor();"
    "cur.execute('select current_database(), version()');"
    "print(*cur.fetchone(), sep='|')"
)


def run_script(command, **environment):
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--", *command],
        env={**env, **environment},
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_database_url_when_set_is_used_as_it_is():
    result = run_script(
        [sys.executable, "-c", "import os; print(os.environ['DATABASE_URL'])"],
        DATABASE_URL="postgres://someone@db.example:5432/elsewhere",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "postgres://someone@db.example:5432/elsewhere"


def test_embedded_postgres_is_started_when_no_server_answers_and_stopped_after(tmp_path):
    pgdata = tmp_path / "pgdata"
    environment = {
        "MINILATERAL_LOCAL_POSTGRES": "127.0.0.1:9",  # nothing listens there
        "MINILATERAL_PGDATA": str(pgdata),
        "MINILATERAL_DATABASE_NAME": "minilateral_probe",
    }
    result = run_script([sys.executable, "-c", PROBE], **environment)
    assert result.returncode == 0, result.stderr
    database, version = result.stdout.strip().split("|")
    assert database == "minilateral_probe"
    assert version.startswith("PostgreSQL")
    assert (pgdata / "PG_VERSION").exists()
    assert not (pgdata / "postmaster.pid").exists(), "the embedded server was left running"

    # Kept between runs: a second run finds the same data folder and the same database.
    again = run_script([sys.executable, "-c", PROBE], **environment)
    assert again.returncode == 0, again.stderr
    assert "creating database" not in again.stderr


def test_command_exit_status_is_passed_on():
    result = run_script(
        [sys.executable, "-c", "raise SystemExit(3)"],
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/minilateral",
    )
    assert result.returncode == 3
