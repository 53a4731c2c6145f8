"""The test settings: the production settings module, with the few changes tests need."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-used-anywhere-else-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# The test client and the live server speak plain HTTP.
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
# `make test` sets DATABASE_URL; a bare `pytest` uses the local server.
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/minilateral")

from minilateral.settings import *  # noqa: F403

# Argon2 costs real time per hash; tests hash passwords often.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Sign-up's time floor (networks/signup_form.py) would only slow the tests down; they check the
# work each path does instead (tests/accounts/test_enumeration_work.py).
SIGNUP_MIN_SECONDS = 0
# Tests do not run collectstatic: serve the source files as they are.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = None  # nothing is collected in tests; the live server serves the sources
# The single sign-on tests run a real OpenID Connect identity provider (django-oauth-toolkit)
# beside the site. Its tables exist in every test database; its URLs only in tests.oidc.urls,
# and its settings only where tests.oidc.provider.identity_provider_settings() is applied.
INSTALLED_APPS = [*INSTALLED_APPS, "oauth2_provider"]  # noqa: F405
# Uploaded files of a test run go to a folder of their own, never into the project.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="minilateral-test-media-"))
