"""Questions on the search page (search/sources.py), found like lessons and with the same
guarantees: a reader finds, counts and filters only the questions whose audience takes them in
(`access.searchable_questions`); the asker is shown by the attribution rule (`shown_asker`), the
network and working group only where search would name a lesson's; and the answers, read only
inside the question's home space, are matched, counted and shown only for readers inside it.
The index is questions/index.py's."""

from dataclasses import dataclass

from django.contrib.postgres.search import SearchRank
from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lessons import access as lesson_access
from lessons.markdown import markdown_to_text
from questions import access
from questions.models import Answer
from search import sources
from search.params import headline_annotations, matching, ranking, row_query

# Where a reader is inside the question's home space, its answers count a little less than its
# own text towards the order.
ANSWER_WEIGHT = 0.5


def _matching(user, parsed):
    inside = lesson_access.inside_home_space_q(user)
    return matching(parsed) | (inside & matching(parsed, vector="answers_vector"))


def _ranking(user, parsed):
    answers = Coalesce(SearchRank(F("answers_vector"), row_query(parsed)), Value(0.0))
    return ranking(parsed) + Case(
        When(lesson_access.inside_home_space_q(user), then=answers * Value(ANSWER_WEIGHT)),
        default=Value(0.0),
        output_field=FloatField(),
    )


def _headlines(parsed):
    # The question's own text only: its answers never show outside the home space, and a
    # snippet is the same for every reader of the same view.
    return headline_annotations(parsed, snippet_fields=["body"])


def _answer_count():
    counted = (
        Answer.objects.filter(question=OuterRef("pk"), is_hidden=False)
        .order_by()
        .values("question")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _page_rows(user, questions):
    """The page's questions with what a result shows (its answers' count is shown only
    inside the home space)."""
    return (
        questions.defer("search_vector", "answers_vector")
        .select_related("network", "working_group", "author", "author_country")
        .annotate(answer_count=_answer_count())
    )


@dataclass
class QuestionResult:
    question: object
    asker: object  # lessons.access.ShownAuthor
    network: object  # None where it is not to be named to this reader
    working_group: object
    inside: bool  # inside the home space: its answers (and their count) may be shown
    title_html: str
    snippet_html: str


def _result(user, question, title_html, snippet_html):
    return QuestionResult(
        question=question,
        asker=access.shown_asker(user, question),
        network=lesson_access.shown_network(user, question),
        working_group=question.working_group
        if lesson_access.working_group_is_shown(user, question)
        else None,
        inside=access.is_inside_home_space(user, question),
        title_html=title_html or escape(question.title),
        snippet_html=snippet_html or escape(Truncator(markdown_to_text(question.body)).words(40)),
    )


def _label(count):
    return ngettext("Questions (%(count)s)", "Questions (%(count)s)", count) % {"count": count}


def _heading(count, words):
    if words:
        return ngettext(
            "%(count)s question found for “%(words)s”",
            "%(count)s questions found for “%(words)s”",
            count,
        ) % {"count": count, "words": words}
    return ngettext("%(count)s question you can see", "%(count)s questions you can see", count) % {
        "count": count
    }


def register():
    sources.register(
        sources.Source(
            name="questions",
            label=_label,
            heading=_heading,
            empty=lambda: _("No question you can see matches this search."),
            searchable=access.searchable_questions,
            matching=_matching,
            ranking=_ranking,
            headlines=_headlines,
            page_rows=_page_rows,
            result=_result,
            template="questions/_search_result.html",
            facets=("network", "group", "policy", "tag", "country", "language"),
            newest="created_at",
        )
    )
