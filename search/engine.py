"""Search over lessons, comments and the kinds the layers above register (questions):
PostgreSQL's full-text search, obeying the access policy.

- **The index** (search/index.py): each lesson's weighted vector in its language's text-search
  configuration, each comment's in its lesson's; kept in step by the lesson and comment events.
- **A search** (`search_lessons`) starts from `lessons.access.readable_lessons(user)`. The reader's
  words are parsed once by `websearch_to_tsquery` in every configuration (search/params.py);
  each lesson is matched by the parse of its own configuration, through that configuration's
  partial GIN index. Facets and the total come from one statement over the same matches; the
  page's lessons and their highlights (`ts_headline`, for the shown results only) from one
  more. Facet values that attribution hides from this reader (country, network) or that only
  members may know (working group) are counted, and filtered, only where the reader may see them.
- **Did you mean** suggests from `SearchTerm`, the words of every indexed lesson, but only words
  that match a lesson the reader may read now (`suggest`).
- **Saved searches** run again through the same path for their owner, at call time:
  `saved_search_new_matches`, for the digest.
- **Comments**: a search counts, and on its "comments" tab (`?in=comments`) lists, only
  `discussion.access.searchable_comments(user)`: comments on lessons the reader may read whose
  home space they are inside, never deleted or hidden ones, on lessons the filters keep.
  Comment words never enter the suggestions' vocabulary.
- **Other kinds** (search/sources.py): a higher layer registers a `Source` (questions). Each is
  counted for the kind's link, and on its own tab (`?in=<name>`) gets its facets, order, page
  and highlights through the same functions as lessons, starting from the source's own rows
  for this reader (`Source.searchable`, built on its access module), with the filters its rows
  have.
- **Remembered** counts and page ids (lessons/remembered.py): per reader's view of the platform
  and the generations of their spaces, so readers who may see different lessons never share an
  answer.

Queries per search, whatever the number of results: settings 1 (no JIT), parse 1 (with words),
space generations 1, facets and total 1, comment total 1 (with words) and one count per
registered kind unless remembered, that kind's facets and total 1 on its tab unless remembered,
page ids 1 unless remembered and page rows 1 (when something matches), suggestions 1 (only when
little matches); and the cache's own where it is the database (no Redis).

The module is one pipeline (filters, facets, the page of hits, other kinds, suggestions, the
outcome), kept together past 500 lines so that a query's whole path reads in one place.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    TrigramSimilarity,
)
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils.html import escape
from django.utils.text import Truncator

from discussion import access as discussion_access
from discussion.models import Comment
from lessons import access as lesson_access
from lessons.languages import language_name
from lessons.markdown import markdown_to_text
from lessons.models import Endorsement, Lesson, PolicyArea, TechnologyArea
from lessons.remembered import Remembered
from networks.models import Country, Network, User, WorkingGroup
from search import sources
from search.index import START, STOP, plain_text
from search.models import SearchTerm
from search.params import (
    ALL_CONFIGS,
    COMMENTS,
    FACET_OPTIONS,
    FACETS,
    MAX_SUGGESTED_WORDS,
    PAGE_SIZE,
    SOURCE_SORTS,
    SUGGEST_BELOW,
    SearchParams,
    headline_annotations,
    highlighted,
    matching,
    parse_query,
    ranking,
    row_query,
)

# The filters, as the access policy allows them for this reader


def _filter(user, name, values):
    """Q of the lessons having one of the values; where a value is hidden from this reader by
    attribution or membership, the lesson has none (so filtering reveals no more than counts)."""
    if name == "network":
        return lesson_access.network_shown_q(user) & Q(
            network_id__in=Network.objects.filter(slug__in=values).values("pk")
        )
    if name == "group":
        return lesson_access.working_group_shown_q(user) & Q(working_group_id__in=values)
    if name == "technology":
        return Q(technology_area_id__in=TechnologyArea.objects.filter(slug__in=values).values("pk"))
    if name == "policy":
        return Q(policy_area_id__in=PolicyArea.objects.filter(slug__in=values).values("pk"))
    if name == "country":
        return lesson_access.country_shown_q(user) & Q(
            author_country_id__in=Country.objects.filter(code__in=values).values("pk")
        )
    if name == "tag":
        return Q(search_tags__overlap=values)
    return Q(**{f"{name}__in": values})


def _facets_of(source):
    """The facets of lessons (source None), or those a source's rows have."""
    return FACETS if source is None else [f for f in FACETS if f.name in source.facets]


def _filters_of(params, source):
    """The reader's filters that apply to lessons (source None) or to a source's rows: a
    source ignores filters of facets its rows do not have (its kind's link leaves them out)."""
    if source is None:
        return params.filters
    return {name: values for name, values in params.filters.items() if name in source.facets}


def _matches(user, params, parsed, source=None):
    """The lessons (or a source's rows) the reader may read that have the words (whatever the
    filters)."""
    if source is None:
        rows = lesson_access.readable_lessons(user)
        return rows.filter(matching(parsed)) if params.q else rows
    rows = source.searchable(user)
    return rows.filter(source.matching(user, parsed)) if params.q else rows


def _found(user, params, parsed, source=None):
    """The lessons (or a source's rows) the reader may read that the search finds: words and
    filters."""
    rows = _matches(user, params, parsed, source)
    for name, values in _filters_of(params, source).items():
        rows = rows.filter(_filter(user, name, values))
    return rows


def matching_lessons(user, params):
    """Every lesson the reader may read that the search finds (no order, no page)."""
    return _found(user, params, parse_query(params.q))


def _counted(kind):
    counted = Endorsement.objects.filter(lesson=OuterRef("pk"))
    if kind:
        counted = counted.filter(kind=kind)
    count = counted.order_by().values("lesson").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(count, output_field=IntegerField()), 0)


# Facets and the total: one statement over the matches


def _facet_columns(user):
    """Each facet's value of a row (lesson or source row), as far as this reader may know it."""

    def hidden_unless(condition, column):
        # Cast: where the condition can hold for no row, the Case is a bare NULL.
        return Cast(Case(When(condition, then=F(column)), default=None), BigIntegerField())

    return {
        "network": lambda: hidden_unless(lesson_access.network_shown_q(user), "network_id"),
        "group": lambda: hidden_unless(
            lesson_access.working_group_shown_q(user), "working_group_id"
        ),
        "technology": lambda: F("technology_area_id"),
        "policy": lambda: F("policy_area_id"),
        "stage": lambda: F("stage"),
        "outcome": lambda: F("outcome"),
        "year": lambda: F("year"),
        "country": lambda: hidden_unless(lesson_access.country_shown_q(user), "author_country_id"),
        "tag": lambda: F("search_tags"),
        "language": lambda: F("language"),
    }


def _facet_sql(user, params, parsed, source=None):
    facets, filters = _facets_of(source), _filters_of(params, source)
    columns = _facet_columns(user)
    hits = _matches(user, params, parsed, source).annotate(
        h_id=F("pk"),
        **{f"h_{facet.name}": columns[facet.name]() for facet in facets},
        **{
            f"ok_{name}": ExpressionWrapper(
                _filter(user, name, values), output_field=BooleanField()
            )
            for name, values in filters.items()
        },
    )
    selected_columns = ["h_id", *[f"h_{facet.name}" for facet in facets]]
    hits = hits.order_by().values(*selected_columns, *[f"ok_{name}" for name in filters])
    hits_sql, hits_params = hits.query.sql_with_params()

    def where(besides):
        kept = [f"h.ok_{name}" for name in filters if name != besides]
        return " AND ".join(kept) or "TRUE"

    # SQL of this module only: every value the reader chose is a parameter.
    total = f"SELECT 'total', NULL::text, NULL::text, count(*) FROM hits h WHERE {where(None)}"  # noqa: S608  # nosec B608
    branches = [total]
    selected = []
    for facet in facets:
        value, label, joins = _FACET_SOURCES[facet.name]()
        branches.append(
            f"(SELECT '{facet.name}', {value}, {label}, count(*) FROM hits h {joins} "  # noqa: S608  # nosec B608
            f"WHERE {where(facet.name)} AND {value} IS NOT NULL GROUP BY 2, 3 "
            f"ORDER BY {value} = ANY(%s::text[]) DESC, count(*) DESC, 2 LIMIT {FACET_OPTIONS})"
        )
        selected.append([str(v) for v in filters.get(facet.name, [])])
    sql = f"WITH hits AS MATERIALIZED ({hits_sql}) " + " UNION ALL ".join(branches)
    return sql, (*hits_params, *selected)


def _joined(model, column, value="x.slug"):
    """A facet whose value and label come from a table joined to the hits."""
    return lambda: (value, "x.name", f"JOIN {model._meta.db_table} x ON x.id = h.{column}")


def _own(column):
    """A facet whose value is the lesson's own column (its label comes from its choices)."""
    return lambda: (f"h.{column}::text", "NULL", "")


def _tagged():
    return ("x.name", "x.name", "CROSS JOIN unnest(h.h_tag) AS x(name)")


# facet -> (its value, its label, what to join to "hits h" for them), as SQL
_FACET_SOURCES = {
    "network": _joined(Network, "h_network"),
    "group": _joined(WorkingGroup, "h_group", value="x.id::text"),
    "technology": _joined(TechnologyArea, "h_technology"),
    "policy": _joined(PolicyArea, "h_policy"),
    "stage": _own("h_stage"),
    "outcome": _own("h_outcome"),
    "year": _own("h_year"),
    "country": _joined(Country, "h_country", value="x.code"),
    "tag": _tagged,
    "language": _own("h_language"),
}


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class FacetCounts:
    name: str
    label: str
    options: list


def _labels(name, value, label):
    if name == "stage":
        return str(Lesson.Stage(value).label)
    if name == "outcome":
        return str(Lesson.Outcome(value).label)
    if name == "language":
        return language_name(value)  # in the reader's interface language
    return label or value


def count_facets(user, params, parsed, source=None):
    """(total, [FacetCounts]) over the lessons (or a source's rows) the reader may read that the
    search finds."""
    sql, sql_params = _facet_sql(user, params, parsed, source)
    with connection.cursor() as cursor:
        cursor.execute(sql, sql_params)
        rows = cursor.fetchall()
    total = 0
    filters = _filters_of(params, source)
    by_facet = {facet.name: [] for facet in _facets_of(source)}
    for name, value, label, count in rows:
        if name == "total":
            total = count
            continue
        selected = value in [str(v) for v in filters.get(name, [])]
        by_facet[name].append(FacetOption(value, _labels(name, value, label), count, selected))
    facets = []
    for facet in _facets_of(source):
        options = by_facet[facet.name]
        if facet.name == "year":
            options.sort(key=lambda option: -int(option.value))
        elif facet.natural_order:
            order = list(Lesson.Stage if facet.name == "stage" else Lesson.Outcome)
            options.sort(key=lambda option: order.index(option.value))
        if options:
            facets.append(FacetCounts(facet.name, facet.label, options))
    return total, facets


# The page of results


@dataclass
class Result:
    lesson: Lesson
    author: object  # lesson_access.ShownAuthor
    network: object  # the network, or None where it is not to be named to this reader
    working_group: object
    title_html: str
    snippet_html: str
    tags: list


class _Hits:
    """The matches as a sequence for Paginator: the total is known, a slice runs the queries."""

    def __init__(self, user, params, parsed, total, remembered):
        self.user, self.params, self.parsed, self.total = user, params, parsed, total
        self.remembered = remembered

    def _page_ids(self, start, stop, ordered):
        """The ids of the page's matches, in order: remembered, or asked of `ordered()`."""
        part = f"ids:{self.params.scope}:{self.params.order}:{start}:{stop}"
        ids = self.remembered.get(part)
        if ids is None:
            ids = list(ordered().values_list("pk", flat=True)[start:stop])
            self.remembered.keep(part, ids)
        return ids

    def count(self):
        return self.total

    def __len__(self):
        return self.total

    def __getitem__(self, page):
        if not isinstance(page, slice) or page.start >= page.stop:
            return []
        return self._results(page.start, page.stop)

    def _ordered(self):
        lessons = _found(self.user, self.params, self.parsed)
        order = self.params.order
        if order == "relevance" and self.parsed:
            return lessons.annotate(rank=ranking(self.parsed)).order_by(
                "-rank", F("published_at").desc(nulls_last=True), "-pk"
            )
        if order in ("endorsed", "applied"):
            kind = Endorsement.Kind.APPLIED if order == "applied" else None
            return lessons.annotate(endorsed=_counted(kind)).order_by(
                "-endorsed", F("published_at").desc(nulls_last=True), "-pk"
            )
        return lessons.order_by(F("published_at").desc(nulls_last=True), "-pk")

    def _results(self, start, stop):
        ids = self._page_ids(start, stop, self._ordered)
        if not ids:
            return []
        # The highlights (ts_headline over each lesson's text, the costly part of the page's
        # query) are remembered with the ids; the lessons themselves are read again.
        part = f"headlines:{self.params.scope}:{self.params.order}:{start}:{stop}"
        headlines = self.remembered.get(part) if self.parsed else {}
        lessons = (
            lesson_access.readable_lessons(self.user)
            .filter(pk__in=ids)
            .defer("search_vector")
            .select_related(
                "network", "working_group", "author", "author_country", "technology_area"
            )
            .annotate(
                endorsement_count=_counted(None),
                applied_count=_counted(Endorsement.Kind.APPLIED),
                **(headline_annotations(self.parsed) if headlines is None else {}),
            )
        )
        by_id = {lesson.pk: lesson for lesson in lessons}
        if headlines is None:
            headlines = {
                pk: (lesson.title_headline, lesson.snippet_headline) for pk, lesson in by_id.items()
            }
            self.remembered.keep(part, headlines)
        return [
            self._result(by_id[pk], *headlines.get(pk, (None, None))) for pk in ids if pk in by_id
        ]

    def _result(self, lesson, title, snippet):
        user = self.user
        return Result(
            lesson=lesson,
            author=lesson_access.shown_author(user, lesson),
            network=lesson_access.shown_network(user, lesson),
            working_group=lesson.working_group
            if lesson_access.working_group_is_shown(user, lesson)
            else None,
            title_html=highlighted(title) if title else escape(lesson.title),
            snippet_html=highlighted(snippet)
            if snippet
            else escape(Truncator(markdown_to_text(lesson.summary)).words(40)),
            tags=lesson.search_tags,
        )


# Comments: only those the reader may see, in the home spaces they are inside


@dataclass
class CommentResult:
    comment: Comment
    snippet_html: str


def _found_comments(user, params, parsed):
    """The comments the reader may see that have the words, on lessons the filters keep."""
    comments = discussion_access.searchable_comments(user).filter(matching(parsed))
    if params.filters:
        lessons = lesson_access.readable_lessons(user)
        for name, values in params.filters.items():
            lessons = lessons.filter(_filter(user, name, values))
        comments = comments.filter(lesson__in=lessons.values("pk"))
    return comments


def count_comments(user, params, parsed):
    return _found_comments(user, params, parsed).count() if parsed else 0


class _CommentHits(_Hits):
    """The matching comments, most relevant first, as a sequence for Paginator."""

    def _results(self, start, stop):
        def ordered():
            return (
                _found_comments(self.user, self.params, self.parsed)
                .annotate(rank=ranking(self.parsed))
                .order_by("-rank", "-created_at", "-pk")
            )

        ids = self._page_ids(start, stop, ordered)
        if not ids:
            return []
        comments = (
            discussion_access.searchable_comments(self.user)
            .filter(pk__in=ids)
            .defer("search_vector", "lesson__search_vector")
            .select_related("author", "lesson", "lesson__network", "lesson__working_group")
            .annotate(
                snippet_headline=SearchHeadline(
                    plain_text("body"),
                    row_query(self.parsed),
                    config=F("search_config"),
                    max_fragments=2,
                    max_words=28,
                    min_words=12,
                    fragment_delimiter=" … ",
                    start_sel=START,
                    stop_sel=STOP,
                )
            )
        )
        by_id = {comment.pk: comment for comment in comments}
        return [
            CommentResult(by_id[pk], highlighted(by_id[pk].snippet_headline))
            for pk in ids
            if pk in by_id
        ]


# The kinds that the layers above register (search/sources.py): questions


class _SourceHits(_Hits):
    """A source's matches, as a sequence for Paginator: ordered, paged, highlighted and read
    again through the source's own access rule, like lessons."""

    def __init__(self, user, params, parsed, total, remembered, source):
        super().__init__(user, params, parsed, total, remembered)
        self.source = source

    @property
    def order(self):
        return self.params.order if self.params.order in SOURCE_SORTS else "newest"

    def _ordered(self):
        source, newest = self.source, F(self.source.newest).desc(nulls_last=True)
        rows = _found(self.user, self.params, self.parsed, source)
        if self.order == "relevance" and self.parsed:
            rank = source.ranking(self.user, self.parsed)
            return rows.annotate(rank=rank).order_by("-rank", newest, "-pk")
        return rows.order_by(newest, "-pk")

    def _page_ids(self, start, stop, ordered):
        part = f"ids:{self.params.scope}:{self.order}:{start}:{stop}"
        ids = self.remembered.get(part)
        if ids is None:
            ids = list(ordered().values_list("pk", flat=True)[start:stop])
            self.remembered.keep(part, ids)
        return ids

    def _results(self, start, stop):
        source, user = self.source, self.user
        ids = self._page_ids(start, stop, self._ordered)
        if not ids:
            return []
        part = f"headlines:{self.params.scope}:{self.order}:{start}:{stop}"
        headlines = self.remembered.get(part) if self.parsed else {}
        rows = source.page_rows(user, source.searchable(user).filter(pk__in=ids))
        if headlines is None:
            rows = rows.annotate(**source.headlines(self.parsed))
        by_id = {row.pk: row for row in rows}
        if headlines is None:
            headlines = {
                pk: (row.title_headline, row.snippet_headline) for pk, row in by_id.items()
            }
            self.remembered.keep(part, headlines)
        results = []
        for pk in ids:
            if pk in by_id:
                title, snippet = headlines.get(pk, (None, None))
                results.append(
                    source.result(
                        user,
                        by_id[pk],
                        highlighted(title) if title else None,
                        highlighted(snippet) if snippet else None,
                    )
                )
        return results


def count_source(user, params, parsed, source):
    """How many of a source's rows the reader may see that the search finds, with the filters
    that apply to them."""
    return _found(user, params, parsed, source).count()


@dataclass
class SearchKind:
    """A kind the search finds besides lessons, as the page offers it."""

    name: str
    label: str
    url: str
    current: bool


# Did you mean


_WORD = re.compile(r"\w+", re.UNICODE)


def _fold(word):
    """Lower case without accents, as the index's unaccent leaves the words it keeps."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _query_words(query):
    """The words a suggestion may replace: not excluded ones (-word), not the OR operator."""
    words = []
    for match in _WORD.finditer(query):
        word = match.group()
        excluded = match.start() > 0 and query[match.start() - 1] == "-"
        if excluded or word == "OR" or word.isdigit() or not 3 <= len(word) <= 40:
            continue
        words.append(word)
    return list(dict.fromkeys(words))[:MAX_SUGGESTED_WORDS]


def _term_matches(word):
    """Q of lessons whose vector has the word, parsed in each lesson's configuration."""
    condition = Q(pk__in=[])
    for config in ALL_CONFIGS:
        condition |= Q(search_config=config, search_vector=SearchQuery(word, config=config))
    return condition


def suggest(user, query):
    """A corrected query from the closest known words, or None. A word is suggested only when a
    lesson this reader may read now has it: the vocabulary itself is never shown."""
    words = _query_words(query)
    if not words:
        return None
    readable = lesson_access.readable_lessons(user)
    branches = [
        SearchTerm.objects.filter(word__trigram_similar=_fold(word))
        .filter(Exists(readable.filter(_term_matches(OuterRef("word")))))
        .annotate(
            typed=Value(index),
            typed_found=Exists(readable.filter(_term_matches(Value(word)))),
            similarity=TrigramSimilarity("word", _fold(word)),
        )
        .order_by("-similarity", "word")
        .values_list("typed", "word", "typed_found")[:1]
        for index, word in enumerate(words)
    ]
    found = branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]
    replacements = {}
    for index, term, typed_found in found:
        if not typed_found and term != _fold(words[index]):
            replacements[words[index]] = term
    if not replacements:
        return None
    return _WORD.sub(lambda match: replacements.get(match.group(), match.group()), query)


# The search page


@dataclass
class SearchOutcome:
    params: SearchParams
    total: int  # of the kind shown: lessons, or the source's rows
    page: object  # a Paginator page of Result (or of the source's results)
    facets: list
    suggestion: str | None = None  # a corrected query
    nothing_to_search: bool = False  # only punctuation or operators
    common_words: bool = False  # all its words are too common to search in some language
    comment_total: int = 0  # the comments the reader may see that have the words
    lesson_total: int = 0  # the lessons the reader may read that the search finds
    kinds: list = field(default_factory=list)  # [SearchKind]: the sources, with their counts
    source: object = None  # the Source shown (search/sources.py), or None for lessons

    @property
    def lessons_url(self):
        return self.params.url(scope="", page=1)

    @property
    def comments_url(self):
        return self.params.url(scope=COMMENTS, page=1, sort="")

    @property
    def suggestion_url(self):
        return self.params.url(q=self.suggestion, page=1) if self.suggestion else ""

    @property
    def source_heading(self):
        return self.source.heading(self.total, self.params.q) if self.source else ""

    @property
    def source_empty(self):
        return self.source.empty() if self.source else ""


def search_lessons(user, params, *, remembered=None):
    """The search page's content for this reader: results, facets, total, suggestion."""
    with transaction.atomic():
        # These queries are short, but their estimated cost grows with the lessons matched:
        # compiling them just in time would cost more than running them.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
        return _search(user, params, remembered or Remembered.of_search(user, params))


def _kinds(params, source_totals):
    kinds = []
    for source in sources.registered():
        if source.name not in source_totals:
            continue
        url = params.url(
            scope=source.name,
            page=1,
            sort=params.sort if params.sort in SOURCE_SORTS else "",
            filters=_filters_of(params, source),
        )
        current = params.scope == source.name
        kinds.append(
            SearchKind(source.name, source.label(source_totals[source.name]), url, current)
        )
    return kinds


def _search(user, params, remembered):
    parsed = parse_query(params.q)
    if params.q and not parsed:
        empty = Paginator([], PAGE_SIZE).get_page(1)
        return SearchOutcome(params, 0, empty, [], nothing_to_search=True)
    counts = remembered.get("counts")
    if counts is None:
        total, facets = count_facets(user, params, parsed)
        source_totals = {
            source.name: count_source(user, params, parsed, source)
            for source in sources.registered()
        }
        counts = remembered.keep(
            "counts", (total, facets, count_comments(user, params, parsed), source_totals)
        )
    lesson_total, facets, comment_total, source_totals = counts
    total = lesson_total
    source = sources.source_of(params.scope)
    if source is not None:
        part = f"facets:{source.name}"
        total, facets = remembered.get(part) or remembered.keep(
            part, count_facets(user, params, parsed, source)
        )
        hits = _SourceHits(user, params, parsed, total, remembered, source)
    elif params.scope == COMMENTS:
        hits = _CommentHits(user, params, parsed, comment_total, remembered)
    else:
        hits = _Hits(user, params, parsed, total, remembered)
    page = Paginator(hits, PAGE_SIZE).get_page(params.page)
    suggestion = suggest(user, params.q) if params.q and lesson_total < SUGGEST_BELOW else None
    common = bool(params.q) and total == 0 and len(parsed) < len(ALL_CONFIGS)
    return SearchOutcome(
        params,
        total,
        page,
        facets,
        suggestion,
        common_words=common,
        comment_total=comment_total,
        lesson_total=lesson_total,
        kinds=_kinds(params, source_totals),
        source=source,
    )


# Saved searches: what the digest calls


def saved_search_new_matches(saved_search, since):
    """Lessons published after `since` that the saved search finds and that its owner may read
    at the moment of this call: a suspension, a departure or a narrowed audience counts at once.
    Newest first. Show each with lesson_access.shown_author(owner, lesson)."""
    owner = User.objects.filter(
        pk=saved_search.owner_id, is_active=True, deactivated_at__isnull=True
    ).first()
    if owner is None:
        return Lesson.objects.none()
    params = SearchParams.from_saved(saved_search.query)
    return (
        matching_lessons(owner, params)
        .filter(published_at__gt=since)
        .select_related("network", "author", "author_country")
        .order_by("-published_at", "-pk")
    )
