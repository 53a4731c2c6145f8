"""A long discussion is shown in pages of threads (a comment with its replies), oldest first;
links to one comment land on the page that holds it; pages work without JavaScript."""

import re
import uuid
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from discussion.models import Comment
from discussion.views import THREADS_PER_PAGE
from tests.networks.conftest import sign_in


def long_discussion(lesson, author, threads):
    """`threads` top-level comments a minute apart, the first of them with a reply posted last."""
    start = timezone.now() - timedelta(days=1)
    tops = Comment.objects.bulk_create(
        [
            Comment(
                lesson=lesson,
                author=author,
                body=f"Thread number {index}.",
                created_at=start + timedelta(minutes=index),
            )
            for index in range(threads)
        ]
    )
    reply = Comment.objects.create(
        lesson=lesson,
        author=author,
        parent=tops[0],
        body="A late reply to the first thread.",
        created_at=start + timedelta(minutes=threads + 5),
    )
    return tops, reply


def shown_threads(html):
    return [int(number) for number in re.findall(r"Thread number (\d+)\.", html)]


def test_a_long_discussion_is_shown_in_pages_of_threads_oldest_first(demo, write_lesson):
    lesson = write_lesson(author=demo.group_member)
    long_discussion(lesson, demo.member, THREADS_PER_PAGE * 2 + 5)
    client = sign_in(demo.member)
    first = client.get(lesson.get_absolute_url()).content.decode()
    assert shown_threads(first) == list(range(THREADS_PER_PAGE))
    # The reply is shown with its thread on the first page, though it was posted last.
    assert "A late reply to the first thread." in first
    assert f"{THREADS_PER_PAGE * 2 + 6} comments" in first  # the count is of the whole discussion
    assert 'aria-label="Pages of the discussion"' in first
    assert f'href="{lesson.get_absolute_url()}?comments=2#discussion" rel="next"' in first
    assert re.search(r'\?comments=1#discussion" aria-current="page"', first)
    last = client.get(lesson.get_absolute_url() + "?comments=3").content.decode()
    assert shown_threads(last) == list(range(THREADS_PER_PAGE * 2, THREADS_PER_PAGE * 2 + 5))
    assert "A late reply to the first thread." not in last
    assert 'rel="prev"' in last
    assert 'rel="next"' not in last
    # A page past the end, or not a number, shows a page that exists.
    assert shown_threads(client.get(lesson.get_absolute_url() + "?comments=99").content.decode())
    assert shown_threads(client.get(lesson.get_absolute_url() + "?comments=x").content.decode())


def test_a_short_discussion_has_no_page_links(demo, write_lesson):
    lesson = write_lesson(author=demo.group_member)
    long_discussion(lesson, demo.member, 3)
    page = sign_in(demo.member).get(lesson.get_absolute_url()).content.decode()
    assert shown_threads(page) == [0, 1, 2]
    assert "Pages of the discussion" not in page


def test_a_link_to_a_comment_or_reply_lands_on_the_page_that_holds_it(demo, write_lesson):
    lesson = write_lesson(author=demo.group_member)
    tops, reply = long_discussion(lesson, demo.member, THREADS_PER_PAGE * 2 + 5)
    client = sign_in(demo.member)
    late = tops[THREADS_PER_PAGE * 2 + 1]
    page = client.get(late.get_absolute_url()).content.decode()
    assert f'id="comment-{late.pk}"' in page
    assert shown_threads(page)[0] == THREADS_PER_PAGE * 2
    assert f'id="comment-{reply.pk}"' in client.get(reply.get_absolute_url()).content.decode()
    # An unknown comment shows the first page.
    assert shown_threads(client.get(lesson.get_absolute_url() + "?comment=0").content.decode())


def test_posting_on_a_long_discussion_returns_to_the_page_of_the_new_comment(demo, write_lesson):
    lesson = write_lesson(author=demo.group_member)
    long_discussion(lesson, demo.member, THREADS_PER_PAGE + 1)
    client = sign_in(demo.member)
    response = client.post(
        reverse("discussion:comment_create", args=[lesson.pk]),
        {"body": "The newest word.", "creation_token": str(uuid.uuid4())},
    )
    assert response.status_code == 302
    assert "The newest word." in client.get(response["Location"]).content.decode()


def test_outsiders_see_no_page_of_the_discussion(demo, write_lesson):
    lesson = write_lesson(author=demo.group_member, audience="all_networks")
    tops, _reply = long_discussion(lesson, demo.member, THREADS_PER_PAGE + 1)
    client = sign_in(demo.outsider)
    for url in (
        lesson.get_absolute_url() + "?comments=2",
        tops[-1].get_absolute_url(),
    ):
        page = client.get(url).content.decode()
        assert "Thread number" not in page
        assert "Pages of the discussion" not in page


def test_a_quoted_comment_offers_no_flag_or_moderation_link(demo, comment):
    flag_url = reverse("moderation:comment_flag", args=[comment.lesson_id, comment.pk])
    reply_url = reverse("discussion:comment_reply", args=[comment.lesson_id, comment.pk])
    page = sign_in(demo.member).get(reply_url).content.decode()
    assert "Our supplier <strong>Acme</strong> overcharged." in page
    assert flag_url not in page
