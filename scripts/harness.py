"""What `make attack` (scripts/attack.py) and `make faults` (scripts/faults.py) share: the app
started as in production on a free loopback port, a signed-in session made directly, and
scratch databases. Everything here talks to 127.0.0.1 (or a Unix socket) only."""

import http.client
import socket
import subprocess  # nosec B404
import sys
import time
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit, urlunsplit

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench import environment  # noqa: E402

LOOPBACK = "127.0.0.1"

# The server's environment: the benchmark's (bench/environment.py: DEBUG off and the production
# security settings, except those that need TLS on plain-HTTP loopback), with the settings module.
PRODUCTION_LIKE = {**environment.PRODUCTION_LIKE, "DJANGO_SETTINGS_MODULE": "minilateral.settings"}


def say(tool, message):
    print(f"[{tool}] {message}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def manage(*args, env=None, quiet=False):
    subprocess.run(  # nosec B603
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        check=True,
        env=env,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def database_url_with_name(url, name):
    """The same server, another database."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + quote(name)))


def database_name(url):
    return unquote(urlsplit(url).path.lstrip("/"))


def _server_connection(url):
    """An autocommit connection to the server's `postgres` database."""
    import dj_database_url
    import psycopg2

    settings = dj_database_url.parse(url)
    connection = psycopg2.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        dbname="postgres",
        connect_timeout=5,
    )
    connection.autocommit = True
    return connection


def _on_server(url, *statements):
    connection = _server_connection(url)
    try:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        connection.close()


def recreate_database(url):
    """Drop (if present) and create the database `url` names: for scratch databases only."""
    name = database_name(url)
    _on_server(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')


def drop_database(url):
    _on_server(url, f'DROP DATABASE IF EXISTS "{database_name(url)}" WITH (FORCE)')


def make_session(user):
    """A signed-in session, as allauth's sign-in leaves it (without the password round trip).
    Needs Django set up on the app's database. Returns the session key."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from networks.middleware import SIGNED_IN_AT_SESSION_KEY

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[SIGNED_IN_AT_SESSION_KEY] = int(time.time())
    session.create()
    return session.session_key


def start_gunicorn(port, env, *, workers=2, log=None):
    return subprocess.Popen(  # nosec B603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "minilateral.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"{LOOPBACK}:{port}",
            "--log-level",
            "warning",
            "--graceful-timeout",
            "5",
        ],
        cwd=PROJECT,
        env=env,
        stdout=log,
        stderr=log,
    )


def get(port, path, *, cookie=None, timeout=10):
    """(status, body) of a GET to the local server; (None, error) when nothing answered."""
    connection = http.client.HTTPConnection(LOOPBACK, port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    except (OSError, http.client.HTTPException) as error:
        return None, str(error)
    finally:
        connection.close()


def wait_until_up(port, path="/healthz", *, server=None, seconds=30, cookie=None):
    """Seconds until `path` answers 200; None when it did not within `seconds`."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if server is not None and server.poll() is not None:
            return None
        status, _ = get(port, path, cookie=cookie, timeout=5)
        if status == 200:
            return time.monotonic() - started
        time.sleep(0.1)
    return None


def stop(process, *, seconds=10):
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=seconds)
