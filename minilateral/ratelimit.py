"""Per-official rate limits on posting, over the shared cache (so they hold across workers).

    @rate_limited("lesson_post")
    def view(request): ...

Rates come from settings.USER_RATE_LIMITS ("20/h" = 20 an hour), counted in the limits cache
(minilateral/caches.py). Only POSTs by signed-in
officials count; over the limit the styled 429 page answers and nothing is done.
"""

import time
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.shortcuts import render

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate):
    count, _, period = rate.partition("/")
    return int(count), PERIODS[period]


def consume(user, action):
    """Count one more `action` by `user`; False when that goes over the limit."""
    rate = settings.USER_RATE_LIMITS.get(action)
    if not rate or not user.is_authenticated:
        return True
    limit, seconds = parse_rate(rate)
    window = int(time.time() // seconds)
    key = f"minilateral:rl:{action}:{user.pk}:{window}"
    limits = caches["limits"]
    limits.add(key, 0, timeout=seconds + 5)
    try:
        used = limits.incr(key)
    except ValueError:  # expired between add and incr
        limits.set(key, 1, timeout=seconds + 5)
        used = 1
    return used <= limit


def rate_limited(action):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST" and not consume(request.user, action):
                return render(request, "429.html", status=429)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
