"""The search index of questions, written as search/index.py writes a lesson's: each question's
text-search configuration (its language's), the weighted vector of what its audience reads
(title and tags, text, policy area), its tags' names for the tag facet, and the vector of its
answers (not hidden ones), which a search matches only for readers inside the question's home
space (questions/search.py), as answers are read only there.

`reindex_questions` runs after every service that changes what is indexed
(questions/services.py). Nothing that identifies the asker or an answer's author is indexed.
"""

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchVector
from django.db.models import Func, OuterRef, StringAgg, Subquery, TextField, Value
from django.db.models.functions import Coalesce, Left

from lessons.models import PolicyArea, Tag
from questions.models import Answer, Question
from search.index import area_name, language_config

# Enough of the answers' text for any search, and far below PostgreSQL's limit of a tsvector
# (1 MB): a question with thousands of long answers is still indexed.
ANSWERS_INDEXED_CHARACTERS = 200_000


def _tag_list():
    return ArraySubquery(
        Tag.objects.filter(questions=OuterRef("pk")).order_by("name").values("name")
    )


def _tag_names():
    return Func(_tag_list(), Value(" "), function="array_to_string", output_field=TextField())


def weighted(config):
    """The question's text as its audience reads it, weighted like a lesson's: never who asked."""
    return (
        SearchVector("title", _tag_names(), config=config, weight="A")
        + SearchVector("body", config=config, weight="B")
        + SearchVector(area_name(PolicyArea, "policy_area_id"), config=config, weight="C")
    )


def answers_text():
    """The question's answers and replies that are not hidden, as one text."""
    texts = (
        Answer.objects.filter(question=OuterRef("pk"), is_hidden=False)
        .order_by()
        .values("question")
        .annotate(text=StringAgg("body", Value("\n"), order_by=("created_at", "pk")))
        .values("text")
    )
    text = Coalesce(Subquery(texts, output_field=TextField()), Value(""))
    return Left(text, ANSWERS_INDEXED_CHARACTERS)


def answers_vector(config):
    return SearchVector(answers_text(), config=config)


def reindex_questions(question_ids=None):
    """Write the search columns of the given questions (all of them without ids)."""
    questions = Question.objects.order_by()
    if question_ids is not None:
        questions = questions.filter(pk__in=list(question_ids))
    config = language_config()
    questions.update(
        search_config=config,
        search_vector=weighted(config),
        search_tags=_tag_list(),
        answers_vector=answers_vector(config),
    )
