"""Limits that protect the service live in their own cache: a lockout holds whatever happens to
the search cache (cleared, flooded), with Redis as in production and with the database caches."""

import socket
import uuid

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from minilateral.caches import cache_settings, next_database

REDIS = ("127.0.0.1", 6379)
LOCKED = "Too many failed login attempts"


def redis_running():
    try:
        with socket.create_connection(REDIS, timeout=1):
            return True
    except OSError:
        return False


def sign_in(email, password):
    return Client().post(reverse("account_login"), {"login": email, "password": password})


def lock_out(demo):
    for _ in range(5):
        sign_in(demo.member.email, "wrong")
    assert LOCKED in sign_in(demo.member.email, demo.password).content.decode()


def flood_search_cache(count):
    search = caches["search"]
    search.set_many({f"flood:{i}": "x" * 100 for i in range(count)}, timeout=300)
    search.clear()


@pytest.fixture
def redis_caches(settings):
    """The production cache layout over the local Redis, in two databases of its own."""
    if not redis_running():
        pytest.skip("Redis is not running at 127.0.0.1:6379")
    settings.CACHES = cache_settings(
        redis_url="redis://127.0.0.1:6379/12", key_prefix=uuid.uuid4().hex
    )
    yield
    for alias in ("default", "search"):
        caches[alias].clear()


def test_the_limits_and_the_search_caches_are_apart_in_production_layout():
    layout = cache_settings(redis_url="redis://cache:6379/3")
    assert layout["default"]["LOCATION"] == "redis://cache:6379/3"
    assert layout["limits"]["LOCATION"] == "redis://cache:6379/3"
    assert layout["search"]["LOCATION"] == "redis://cache:6379/4"
    assert next_database("redis://:pw@cache:6379") == "redis://:pw@cache:6379/1"
    separate = cache_settings(
        redis_url="redis://a:6379/0",
        limits_redis_url="redis://l:6379/0",
        search_redis_url="redis://s:6379/0",
    )
    assert separate["default"]["LOCATION"] == "redis://l:6379/0"
    assert separate["search"]["LOCATION"] == "redis://s:6379/0"


@pytest.mark.django_db
def test_a_lockout_holds_when_the_search_cache_is_flooded_and_flushed_redis(demo, redis_caches):
    lock_out(demo)
    flood_search_cache(10_000)
    assert LOCKED in sign_in(demo.member.email, demo.password).content.decode()


@pytest.mark.django_db
def test_a_lockout_holds_when_the_search_cache_is_flooded_and_flushed_database(demo):
    caches["default"].clear()
    lock_out(demo)
    flood_search_cache(400)  # more than a database cache keeps by default
    assert LOCKED in sign_in(demo.member.email, demo.password).content.decode()
    caches["default"].clear()
