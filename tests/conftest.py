import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; the live server's database calls
# from that thread are safe here (see STACK-NOTES.md).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path():
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise RuntimeError(
            "Chromium is needed: `make test` installs it (scripts/ensure-chromium.sh)."
        )
    return found


def pytest_configure(config):
    """The languages offered are those whose catalogue is compiled (minilateral/settings.py):
    tests without the compiled catalogues, or with stale ones, would test another site."""
    from pathlib import Path

    stale = [
        str(po)
        for po in sorted(Path(__file__).resolve().parent.parent.glob("locale/*/LC_MESSAGES/*.po"))
        if not po.with_suffix(".mo").exists()
        or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if stale:
        raise pytest.UsageError(
            f"Compile the translations first (`make translations`; `make test` does): {stale}"
        )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": chromium_path(),
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


# Personas. The demo cast of PRODUCT.md is the shared world of the tests; `demo` builds it.


def _seed_demo():
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", "--force", stdout=quiet)
    # The emails the demo's own actions queued are not any test's business.
    DBTaskResult.objects.all().delete()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Each test database starts with the demo world, built once; tests roll back onto it."""
    with django_db_blocker.unblock():
        _seed_demo()


@pytest.fixture
def demo(db):
    """The demo world, with its people by role (see PRODUCT.md's demo cast)."""
    from types import SimpleNamespace

    from networks.models import Network, User

    if not Network.objects.filter(slug="digital-nations").exists():
        _seed_demo()  # a transactional test before this one emptied the database
    users = {user.email: user for user in User.objects.all()}
    return SimpleNamespace(
        digital_nations=Network.objects.get(slug="digital-nations"),
        dpi=Network.objects.get(slug="dpi-peer-network"),
        admin=users["admin@minilateral.test"],
        convenor=users["kadri.tamm@riik.ee"],
        moderator=users["joao.silva@gov.pt"],  # also Portugal's focal point in Digital Nations
        member=users["lucia.perez@gub.uy"],
        group_member=users["minjun.kim@korea.kr"],  # member of the "Digital identity" group
        suspended=users["aroha.ngata@govt.nz"],
        outsider=users["priya.sharma@gov.in"],  # DPI Peer Network only
        dpi_convenor=users["wanjiru.kamau@go.ke"],
        password="minilateral-demo-2026",
        totp_secret="JBSWY3DPEHPK3PXP",
    )


@pytest.fixture
def run_worker(monkeypatch):
    """Run the real database worker over every waiting task, inside the test's transaction.

    The worker closes "old" connections between tasks, which would close the test's own
    connection mid-transaction; that one call is held back, everything else runs as in production.
    """
    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run():
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0")

    return run


@pytest.fixture(autouse=True)
def _fresh_cache_for_live_servers(request):
    """Tests against a live server commit what they write, and the cache lives in a database
    table no test transaction rolls back: start each with an empty one (rate limits, used TOTP
    codes), as each test starts with the demo world and nothing else."""
    if "live_server" not in request.fixturenames:
        yield
        return
    from django.core.cache import cache

    request.getfixturevalue("transactional_db")
    cache.clear()
    yield


# The personas of the permission matrices (tests/networks/conftest.py) and the lesson fixtures
# (tests/lessons/conftest.py), for every test: the capabilities' tests build on both.
from tests.lessons.conftest import comment, twin, write_lesson  # noqa: E402, F401
from tests.networks.conftest import cast  # noqa: E402, F401
