"""The questions pages: forms keep what was typed and say what to fix; the network's home and a
working group's page show their questions; a lesson names the question it was made from."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from questions import services
from questions.models import Question
from tests.networks.conftest import sign_in

TYPED = {
    "space": "digital-nations",
    "title": "Cloud contracts: who kept the exit clause?",
    "body": "We are **negotiating** now.",
    "language": "en",
    "audience": "network",
    "attribution": "chatham",
    "tags": "cloud, procurement",
}


def ask_page(client, **changes):
    return client.post(reverse("questions:ask"), {**TYPED, **changes})


def test_the_ask_form_keeps_what_was_typed_and_says_what_to_fix(demo):
    client = sign_in(demo.member)
    cases = [
        ({"title": ""}, "Give your question a title."),
        ({"body": ""}, "Say what you would like to know."),
        (
            {"deadline": (timezone.localdate() - timedelta(days=2)).isoformat()},
            "The date answers are wanted by is in the past.",
        ),
        ({"space": "dpi-peer-network"}, "Choose a network or working group you belong to."),
        ({"space": "digital-nations/digital-identity"}, "Choose a network or working group"),
    ]
    before = Question.objects.count()
    for changes, message in cases:
        response = ask_page(client, **changes)
        page = response.content.decode()
        assert response.status_code == 200, changes
        assert "There is a problem" in page
        assert message in page
        assert "We are **negotiating** now." in page or changes.get("body") == ""
        assert "cloud, procurement" in page
    assert Question.objects.count() == before


def test_asking_makes_the_question_and_shows_it(demo):
    response = ask_page(sign_in(demo.member))
    question = Question.objects.get(title=TYPED["title"])
    assert response["Location"] == question.get_absolute_url()
    assert sorted(question.tags.values_list("name", flat=True)) == ["cloud", "procurement"]
    page = sign_in(demo.convenor).get(question.get_absolute_url()).content.decode()
    assert "<strong>negotiating</strong>" in page
    assert "Countries asked" in page


def test_the_ask_form_offers_only_ones_own_spaces(demo):
    page = sign_in(demo.member).get(reverse("questions:ask")).content.decode()
    assert "Digital Nations" in page
    assert "DPI Peer Network" not in page
    assert "Digital identity" not in page  # Lucía is not in the group
    page = sign_in(demo.group_member).get(reverse("questions:ask")).content.decode()
    assert "Digital identity" in page


def test_an_answer_to_a_closed_question_keeps_what_was_typed(demo, ask):
    question = ask()
    services.question_close(acting_user=demo.member, question=question)
    response = sign_in(demo.convenor).post(
        reverse("questions:answer_create", args=[question.pk]),
        {"body": "Our exit clause held.", "attribution": "named"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The question is closed: it takes no more answers." in page
    assert "Our exit clause held." in page
    assert not question.answers.exists()


def test_an_empty_answer_says_what_to_fix(demo, ask):
    question = ask()
    response = sign_in(demo.convenor).post(
        reverse("questions:answer_create", args=[question.pk]),
        {"body": "  ", "attribution": "named"},
    )
    assert "Write your answer before posting it." in response.content.decode()


def test_the_network_home_and_group_page_show_their_questions(demo, ask, group):
    ask(title="Network question for the home")
    ask(author=demo.group_member, group=group, title="Group question for the page")
    home = sign_in(demo.convenor).get(reverse("networks:home", args=["digital-nations"]))
    assert "Network question for the home" in home.content.decode()
    assert "Ask the network" in home.content.decode()
    page = sign_in(demo.convenor).get(group.get_absolute_url()).content.decode()
    assert "Group question for the page" in page
    assert "Network question for the home" not in page


def test_the_lesson_draft_names_the_question_it_was_made_from(demo, ask):
    question = ask()
    answer = services.answer_post(acting_user=demo.convenor, question=question, body="Yes.").answer
    services.answer_mark_helpful(acting_user=demo.member, answer=answer)
    client = sign_in(demo.member)
    response = client.post(reverse("questions:to_lesson", args=[question.pk]))
    question.refresh_from_db()
    assert response["Location"] == reverse("lessons:edit", args=[question.lesson.pk])
    page = client.get(question.lesson.get_absolute_url()).content.decode()
    assert "Made from the question" in page
    assert question.get_absolute_url() in page


def test_a_repeated_decision_lands_where_the_first_did(demo):
    """Close, withdraw, mute, helpful and to-lesson forms carry a one-time token: a double
    click is done once, and the repeat is sent where the first one went."""
    import re

    question = services.question_ask(
        acting_user=demo.member,
        network=demo.digital_nations,
        title="Who hosts your wallet's trust list?",
        body="In-house or a vendor?",
        attribution="named",
    )
    client = sign_in(demo.member)
    page = client.get(question.get_absolute_url()).content.decode()
    action = reverse("questions:withdraw", args=[question.pk])
    form = page[page.index(f'action="{action}"') :]
    token = re.search(r'name="submission_token" value="([^"]+)"', form).group(1)
    first = client.post(action, {"submission_token": token})
    second = client.post(action, {"submission_token": token})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    question.refresh_from_db()
    assert question.state == Question.State.WITHDRAWN
