"""Flags on answers and their moderation: members report an answer; enough distinct members
hide it until a moderator looks; the network's moderators hide it with a reason its author
reads, show it again or dismiss the flags, from the workbench; other members then see only
that it was hidden, and search forgets its words. Nobody outside the network hears of any of it.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from networks.models import AuditEvent, Country, Membership, User
from networks.services import ActionRefused
from notifications.models import Notification
from questions import access, services
from questions import moderation as answer_moderation
from questions.models import AnswerFlag
from tests.networks.conftest import sign_in

WORD = "quokkaregistry"  # in no lesson, no demo question


@pytest.fixture
def answered(demo, ask):
    """Lucía's question in Digital Nations, answered by Kadri (the convenor of Estonia)."""
    question = ask(title="Who audits your digital identity wallet?", audience="network")
    answer = services.answer_post(
        acting_user=demo.convenor,
        question=question,
        body=f"Our supplier {WORD} audits it, under contract.",
    ).answer
    return question, answer


def members(demo, count):
    """`count` new plain members of Digital Nations, from Denmark."""
    denmark = Country.objects.get(code="DK")
    found = []
    for number in range(count):
        user = User.objects.create_user(
            f"reader{number}@digst.dk", demo.password, full_name=f"Reader {number}", country=denmark
        )
        Membership.objects.create(user=user, network=demo.digital_nations)
        found.append(user)
    return found


def page_of(user, question):
    response = sign_in(user).get(question.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_flags_from_enough_members_hide_the_answer_until_a_moderator_looks(demo, answered):
    question, answer = answered
    readers = members(demo, demo.digital_nations.flag_threshold)
    first = answer_moderation.answer_flag_raise(
        acting_user=readers[0], answer=answer, reason="inaccurate"
    )
    again = answer_moderation.answer_flag_raise(
        acting_user=readers[0], answer=answer, reason="rules"
    )
    assert first.pk == again.pk  # one person's repeated flags count once
    for reader in readers[1:-1]:
        answer_moderation.answer_flag_raise(acting_user=reader, answer=answer, reason="other")
    answer.refresh_from_db()
    assert not answer.is_hidden
    answer_moderation.answer_flag_raise(acting_user=readers[-1], answer=answer, reason="other")
    answer.refresh_from_db()
    assert answer.is_hidden
    assert answer.hidden_by is None
    assert AuditEvent.objects.filter(action="answer.hide_by_flags").count() == 1

    asker_page = page_of(demo.member, question)
    assert WORD not in asker_page
    assert "Hidden by a moderator." in asker_page
    author_page = page_of(demo.convenor, question)  # its author reads it, and why
    assert WORD in author_page
    assert "Hidden by members’ flags until a moderator looks at it" in author_page
    found = sign_in(demo.member).get(reverse("search:page"), {"q": WORD, "in": "questions"})
    assert question.get_absolute_url() not in found.content.decode()


def test_a_moderator_hides_with_a_reason_shows_again_and_dismisses(demo, answered):
    question, answer = answered
    reader = members(demo, 1)[0]
    answer_moderation.answer_flag_raise(acting_user=reader, answer=answer, reason="sensitive")
    with pytest.raises(ActionRefused):
        answer_moderation.answer_hide(acting_user=demo.moderator, answer=answer, reason=" ")
    answer_moderation.answer_hide(
        acting_user=demo.moderator, answer=answer, reason="It names a supplier."
    )
    answer.refresh_from_db()
    assert answer.is_hidden
    assert answer.hidden_by == demo.moderator
    assert not AnswerFlag.objects.filter(answer=answer, resolved_at__isnull=True).exists()
    assert "Reason: It names a supplier." in page_of(demo.convenor, question)
    assert "It names a supplier." not in page_of(demo.member, question)
    countries = access.countries_asked(demo.member, question)
    assert not [country for country, answered_, _muted in countries if answered_]

    answer_moderation.answer_restore(acting_user=demo.moderator, answer=answer, reason="Agreed.")
    answer.refresh_from_db()
    assert not answer.is_hidden
    assert answer.hidden_reason == ""
    assert WORD in page_of(demo.member, question)

    answer_moderation.answer_flag_raise(acting_user=reader, answer=answer, reason="other")
    assert answer_moderation.answer_flags_dismiss(acting_user=demo.moderator, answer=answer) == 1
    with pytest.raises(ActionRefused):
        answer_moderation.answer_flags_dismiss(acting_user=demo.moderator, answer=answer)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"answer.flag", "answer.hide", "answer.restore", "answer.flags_dismiss"} <= actions


def test_only_readers_other_than_its_author_flag_and_only_moderators_decide(demo, answered):
    _question, answer = answered
    for user in (demo.convenor, demo.outsider, demo.suspended):  # author, outsider, suspended
        with pytest.raises(PermissionDenied):
            answer_moderation.answer_flag_raise(acting_user=user, answer=answer, reason="other")
    for user in (demo.member, demo.dpi_convenor):
        with pytest.raises(PermissionDenied):
            answer_moderation.answer_hide(acting_user=user, answer=answer, reason="No.")


def test_the_workbench_lists_flagged_answers_for_the_networks_moderators_only(demo, answered):
    question, answer = answered
    answer_moderation.answer_flag_raise(
        acting_user=members(demo, 1)[0], answer=answer, reason="inaccurate", note="Not so."
    )
    queue = sign_in(demo.moderator).get(reverse("moderation:queue", args=["digital-nations"]))
    page = queue.content.decode()
    assert "Flagged answers" in page
    assert reverse("questions:answer_moderate", args=["digital-nations", answer.pk]) in page
    assert WORD in page
    assert "Not so." in page

    other = sign_in(demo.dpi_convenor)  # a moderator of another network
    their_queue = other.get(reverse("moderation:queue", args=["dpi-peer-network"]))
    assert WORD not in their_queue.content.decode()
    elsewhere = reverse("questions:answer_moderate", args=["dpi-peer-network", answer.pk])
    assert other.get(elsewhere).status_code == 404
    assert other.get(question.get_absolute_url()).status_code == 404


def test_the_forms_say_what_to_fix_and_keep_the_answer_as_it_was(demo, answered):
    question, answer = answered
    client = sign_in(demo.moderator)
    act = reverse("questions:answer_act", args=["digital-nations", answer.pk, "hide"])
    response = client.post(act, {"hide-reason": ""})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    answer.refresh_from_db()
    assert not answer.is_hidden

    flag = reverse("questions:answer_flag", args=[question.pk, answer.pk])
    response = sign_in(demo.member).post(flag, {"note": "It is wrong."})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "It is wrong." in page
    assert not AnswerFlag.objects.exists()
    response = sign_in(demo.member).post(flag, {"reason": "inaccurate", "note": "It is wrong."})
    assert response["Location"] == answer.get_absolute_url()
    assert AnswerFlag.objects.get().reporter == demo.member


def test_the_answers_author_is_told_what_was_decided_and_why(demo, answered):
    question, answer = answered
    answer_moderation.answer_hide(
        acting_user=demo.moderator, answer=answer, reason="It names a supplier."
    )
    answer_moderation.answer_restore(acting_user=demo.moderator, answer=answer, reason="Agreed.")
    notices = Notification.objects.filter(
        recipient=demo.convenor, kind=Notification.Kind.ANSWER_MODERATION
    ).order_by("pk")
    assert [n.data["decision"] for n in notices] == ["answer.hide", "answer.restore"]
    inbox = sign_in(demo.convenor).get(reverse("notifications:inbox")).content.decode()
    assert f"A moderator hid your answer to “{question.title}”" in inbox
    assert "Reason: It names a supplier." in inbox
    assert not Notification.objects.filter(
        kind=Notification.Kind.ANSWER_MODERATION, recipient=demo.member
    ).exists()  # the asker hears nothing of it
