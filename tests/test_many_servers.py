"""Many app servers: the app keeps no state in its process.

Two real gunicorn servers on two ports share the test database and the cache: a session started
on one works on the other, a sign-out on one ends it on both, and a per-official rate limit counts
requests to both. Two real task workers side by side run each task exactly once. Settings that
let uploads live outside the app host (object storage) and keep sites sharing a Redis apart.
"""

import os
import re
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from django.db import connection
from django.urls import reverse

from tests.tasks import record_run

PROJECT = Path(__file__).resolve().parent.parent
REDIS = ("127.0.0.1", 6379)

# Real processes on real ports: one xdist worker runs them one after another.
pytestmark = pytest.mark.xdist_group("many_servers")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_answers():
    try:
        with socket.create_connection(REDIS, timeout=1) as redis:
            redis.sendall(b"PING\r\n")
            return redis.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def database_url():
    """The URL of the database this test runs on, for the processes it starts."""
    database = connection.settings_dict
    host = quote(database["HOST"] or "127.0.0.1", safe="")
    credentials = database["USER"] or "postgres"
    if database["PASSWORD"]:
        credentials += ":" + quote(database["PASSWORD"], safe="")
    return f"postgres://{credentials}@{host}:{database['PORT'] or 5432}/{database['NAME']}"


def process_environment(**extra):
    """Production settings (tests.settings: DEBUG off, the production middleware and cache code,
    with the tests' fast password hasher that hashed the demo's passwords) over plain HTTP."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST", "DJANGO_", "REDIS_", "RATE_LIMIT_"))
    }
    return {
        **environment,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url(),
        "DEBUG": "off",
        "SECURE_COOKIES": "off",
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


class AppServer:
    def __init__(self, environment):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "minilateral.wsgi"),
                *("--workers", "1", "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning"),
            ],
            cwd=PROJECT,
            env=environment,
        )

    def wait_until_up(self):
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "the app server stopped while starting"
            try:
                if requests.get(self.url + "/healthz", timeout=30).status_code == 200:
                    return
            except requests.RequestException:  # not listening yet, or its worker still booting
                time.sleep(0.2)
        raise AssertionError("the app server did not start within two minutes")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def two_servers(request):
    """Two app servers on two ports, against the test database and one cache (`request.param`:
    Redis under a key prefix of this test's own, or the database cache)."""
    extra = {"RATE_LIMIT_LESSONS": "3/h"}
    if request.param == "redis":
        if not redis_answers():
            pytest.skip("no Redis answers at 127.0.0.1:6379")
        extra |= {"REDIS_URL": "redis://127.0.0.1:6379/0", "CACHE_KEY_PREFIX": uuid.uuid4().hex}
    servers = [AppServer(process_environment(**extra)) for _ in range(2)]
    try:
        for server in servers:
            server.wait_until_up()
        yield servers
    finally:
        for server in servers:
            server.stop()
        if request.param == "database" and "REDIS_URL" not in os.environ:
            # The cache table outlives the test's flush: leave no counter to the tests after.
            from django.core.cache import cache

            cache.clear()


def csrf_token(browser, url):
    response = browser.get(url, timeout=30)
    assert response.status_code == 200, url
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)


@pytest.mark.django_db(transaction=True)  # committed, for the servers to see
@pytest.mark.parametrize("two_servers", ["redis", "database"], indirect=True)
def test_session_and_rate_limit_hold_across_two_app_servers(demo, two_servers):
    first, second = two_servers
    # One browser, as behind a load balancer: its cookies go to both servers (same host).
    browser = requests.Session()
    token = csrf_token(browser, first.url + reverse("account_login"))
    signed_in = browser.post(
        first.url + reverse("account_login"),
        {"login": demo.member.email, "password": demo.password, "csrfmiddlewaretoken": token},
        allow_redirects=False,
        timeout=30,
    )
    assert signed_in.status_code == 302, "signing in on the first server failed"
    assert signed_in.headers["Location"] == reverse("home")

    # The session started on the first server works on the second.
    mine = browser.get(second.url + reverse("networks:mine"), allow_redirects=False, timeout=30)
    assert mine.status_code == 200
    assert "Digital Nations" in mine.text
    anonymous = requests.get(
        second.url + reverse("networks:mine"), allow_redirects=False, timeout=30
    )
    assert anonymous.status_code == 302  # the second server does not let just anyone in

    # Posting lessons is limited to 3 an hour per official: requests to both servers count.
    create = reverse("lessons:create") + "?network=digital-nations"
    token = csrf_token(browser, second.url + create)
    statuses = [
        browser.post(
            server.url + create,
            {"title": f"Attempt {number}", "csrfmiddlewaretoken": token},
            allow_redirects=False,
            timeout=30,
        ).status_code
        for number, server in enumerate([first, second, first, second, first])
    ]
    assert statuses[:3] == [200, 200, 200]  # the form again, with its errors
    assert statuses[3:] == [429, 429]

    # Signing out on the second server ends the session on the first.
    token = csrf_token(browser, second.url + reverse("account_logout"))
    browser.post(second.url + reverse("account_logout"), {"csrfmiddlewaretoken": token}, timeout=30)
    after = browser.get(first.url + reverse("networks:mine"), allow_redirects=False, timeout=30)
    assert after.status_code == 302
    assert after.headers["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db(transaction=True)
def test_two_task_workers_side_by_side_run_each_task_once(tmp_path):
    runs = tmp_path / "runs.txt"
    labels = [f"task-{number:02d}" for number in range(24)]
    for label in labels:
        record_run.enqueue(label=label, path=str(runs), workers=2)
    environment = process_environment()
    workers = [
        subprocess.Popen(
            [
                *(sys.executable, "manage.py", "worker", "--batch", "--no-reload"),
                *("--no-startup-delay", "--interval", "0.1"),
            ],
            cwd=PROJECT,
            env=environment,
        )
        for _ in range(2)
    ]
    try:
        for worker in workers:
            assert worker.wait(timeout=180) == 0
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    lines = [line.split() for line in runs.read_text().splitlines()]
    ran = sorted(label for label, _pid, _at in lines)
    assert ran == labels, "a task ran twice, or not at all"
    assert {pid for _label, pid, _at in lines} == {str(worker.pid) for worker in workers}, (
        "both workers should have taken tasks"
    )


def test_object_storage_and_a_cache_key_prefix_are_set_by_settings(tmp_path):
    """Uploads go wherever STORAGE_BACKEND says (here Django's in-memory storage stands in
    for object storage); CACHE_KEY_PREFIX reaches the cache; a malformed option stops the app."""
    code = (
        "import django; django.setup();"
        "from django.conf import settings;"
        "from django.core.files.base import ContentFile;"
        "from lessons.models import Attachment;"
        "storage = Attachment.file.field.storage;"
        "name = storage.save('attachments/a.txt', ContentFile(b'x'));"
        "print(type(storage._wrapped).__name__, storage.exists(name),"
        " settings.CACHES['default']['KEY_PREFIX'])"
    )
    environment = process_environment(
        DJANGO_SETTINGS_MODULE="minilateral.settings",
        SECRET_KEY="a-long-random-production-secret-key-3f9c2e7a41b8d6054e1f9a2c7b3d8e6f",
        ALLOWED_HOSTS="minilateral.example.org",
        STORAGE_BACKEND="django.core.files.storage.InMemoryStorage",
        STORAGE_OPTIONS='{"location": "uploads"}',
        CACHE_KEY_PREFIX="site-a",
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["InMemoryStorage", "True", "site-a"]
    assert not (tmp_path / "media").exists()  # nothing went to the local disk

    environment["STORAGE_OPTIONS"] = '["not", "an", "object"]'
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, env=environment, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "STORAGE_OPTIONS must be a JSON object" in result.stderr
