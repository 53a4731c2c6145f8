"""The question page runs the same number of queries however many answers it has, and no more
than the lesson page asked for the first time (nothing remembered)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lessons import remembered
from questions import services
from tests.networks.conftest import sign_in


def count_queries(client, url):
    client.get(url)  # the session's first request records it
    remembered.forget_everything()  # as if nothing were remembered (lessons.remembered)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def answer(demo, question, count, start):
    """`count` more answers from three countries, every other one with a reply, some edited."""
    people = [demo.convenor, demo.moderator, demo.group_member]
    for number in range(start, start + count):
        author = people[number % len(people)]
        top = services.answer_post(
            acting_user=author, question=question, body=f"Answer {number}, thanks @Lucía Pérez"
        ).answer
        if number % 2:
            services.answer_post(
                acting_user=demo.member, question=question, body=f"Reply {number}", parent=top
            )
        if number % 3 == 0:
            services.answer_edit(acting_user=author, answer=top, body=f"Answer {number}, edited")


@pytest.mark.django_db
def test_the_question_page_runs_the_same_queries_however_many_answers(demo, ask):
    question = ask(title="Who audits your wallet?", audience="network")
    client = sign_in(demo.member)  # the asker: every action offered, every answer shown
    answer(demo, question, 2, start=0)
    small, page = count_queries(client, question.get_absolute_url())
    assert "Answer 1," in page
    answer(demo, question, 10, start=2)
    large, page = count_queries(client, question.get_absolute_url())
    assert "Answer 11," in page
    assert "Reply 11" in page
    assert large == small


@pytest.mark.django_db
def test_the_question_page_stays_within_the_lesson_pages_first_view_queries(
    demo, ask, write_lesson
):
    question = ask(title="Who audits your wallet?", audience="network")
    answer(demo, question, 6, start=0)
    lesson = write_lesson(author=demo.convenor, title="A lesson read for the first time")
    client = sign_in(demo.member)
    asked, _page = count_queries(client, question.get_absolute_url())
    lesson_page, _page = count_queries(client, lesson.get_absolute_url())
    assert asked <= lesson_page, (asked, lesson_page)
