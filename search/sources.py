"""What the layers above search add to it: other kinds of thing the search page finds.

Search cannot import those apps (questions sits above it), so each registers here, in its
AppConfig.ready, a `Source`: the rows a reader may find (built on its own access module), how its
rows match the reader's words, and how a result is shown. The search page then offers it as a
kind beside lessons (`?in=<name>`), with its count, its facets and its page of results, through
the same pipeline as lessons (search/engine.py): counted and filtered only as the access policy
lets this reader see them, remembered per reader's view of the platform
(lessons.access.search_view_key), so a source's rows must depend on the reader through their
spaces only, and every table it reads must move its space's generation on (lessons/0013).

A source's rows have the columns of a lesson that search reads for the facets it names
(`network_id`, `working_group_id`, `policy_area_id`, `author_country_id`, `language`,
`search_tags`, and the `attribution` and `author` that decide what is shown of them), and
`search_vector` and `search_config` as search/index.py writes them.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    name: str  # in the URL (?in=<name>) and in remembered keys
    # count -> the kind's name with its count ("Questions (3)"), in the active language
    label: Callable
    # count, words -> the heading of its results ("3 questions found for “wallet”")
    heading: Callable
    empty: Callable  # () -> what the page says when nothing of this kind matches
    # user -> QuerySet: the rows this reader may find; every count, facet and page starts here
    searchable: Callable
    # (user, parsed) -> Q: the rows that have the words (search.params.parse_query's `parsed`)
    matching: Callable
    # (user, parsed) -> an expression to order the matches by, most relevant first
    ranking: Callable
    # parsed -> {"title_headline": ..., "snippet_headline": ...}: annotations of the page's rows
    headlines: Callable
    # (user, QuerySet of the page's rows) -> the same with what `result` reads
    page_rows: Callable
    # (user, row, title_html, snippet_html) -> what `template` shows as `result`
    result: Callable
    template: str
    facets: tuple = ()  # the names of search.params.FACETS its rows have
    newest: str = "created_at"  # the date of "newest first"


_sources = {}


def register(source):
    _sources[source.name] = source
    return source


def source_of(name):
    return _sources.get(name)


def registered():
    return list(_sources.values())


def names():
    return list(_sources)
