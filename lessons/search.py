"""Search over lessons: PostgreSQL's full-text search, obeying the access policy everywhere.

- **The index.** Each lesson stores a weighted tsvector (`Lesson.search_vector`: title and tags A;
  summary, what worked and what didn't B; what was intended and happened, why, recommendations,
  technology and policy area C; evidence and conditions for transfer D) in the text-search
  configuration of its language (`Lesson.search_config`, one of `SEARCH_CONFIGS` or `simple`, each
  with unaccent before the stemmer), and its tags' names for the tag facet (`search_tags`).
  `reindex_lessons` writes them, and every lesson service calls it after it writes. Nothing
  that identifies the author (name, country, organisation) is indexed or headlined, so neither
  matching nor snippets can reveal what attribution hides.
- **A search** (`search_lessons`) starts from `access.readable_lessons(user)`. The reader's words
  are parsed once by `websearch_to_tsquery` in every configuration (`parse_query`); each lesson
  is matched by the parse of its own configuration, through that configuration's partial GIN
  index. Facets and the total come from one statement over the same matches; the page's lessons
  and their highlights (`ts_headline`, for the shown results only) from one more. Facet values
  that attribution hides from this reader (country, network) or that only members may know
  (working group) are counted, and filtered, only where the reader may see them.
- **Did you mean** suggests from `SearchTerm`, the words of every indexed lesson, but only words
  that match a lesson the reader may read now (`suggest`).
- **Saved searches** run again through the same path for their owner, at call time:
  `saved_search_new_matches` (what the digest of issue E calls).

- **Comments** carry a vector too (`Comment.search_vector`, in the configuration of their lesson's
  language; `reindex_comments`, which the comment services call). A search counts, and on its
  "comments" tab (`?in=comments`) lists, only `access.searchable_comments(user)`: comments on
  lessons the reader may read whose home space they are inside, never deleted or hidden ones,
  on lessons the filters keep. Comment words never enter the suggestions' vocabulary.

Queries per search, whatever the number of results: settings 1 (no JIT), parse 1 (with words),
search generation 1, facets and total 1 and comment total 1 (with words) unless remembered,
page ids 1 unless remembered and page rows 1 (when something matches), suggestions 1 (only when
little matches); and the cache's own where it is the database (no Redis).
- **Remembered** counts and page ids: see "Remembered counts and rankings" below.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchQueryField,
    SearchRank,
    SearchVector,
    TrigramSimilarity,
)
from django.core.cache import caches
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
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, NullIf
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from lessons.markdown import markdown_to_text
from lessons.models import (
    SEARCH_CONFIGS,
    SIMPLE_SEARCH_CONFIG,
    Comment,
    Endorsement,
    Lesson,
    PolicyArea,
    SearchTerm,
    Tag,
    TechnologyArea,
    normalise_tag,
)
from networks import access
from networks.models import LANGUAGE_CHOICES, Country, Network, User, WorkingGroup

MAX_QUERY_LENGTH = 200  # characters of a query that are searched
PAGE_SIZE = 20
MAX_PAGE = 10_000
SUGGEST_BELOW = 3  # "did you mean" when fewer results than this
MAX_SUGGESTED_WORDS = 5
FACET_OPTIONS = 15  # values shown per facet (selected ones first)
MAX_FILTER_VALUES = 20  # values of one facet a URL may select
COMMENTS = "comments"  # the search's other scope (`?in=comments`)
ALL_CONFIGS = [*SEARCH_CONFIGS.values(), SIMPLE_SEARCH_CONFIG]
# ts_headline's highlight markers: control characters, removed from the text first, so that
# escaping the snippet and then turning markers into <mark> cannot be fooled by the text.
START, STOP = "\x01", "\x02"


# The index


def config_for_language(code):
    return SEARCH_CONFIGS.get((code or "").split("-")[0], SIMPLE_SEARCH_CONFIG)


def _language_config():
    """The configuration of each lesson's language, as SQL."""
    by_config = {}
    for code, _name in LANGUAGE_CHOICES:
        by_config.setdefault(config_for_language(code), []).append(code)
    by_config.pop(SIMPLE_SEARCH_CONFIG, None)
    return Case(
        *[When(language__in=codes, then=Value(config)) for config, codes in by_config.items()],
        default=Value(SIMPLE_SEARCH_CONFIG),
    )


def _tag_list():
    return ArraySubquery(Tag.objects.filter(lessons=OuterRef("pk")).order_by("name").values("name"))


def _tag_names():
    return Func(_tag_list(), Value(" "), function="array_to_string", output_field=TextField())


def _area_name(model, field_name):
    return Subquery(model.objects.filter(pk=OuterRef(field_name)).values("name")[:1])


def _weighted(config):
    """The lesson's text, weighted: never a field that says who wrote it."""
    return (
        SearchVector("title", _tag_names(), config=config, weight="A")
        + SearchVector("summary", "worked", "did_not_work", config=config, weight="B")
        + SearchVector(
            "intended",
            "happened",
            "why",
            "recommendations",
            _area_name(TechnologyArea, "technology_area_id"),
            _area_name(PolicyArea, "policy_area_id"),
            config=config,
            weight="C",
        )
        + SearchVector("evidence", "transfer_conditions", config=config, weight="D")
    )


def reindex_lessons(lesson_ids=None):
    """Write the search vector of the given lessons (all of them without ids), and add their
    words to the vocabulary of suggestions. Every lesson service calls this after it writes."""
    lessons = Lesson.objects.order_by()
    if lesson_ids is not None:
        lessons = lessons.filter(pk__in=list(lesson_ids))
    config = _language_config()
    lessons.update(search_config=config, search_vector=_weighted(config), search_tags=_tag_list())
    _collect_words(lessons)
    # A lesson whose language changed takes its comments' configuration with it.
    stale = Comment.objects.filter(lesson__in=lessons).exclude(
        search_config=F("lesson__search_config")
    )
    _reindex(Comment.objects.filter(pk__in=stale.values("pk")))


def reindex_comments(comment_ids=None):
    """Write the search vector of the given comments (all of them without ids), in the
    configuration of their lesson's language. Every comment service calls this after it writes."""
    comments = Comment.objects.all()
    if comment_ids is not None:
        comments = comments.filter(pk__in=list(comment_ids))
    _reindex(comments)


def _reindex(comments):
    lesson_config = Lesson.objects.filter(pk=OuterRef("lesson_id")).values("search_config")[:1]
    comments = comments.order_by()
    comments.update(
        search_config=Coalesce(
            NullIf(Subquery(lesson_config), Value("")), Value(SIMPLE_SEARCH_CONFIG)
        )
    )
    comments.update(search_vector=SearchVector(_plain_text("body"), config=F("search_config")))


def _collect_words(lessons):
    words = lessons.annotate(words=_weighted(SIMPLE_SEARCH_CONFIG)).values("words")
    sql, params = words.query.sql_with_params()
    table = connection.ops.quote_name(SearchTerm._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            # Names from the models, values as parameters.
            f"INSERT INTO {table} (word) SELECT DISTINCT u.lexeme FROM ({sql}) AS d, "  # noqa: S608  # nosec B608
            "unnest(d.words) AS u WHERE char_length(u.lexeme) BETWEEN 3 AND 40 "
            "AND u.lexeme !~ '[0-9[:punct:][:space:]]' ON CONFLICT (word) DO NOTHING",
            params,
        )


# Parsing what the reader typed


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_query(text):
    """The query as searched: no control characters, single spaces, at most MAX_QUERY_LENGTH
    characters. Returns (query, whether it was cut)."""
    text = " ".join(_CONTROL.sub(" ", text or "").split())
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


def _row_query(parsed, config="search_config"):
    return Case(
        *[When(**{config: name}, then=ParsedQuery(tsquery)) for name, tsquery in parsed.items()],
        output_field=SearchQueryField(),
    )


def ranking(parsed, *, vector="search_vector", config="search_config"):
    return SearchRank(F(vector), _row_query(parsed, config))


def _without_markers(text):
    return Func(
        text, Value(START + STOP), Value(""), function="translate", output_field=TextField()
    )


def _plain_text(*fields):
    """The Markdown fields as text for ts_headline: marks, link targets, HTML tags and the
    highlight markers removed."""
    text = Func(Value(" "), *[F(name) for name in fields], function="concat_ws")
    text = Func(text, Value(r"\]\([^)]*\)"), Value("]"), Value("g"), function="regexp_replace")
    text = Func(
        text, Value("<[^>]*>|[][*_`#>|~]+"), Value(" "), Value("g"), function="regexp_replace"
    )
    return _without_markers(text)


SNIPPET_FIELDS = ["summary", "worked", "did_not_work", *Lesson.SECTIONS]


def _headlines(parsed):
    query = _row_query(parsed)
    marks = {"start_sel": START, "stop_sel": STOP}
    return {
        "title_headline": SearchHeadline(
            _without_markers(F("title")),
            query,
            config=F("search_config"),
            highlight_all=True,
            **marks,
        ),
        "snippet_headline": SearchHeadline(
            # summary first: without a match in the body, the snippet is the summary's start
            _plain_text(*dict.fromkeys(SNIPPET_FIELDS)),
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
]
FACET_NAMES = [facet.name for facet in FACETS]

SORTS = {
    "relevance": _("Relevance"),
    "newest": _("Newest"),
    "endorsed": _("Most endorsed"),
    "applied": _("Most applied"),
}


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    filters: dict = field(default_factory=dict)  # facet name -> list of values
    sort: str = ""
    page: int = 1
    cut: bool = False  # the query was longer than MAX_QUERY_LENGTH
    scope: str = ""  # "comments": the comments that have the words, instead of the lessons

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
        scope = COMMENTS if q and (getlist("in") or [""])[0] == COMMENTS else ""
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
        return reverse("lessons:search") + (f"?{query}" if query else "")

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


# The filters, as the access policy allows them for this reader


def _filter(user, name, values):
    """Q of the lessons having one of the values; where a value is hidden from this reader by
    attribution or membership, the lesson has none (so filtering reveals no more than counts)."""
    if name == "network":
        return access.network_shown_q(user) & Q(
            network_id__in=Network.objects.filter(slug__in=values).values("pk")
        )
    if name == "group":
        return access.working_group_shown_q(user) & Q(working_group_id__in=values)
    if name == "technology":
        return Q(technology_area_id__in=TechnologyArea.objects.filter(slug__in=values).values("pk"))
    if name == "policy":
        return Q(policy_area_id__in=PolicyArea.objects.filter(slug__in=values).values("pk"))
    if name == "country":
        return access.country_shown_q(user) & Q(
            author_country_id__in=Country.objects.filter(code__in=values).values("pk")
        )
    if name == "tag":
        return Q(search_tags__overlap=values)
    return Q(**{f"{name}__in": values})


def _matches(user, params, parsed):
    """The lessons the reader may read that have the words (whatever the filters)."""
    lessons = access.readable_lessons(user)
    if params.q:
        lessons = lessons.filter(matching(parsed))
    return lessons


def _found(user, params, parsed):
    """The lessons the reader may read that the search finds: words and filters."""
    lessons = _matches(user, params, parsed)
    for name, values in params.filters.items():
        lessons = lessons.filter(_filter(user, name, values))
    return lessons


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


def _facet_sql(user, params, parsed):
    def hidden_unless(condition, column):
        # Cast: where the condition can hold for no lesson, the Case is a bare NULL.
        return Cast(Case(When(condition, then=F(column)), default=None), BigIntegerField())

    hits = _matches(user, params, parsed).annotate(
        h_id=F("pk"),
        h_network=hidden_unless(access.network_shown_q(user), "network_id"),
        h_group=hidden_unless(access.working_group_shown_q(user), "working_group_id"),
        h_technology=F("technology_area_id"),
        h_policy=F("policy_area_id"),
        h_stage=F("stage"),
        h_outcome=F("outcome"),
        h_year=F("year"),
        h_country=hidden_unless(access.country_shown_q(user), "author_country_id"),
        h_tag=F("search_tags"),
        **{
            f"ok_{name}": ExpressionWrapper(
                _filter(user, name, values), output_field=BooleanField()
            )
            for name, values in params.filters.items()
        },
    )
    columns = ["h_id", *[f"h_{facet.name}" for facet in FACETS]]
    hits = hits.order_by().values(*columns, *[f"ok_{name}" for name in params.filters])
    hits_sql, hits_params = hits.query.sql_with_params()

    def where(besides):
        kept = [f"h.ok_{name}" for name in params.filters if name != besides]
        return " AND ".join(kept) or "TRUE"

    # SQL of this module only: every value the reader chose is a parameter.
    total = f"SELECT 'total', NULL::text, NULL::text, count(*) FROM hits h WHERE {where(None)}"  # noqa: S608  # nosec B608
    branches = [total]
    selected = []
    for facet in FACETS:
        value, label, joins = _FACET_SOURCES[facet.name]()
        branches.append(
            f"(SELECT '{facet.name}', {value}, {label}, count(*) FROM hits h {joins} "  # noqa: S608  # nosec B608
            f"WHERE {where(facet.name)} AND {value} IS NOT NULL GROUP BY 2, 3 "
            f"ORDER BY {value} = ANY(%s::text[]) DESC, count(*) DESC, 2 LIMIT {FACET_OPTIONS})"
        )
        selected.append([str(v) for v in params.filters.get(facet.name, [])])
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
    return label or value


def count_facets(user, params, parsed):
    """(total, [FacetCounts]) over the lessons the reader may read that the search finds."""
    sql, sql_params = _facet_sql(user, params, parsed)
    with connection.cursor() as cursor:
        cursor.execute(sql, sql_params)
        rows = cursor.fetchall()
    total = 0
    by_facet = {facet.name: [] for facet in FACETS}
    for name, value, label, count in rows:
        if name == "total":
            total = count
            continue
        selected = value in [str(v) for v in params.filters.get(name, [])]
        by_facet[name].append(FacetOption(value, _labels(name, value, label), count, selected))
    facets = []
    for facet in FACETS:
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
    author: object  # access.ShownAuthor
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
            access.readable_lessons(self.user)
            .filter(pk__in=ids)
            .defer("search_vector")
            .select_related(
                "network", "working_group", "author", "author_country", "technology_area"
            )
            .annotate(
                endorsement_count=_counted(None),
                applied_count=_counted(Endorsement.Kind.APPLIED),
                **(_headlines(self.parsed) if headlines is None else {}),
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
            author=access.shown_author(user, lesson),
            network=access.shown_network(user, lesson),
            working_group=lesson.working_group
            if access.working_group_is_shown(user, lesson)
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
    comments = access.searchable_comments(user).filter(matching(parsed))
    if params.filters:
        lessons = access.readable_lessons(user)
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
            access.searchable_comments(self.user)
            .filter(pk__in=ids)
            .defer("search_vector", "lesson__search_vector")
            .select_related("author", "lesson", "lesson__network", "lesson__working_group")
            .annotate(
                snippet_headline=SearchHeadline(
                    _plain_text("body"),
                    _row_query(self.parsed),
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
    readable = access.readable_lessons(user)
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
# (lessons.search_views.search_page); a network's lesson list and the lesson page keep their
# rendered content under the same kind of key (lessons.views). Those rendered pages trust the
# key: every table they read moves the generation on (tests/lessons/test_remembered_tables.py).

SEARCH_CACHE = "search"
SEARCH_REMEMBERED_SECONDS = 300


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
            repr((access.search_view_key(user), question, search_generation())).encode()
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


# The search page


@dataclass
class SearchOutcome:
    params: SearchParams
    total: int
    page: object  # a Paginator page of Result
    facets: list
    suggestion: str | None = None  # a corrected query
    nothing_to_search: bool = False  # only punctuation or operators
    common_words: bool = False  # all its words are too common to search in some language
    comment_total: int = 0  # the comments the reader may see that have the words

    @property
    def lessons_url(self):
        return self.params.url(scope="", page=1)

    @property
    def comments_url(self):
        return self.params.url(scope=COMMENTS, page=1, sort="")

    @property
    def suggestion_url(self):
        return self.params.url(q=self.suggestion, page=1) if self.suggestion else ""


def search_lessons(user, params, *, remembered=None):
    """The search page's content for this reader: results, facets, total, suggestion."""
    with transaction.atomic():
        # These queries are short, but their estimated cost grows with the lessons matched:
        # compiling them just in time would cost more than running them.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
        return _search(user, params, remembered or Remembered.of_search(user, params))


def _search(user, params, remembered):
    parsed = parse_query(params.q)
    if params.q and not parsed:
        empty = Paginator([], PAGE_SIZE).get_page(1)
        return SearchOutcome(params, 0, empty, [], nothing_to_search=True)
    counts = remembered.get("counts")
    if counts is None:
        total, facets = count_facets(user, params, parsed)
        counts = remembered.keep("counts", (total, facets, count_comments(user, params, parsed)))
    total, facets, comment_total = counts
    if params.scope == COMMENTS:
        hits = _CommentHits(user, params, parsed, comment_total, remembered)
    else:
        hits = _Hits(user, params, parsed, total, remembered)
    page = Paginator(hits, PAGE_SIZE).get_page(params.page)
    suggestion = suggest(user, params.q) if params.q and total < SUGGEST_BELOW else None
    common = bool(params.q) and total == 0 and len(parsed) < len(ALL_CONFIGS)
    return SearchOutcome(
        params, total, page, facets, suggestion, common_words=common, comment_total=comment_total
    )


# Saved searches: what the digest (issue E) calls


def saved_search_new_matches(saved_search, since):
    """Lessons published after `since` that the saved search finds and that its owner may read
    at the moment of this call: a suspension, a departure or a narrowed audience counts at once.
    Newest first. Show each with access.shown_author(owner, lesson)."""
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
