"""That sight is logged: when a moderator or convenor of the home network sees the real author
of a lesson or question whose attribution hides them (on its page, in search results, in the
admin), one audit event per viewer, item and day says so, and the convenor sees it in the
network's audit log. Readers who are not moderating, the author, and named authors log nothing."""

import pytest
from django.urls import reverse

from lessons.access import AUTHOR_SEEN
from networks.models import Attribution, AuditEvent
from tests.networks.conftest import sign_in
from tests.questions.conftest import ask  # noqa: F401 (the fixture)


def seen(viewer, item):
    return AuditEvent.objects.filter(
        action=AUTHOR_SEEN, actor=viewer, target_type=item._meta.label_lower, target_id=item.pk
    )


@pytest.fixture
def chatham(demo, write_lesson):
    return write_lesson(author=demo.group_member, title="Consent under the rule")


@pytest.mark.django_db
def test_a_moderator_opening_a_chatham_house_lesson_is_logged_once_a_day(demo, chatham):
    client = sign_in(demo.moderator)
    for _ in range(3):
        page = client.get(chatham.get_absolute_url())
        assert demo.group_member.get_full_name() in page.content.decode()
    (event,) = seen(demo.moderator, chatham)
    assert event.network == demo.digital_nations
    assert event.changes == {"attribution": Attribution.CHATHAM}


@pytest.mark.django_db
def test_the_convenor_sees_each_sight_in_the_audit_log(demo, chatham):
    sign_in(demo.moderator).get(chatham.get_absolute_url())
    log = sign_in(demo.convenor).get(reverse("networks:audit", args=["digital-nations"]))
    text = log.content.decode()
    assert "Saw the real author of a lesson or question" in text
    assert "Consent under the rule" in text


@pytest.mark.django_db
def test_search_results_that_show_a_hidden_author_to_a_moderator_are_logged(demo, chatham):
    sign_in(demo.convenor).get(reverse("search:page") + "?q=consent+under+the+rule")
    assert seen(demo.convenor, chatham).count() == 1


@pytest.mark.django_db
def test_readers_who_do_not_moderate_the_author_and_named_authors_log_nothing(
    demo, chatham, write_lesson
):
    named = write_lesson(
        author=demo.group_member, title="Named lesson", attribution=Attribution.NAMED
    )
    sign_in(demo.member).get(chatham.get_absolute_url())
    sign_in(demo.group_member).get(chatham.get_absolute_url())
    sign_in(demo.moderator).get(named.get_absolute_url())
    readers = [demo.member, demo.group_member]
    assert not AuditEvent.objects.filter(action=AUTHOR_SEEN, actor__in=readers).exists()
    assert not seen(demo.moderator, named).exists()


@pytest.mark.django_db
def test_a_question_under_the_chatham_house_rule_is_logged_too(demo, ask):  # noqa: F811
    question = ask(author=demo.member)
    sign_in(demo.moderator).get(question.get_absolute_url())
    sign_in(demo.moderator).get(question.get_absolute_url())
    assert seen(demo.moderator, question).count() == 1


@pytest.mark.django_db
def test_the_admin_change_page_is_logged(demo, chatham):
    admin = sign_in(demo.admin)
    admin.get(reverse("admin:lessons_lesson_change", args=[chatham.pk]))
    admin.get(reverse("admin:lessons_lesson_change", args=[chatham.pk]))
    assert seen(demo.admin, chatham).count() == 1


@pytest.mark.django_db
def test_a_list_of_hidden_authors_asks_the_log_once_however_many_it_shows(demo, write_lesson):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    lessons = [
        write_lesson(author=demo.group_member, title=f"Consent under the rule, part {n}")
        for n in range(4)
    ]
    client = sign_in(demo.moderator)
    url = reverse("lessons:network_list", args=["digital-nations"])
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    log_reads = [
        q
        for q in captured.captured_queries
        if q["sql"].startswith("SELECT") and '"networks_auditevent"' in q["sql"]
    ]
    assert len(log_reads) <= 1  # today's sights read once, not once per lesson shown
    assert all(seen(demo.moderator, lesson).count() == 1 for lesson in lessons)
    client.get(url)
    assert all(seen(demo.moderator, lesson).count() == 1 for lesson in lessons)
