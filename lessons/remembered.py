"""Answers about lessons remembered for one reader's view of the platform."""

import hashlib

from django.core.cache import caches
from django.db import connection
from django.utils.translation import get_language

from lessons import access

# Remembered counts and rankings
#
# A common word matches most lessons, and counting the facets of (and ranking) tens of
# thousands of matches takes PostgreSQL hundreds of milliseconds, again for each page of the
# same search and for each reader who sees the same lessons. So the counts and the page's ids
# are kept a short while in the "search" cache, under a key made of the search, of
# `access.search_view_key(user)` (everything the policy lets this reader's search see) and of
# the search generation: a PostgreSQL sequence that every write to what search reads moves on,
# when it is written and again when it commits (lessons/migrations/0009_search_generation.py).
# Readers who may see different lessons never share an entry; a suspension or a new membership
# changes the key at once, and so does any write to a lesson, comment, endorsement, tag or
# name. A search keeps its counts, the page's ids and their highlights (its lessons and comments
# read again through the access policy when the page is rendered), and the rendered page itself
# (search.views.search_page); a network's lesson list and the lesson page keep their
# rendered content under the same kind of key (lessons.views). Those rendered pages trust the
# key: every table they read moves the generation on (tests/lessons/test_remembered_tables.py).

SEARCH_CACHE = "search"
SEARCH_REMEMBERED_SECONDS = 300
# The shape of what is remembered (its pickled classes, the rendered pages' markup): part of every
# key, and changed with that shape, so that the first minutes after a deploy never read an entry
# an older release wrote.
SHAPE = "kinds-1"


def search_generation():
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_value, is_called FROM lessons_search_generation")
        value, called = cursor.fetchone()
    return value if called else 0


class Remembered:
    """The answer to one question about lessons, remembered for one reader's view of the
    platform at this search generation: a search (its words, filters and language), a
    network's lesson list, a lesson page, a reader's unread count."""

    def __init__(self, user, question):
        self.cache = caches[SEARCH_CACHE]
        self.prefix = hashlib.sha256(
            repr((SHAPE, access.search_view_key(user), question, search_generation())).encode()
        ).hexdigest()

    @classmethod
    def of_search(cls, user, params):
        return cls(user, (params.q, sorted(params.filters.items()), get_language()))

    def _key(self, part):
        return f"search:{self.prefix}:{part}"

    def get(self, part):
        return self.cache.get(self._key(part))

    def get_many(self, *parts):
        """{part: value} of those remembered, in one round trip to the cache."""
        found = self.cache.get_many([self._key(part) for part in parts])
        return {part: found[self._key(part)] for part in parts if self._key(part) in found}

    def keep(self, part, value):
        self.cache.set(self._key(part), value, SEARCH_REMEMBERED_SECONDS)
        return value
