"""Remembered answers are forgotten per space (lessons/remembered.py, lessons/0013): a write in
one network moves that network's generation only, so readers outside it keep what they had
remembered (no query recomputes it), while readers inside it see the change at once. What is
readable beyond its network moves every reader's generation."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from discussion import services as discussion
from lessons import remembered
from lessons.models import Audience, Lesson
from questions.models import Question

pytestmark = pytest.mark.django_db


def generations(user):
    return remembered.space_generations(remembered.reader_spaces(user))


def queries_of(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries), response.content.decode()


@pytest.fixture
def pages(demo):
    """An outsider's (DPI Peer Network only) list of their network and search, and a
    Digital Nations member's list of theirs."""
    return {
        "dpi_list": reverse("lessons:network_list", args=[demo.dpi.slug]),
        "search": reverse("search:page") + "?q=identity&stage=pilot",
        "dn_list": reverse("lessons:network_list", args=[demo.digital_nations.slug]),
    }


def remembered_counts(client, *urls):
    """Each page asked twice: how many queries it runs when remembered, checked below what it
    runs the first time (else these tests could not tell the two apart)."""
    counts = {}
    remembered.forget_everything()
    for url in urls:
        first, _ = queries_of(client, url)
        again, _ = queries_of(client, url)
        assert again < first, url
        counts[url] = again
    return counts


def test_a_comment_in_one_network_leaves_another_networks_memory(demo, write_lesson, pages, client):
    lesson = write_lesson(author=demo.member, title="Registry pilots in Digital Nations")
    assert lesson.audience == Audience.NETWORK
    client.force_login(demo.outsider)
    counts = remembered_counts(client, pages["dpi_list"], pages["search"])
    outsiders = generations(demo.outsider)
    members = generations(demo.member)

    discussion.comment_create(acting_user=demo.group_member, lesson=lesson, body="Same here.")

    assert generations(demo.outsider) == outsiders
    assert generations(demo.member) != members
    for url, count in counts.items():
        assert queries_of(client, url)[0] == count, url  # still remembered


def test_a_comment_in_a_network_renews_its_members_memory(demo, write_lesson, pages, client):
    lesson = write_lesson(author=demo.member, title="Registry pilots in Digital Nations")
    client.force_login(demo.group_member)
    remembered_count = remembered_counts(client, pages["dn_list"])[pages["dn_list"]]

    Lesson.objects.filter(pk=lesson.pk).update(title="Registry pilots, renamed")

    count, page = queries_of(client, pages["dn_list"])
    assert count > remembered_count
    assert "Registry pilots, renamed" in page


def test_what_every_network_reads_moves_every_readers_generation(demo, write_lesson, client):
    lesson = write_lesson(author=demo.member, audience=Audience.ALL_NETWORKS, title="Wide notes")
    client.force_login(demo.outsider)
    url = reverse("search:page") + "?q=wide"
    assert f'id="result-{lesson.pk}"' in client.get(url).content.decode()
    outsiders = generations(demo.outsider)

    Lesson.objects.filter(pk=lesson.pk).update(is_hidden=True)

    assert generations(demo.outsider) != outsiders
    assert f'id="result-{lesson.pk}"' not in client.get(url).content.decode()


def test_narrowing_a_lesson_moves_the_generation_of_those_who_could_read_it(demo, write_lesson):
    lesson = write_lesson(author=demo.member, audience=Audience.PUBLIC, title="Public notes")
    outsiders = generations(demo.outsider)
    Lesson.objects.filter(pk=lesson.pk).update(audience=Audience.NETWORK)  # the old row counts
    assert generations(demo.outsider) != outsiders


def test_a_question_moves_its_own_networks_generation_only(demo):
    question = Question.objects.filter(
        network=demo.digital_nations, audience=Audience.NETWORK
    ).first()
    assert question is not None
    outsiders, members = generations(demo.outsider), generations(demo.member)
    Question.objects.filter(pk=question.pk).update(title="A question, renamed")
    assert generations(demo.outsider) == outsiders
    assert generations(demo.member) != members


def test_names_move_every_readers_generation(demo):
    outsiders, visitors = generations(demo.outsider), generations(AnonymousUser())
    type(demo.member).objects.filter(pk=demo.member.pk).update(full_name="Lucía Renamed")
    assert generations(demo.outsider) != outsiders
    assert generations(AnonymousUser()) != visitors
