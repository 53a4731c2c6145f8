"""What a remembered page shows is forgotten at the next write to it: every table its queries
read either moves its space's generation on (lessons/0014_space_generations) or is part of the
key itself (the reader's view of the platform, their session). A page that starts reading a new
table fails here until the table gets the triggers or a reason to be left out."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from discussion import services as discussion
from lessons import remembered

# Read for the reader, never remembered across readers: who they are, their second factor and
# what they may see (search_view_key, the key of every remembered answer), the header's count
# (remembered under the very notifications unread), the cache's own tables.
NOT_REMEMBERED = {
    "django_session",
    "mfa_authenticator",
    "networks_membership",
    "networks_networkcountry",
    "networks_workinggroup_members",
    "networks_focalpoint",
    "lessons_notification",
    "minilateral_search_cache",
    "minilateral_cache",
    # Read to log a moderator's sight of a hidden author once a day (lessons.access.
    # record_author_seen), on every request; nothing of it is shown or remembered.
    "networks_auditevent",
}
TABLE = re.compile(r'(?:FROM|JOIN)\s+"(\w+)"')


def tables_read(client, url):
    client.get(url)  # the session's first request records it
    remembered.forget_everything()  # asked for the first time
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return {table for query in captured.captured_queries for table in TABLE.findall(query["sql"])}


def generation_tables():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT event_object_table FROM information_schema.triggers "
            "WHERE trigger_name LIKE '%%\\_search\\_now'"
        )
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.parametrize("page", ["lesson", "list", "search"])
def test_every_table_a_remembered_page_reads_moves_the_generation_on(client, demo, comment, page):
    lesson = comment.lesson
    discussion.comment_create(acting_user=demo.member, lesson=lesson, body="Thanks, @Min-jun")
    url = {
        "lesson": lesson.get_absolute_url(),
        "list": reverse("lessons:network_list", args=[lesson.network.slug]),
        "search": reverse("search:page") + "?q=consent",
    }[page]
    client.force_login(demo.moderator)  # sees the most: hidden comments, moderation links
    read = tables_read(client, url)
    assert "lessons_lesson" in read
    assert read - NOT_REMEMBERED - generation_tables() == set()
