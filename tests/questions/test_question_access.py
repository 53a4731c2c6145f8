"""Who sees what of a question: outsiders get 404 on every questions page, the asker is shown
by attribution outside the home space, a group's question stays in the group, and no list,
count or home shows a question outside its audience."""

import pytest
from django.urls import reverse

from networks import services as network_services
from networks.models import Attribution, Membership, User
from questions import access, services
from questions.models import Question
from tests.networks.conftest import sign_in
from tests.urls_sweep import all_urls


def question_urls(question, answer):
    """Every questions: URL, filled in for this question (and answer)."""
    network, group = question.network.slug, "digital-identity"
    fill = {
        "network_list": [network],
        "group_list": [network, group],
        "ask": [],
        "answer_reply": [question.pk, answer.pk],
        "answer_edit": [question.pk, answer.pk],
        "answer_history": [question.pk, answer.pk],
        "answer_helpful": [question.pk, answer.pk],
        "answer_flag": [question.pk, answer.pk],
        "answer_moderate": [network, answer.pk],
        "answer_act": [network, answer.pk, "hide"],
    }
    names = [name.split(":")[1] for name, _ in all_urls() if name.startswith("questions:")]
    return {
        name: reverse(f"questions:{name}", args=fill.get(name, [question.pk])) for name in names
    }


def test_outsiders_get_404_on_every_questions_page_as_for_a_missing_question(demo, ask):
    question = ask(body="Our supplier **Acme** overcharged.")
    answer = services.answer_post(acting_user=demo.convenor, question=question, body="Same.").answer
    missing = Question.objects.order_by("-pk").first().pk + 1000
    for persona in (demo.outsider, demo.suspended):
        client = sign_in(persona)
        for name, url in question_urls(question, answer).items():
            if name == "ask":
                continue  # everyone may open the form; it offers their own spaces only
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                assert response.status_code in (404, 405), (persona, name, method)
                assert b"Acme" not in response.content
                assert question.title.encode() not in response.content
    client = sign_in(demo.outsider)
    assert client.get(reverse("questions:detail", args=[missing])).status_code == 404


def test_outside_the_home_space_a_chatham_house_asker_has_no_name_and_no_country(demo, ask):
    question = ask(audience="all_networks", attribution=Attribution.CHATHAM)
    services.answer_post(acting_user=demo.convenor, question=question, body="Ask Estonia's RIA.")
    page = sign_in(demo.outsider).get(question.get_absolute_url()).content.decode()
    assert question.title in page
    assert "a member of Digital Nations" in page
    assert "Lucía" not in page
    assert "Uruguay" not in page
    assert "Ask Estonia" not in page  # answers stay in the home space
    inside = sign_in(demo.convenor).get(question.get_absolute_url()).content.decode()
    assert "Lucía Pérez, Uruguay" in inside
    assert "Ask Estonia" in inside


@pytest.mark.parametrize(
    ("attribution", "shown", "hidden"),
    [
        (Attribution.NAMED, "Lucía Pérez, Uruguay", ""),
        (Attribution.COUNTRY, "an official of Uruguay", "Lucía"),
    ],
)
def test_outside_the_home_space_the_asker_is_shown_by_attribution(
    demo, ask, attribution, shown, hidden
):
    question = ask(audience="all_networks", attribution=attribution)
    page = sign_in(demo.outsider).get(question.get_absolute_url()).content.decode()
    assert shown in page
    if hidden:
        assert hidden not in page


def test_a_group_only_question_is_invisible_to_the_networks_other_members(demo, ask, group):
    question = ask(author=demo.group_member, group=group, title="Wallet lab: who certified yours?")
    lucia = sign_in(demo.member)
    assert lucia.get(question.get_absolute_url()).status_code == 404
    for url in (
        reverse("questions:network_list", args=["digital-nations"]),
        reverse("networks:home", args=["digital-nations"]),
    ):
        page = lucia.get(url).content.decode()
        assert "Wallet lab" not in page
    assert question not in access.visible_questions(demo.member)
    kadri = sign_in(demo.convenor)  # a member of the group
    assert kadri.get(question.get_absolute_url()).status_code == 200
    assert (
        "Wallet lab"
        in kadri.get(reverse("networks:home", args=["digital-nations"])).content.decode()
    )


def test_lists_and_counts_show_nothing_outside_the_audience(demo, ask, group):
    Question.objects.all().delete()  # the demo's own questions aside
    ask(title="Network-wide question")
    ask(author=demo.group_member, group=group, title="Group-only question")
    ask(title="For every network", audience="all_networks")
    assert set(access.listed_questions(demo.member).values_list("title", flat=True)) == {
        "Network-wide question",
        "For every network",
    }
    # Officials outside the network (a suspended one too) see only what is for every network,
    # as with lessons.
    for outside in (demo.outsider, demo.suspended):
        assert set(access.listed_questions(outside).values_list("title", flat=True)) == {
            "For every network"
        }
    page = (
        sign_in(demo.member)
        .get(reverse("questions:network_list", args=["digital-nations"]))
        .content.decode()
    )
    assert "Network-wide question" in page
    assert "Group-only question" not in page


def test_a_suspension_takes_effect_on_the_next_request(demo, ask):
    question = ask(author=demo.convenor)
    client = sign_in(demo.member)
    assert client.get(question.get_absolute_url()).status_code == 200
    membership = Membership.objects.get(user=demo.member, network=demo.digital_nations)
    network_services.membership_suspend(acting_user=demo.convenor, membership=membership)
    assert client.get(question.get_absolute_url()).status_code == 404
    response = client.post(
        reverse("questions:answer_create", args=[question.pk]), {"body": "Still here?"}
    )
    assert response.status_code == 404
    assert not question.answers.exists()


def test_a_withdrawn_question_is_its_askers_only(demo, ask):
    question = ask()
    services.question_withdraw(acting_user=demo.member, question=question)
    assert sign_in(demo.member).get(question.get_absolute_url()).status_code == 200
    assert sign_in(demo.convenor).get(question.get_absolute_url()).status_code == 404


def test_the_question_rule_and_its_queryset_agree(demo, ask, group):
    questions = [
        ask(),
        ask(audience="all_networks"),
        ask(author=demo.group_member, group=group),
        ask(author=demo.convenor),
    ]
    services.question_withdraw(acting_user=demo.convenor, question=questions[-1])
    questions = list(Question.objects.filter(pk__in=[q.pk for q in questions]))
    for user in User.objects.all():
        visible = set(access.visible_questions(user).values_list("pk", flat=True))
        for question in questions:
            assert access.may_open_question(user, question) == (question.pk in visible), (
                user,
                question,
            )
