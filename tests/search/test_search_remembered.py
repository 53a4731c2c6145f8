"""Remembered search counts and rankings (search/engine.py and lessons/remembered.py):
a repeated search is answered from the cache, never across readers who may see different
lessons, never after a write to what search reads, and the page's lessons are read through the
access policy again each time."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lessons import access as lesson_access
from lessons import remembered
from lessons.models import Audience, Lesson
from networks.models import Membership, User
from networks.services import membership_suspend
from search import engine as search
from search import params as search_params

SECRET = "wombatledger"


def find(user, q, **filters):
    data = {"q": q, **{name: [value] for name, value in filters.items()}}
    outcome = search.search_lessons(user, search_params.SearchParams.from_query(data))
    return outcome, [result.lesson for result in outcome.page.object_list]


def queries_of(user, q):
    with CaptureQueriesContext(connection) as captured:
        find(user, q)
    return [query["sql"] for query in captured.captured_queries]


def facet_queries(sqls):
    return [sql for sql in sqls if sql.startswith("WITH hits AS")]


@pytest.fixture
def secret_lesson(demo, write_lesson):
    return write_lesson(author=demo.group_member, title=f"Notes on {SECRET}")


def test_the_same_search_again_is_answered_from_memory(demo, secret_lesson):
    first = queries_of(demo.member, SECRET)
    again = queries_of(demo.member, SECRET)
    assert len(facet_queries(first)) == 1
    assert facet_queries(again) == []
    outcome, lessons = find(demo.member, SECRET)
    assert (outcome.total, lessons) == (1, [secret_lesson])


def test_readers_who_see_different_lessons_never_share_a_memory(demo, write_lesson):
    group = demo.digital_nations.working_groups.get(slug="digital-identity")
    kept = write_lesson(author=demo.group_member, group=group, title=f"Group notes on {SECRET}")
    assert kept.audience == Audience.GROUP
    assert find(demo.group_member, SECRET)[0].total == 1
    for reader in (demo.member, demo.outsider, demo.suspended):
        outcome, lessons = find(reader, SECRET)
        assert (outcome.total, lessons, outcome.facets) == (0, [], []), reader


def test_readers_who_see_the_same_lessons_share_one_memory(demo, secret_lesson, twin):
    assert lesson_access.search_view_key(demo.member) != lesson_access.search_view_key(
        demo.group_member
    )
    find(demo.member, SECRET)
    assert facet_queries(queries_of(twin, SECRET)) == []
    assert find(twin, SECRET)[1] == [secret_lesson]


def test_a_suspension_counts_on_the_next_search(demo, secret_lesson):
    assert find(demo.member, SECRET)[0].total == 1
    membership = Membership.objects.get(user=demo.member, network=demo.digital_nations)
    membership_suspend(acting_user=demo.convenor, membership=membership)
    member = User.objects.get(pk=demo.member.pk)
    outcome, lessons = find(member, SECRET)
    assert (outcome.total, lessons) == (0, [])


def generations(user):
    return remembered.space_generations(remembered.reader_spaces(user))


def test_any_write_to_a_lesson_starts_a_new_generation(demo, secret_lesson):
    assert find(demo.member, SECRET)[0].total == 1
    generation = generations(demo.member)
    Lesson.objects.filter(pk=secret_lesson.pk).update(is_hidden=True)  # however it is written
    assert generations(demo.member) != generation
    outcome, lessons = find(demo.member, SECRET)
    assert (outcome.total, lessons) == (0, [])


def test_a_remembered_page_is_read_through_the_access_policy_again(
    demo, secret_lesson, monkeypatch
):
    # As if no write were seen.
    monkeypatch.setattr(remembered, "space_generations", lambda spaces: ())
    assert find(demo.member, SECRET)[1] == [secret_lesson]
    Lesson.objects.filter(pk=secret_lesson.pk).update(is_hidden=True)
    assert find(demo.member, SECRET)[1] == []


# A network's lesson list, remembered like a search (lessons.views.network_lessons)


def list_page(client, demo):
    url = reverse("lessons:network_list", args=[demo.digital_nations.slug])
    return client.get(url).content.decode()


def test_a_remembered_list_is_never_served_to_a_reader_who_sees_less(demo, write_lesson, client):
    group = demo.digital_nations.working_groups.get(slug="digital-identity")
    write_lesson(author=demo.group_member, group=group, title=f"Group notes on {SECRET}")
    client.force_login(demo.group_member)
    assert SECRET in list_page(client, demo)
    client.force_login(demo.member)
    assert SECRET not in list_page(client, demo)


def test_a_remembered_list_shows_each_change_at_once(demo, write_lesson, client):
    client.force_login(demo.group_member)
    before = list_page(client, demo)
    lesson = write_lesson(author=demo.member, title=f"Notes on {SECRET}")
    assert SECRET not in before
    assert SECRET in list_page(client, demo)
    User.objects.filter(pk=demo.member.pk).update(full_name="Lucía Pérez-Renamed")
    assert "Lucía Pérez-Renamed" in list_page(client, demo)
    Lesson.objects.filter(pk=lesson.pk).update(is_hidden=True)
    assert SECRET not in list_page(client, demo)


def test_a_remembered_search_page_shows_each_change_at_once(demo, secret_lesson, client):
    client.force_login(demo.member)
    url = reverse("search:page")
    assert f'id="result-{secret_lesson.pk}"' in client.get(url, {"q": SECRET}).content.decode()
    Lesson.objects.filter(pk=secret_lesson.pk).update(is_hidden=True)
    page = client.get(url, {"q": SECRET}).content.decode()
    assert f'id="result-{secret_lesson.pk}"' not in page
    assert "Save this search" in page  # the form, with its tokens, is rendered every time
