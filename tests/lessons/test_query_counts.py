"""The lesson list and the lesson page run a fixed number of queries, whatever the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lessons import remembered
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


def add_comments(lesson, number):
    """`number` comments and replies by as many officials of the home space, some edited,
    deleted or hidden, so that every branch of the page's template is taken."""
    from django.utils import timezone

    from discussion.models import Comment
    from networks.models import Country, Membership

    country = Country.objects.get(code="UY")
    users = User.objects.bulk_create(
        [
            User(email=f"commenter{index}@gub.uy", full_name=f"C {index}", country=country)
            for index in range(number)
        ]
    )
    Membership.objects.bulk_create(
        [Membership(user=user, network=lesson.network) for user in users]
    )
    now = timezone.now()
    tops = Comment.objects.bulk_create(
        [
            Comment(
                lesson=lesson,
                author=user,
                body=f"**Comment** {index}",
                edited_at=now if index % 5 == 0 else None,
                deleted_at=now if index % 7 == 0 else None,
                is_hidden=index % 11 == 0,
            )
            for index, user in enumerate(users[: number // 2])
        ]
    )
    Comment.objects.bulk_create(
        [
            Comment(lesson=lesson, author=user, parent=tops[index % len(tops)], body="A reply")
            for index, user in enumerate(users[number // 2 :])
        ]
    )


def test_lesson_page_queries_do_not_grow_with_comments(client, demo, write_lesson):
    client.force_login(demo.member)
    lesson = write_lesson(author=demo.group_member)
    none = count_queries(client, lesson.get_absolute_url())
    add_comments(lesson, 200)
    response = client.get(lesson.get_absolute_url())
    assert "200 comments" in response.content.decode()
    assert count_queries(client, lesson.get_absolute_url()) == none


def test_inbox_queries_do_not_grow_with_notifications(client, demo, write_lesson):
    from discussion import services as discussion
    from notifications.models import Notification

    client.force_login(demo.group_member)
    # Only comment notices on both pages: the demo's others (questions) read their own rows.
    Notification.objects.filter(recipient=demo.group_member).delete()
    lesson = write_lesson(author=demo.group_member)
    discussion.comment_create(acting_user=demo.member, lesson=lesson, body="One")
    few = count_queries(client, reverse("notifications:inbox"))
    for index in range(30):
        discussion.comment_create(acting_user=demo.moderator, lesson=lesson, body=f"More {index}")
    assert count_queries(client, reverse("notifications:inbox")) == few


def count_search_queries(client, url):
    """A search's queries as it is asked for the first time: a write to any lesson (here,
    moving the generations on) makes what was remembered of it useless."""
    client.get(url)  # the session's first request records it (allauth's user sessions)
    remembered.forget_everything()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_search_page_queries_do_not_grow_with_results(client, demo, write_lesson):
    """Facets, total, results and highlights: the same queries for 10 matches as for 60."""
    from search.index import reindex_lessons

    client.force_login(demo.member)
    url = reverse("search:page") + "?q=consent&stage=pilot&sort=relevance"
    make_lessons(demo, write_lesson, 10)
    reindex_lessons()  # bulk_create goes around the services
    small = count_search_queries(client, url)
    make_lessons(demo, write_lesson, 60)
    reindex_lessons()
    assert count_search_queries(client, url) == small
    # A search that finds little also looks for "did you mean": one query more, at most.
    assert count_search_queries(client, reverse("search:page") + "?q=wallet") == small + 1
    assert count_search_queries(client, reverse("search:page") + "?q=walet") < small
