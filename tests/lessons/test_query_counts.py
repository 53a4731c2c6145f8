"""The lesson list and the lesson page run a fixed number of queries, whatever the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lessons.models import Endorsement, Lesson
from networks.models import User


def count_queries(client, url):
    client.get(url)  # the session's first request records it (allauth's user sessions)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def make_lessons(demo, write_lesson, number):
    base = write_lesson(author=demo.group_member, title="Template")
    copies = []
    for index in range(number):
        copy = Lesson.objects.get(pk=base.pk)
        copy.pk = None
        copy.title = f"Copy {index}"
        copy.creation_token = None
        copies.append(copy)
    created = Lesson.objects.bulk_create(copies)
    for lesson in created:
        lesson.tags.set(base.tags.all())
    return base


def add_endorsers(lesson, number):
    users = User.objects.bulk_create(
        [User(email=f"endorser{index}@gub.uy", full_name=f"E {index}") for index in range(number)]
    )
    Endorsement.objects.bulk_create(
        [Endorsement(lesson=lesson, user=user, kind="useful") for user in users]
    )


@pytest.mark.parametrize("path", ["list", "sorted"])
def test_lesson_list_queries_do_not_grow_with_lessons(client, demo, write_lesson, path):
    client.force_login(demo.member)
    url = reverse("lessons:network_list", args=["digital-nations"])
    if path == "sorted":
        url += "?sort=endorsed&tag=consent"
    make_lessons(demo, write_lesson, 10)
    small = count_queries(client, url)
    make_lessons(demo, write_lesson, 60)
    assert count_queries(client, url) == small


def test_lesson_page_queries_do_not_grow_with_endorsements(client, demo, write_lesson):
    client.force_login(demo.member)
    lesson = write_lesson(author=demo.group_member)
    none = count_queries(client, lesson.get_absolute_url())
    add_endorsers(lesson, 200)
    assert count_queries(client, lesson.get_absolute_url()) == none


def test_lesson_page_queries_do_not_grow_with_lessons(client, demo, write_lesson):
    client.force_login(demo.member)
    lesson = make_lessons(demo, write_lesson, 10)
    small = count_queries(client, lesson.get_absolute_url())
    make_lessons(demo, write_lesson, 60)
    assert count_queries(client, lesson.get_absolute_url()) == small


def test_search_page_queries_do_not_grow_with_results(client, demo, write_lesson):
    """Facets, total, results and highlights: the same queries for 10 matches as for 60."""
    from lessons.search import reindex_lessons

    client.force_login(demo.member)
    url = reverse("lessons:search") + "?q=consent&stage=pilot&sort=relevance"
    make_lessons(demo, write_lesson, 10)
    reindex_lessons()  # bulk_create goes around the services
    small = count_queries(client, url)
    make_lessons(demo, write_lesson, 60)
    reindex_lessons()
    assert count_queries(client, url) == small
    # A search that finds little also looks for "did you mean": one query more, at most.
    assert count_queries(client, reverse("lessons:search") + "?q=wallet") == small + 1
    assert count_queries(client, reverse("lessons:search") + "?q=walet") < small
