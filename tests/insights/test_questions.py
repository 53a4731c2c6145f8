"""The questions of a network's insights, on the small world of conftest.py: questions and
answers a month, the median time to a first answer, the open questions without one, and what
each country asked and answered; each counted only as far as the viewer may see it."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from insights import access
from insights.figures import UNANSWERED_LISTED, network_insights
from networks.models import Attribution, Membership, User
from questions import services as questions
from questions.models import Answer
from tests.insights.conftest import answer, ask, official, this_month
from tests.networks.conftest import sign_in


def questions_section(user, network):
    _period, sections = network_insights(user, network)
    return next(section for section in sections if section.key == "questions").context


def series(user, network):
    charts = questions_section(user, network)["charts"]
    return {chart.key: [bar.value for bar in chart.bars] for chart in charts}


def waiting_titles(user, network):
    return [question.title for question in questions_section(user, network)["waiting"]]


def countries(user, network):
    _period, sections = network_insights(user, network)
    participation = next(section for section in sections if section.key == "participation")
    return {entry.country.code: entry for entry in participation.context["countries"]}


def csv_rows(user, network):
    response = sign_in(user).get(reverse("insights:csv", args=[network.slug]))
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_questions_and_answers_a_month(world):
    figures = series(world.convenor, world.network)
    assert {key: len(values) for key, values in figures.items()} == {"questions": 12, "answers": 12}
    # This month: Uruguay's three, the group's one, Kai's under the Chatham House rule.
    assert figures["questions"][-1] == 5
    assert figures["questions"][-2] == 1  # Carla's, last month
    assert sum(figures["questions"]) == 6
    # Pedro, Dora and Bruno's reply on the first; Pedro on the second; three on Kai's.
    assert figures["answers"][-1] == 7
    assert figures["answers"][-2] == 1


def test_median_time_to_first_answer(world):
    context = questions_section(world.convenor, world.network)
    # First answers after 2, 10, 20 and 30 hours; the waiting and the group's have none.
    assert context["median"] == "15\xa0hours"
    assert context["answered"] == 4
    rows = csv_rows(world.convenor, world.network)
    assert [
        "Questions and answers",
        "Questions",
        "Median time to first answer, in hours",
        "15.0",
    ] in rows
    assert [
        "Questions and answers",
        "Questions",
        "Questions asked in the period and answered",
        "4",
    ] in rows
    page = sign_in(world.convenor).get(reverse("insights:dashboard", args=[world.network.slug]))
    assert "15\xa0hours" in page.content.decode()


def test_no_median_before_a_first_answer(world):
    Answer.objects.filter(question__network=world.network).update(is_hidden=True)
    context = questions_section(world.convenor, world.network)
    assert (context["median"], context["answered"]) == (None, 0)
    assert series(world.convenor, world.network)["answers"][-1] == 0
    rows = csv_rows(world.convenor, world.network)
    median = ["Questions and answers", "Questions", "Median time to first answer, in hours", ""]
    assert median in rows
    page = sign_in(world.convenor).get(reverse("insights:dashboard", args=[world.network.slug]))
    assert "No answer yet." in page.content.decode()


def test_neither_the_askers_own_answer_nor_a_hidden_one_answers_a_question(world):
    waiting = world.questions["waiting"]
    answer(waiting.author, waiting, hours_later=1)  # Ana adds to her own question
    Answer.objects.filter(question=world.questions["uruguay_2"]).update(is_hidden=True)
    context = questions_section(world.convenor, world.network)
    assert waiting_titles(world.convenor, world.network) == [
        "Uruguay question 4",
        "Uruguay question 2",
        "Group question",
    ]
    assert context["waiting_count"] == 3
    assert context["median"] == "20\xa0hours"  # of 2, 20 and 30
    # Ana's own post counts as an answer given; Pedro's hidden answer does not.
    assert series(world.convenor, world.network)["answers"][-1] == 7


def test_open_questions_without_an_answer_are_listed_oldest_first_with_their_links(world):
    kai = world.convenor
    client = sign_in(kai)
    closed = ask(world.uruguayans[2], world.network, "Closed unanswered", at=this_month(5))
    questions.question_close(acting_user=closed.author, question=closed)
    withdrawn = ask(world.uruguayans[2], world.network, "Withdrawn question", at=this_month(6))
    questions.question_withdraw(acting_user=withdrawn.author, question=withdrawn)
    context = questions_section(kai, world.network)
    assert waiting_titles(kai, world.network) == ["Uruguay question 4", "Group question"]
    assert context["waiting_count"] == 2
    # A closed question was asked; a withdrawn one is the asker's alone and counts nowhere.
    assert series(kai, world.network)["questions"][-1] == 6
    html = client.get(reverse("insights:dashboard", args=[world.network.slug])).content.decode()
    for question in context["waiting"]:
        assert question.url == world.network.questions.get(title=question.title).get_absolute_url()
        assert f'<a href="{question.url}">{question.title}</a>' in html
        assert client.get(question.url).status_code == 200  # the viewer may open each one
    assert "Withdrawn question" not in html
    rows = csv_rows(kai, world.network)
    assert ["Questions and answers", "Questions", "Open questions without an answer", "2"] in rows
    since = [row[1] for row in rows if row[2] == "Waiting for an answer since"]
    assert since == ["Uruguay question 4", "Group question"]


def test_the_list_of_open_questions_without_an_answer_is_bounded(world):
    for hour in range(UNANSWERED_LISTED):
        ask(world.uruguayans[0], world.network, f"Later question {hour}", at=this_month(10 + hour))
    context = questions_section(world.convenor, world.network)
    assert context["waiting_count"] == 2 + UNANSWERED_LISTED
    titles = waiting_titles(world.convenor, world.network)
    assert len(titles) == UNANSWERED_LISTED
    assert titles[:2] == ["Uruguay question 4", "Group question"]


def test_a_working_groups_questions_count_only_for_its_members(world):
    kai, pedro = world.convenor, world.moderator  # Kai is in the group; Pedro moderates only
    assert series(kai, world.network)["questions"][-1] == 5
    assert series(pedro, world.network)["questions"][-1] == 4
    assert waiting_titles(pedro, world.network) == ["Uruguay question 4"]
    assert questions_section(pedro, world.network)["waiting_count"] == 1
    page = sign_in(pedro).get(reverse("insights:dashboard", args=[world.network.slug]))
    assert "Group question" not in page.content.decode()
    assert "Group question" not in str(csv_rows(pedro, world.network))
    # Kai answers the group's question an hour after it was asked: only Kai's figures move.
    answer(kai, world.questions["group"], hours_later=1)
    assert questions_section(kai, world.network)["median"] == "10\xa0hours"  # 1, 2, 10, 20, 30
    assert questions_section(pedro, world.network)["median"] == "15\xa0hours"
    assert series(kai, world.network)["answers"][-1] == 8
    assert series(pedro, world.network)["answers"][-1] == 7
    # Dora's group question counts for Denmark only for Kai.
    assert access.questions_by_country(kai, world.network).filter(author=world.dane).count() == 1
    assert not access.questions_by_country(pedro, world.network).filter(author=world.dane).exists()


def test_participation_counts_questions_asked_and_answers_given(world):
    by_country = countries(world.convenor, world.network)
    assert by_country["UY"].questions.value == 4  # three named, one under its country
    assert by_country["PT"].answers.value == 3
    assert by_country["DK"].answers.value is None  # Dora's one answer: fewer than 3
    assert by_country["PT"].questions.value is None
    rows = csv_rows(world.convenor, world.network)
    by_country = {(row[1], row[2]): row[3] for row in rows if row[0].startswith("Participation")}
    assert by_country[("Uruguay", "Questions asked")] == "4"
    assert by_country[("Portugal", "Answers given")] == "3"
    assert by_country[("Denmark", "Answers given")] == "fewer than 3"
    html = (
        sign_in(world.convenor)
        .get(reverse("insights:dashboard", args=[world.network.slug]))
        .content.decode()
    )
    assert '<th scope="col" class="numeric">Questions asked</th>' in html
    denmark = html.split('<th scope="row">Denmark</th>', 1)[1].split("</tr>", 1)[0]
    assert ">1<" not in denmark


def test_a_country_that_only_asks_or_answers_took_part(world):
    canada = official("chris@canada.ca", "CA", "Chris Roy")
    Membership.objects.create(user=canada, network=world.network)
    answer(canada, world.questions["waiting"], hours_later=3)
    entry = countries(world.convenor, world.network)["CA"]
    assert entry.answers.value is None  # one: fewer than 3, but not nothing
    assert entry.contributed


def test_chatham_house_questions_and_answers_count_in_totals_never_for_their_country(world):
    kai = world.convenor
    # Kai asked under the Chatham House rule: counted, but never as Estonia's.
    assert world.questions["chatham"] in access.counted_questions(kai, world.network)
    estonia = countries(kai, world.network)["EE"]
    assert estonia.questions.value is None
    assert not estonia.contributed
    assert not access.questions_by_country(kai, world.network).filter(author=kai).exists()
    # Uruguay's three answers to it count in the totals only: Bruno's reply is Uruguay's one.
    uruguay = [user.pk for user in world.uruguayans]
    assert access.counted_answers(kai, world.network).filter(author__in=uruguay).count() == 4
    assert access.answers_by_country(kai, world.network).filter(author__in=uruguay).count() == 1
    assert countries(kai, world.network)["UY"].answers.value is None
    # Three more Uruguayan answers to it still do not count for Uruguay.
    for author in world.uruguayans:
        answer(author, world.questions["chatham"], hours_later=40)
    assert countries(kai, world.network)["UY"].answers.value is None
    assert series(kai, world.network)["answers"][-1] == 7 + 3


def test_an_answer_given_under_the_chatham_house_rule_is_not_told_by_country(world):
    pedros = Answer.objects.filter(author=world.moderator)
    pedros.filter(question=world.questions["uruguay_2"]).update(attribution=Attribution.CHATHAM)
    entry = countries(world.convenor, world.network)["PT"]
    assert entry.answers.value is None  # two of Pedro's three answers still show Portugal
    assert series(world.convenor, world.network)["answers"][-1] == 7


def test_a_former_members_questions_and_answers_are_not_told_by_country(world):
    User.objects.filter(pk=world.moderator.pk).update(deactivated_at=timezone.now())
    User.objects.filter(pk=world.uruguayans[0].pk).update(deactivated_at=timezone.now())
    by_country = countries(world.convenor, world.network)
    assert by_country["PT"].answers.value is None
    assert by_country["UY"].questions.value is None  # Ana's two no longer count for Uruguay
    assert series(world.convenor, world.network)["answers"][-1] == 7


@pytest.mark.parametrize("hours", [0.5, 49])
def test_the_median_is_said_in_words(world, hours):
    Answer.objects.filter(question__network=world.network).update(is_hidden=True)
    answer(world.moderator, world.questions["uruguay_2"], hours_later=hours)
    median = questions_section(world.convenor, world.network)["median"]
    assert median == {0.5: "30\xa0minutes", 49: "2\xa0days, 1\xa0hour"}[hours]
