"""The site's caches, kept apart by what they protect (settings.CACHES is built here).

- "default", also named "limits": rate limits, sign-in lockouts and used one-time codes, and
  nothing else. allauth counts its limits and used TOTP codes in Django's default cache (it
  offers no setting to choose another), so the default cache is the limits cache. With Redis it
  is its own Redis database (`REDIS_URL`, or `LIMITS_REDIS_URL`); no other cache shares it, so
  no flush, flood or eviction of another cache can lift a lockout.
- "search": remembered searches, lesson lists and pages (lessons/remembered.py), many short-lived
  entries: its own Redis database (`SEARCH_REDIS_URL`, else `REDIS_URL`'s database number plus
  one), or its own table, so that its churn never touches the limits.
- "template_fragments": rendered cards and comments, in each process's memory.
"""

from urllib.parse import urlsplit, urlunsplit


def next_database(redis_url):
    """The same Redis server's next database: redis://h:6379/0 -> redis://h:6379/1."""
    parts = urlsplit(redis_url)
    number = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{number + 1}"))


def cache_settings(*, redis_url="", limits_redis_url="", search_redis_url="", key_prefix=""):
    limits_url = limits_redis_url or redis_url
    if limits_url:
        limits = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": limits_url}
        search = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": search_redis_url or next_database(limits_url),
        }
    else:
        limits = {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "minilateral_cache",
            # Never culled for room (the table's default is 300 entries): a flood of sign-in
            # attempts from many addresses must not push out one address's lockout.
            "OPTIONS": {"MAX_ENTRIES": 10_000_000},
        }
        search = {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "minilateral_search_cache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    limits["KEY_PREFIX"] = key_prefix
    search["KEY_PREFIX"] = key_prefix
    return {
        "default": limits,
        "limits": dict(limits),
        "search": search,
        "template_fragments": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "template-fragments",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
    }
