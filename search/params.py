"""What a reader asked of search: their words, parsed once per text-search configuration; the
facets' values and the order, read from the URL and checked; and the highlighting of what
matched."""

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchQueryField,
    SearchRank,
)
from django.db import connection
from django.db.models import (
    Case,
    F,
    Q,
    Value,
    When,
)
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lessons.languages import LESSON_LANGUAGES
from lessons.models import (
    SEARCH_CONFIGS,
    SIMPLE_SEARCH_CONFIG,
    Lesson,
    normalise_tag,
)
from search import sources
from search.index import START, STOP, plain_text, without_markers

MAX_QUERY_LENGTH = 200  # characters of a query that are searched
PAGE_SIZE = 20
MAX_PAGE = 10_000
SUGGEST_BELOW = 3  # "did you mean" when fewer results than this
MAX_SUGGESTED_WORDS = 5
FACET_OPTIONS = 15  # values shown per facet (selected ones first)
MAX_FILTER_VALUES = 20  # values of one facet a URL may select
COMMENTS = "comments"  # the search's other scope (`?in=comments`)
ALL_CONFIGS = [*SEARCH_CONFIGS.values(), SIMPLE_SEARCH_CONFIG]


# Parsing what the reader typed


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# A phrase in French, Spanish or typographic quotes is a phrase: websearch_to_tsquery knows "
# only. (Single quotes are left alone: ’ is also an apostrophe, as in « l’État ».)
_QUOTES = str.maketrans(dict.fromkeys("«»“”„‟", '"'))


def clean_query(text):
    """The query as searched: no control characters, its quotation marks straight, single
    spaces (a no-break space inside « » is a space), at most MAX_QUERY_LENGTH characters.
    Returns (query, whether it was cut)."""
    text = " ".join(_CONTROL.sub(" ", text or "").translate(_QUOTES).split())
    if len(text) <= MAX_QUERY_LENGTH:
        return text, False
    return text[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0] or text[:MAX_QUERY_LENGTH], True


def parse_query(text):
    """websearch_to_tsquery of the query in every configuration: {config: tsquery text}, with
    only the configurations where the query has words left (stop words are dropped)."""
    if not text:
        return {}
    columns = ", ".join(["websearch_to_tsquery(%s::regconfig, %s)::text"] * len(ALL_CONFIGS))
    params = [value for config in ALL_CONFIGS for value in (config, text)]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}", params)
        parsed = cursor.fetchone()
    return {config: tsquery for config, tsquery in zip(ALL_CONFIGS, parsed, strict=True) if tsquery}


class ParsedQuery(SearchQuery):
    """A tsquery parsed already (by parse_query): a constant, not parsed again per row."""

    def __init__(self, tsquery):
        super().__init__(Value(tsquery), search_type="raw")

    def as_sql(self, compiler, connection, function=None, template=None):
        return super().as_sql(compiler, connection, template="%(expressions)s::tsquery")


def matching(parsed, *, vector="search_vector", config="search_config"):
    """Q of the rows whose vector matches the query parsed in the row's own configuration."""
    condition = Q(pk__in=[])
    for name, tsquery in parsed.items():
        condition |= Q(**{config: name, vector: ParsedQuery(tsquery)})
    return condition


def row_query(parsed, config="search_config"):
    return Case(
        *[When(**{config: name}, then=ParsedQuery(tsquery)) for name, tsquery in parsed.items()],
        output_field=SearchQueryField(),
    )


def ranking(parsed, *, vector="search_vector", config="search_config"):
    return SearchRank(F(vector), row_query(parsed, config))


SNIPPET_FIELDS = ["summary", "worked", "did_not_work", *Lesson.SECTIONS]


def headline_annotations(parsed, snippet_fields=SNIPPET_FIELDS):
    """The highlighted title and snippet of each matching row: the snippet from the first of
    `snippet_fields` (in order) that matches, else the start of the first."""
    query = row_query(parsed)
    marks = {"start_sel": START, "stop_sel": STOP}
    return {
        "title_headline": SearchHeadline(
            without_markers(F("title")),
            query,
            config=F("search_config"),
            highlight_all=True,
            **marks,
        ),
        "snippet_headline": SearchHeadline(
            # summary first: without a match in the body, the snippet is the summary's start
            plain_text(*dict.fromkeys(snippet_fields)),
            query,
            config=F("search_config"),
            max_fragments=2,
            max_words=28,
            min_words=12,
            fragment_delimiter=" … ",
            **marks,
        ),
    }


def highlighted(text):
    """HTML of a ts_headline result: the text escaped, its highlights in <mark>, balanced."""
    parts, open_mark = [], False
    text = re.sub(r"\s+", " ", text or "")  # the marks taken out of Markdown leave gaps
    for piece in re.split(f"([{START}{STOP}])", text):
        if piece == START and not open_mark:
            parts.append("<mark>")
            open_mark = True
        elif piece == STOP and open_mark:
            parts.append("</mark>")
            open_mark = False
        elif piece not in (START, STOP):
            parts.append(escape(piece))
    if open_mark:
        parts.append("</mark>")
    # Every piece of text is escaped above.
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703


# What the reader asked: the query, the facets' values, the order


def _slugs(values):
    return [v for v in values if re.fullmatch(r"[-\w]{1,120}", v)]


def _numbers(low, high):
    def clean(values):
        return [int(v) for v in values if v.isascii() and v.isdigit() and low <= int(v) <= high]

    return clean


def _choices(choices):
    return lambda values: [v for v in values if v in choices.values]


def _tags(values):
    return [t for t in (normalise_tag(v) for v in values) if t]


def _codes(values):
    return [v.upper() for v in values if re.fullmatch(r"[A-Za-z]{2}", v)]


def _languages(values):
    return [v.lower() for v in values if v.lower() in LESSON_LANGUAGES]


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    clean: object  # list of strings from the URL -> list of values
    natural_order: bool = False  # options in their own order, not by count


FACETS = [
    Facet("network", _("Network"), _slugs),
    Facet("group", _("Working group"), _numbers(1, 2**31 - 1)),
    Facet("technology", _("Technology area"), _slugs),
    Facet("policy", _("Policy area"), _slugs),
    Facet("stage", _("Stage"), _choices(Lesson.Stage), natural_order=True),
    Facet("outcome", _("Outcome"), _choices(Lesson.Outcome), natural_order=True),
    Facet("year", _("Year"), _numbers(1900, 2100), natural_order=True),
    Facet("tag", _("Tag"), _tags),
    Facet("country", _("Country"), _codes),
    Facet("language", _("Language"), _languages),
]
FACET_NAMES = [facet.name for facet in FACETS]

SORTS = {
    "relevance": _("Relevance"),
    "newest": _("Newest"),
    "endorsed": _("Most endorsed"),
    "applied": _("Most applied"),
}
SOURCE_SORTS = ("relevance", "newest")  # the orders of the other kinds (search/sources.py)


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    filters: dict = field(default_factory=dict)  # facet name -> list of values
    sort: str = ""
    page: int = 1
    cut: bool = False  # the query was longer than MAX_QUERY_LENGTH
    # "comments": the comments that have the words, instead of the lessons; or the name of a
    # kind that a higher layer registered (search/sources.py: "questions")
    scope: str = ""

    @classmethod
    def from_query(cls, data):
        """From a QueryDict (or a dict of lists): whatever it holds, never an error."""

        def getlist(name):
            if hasattr(data, "getlist"):
                values = data.getlist(name)
            else:
                values = data.get(name) or []
                values = [values] if isinstance(values, str | int) else values
            return [_CONTROL.sub("", str(v)).strip() for v in values][:MAX_FILTER_VALUES]

        q, cut = clean_query((getlist("q") or [""])[0])
        filters = {}
        for facet in FACETS:
            values = list(dict.fromkeys(facet.clean(getlist(facet.name))))
            if values:
                filters[facet.name] = values
        sort = (getlist("sort") or [""])[0]
        if sort not in SORTS or (sort == "relevance" and not q):
            sort = ""
        page = _numbers(1, MAX_PAGE)(getlist("page")[:1])
        wanted = (getlist("in") or [""])[0]
        if wanted == COMMENTS:
            scope = COMMENTS if q else ""
        else:
            scope = wanted if wanted in sources.names() else ""
        return cls(
            q=q, filters=filters, sort=sort, page=page[0] if page else 1, cut=cut, scope=scope
        )

    @classmethod
    def from_saved(cls, saved):
        saved = saved if isinstance(saved, dict) else {}
        filters = saved.get("filters") if isinstance(saved.get("filters"), dict) else {}
        data = {"q": saved.get("q") or "", "sort": saved.get("sort") or "", **filters}
        return cls.from_query(data)

    @property
    def order(self):
        return self.sort or ("relevance" if self.q else "newest")

    @property
    def is_empty(self):
        return not self.q and not self.filters

    def as_saved(self):
        return {"q": self.q, "filters": self.filters, "sort": self.sort}

    def pairs(self, *, without=(), page=False):
        """The search as (name, value) pairs for a URL or hidden fields."""
        pairs = [("q", self.q)] if self.q and "q" not in without else []
        for name in FACET_NAMES:
            if name not in without:
                pairs += [(name, str(value)) for value in self.filters.get(name, [])]
        if self.sort and "sort" not in without:
            pairs.append(("sort", self.sort))
        if self.scope and "in" not in without:
            pairs.append(("in", self.scope))
        if page and self.page > 1:
            pairs.append(("page", str(self.page)))
        return pairs

    def url(self, **changes):
        params = self
        if changes:
            params = SearchParams(**{**self.__dict__, **changes})
        query = urlencode(params.pairs())
        return reverse("search:page") + (f"?{query}" if query else "")

    def describe(self):
        """A short name for the search: its words and how many filters."""
        count = sum(len(values) for values in self.filters.values())
        words = f"“{self.q}”" if self.q else str(_("All lessons"))
        if not count:
            return words[:120]
        described = ngettext(
            "%(words)s, %(count)s filter", "%(words)s, %(count)s filters", count
        ) % {"words": words, "count": count}
        return described[:120]
