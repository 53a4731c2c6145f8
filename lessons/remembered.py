"""Answers about lessons remembered for one reader's view of the platform."""

import contextvars
import hashlib

from django.core.cache import caches
from django.db import connection
from django.utils.translation import get_language

from lessons import access
from networks import access as network_access

# Remembered counts and rankings
#
# A common word matches most lessons, and counting the facets of (and ranking) tens of
# thousands of matches takes PostgreSQL hundreds of milliseconds, again for each page of the
# same search and for each reader who sees the same lessons. So the counts and the page's ids
# are kept a short while in the "search" cache, under a key made of the search, of
# `access.search_view_key(user)` (everything the policy lets this reader's search see) and of
# the generations of the spaces this reader can see (`reader_spaces`): each network they belong
# to, what is readable beyond its network ("wide") and what every page names ("all"). Every
# write to what search reads moves the generation of the spaces of the rows it wrote, in the
# writing transaction (lessons/migrations/0014_space_generations.py), so a comment in one
# network leaves the remembered answers of readers outside it as they are.
# Readers who may see different lessons never share an entry; a suspension or a new membership
# changes the key at once, and so does any write to a lesson, comment, endorsement, tag or
# name they can see. A search keeps its counts, the page's ids and their highlights (its
# lessons and comments read again through the access policy when the page is rendered), and
# the rendered page itself (search.views.search_page); a network's lesson list and the lesson
# page keep their rendered content under the same kind of key (lessons.views). Those rendered
# pages trust the key: every table they read moves a generation on
# (tests/lessons/test_remembered_tables.py).

SEARCH_CACHE = "search"
SEARCH_REMEMBERED_SECONDS = 300
# The shape of what is remembered (its pickled classes, the rendered pages' markup): part of every
# key, and changed with that shape, so that the first minutes after a deploy never read an entry
# an older release wrote.
SHAPE = "kinds-2"


def reader_spaces(user):
    """The spaces whose writes can change what this reader is shown: their networks (their
    working groups and moderated networks are among them), "wide" and "all"."""
    if not user.is_authenticated:
        return ["all", "wide"]
    networks, _groups, _moderated = network_access.space_ids(user)
    return ["all", "wide", *(f"n{pk}" for pk in sorted(networks))]


# The generations read during one request that writes nothing (GenerationsPerRequest): the
# page and its header ask once.
_read_this_request = contextvars.ContextVar("space_generations", default=None)


def space_generations(spaces):
    """The generations of these spaces, in one query: a tuple that any write to one of them
    changes (a space never written yet has none)."""
    spaces = tuple(spaces)
    read = _read_this_request.get()
    if read is not None and spaces in read:
        return read[spaces]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT space, value FROM lessons_space_generation WHERE space = ANY(%s) "
            "ORDER BY space",
            [list(spaces)],
        )
        generations = tuple(cursor.fetchall())
    if read is not None:
        read[spaces] = generations
    return generations


class GenerationsPerRequest:
    """A GET or HEAD request reads the generations of its reader's spaces once, however many
    remembered answers it asks for (the page, the header's count). Other requests may write
    between two questions, so they read them each time."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        token = _read_this_request.set({})
        try:
            return self.get_response(request)
        finally:
            _read_this_request.reset(token)


def forget_everything():
    """Move the generation every reader's key holds ("all"): nothing remembered before is
    used again (the benchmark's and the tests' first views)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT lessons_space_moved(ARRAY['all'])")


class Remembered:
    """The answer to one question about lessons, remembered for one reader's view of the
    platform at the generations of the spaces they see: a search (its words, filters and
    language), a network's lesson list, a lesson page, a reader's unread count."""

    def __init__(self, user, question):
        self.cache = caches[SEARCH_CACHE]
        self.prefix = hashlib.sha256(
            repr(
                (
                    SHAPE,
                    access.search_view_key(user),
                    question,
                    space_generations(reader_spaces(user)),
                )
            ).encode()
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
