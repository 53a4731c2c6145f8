"""The lesson lists' pages (a network's list, the public list): every readable lesson once, in
the order asked, however deep the page; the page's ids are found first and then read through
the access policy (lessons.views.page_of_lessons)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from lessons import services
from lessons.models import Audience, Endorsement, Lesson


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr("lessons.views.PAGE_SIZE", 3)


def shown_titles(client, url, **query):
    page = client.get(url, query).content.decode()
    return re.findall(r'lesson-card__title"><a href="[^"]+">([^<]+)</a>', page)


def every_page(client, url, **query):
    titles, number = [], 1
    while True:
        shown = shown_titles(client, url, page=number, **query)
        if not shown or (titles and shown == titles[-len(shown) :]):
            return titles
        titles += shown
        number += 1


def write_series(write_lesson, author, count, **fields):
    """Lessons "Series 0".."Series N", published a day apart (the last one newest)."""
    start = timezone.now() - datetime.timedelta(days=count)
    lessons = []
    for number in range(count):
        lesson = write_lesson(author=author, title=f"Series {number}", **fields)
        Lesson.objects.filter(pk=lesson.pk).update(
            published_at=start + datetime.timedelta(days=number)
        )
        lessons.append(lesson)
    return lessons


def test_a_networks_list_shows_every_readable_lesson_once_newest_first(
    demo, write_lesson, small_pages, client
):
    write_series(write_lesson, demo.member, 7)
    group = demo.digital_nations.working_groups.get(slug="digital-identity")
    write_lesson(author=demo.group_member, group=group, title="Series in the group")
    client.force_login(demo.member)  # not in the working group
    url = reverse("lessons:network_list", args=[demo.digital_nations.slug])
    series = [title for title in every_page(client, url) if title.startswith("Series")]
    assert series == [f"Series {number}" for number in range(6, -1, -1)]
    client.force_login(demo.group_member)
    assert "Series in the group" in every_page(client, url)


def test_most_endorsed_orders_the_pages_by_endorsements(demo, write_lesson, small_pages, client):
    lessons = write_series(write_lesson, demo.member, 4)
    for endorser in (demo.moderator, demo.convenor, demo.group_member):
        services.endorsement_toggle(
            acting_user=endorser, lesson=lessons[1], kind=Endorsement.Kind.USEFUL
        )
    services.endorsement_toggle(
        acting_user=demo.moderator, lesson=lessons[2], kind=Endorsement.Kind.USEFUL
    )
    client.force_login(demo.member)
    url = reverse("lessons:network_list", args=[demo.digital_nations.slug])
    series = [t for t in every_page(client, url, sort="endorsed") if t.startswith("Series")]
    assert series[:2] == ["Series 1", "Series 2"]
    assert sorted(series[2:]) == ["Series 0", "Series 3"]


def test_the_public_list_pages_show_public_lessons_only(demo, write_lesson, small_pages, client):
    write_series(write_lesson, demo.member, 4, audience=Audience.PUBLIC)
    write_lesson(author=demo.member, title="Series for members", audience=Audience.NETWORK)
    series = [t for t in every_page(client, reverse("lessons:public_list")) if "Series" in t]
    assert series == ["Series 3", "Series 2", "Series 1", "Series 0"]
