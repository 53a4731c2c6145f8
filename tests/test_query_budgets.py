"""Every page runs a fixed number of queries, whatever the size of the world.

The same pages are counted in two worlds that `seed_scale` builds, one ten times the other,
each rolled back after counting; and the lesson page at 20, 200 and 1,000 comments, the question
page at 20 and 200 answers.
"""

import os

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demo import scale
from lessons import remembered
from lessons.models import Attachment, Audience, AudienceRequest, Lesson

# A world, and one ten times larger in lessons (and so comments), larger in everything else.
SMALL = {"lessons": 120, "networks": 4, "countries": 20, "officials": 80}
LARGE = {"lessons": 1200, "networks": 8, "countries": 40, "officials": 400}


HOME = "the official's home"
# A member's first view of a lesson page runs at most this many data queries, whatever the
# lesson holds; a signed-in hello (what every signed-in request pays) at most two.
LESSON_PAGE_BUDGET = 12
FLOOR_BUDGET = 2
# The official's home, first view (its newest lessons, questions and discussions).
HOME_BUDGET = 18
LESSON_VARIANTS = (
    "lesson page, 20 comments",
    "lesson page, most endorsed",
    "lesson page, most tags",
    "lesson page, attachments and a pending request",
    "lesson page, nothing beside it",
)
# Queries of the cache's own tables (Redis in production) and of transactions are not data.
NOT_DATA = ("minilateral_search_cache", "minilateral_cache")


def count_queries(client, url):
    client.get(url)  # the session's first request records it (allauth's user sessions)
    # As if the page were asked for the first time: what lists and searches remember
    # (lessons.remembered.Remembered) is of older generations after any write.
    remembered.forget_everything()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(data_queries(captured))


def data_queries(captured):
    return [
        query["sql"]
        for query in captured.captured_queries
        if not any(table in query["sql"] for table in NOT_DATA)
        and not query["sql"].startswith(("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE", "ROLLBACK"))
    ]


def lesson_variants(network, official):
    """Readable lessons of the network that hold the most and the least beside them; one is
    given attachments and a pending request for a wider audience."""
    readable = Lesson.objects.filter(
        network=network, state=Lesson.State.PUBLISHED, is_hidden=False, working_group=None
    ).exclude(author=official)
    most_endorsed = readable.annotate(n=Count("endorsements")).order_by("-n", "pk").first()
    most_tags = readable.annotate(n=Count("tags")).order_by("-n", "pk").first()
    bare = (
        readable.annotate(e=Count("endorsements", distinct=True), t=Count("tags", distinct=True))
        .filter(e=0, t=0)
        .order_by("pk")
        .first()
    ) or readable.annotate(n=Count("endorsements")).order_by("n", "pk").first()
    attached = readable.exclude(pk__in=[most_endorsed.pk, most_tags.pk]).order_by("pk").first()
    for number in range(3):
        Attachment.objects.create(
            lesson=attached,
            file=f"attachments/budget-{number}.pdf",
            original_name=f"budget-{number}.pdf",
            content_type="application/pdf",
            size=1000,
            uploaded_by=attached.author,
        )
    AudienceRequest.objects.create(
        lesson=attached, audience=Audience.PUBLIC, requested_by=attached.author
    )
    return {
        "lesson page, most endorsed": most_endorsed,
        "lesson page, most tags": most_tags,
        "lesson page, attachments and a pending request": attached,
        "lesson page, nothing beside it": bare,
    }


def pages():
    """The pages of the budget, as (name, signed in, URL), for the world in the database."""
    discussions = scale.discussion_lessons()
    network = discussions[20].network
    lessons_url = reverse("lessons:network_list", args=[network.slug])
    readable = Lesson.objects.filter(network=network, state=Lesson.State.PUBLISHED)
    last_page = (readable.count() - 1) // 20 + 1  # an upper bound: the paginator clamps it
    public = Lesson.objects.filter(state=Lesson.State.PUBLISHED, audience=Audience.PUBLIC)
    official = scale.benchmark_officials().first()
    return [
        ("hello, signed in", True, reverse("hello")),
        *[
            (name, True, lesson.get_absolute_url())
            for name, lesson in lesson_variants(network, official).items()
        ],
        ("landing page", False, "/"),
        (HOME, True, "/"),
        ("my networks", True, reverse("networks:mine")),
        ("network home", True, network.get_absolute_url()),
        ("lesson list", True, lessons_url),
        ("lesson list, deep page", True, f"{lessons_url}?page={last_page}"),
        ("lesson list, most endorsed", True, f"{lessons_url}?sort=endorsed&page=2"),
        *[
            (f"lesson page, {size} comments", True, lesson.get_absolute_url())
            for size, lesson in sorted(discussions.items())
        ],
        *[
            (f"question page, {size} answers", True, question.get_absolute_url())
            for size, question in sorted(scale.answered_questions().items())
        ],
        ("search", True, reverse("search:page") + "?q=procurement"),
        ("search, questions", True, reverse("search:page") + "?q=procurement&in=questions"),
        ("public lesson", False, public.order_by("pk").first().get_public_url()),
        ("public lessons", False, reverse("lessons:public_list")),
        ("public feed", False, reverse("lessons:public_feed")),
    ]


def count_pages(sizes):
    """Build a world of these sizes, count each page's queries, and roll it all back."""
    with transaction.atomic():
        with open(os.devnull, "w") as quiet:
            call_command("seed_scale", **sizes, force=True, no_vacuum=True, stdout=quiet)
        official = scale.benchmark_officials().first()
        signed_in, visitor = Client(), Client()
        signed_in.force_login(official)
        counts = {
            name: count_queries(signed_in if signs_in else visitor, url)
            for name, signs_in, url in pages()
        }
        transaction.set_rollback(True)
    return counts


@pytest.mark.django_db
def test_each_page_runs_the_same_queries_in_a_world_ten_times_larger(demo):
    small = count_pages(SMALL)
    large = count_pages(LARGE)
    # The official's home shows or skips a section by what this official follows, writes and
    # belongs to, which the two worlds do not keep alike: tests/home checks that its queries do
    # not grow with the same official at two sizes. Here it stays within its own budget.
    for world in (small, large):
        assert world.pop(HOME) <= HOME_BUDGET
        assert world["hello, signed in"] <= FLOOR_BUDGET
        # A first view of any lesson page costs the same, whatever the lesson holds.
        assert {world[name] for name in LESSON_VARIANTS} == {world["lesson page, 20 comments"]}
        assert world["lesson page, 20 comments"] <= LESSON_PAGE_BUDGET
    assert large == small
    # A long discussion is shown in pages: 1,000 comments cost what 20 do.
    assert (
        small["lesson page, 20 comments"]
        == small["lesson page, 200 comments"]
        == small["lesson page, 1000 comments"]
    )
    # And a busy question costs what a quiet one does.
    assert small["question page, 20 answers"] == small["question page, 200 answers"]
