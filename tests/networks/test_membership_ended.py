"""A suspended or removed official is told so: on their home page, and on any page of that
network they open (the network, a working group, a lesson, a question), which answers 404 with
the notice and nothing of the page: since when, and whom to ask."""

import re

import pytest
from django.urls import reverse
from django.utils import formats

from lessons.models import Lesson
from networks import services
from networks.models import Membership
from questions import access as questions_access
from questions.models import Question
from tests.networks.conftest import membership, sign_in

pytestmark = pytest.mark.django_db


def _text(response):
    body = response.content.decode()
    main = body.split("<main", 1)[1].split("</main>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def test_suspended_official_is_told_on_their_home_since_when_and_whom_to_ask(demo):
    suspended = membership(demo.suspended, demo.digital_nations)
    text = _text(sign_in(demo.suspended).get(reverse("home")))
    since = formats.date_format(suspended.updated_at, "DATE_FORMAT")
    assert f"Your membership of Digital Nations is suspended since {since}." in text
    assert demo.convenor.display_name in text  # Kadri Tamm, its convenor
    assert "You do not belong to a network yet" not in text


def test_a_suspended_officials_links_into_the_space_say_why_and_show_nothing(demo):
    lesson = Lesson.objects.get(title__startswith="AI chatbot for tax questions")
    question = next(  # one for the network's members only
        q
        for q in Question.objects.filter(network=demo.digital_nations)
        if not questions_access.may_open_question(demo.suspended, q)
    )
    paths = [
        demo.digital_nations.get_absolute_url(),
        reverse("networks:working_group", args=["digital-nations", "digital-identity"]),
        lesson.get_absolute_url(),
        question.get_absolute_url(),
    ]
    client = sign_in(demo.suspended)
    for path in paths:
        response = client.get(path)
        assert response.status_code == 404, path
        text = _text(response)
        assert "Your membership of Digital Nations is suspended since" in text, path
        assert demo.convenor.display_name in text
        for secret in (lesson.title, question.title, "Digital identity"):
            assert secret not in text, path


def test_removed_official_is_told_their_membership_ended(demo):
    kept = membership(demo.member, demo.digital_nations)
    services.membership_remove(acting_user=demo.convenor, membership=kept)
    kept.refresh_from_db()
    assert kept.state == Membership.State.LEFT
    client = sign_in(demo.member)
    text = _text(client.get(reverse("home")))
    assert "Your membership of Digital Nations ended on" in text
    response = client.get(demo.digital_nations.get_absolute_url())
    assert response.status_code == 404
    assert "Your membership of Digital Nations ended on" in _text(response)


def test_an_outsider_still_gets_the_404_of_a_missing_page(demo):
    lesson = Lesson.objects.get(title__startswith="AI chatbot for tax questions")
    outsider = sign_in(demo.outsider)
    pairs = [
        (demo.digital_nations.get_absolute_url(), "/networks/no-such-network/"),
        (lesson.get_absolute_url(), "/lessons/999999/"),
    ]
    for private, missing in pairs:
        response = outsider.get(private)
        assert response.status_code == 404
        assert response.content == outsider.get(missing).content
