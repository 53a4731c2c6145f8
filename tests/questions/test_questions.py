"""Questions and answers, through their services: what is refused and why, what a double
submit makes, who may mark, mute and turn into a lesson, and who hears of it."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from lessons.models import Lesson
from networks import services as network_services
from networks.models import Attribution, AuditEvent, Membership
from networks.services import ActionRefused
from notifications import services as notification_services
from notifications.models import Notification
from questions import access, services
from questions.models import Answer, CountryMute, Question


def answer(question, user, body="We did: plan for the helpdesk.", **kwargs):
    return services.answer_post(acting_user=user, question=question, body=body, **kwargs).answer


def test_a_question_takes_the_askers_language_and_is_audited(demo, ask):
    question = ask()
    assert question.language == demo.member.email_language
    assert question.audience == "network"
    assert question.author_country == demo.member.country
    assert AuditEvent.objects.filter(action="question.ask", target_id=str(question.pk)).exists()


def test_a_double_submit_makes_one_question_and_one_answer(demo, ask):
    token = uuid.uuid4()
    first = ask(creation_token=token)
    second = ask(creation_token=token)
    assert first.pk == second.pk
    assert Question.objects.filter(creation_token=token).count() == 1
    answer_token = uuid.uuid4()
    one = answer(first, demo.convenor, creation_token=answer_token)
    two = answer(first, demo.convenor, creation_token=answer_token)
    assert one.pk == two.pk
    assert first.answers.count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "  "}, "Give your question a title."),
        ({"body": ""}, "Say what you would like to know."),
        (
            {"deadline": timezone.localdate() - timedelta(days=1)},
            "The date answers are wanted by is in the past.",
        ),
    ],
)
def test_bad_input_is_refused_with_what_to_fix(ask, fields, message):
    before = Question.objects.count()
    with pytest.raises(ActionRefused) as refused:
        ask(**fields)
    assert refused.value.message == message
    assert Question.objects.count() == before


def test_one_asks_only_in_ones_own_spaces(demo, ask, group):
    with pytest.raises(PermissionDenied):
        ask(author=demo.outsider)  # not a member of Digital Nations
    with pytest.raises(PermissionDenied):
        ask(author=demo.member, group=group)  # not a member of the group
    assert ask(author=demo.group_member, group=group).audience == "group"


def test_a_suspended_official_can_neither_ask_nor_answer(demo, ask):
    question = ask()
    with pytest.raises(PermissionDenied):
        ask(author=demo.suspended)
    with pytest.raises(PermissionDenied):
        answer(question, demo.suspended)


def test_a_member_suspended_after_asking_is_refused_from_then_on(demo, ask):
    question = ask(author=demo.group_member)
    membership = Membership.objects.get(user=demo.group_member, network=demo.digital_nations)
    network_services.membership_suspend(acting_user=demo.convenor, membership=membership)
    suspended = type(demo.group_member).objects.get(pk=demo.group_member.pk)  # a new request
    with pytest.raises(PermissionDenied):
        answer(question, suspended)
    assert not access.may_open_question(suspended, question)


@pytest.mark.parametrize("service", ["question_close", "question_withdraw"])
def test_a_closed_or_withdrawn_question_takes_no_answer(demo, ask, service):
    question = ask()
    getattr(services, service)(acting_user=demo.member, question=question)
    with pytest.raises(ActionRefused) as refused:
        answer(question, demo.convenor)
    assert "no more answers" in refused.value.message
    assert not Answer.objects.filter(question=question).exists()


def test_only_the_asker_marks_an_answer_helpful(demo, ask):
    question = ask()
    given = answer(question, demo.convenor)
    for other in (demo.convenor, demo.moderator, demo.group_member):
        with pytest.raises(PermissionDenied):
            services.answer_mark_helpful(acting_user=other, answer=given)
    services.answer_mark_helpful(acting_user=demo.member, answer=given)
    given.refresh_from_db()
    assert given.is_helpful


def test_only_a_focal_point_mutes_a_question_for_their_country(demo, ask):
    question = ask()
    for other in (demo.member, demo.convenor, demo.group_member, demo.outsider):
        with pytest.raises(PermissionDenied):
            services.country_mute(acting_user=other, question=question)
    services.country_mute(acting_user=demo.moderator, question=question)  # Portugal's
    assert CountryMute.objects.get(question=question).country.code == "PT"
    rows = {
        country.code: (answered, muted)
        for country, answered, muted in access.countries_asked(demo.member, question)
    }
    assert rows["PT"] == (False, True)
    answer(question, demo.convenor)
    rows = {
        country.code: (answered, muted)
        for country, answered, muted in access.countries_asked(demo.member, question)
    }
    assert rows["EE"] == (True, False)
    assert rows["KR"] == (False, False)
    assert "UY" not in rows  # the asker's country asks; it is not among those asked
    assert access.countries_asked(demo.outsider, question) == []


def test_an_edited_answer_keeps_its_earlier_text(demo, ask):
    question = ask()
    given = answer(question, demo.convenor, body="First thoughts.")
    services.answer_edit(acting_user=demo.convenor, answer=given, body="Better thoughts.")
    given.refresh_from_db()
    assert given.body == "Better thoughts."
    assert given.edited_at is not None
    assert list(given.revisions.values_list("body", flat=True)) == ["First thoughts."]
    with pytest.raises(PermissionDenied):
        services.answer_edit(acting_user=demo.member, answer=given, body="Not mine.")


def test_a_question_turns_into_a_lesson_draft_crediting_answers_by_attribution(demo, ask):
    question = ask(title="Wallet roll-out: what broke?")
    named = answer(
        question, demo.convenor, body="Plan for the helpdesk.", attribution=Attribution.NAMED
    )
    chatham = answer(
        question, demo.moderator, body="Test with older people.", attribution=Attribution.CHATHAM
    )
    answer(question, demo.group_member, body="Not marked.", attribution=Attribution.NAMED)
    with pytest.raises(ActionRefused):  # nothing marked yet
        services.question_to_lesson_draft(acting_user=demo.member, question=question)
    for given in (named, chatham):
        services.answer_mark_helpful(acting_user=demo.member, answer=given)
    with pytest.raises(PermissionDenied):
        services.question_to_lesson_draft(acting_user=demo.convenor, question=question)
    lesson = services.question_to_lesson_draft(acting_user=demo.member, question=question)
    assert lesson.state == Lesson.State.DRAFT
    assert lesson.author == demo.member
    assert lesson.title == "Wallet roll-out: what broke?"
    assert "Plan for the helpdesk." in lesson.happened
    assert "Kadri Tamm, Estonia" in lesson.happened
    assert "a member of Digital Nations" in lesson.happened
    assert "João" not in lesson.happened
    assert "Portugal" not in lesson.happened
    assert "Not marked." not in lesson.happened
    question.refresh_from_db()
    assert question.lesson == lesson
    assert list(access.questions_of_lesson(demo.member, lesson)) == [question]
    with pytest.raises(ActionRefused):  # once
        services.question_to_lesson_draft(acting_user=demo.member, question=question)


def test_members_hear_of_a_new_question_and_the_asker_of_answers(demo, ask, group):
    Notification.objects.all().delete()
    question = ask()
    told = set(
        Notification.objects.filter(kind="new_question").values_list("recipient__email", flat=True)
    )
    assert {demo.convenor.email, demo.moderator.email, demo.group_member.email} <= told
    assert demo.member.email not in told  # the asker
    assert demo.suspended.email not in told
    assert demo.outsider.email not in told
    answer(question, demo.convenor)
    notice = Notification.objects.get(kind="answer", recipient=demo.member)
    described = notification_services.describe(notice, demo.member)
    assert described.title == f"Kadri Tamm answered your question “{question.title}”"
    assert described.url.endswith(f"#answer-{question.answers.get().pk}")
    # Inside the home space the asker is known, whatever the attribution.
    new = Notification.objects.get(kind="new_question", recipient=demo.convenor)
    assert notification_services.describe(new, demo.convenor).title.endswith(
        "from Lucía Pérez, Uruguay"
    )


def test_a_group_question_is_told_to_its_members_only(demo, ask, group):
    Notification.objects.all().delete()
    ask(author=demo.group_member, group=group)
    told = set(
        Notification.objects.filter(kind="new_question").values_list("recipient__email", flat=True)
    )
    assert demo.convenor.email in told  # a member of the group
    assert demo.moderator.email in told  # the network's moderator
    assert demo.member.email not in told


def test_a_notice_of_a_question_goes_when_its_reader_loses_access(demo, ask):
    question = ask()
    notices = {"kind": "new_question", "data__question": question.pk}
    assert notification_services.inbox(demo.group_member).filter(**notices).exists()
    services.question_withdraw(acting_user=demo.member, question=question)
    assert not notification_services.inbox(demo.group_member).filter(**notices).exists()


def test_inbox_queries_do_not_grow_with_question_notices(demo, ask, client):
    from django.urls import reverse

    from tests.lessons.test_query_counts import count_queries

    Notification.objects.filter(recipient=demo.member).delete()
    question = ask()
    services.answer_post(acting_user=demo.convenor, question=question, body="One")
    client.force_login(demo.member)
    few = count_queries(client, reverse("notifications:inbox"))
    for index in range(15):
        other = ask(author=demo.convenor, title=f"Question {index}")
        services.answer_post(acting_user=demo.moderator, question=question, body=f"More {index}")
        assert other.pk
    assert count_queries(client, reverse("notifications:inbox")) == few
