"""The environment the benchmarked app server runs in (and make attack's and make faults'
servers: scripts/harness.py): production settings over plain HTTP, on scratch or bench data."""

PRODUCTION_LIKE = {
    "DEBUG": "off",
    "SECRET_KEY": "local-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",  # nosec B105
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    # wrk speaks plain HTTP to 127.0.0.1: no TLS redirect, no Secure-only cookies.
    "SECURE_SSL_REDIRECT": "off",
    "SECURE_COOKIES": "off",
    "SECURE_HSTS_SECONDS": "0",
    "CONN_MAX_AGE": "60",
    "MAIL_TO_CONSOLE": "on",
    "LOG_LEVEL": "WARNING",
}


def production_like_django():
    """Set this environment (where not set already) for a script that starts Django itself."""
    import os

    for key, value in PRODUCTION_LIKE.items():
        os.environ.setdefault(key, value)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minilateral.settings")
