"""The search index: each lesson's weighted tsvector in the text-search configuration of its
language, its tags' names for the tag facet, each comment's vector in its lesson's configuration,
and the vocabulary "did you mean" suggests from. Written by `reindex_lessons` and
`reindex_comments`, which run when a lesson or comment service announces a change
(lessons.events, discussion.events; subscribed in search/apps.py). Nothing that identifies the
author (name, country, organisation) is indexed, so neither matching nor snippets can reveal
what attribution hides."""

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import (
    SearchVector,
)
from django.db import connection
from django.db.models import (
    Case,
    F,
    Func,
    OuterRef,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf

from discussion.models import Comment
from lessons.models import (
    SEARCH_CONFIGS,
    SIMPLE_SEARCH_CONFIG,
    Lesson,
    PolicyArea,
    Tag,
    TechnologyArea,
)
from networks.models import LANGUAGE_CHOICES
from search.models import SearchTerm

# ts_headline's highlight markers: control characters, removed from the text first, so that
# escaping the snippet and then turning markers into <mark> cannot be fooled by the text.
START, STOP = "\x01", "\x02"


def without_markers(text):
    return Func(
        text, Value(START + STOP), Value(""), function="translate", output_field=TextField()
    )


def plain_text(*fields):
    """The Markdown fields as text for ts_headline: marks, link targets, HTML tags and the
    highlight markers removed."""
    text = Func(Value(" "), *[F(name) for name in fields], function="concat_ws")
    text = Func(text, Value(r"\]\([^)]*\)"), Value("]"), Value("g"), function="regexp_replace")
    text = Func(
        text, Value("<[^>]*>|[][*_`#>|~]+"), Value(" "), Value("g"), function="regexp_replace"
    )
    return without_markers(text)


# The index


def config_for_language(code):
    return SEARCH_CONFIGS.get((code or "").split("-")[0], SIMPLE_SEARCH_CONFIG)


def language_config():
    """The configuration of each row's `language`, as SQL: a lesson's, and the texts of the
    capabilities above search that are indexed the same way (questions/index.py)."""
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


def area_name(model, field_name):
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
            area_name(TechnologyArea, "technology_area_id"),
            area_name(PolicyArea, "policy_area_id"),
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
    config = language_config()
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
    comments.update(search_vector=SearchVector(plain_text("body"), config=F("search_config")))


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
