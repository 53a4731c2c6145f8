"""The official's home: what each section shows a member, what it never shows anyone else, and
the same number of queries however large the world."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from discussion import services as discussion
from home.attention import COMMENT_KINDS, asked_of_country_q
from lessons import remembered
from lessons.models import Audience, Lesson, TechnologyArea
from moderation import services as moderation
from networks.models import Attribution, Country, Membership, User
from networks.services import membership_suspend
from notifications import services as notifications
from notifications.models import Notification
from questions import access as question_access
from questions import services as questions
from questions.models import Question
from tests.networks.conftest import membership, sign_in


def home_page(user):
    response = sign_in(user).get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def section(page, name):
    """The HTML of one section of the home, by its heading's id."""
    start = page.index(f'aria-labelledby="{name}-heading"')
    return page[start : page.index("</section>", start)]


def card(page, title):
    """The list item (a lesson or question card) holding `title`."""
    at = page.index(title)
    return page[page.rindex("<li", 0, at) : page.index("</li>", at)]


def text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def korean_newcomer(demo):
    """A Korean official of Digital Nations, in no working group, who wrote and follows nothing."""
    korea = Country.objects.get(code="KR")
    user = User.objects.create_user(
        "seo.yeon@korea.kr", "x" * 12, full_name="Seo-yeon Park", country=korea
    )
    Membership.objects.create(user=user, network=demo.digital_nations)
    return user


# The page itself


@pytest.mark.django_db
def test_visitor_sees_the_public_landing_page(client, demo):
    page = client.get(reverse("home")).content.decode()
    assert "when governments went digital" in page
    assert reverse("account_login") in page
    assert "The life of your networks" not in page


@pytest.mark.django_db
def test_signing_in_leads_to_the_home(client, demo):
    response = client.post(
        reverse("account_login"), {"login": demo.member.email, "password": demo.password}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert "The life of your networks" in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_official_without_a_network_is_pointed_to_the_directory(demo):
    loner = User.objects.create_user("solo@gov.uk", "x" * 12, full_name="Sam Solo")
    page = home_page(loner)
    assert "You do not belong to a network yet." in page
    assert reverse("networks:directory") in page
    assert "Waiting for an answer" not in page


# Questions waiting for the official's country, and what it was asked


@pytest.mark.django_db
def test_questions_waiting_for_the_country_until_it_answers_mutes_or_the_question_closes(demo, ask):
    network_question = ask(author=demo.convenor, title="Estonia asks: wallet recovery?")
    due_soon = ask(
        author=demo.convenor,
        title="Estonia asks: due next week",
        deadline=timezone.localdate() + datetime.timedelta(days=7),
    )
    closing = ask(author=demo.convenor, title="Estonia asks: soon closed")
    own = ask(author=demo.member, title="Uruguay asks: anyone?")

    waiting = section(home_page(demo.member), "waiting")
    assert "Waiting for an answer from Uruguay" in waiting
    assert network_question.title in waiting
    assert closing.title in waiting
    # The soonest deadline first; the country's own questions do not wait for it.
    assert waiting.index(due_soon.title) < waiting.index(network_question.title)
    assert own.title not in home_page(demo.member)

    questions.answer_post(acting_user=demo.member, question=network_question, body="We did.")
    questions.question_close(acting_user=demo.convenor, question=closing)
    page = home_page(demo.member)
    assert network_question.title not in section(page, "waiting")
    assert closing.title not in section(page, "waiting")
    asked = section(page, "asked")
    assert "What Uruguay has been asked" in asked
    assert "Uruguay has answered." in card(asked, network_question.title)
    assert "Closed without an answer from Uruguay." in card(asked, closing.title)

    # Portugal's focal point mutes it for Portugal.
    assert network_question.title in section(home_page(demo.moderator), "waiting")
    questions.country_mute(acting_user=demo.moderator, question=network_question)
    page = home_page(demo.moderator)
    assert network_question.title not in section(page, "waiting")
    assert "Muted for Portugal by its focal point." in card(
        section(page, "asked"), network_question.title
    )


@pytest.mark.django_db
def test_a_working_group_question_waits_only_for_the_countries_of_the_group(
    demo, ask, group, korean_newcomer
):
    question = ask(
        author=demo.convenor, group=group, audience=Audience.NETWORK, title="Group asks: PKI?"
    )
    # Korea is asked (Min-jun is in the group); Uruguay is not, though Lucía may read it.
    assert question.title in section(home_page(korean_newcomer), "waiting")
    assert question.title not in home_page(demo.member)


@pytest.mark.django_db
def test_countries_asked_of_the_home_agree_with_the_question_page(demo, ask, group):
    asked = [
        ask(author=demo.convenor, title="Network question"),
        ask(author=demo.convenor, group=group, title="Group question"),
    ]
    countries = Country.objects.filter(network_links__network=demo.digital_nations)
    for question in asked:
        on_page = {c.pk for c, _, _ in question_access.countries_asked(demo.convenor, question)}
        on_home = {
            country.pk
            for country in countries
            if Question.objects.filter(asked_of_country_q(country.pk), pk=question.pk).exists()
        }
        assert on_home == on_page, question.title


# Lessons: in the official's areas, in their working groups, featured


@pytest.mark.django_db
def test_new_lessons_in_the_officials_areas_or_else_the_newest(demo, write_lesson, korean_newcomer):
    quantum = TechnologyArea.objects.create(name="Quantum networks", slug="quantum-networks")
    lucia_area = Lesson.objects.filter(author=demo.member).exclude(technology_area=None)
    lucia_area = lucia_area.first().technology_area
    in_area = write_lesson(
        author=demo.convenor, title="Kadri writes in the area of Lucía", technology_area=lucia_area
    )
    elsewhere = write_lesson(
        author=demo.convenor, title="Kadri writes on quantum", technology_area=quantum
    )

    areas = section(home_page(demo.member), "areas")
    assert "New in your areas" in areas
    assert lucia_area.name in areas
    assert in_area.title in areas
    assert elsewhere.title not in areas

    # Someone who wrote and follows nothing sees the newest lessons of their networks.
    newest = section(home_page(korean_newcomer), "areas")
    assert "Newest lessons in your networks" in newest
    assert elsewhere.title in newest


@pytest.mark.django_db
def test_lessons_of_the_officials_working_groups(demo, write_lesson, group):
    lesson = write_lesson(author=demo.convenor, group=group, title="Wallet pilot: group notes")
    assert lesson.title in section(home_page(demo.group_member), "groups")
    page = home_page(demo.member)
    assert lesson.title not in page
    assert "You are not in a working group." in section(page, "groups")


@pytest.mark.django_db
def test_lessons_featured_by_moderators(demo, write_lesson):
    lesson = write_lesson(author=demo.convenor, title="Featured: the registry clean-up")
    assert lesson.title not in section(home_page(demo.member), "featured")
    moderation.lesson_feature(acting_user=demo.moderator, lesson=lesson, featured=True)
    assert lesson.title in section(home_page(demo.member), "featured")


# Discussions the official follows


@pytest.mark.django_db
def test_followed_discussions_with_comments_not_yet_read(demo, write_lesson):
    followed = write_lesson(author=demo.member, title="Lucía follows this one")
    other = write_lesson(author=demo.convenor, title="Lucía does not follow this one")
    notifications.notifications_mark_read(acting_user=demo.member)
    for body in ("First thought.", "Second thought."):
        discussion.comment_create(acting_user=demo.group_member, lesson=followed, body=body)
    discussion.comment_create(acting_user=demo.group_member, lesson=other, body="Elsewhere.")

    discussions = section(home_page(demo.member), "discussions")
    assert "2 new comments" in card(discussions, followed.title)
    assert followed.get_absolute_url() + "#discussion" in discussions
    assert other.title not in discussions

    notifications.notifications_mark_read(acting_user=demo.member)
    assert "No new comment in the discussions you follow." in section(
        home_page(demo.member), "discussions"
    )


# Access and attribution


@pytest.mark.django_db
def test_outsider_sees_nothing_of_a_network_on_their_home(demo, write_lesson, ask):
    lesson = write_lesson(
        author=demo.convenor,
        title="Open to all networks: the registry",
        audience=Audience.ALL_NETWORKS,
        attribution=Attribution.NAMED,
    )
    moderation.lesson_feature(acting_user=demo.moderator, lesson=lesson, featured=True)
    question = ask(
        author=demo.convenor, title="Asked of all networks", audience=Audience.ALL_NETWORKS
    )
    page = home_page(demo.outsider)
    for shown in (lesson.title, question.title, "Digital Nations", "Kadri", "digital-nations"):
        assert shown not in page
    summaries = text(section(page, "networks"))
    assert "DPI Peer Network" in summaries


@pytest.mark.django_db
def test_chatham_house_items_are_unattributed_outside_their_home_space(
    demo, write_lesson, ask, group, korean_newcomer
):
    lesson = write_lesson(
        author=demo.convenor,
        group=group,
        audience=Audience.NETWORK,
        attribution=Attribution.CHATHAM,
        title="Group lesson under the Chatham House rule",
    )
    moderation.lesson_feature(acting_user=demo.moderator, lesson=lesson, featured=True)
    question = ask(
        author=demo.convenor,
        group=group,
        audience=Audience.NETWORK,
        attribution=Attribution.CHATHAM,
        title="Group question under the Chatham House rule",
    )

    outside = home_page(korean_newcomer)
    for item in (card(outside, lesson.title), card(outside, question.title)):
        assert "a member of Digital Nations" in item
        assert "Kadri" not in item
        assert "Estonia" not in item
        assert group.name not in item
    assert "answer" not in text(card(outside, question.title)).replace("answers wanted", "")

    inside = home_page(demo.group_member)
    assert "Kadri Tamm, Estonia" in card(inside, lesson.title)
    assert "Kadri Tamm, Estonia" in card(inside, question.title)


@pytest.mark.django_db
def test_suspended_member_sees_nothing_of_the_network_from_the_next_request(
    demo, write_lesson, ask
):
    lesson = write_lesson(author=demo.convenor, title="Seen before the suspension")
    moderation.lesson_feature(acting_user=demo.moderator, lesson=lesson, featured=True)
    question = ask(author=demo.convenor, title="Asked before the suspension")
    client = sign_in(demo.member)
    before = client.get(reverse("home")).content.decode()
    assert lesson.title in before
    assert question.title in before

    membership_suspend(
        acting_user=demo.convenor, membership=membership(demo.member, demo.digital_nations)
    )
    after = client.get(reverse("home")).content.decode()
    for shown in (lesson.title, question.title):
        assert shown not in after
    # Only the notice of the suspension, naming the network and whom to ask.
    assert "Your membership of Digital Nations is suspended since" in after
    assert after.count("Digital Nations") == 1


# Bounded queries


def count_queries(client):
    client.get(reverse("home"))
    remembered.forget_everything()  # as if nothing were remembered (lessons.remembered)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return len(captured), response.content.decode()


def grow(demo, group, count, write_lesson, ask, start):
    """`count` more of everything the home of Min-jun (Korea, in the Digital identity group)
    shows: lessons in his network, group and areas, featured ones, questions asked of Korea
    with answers, and comments on a discussion he follows."""
    area = Lesson.objects.filter(author=demo.group_member).exclude(technology_area=None).first()
    followed = Lesson.objects.filter(title="Min-jun follows this").first()
    if followed is None:
        followed = write_lesson(author=demo.group_member, title="Min-jun follows this")
    for number in range(start, start + count):
        write_lesson(
            author=demo.convenor,
            title=f"Lesson {number}",
            technology_area=area.technology_area,
        )
        write_lesson(author=demo.convenor, group=group, title=f"Group lesson {number}")
        question = ask(author=demo.convenor, title=f"Question {number}")
        questions.answer_post(acting_user=demo.member, question=question, body="Ours.")
        questions.answer_post(acting_user=demo.moderator, question=question, body="Ours too.")
        answered = ask(author=demo.member, title=f"Answered question {number}")
        questions.answer_post(acting_user=demo.group_member, question=answered, body="Korea.")
        discussion.comment_create(acting_user=demo.member, lesson=followed, body=f"Note {number}")
    Lesson.objects.filter(title__startswith="Lesson ").update(is_featured=True)
    # The header counts unread notifications one way up to 50 and another way past them
    # (notifications.access.unread_notification_count): keep the rest read, as the home's
    # count is what is measured.
    Notification.objects.filter(recipient=demo.group_member).exclude(kind__in=COMMENT_KINDS).update(
        read_at=timezone.now()
    )


@pytest.mark.django_db
def test_home_runs_the_same_queries_however_much_there_is(demo, write_lesson, ask, group):
    client = sign_in(demo.group_member)
    grow(demo, group, 2, write_lesson, ask, start=0)
    small, page = count_queries(client)
    for name in ("waiting", "asked", "discussions", "areas", "groups", "featured"):
        assert "<li" in section(page, name), name
    grow(demo, group, 8, write_lesson, ask, start=2)
    large, page = count_queries(client)
    assert large == small
    assert "Question 9" in page
    assert "Group lesson 9" in page


@pytest.mark.django_db
def test_home_stays_within_the_lesson_pages_first_view_queries(demo, write_lesson, ask, group):
    grow(demo, group, 3, write_lesson, ask, start=0)
    client = sign_in(demo.group_member)
    home, _page = count_queries(client)
    lesson = Lesson.objects.get(title="Min-jun follows this")
    client.get(lesson.get_absolute_url())
    remembered.forget_everything()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(lesson.get_absolute_url()).status_code == 200
    assert home <= len(captured), (home, len(captured))


@pytest.mark.django_db
def test_each_lesson_is_listed_once(demo, write_lesson, group):
    in_group = write_lesson(author=demo.convenor, group=group, title="Wallet pilot: featured too")
    anywhere = write_lesson(author=demo.convenor, title="Registry clean-up: featured and new")
    for lesson in (in_group, anywhere):
        moderation.lesson_feature(acting_user=demo.moderator, lesson=lesson, featured=True)
    page = home_page(demo.group_member)
    assert page.count(f'href="{in_group.get_absolute_url()}"') == 1
    assert in_group.title in section(page, "groups")
    assert page.count(f'href="{anywhere.get_absolute_url()}"') == 1
    assert anywhere.title in section(page, "featured")
