"""Whole-project guards: migrations, the deploy check, strict settings, the health endpoint."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

PROJECT = Path(__file__).resolve().parent.parent


def run_python(code, **environment):
    """Run code in a fresh interpreter with the given environment on top of a clean one."""
    base = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}
        and not key.startswith(("SECURE_", "PYTEST", "DJANGO_"))
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT,
        env={**base, **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_environment():
    return {
        "DJANGO_SETTINGS_MODULE": "minilateral.settings",
        "SECRET_KEY": "a-long-random-production-secret-key-3f9c2e7a41b8d6054e1f9a2c7b3d8e6f",
        "ALLOWED_HOSTS": "minilateral.example.org",
        "DATABASE_URL": os.environ.get(
            "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/minilateral"
        ),
    }


@pytest.mark.django_db
def test_models_and_migrations_agree():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_deploy_check_passes_with_production_settings():
    result = run_python(
        "import django, sys; django.setup();"
        "from django.core.management import call_command;"
        "call_command('check', '--deploy', '--fail-level', 'WARNING')",
        **production_environment(),
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without_required_setting(missing):
    environment = production_environment()
    del environment[missing]
    result = run_python("import django; django.setup()", **environment)
    assert result.returncode != 0
    assert f"{missing} must be set when DEBUG is off" in result.stderr


def test_bad_boolean_in_environment_stops_the_app_with_a_clear_message():
    result = run_python("import django; django.setup()", **production_environment(), DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_settings_are_postgresql_argon2_and_deny_by_default():
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert "django.contrib.auth.middleware.LoginRequiredMiddleware" in settings.MIDDLEWARE
    assert "django.middleware.csp.ContentSecurityPolicyMiddleware" in settings.MIDDLEWARE


def test_production_hashes_passwords_with_argon2():
    result = run_python(
        "import django; django.setup();"
        "from django.contrib.auth.hashers import make_password;"
        "print(make_password('correct horse battery staple'))",
        **production_environment(),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("argon2$")


@pytest.mark.django_db
def test_health_endpoint_reports_database_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_endpoint_reports_unreachable_database_with_503():
    # A real connection attempt to a port where no database listens.
    result = run_python(
        "import django; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(r.status_code, r.content.decode())",
        DJANGO_SETTINGS_MODULE="tests.settings",
        DATABASE_URL="postgres://postgres@127.0.0.1:9/minilateral",
    )
    assert result.returncode == 0, result.stderr
    status, body = result.stdout.strip().split(" ", 1)
    assert status == "503"
    assert '"database": "unavailable"' in body
