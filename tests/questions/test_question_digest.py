"""A question still waiting for an answer is listed in the next digest of the members who may
answer it, as they may see it then: not for anyone outside its audience or home space, not once
it has an answer, and not twice in a digest that already holds it as a new question."""

import itertools
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from notifications import digests, sending
from notifications import services as notifications
from notifications.models import Delivery
from questions import notices, services

WAITING = "Questions waiting for an answer"


@pytest.fixture
def event(django_capture_on_commit_callbacks, mailoutbox, run_worker):
    """Run an action as a request would (committed), then the worker; return the emails sent."""

    def run(action):
        already = len(mailoutbox)
        with django_capture_on_commit_callbacks(execute=True):
            action()
        run_worker()
        return mailoutbox[already:]

    return run


def daily(user, network):
    notifications.notification_preference_set(
        acting_user=user, network=network, delivery=Delivery.DAILY
    )


def digest_of(emails, user):
    (message,) = [message for message in emails if message.to == [user.email]]
    return message.body, message.alternatives[0].content


_DAYS = itertools.count()


def send_digests(event):
    """The daily digests of the next day: a recipient gets one digest a day at most."""
    day = timezone.now() + timedelta(days=next(_DAYS))
    key = sending.digest_key
    with mock.patch.object(sending, "digest_key", lambda **kw: key(now=day, **kw)):
        return event(lambda: digests.deliver_digests(frequency=Delivery.DAILY))


def something_new(demo, write_lesson, title):
    """A new lesson in Digital Nations: a notification waiting for the daily digests."""
    write_lesson(author=demo.convenor, title=title, audience="network")


@pytest.mark.django_db
def test_the_next_digest_lists_an_unanswered_question_for_a_member(demo, ask, write_lesson, event):
    daily(demo.group_member, demo.digital_nations)
    question = ask(author=demo.convenor, title="Who audits your wallet?", audience="network")
    first = send_digests(event)
    text, html = digest_of(first, demo.group_member)
    for body in (text, html):
        # A new question: listed once, as the notice of it.
        assert body.count("Who audits your wallet?") == 1
    something_new(demo, write_lesson, "Lesson one")
    text, html = digest_of(send_digests(event), demo.group_member)
    for body in (text, html):
        assert WAITING in body
        assert "“Who audits your wallet?”, asked by Kadri Tamm, Estonia" in body
        assert question.get_absolute_url() in body


@pytest.mark.django_db
def test_the_digest_lists_no_question_outside_the_audience_or_home_space(
    demo, ask, group, write_lesson, event
):
    daily(demo.member, demo.digital_nations)
    group_question = ask(author=demo.group_member, group=group, title="A group-only question")
    network_question = ask(author=demo.convenor, title="A network question", audience="network")
    send_digests(event)
    something_new(demo, write_lesson, "Lesson two")
    text, html = digest_of(send_digests(event), demo.member)
    assert network_question.title in text
    for body in (text, html):
        assert group_question.title not in body
    # Outsiders and the suspended are never offered the network's questions.
    for user in (demo.outsider, demo.suspended):
        waiting = notices.waiting_for_answer(user, demo.digital_nations)
        assert not waiting.filter(pk__in=[network_question.pk, group_question.pk]).exists()


@pytest.mark.django_db
def test_nothing_is_listed_once_the_question_has_an_answer(demo, ask, write_lesson, event):
    daily(demo.group_member, demo.digital_nations)
    question = ask(author=demo.convenor, title="Who audits your wallet?", audience="network")
    send_digests(event)
    services.answer_post(acting_user=demo.member, question=question, body="Our lab does.")
    something_new(demo, write_lesson, "Lesson three")
    text, html = digest_of(send_digests(event), demo.group_member)
    for body in (text, html):
        assert "Who audits your wallet?" not in body
    assert not notices.waiting_for_answer(demo.group_member, demo.digital_nations).filter(
        pk=question.pk
    )
