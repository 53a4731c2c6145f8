"""Questions on the search page: found by their words in their own language, counted beside
lessons and filtered by facets only as far as each reader may see them; no title, text, asker
or count of a question reaches anyone outside its audience, and its answers are searched only
for readers inside its home space."""

import importlib
import re

import pytest
from django.db import connection
from django.urls import reverse

from networks import services as network_services
from networks.models import Attribution
from questions import access, index, services
from questions.models import Question
from tests.networks.conftest import membership, sign_in

WORD = "zanzibarcode"  # in no lesson, no demo question


def shown(question, page):
    """Whether the page links to the question (a result's title is highlighted, so split up)."""
    return f'href="{question.get_absolute_url()}"' in page


def search(user, **params):
    client = sign_in(user)
    return client.get(reverse("search:page"), params)


def questions_tab(user, q=WORD, **params):
    response = search(user, q=q, **{"in": "questions"}, **params)
    assert response.status_code == 200
    return response.content.decode()


def lessons_tab(user, q=WORD):
    response = search(user, q=q)
    assert response.status_code == 200
    return response.content.decode()


def test_a_member_finds_a_matching_question_and_its_count(demo, ask):
    question = ask(title=f"Who runs a {WORD} registry?", audience="network")
    page = lessons_tab(demo.convenor)
    assert "Questions (1)" in page
    assert not shown(question, page)  # the lessons tab lists lessons
    page = questions_tab(demo.convenor)
    assert "1 question found for" in page
    assert question.get_absolute_url() in page
    assert "<mark>" + WORD in page  # the title, highlighted
    assert "Lucía Pérez, Uruguay" in page  # inside the home space: the asker by name


@pytest.mark.parametrize("persona", ["outsider", "suspended"])
def test_outsiders_and_the_suspended_see_neither_title_nor_count(demo, ask, persona):
    question = ask(
        title=f"Secret {WORD} procurement",
        body=f"The {WORD} contract with Acme.",
        audience="network",
    )
    user = getattr(demo, persona)
    assert shown(question, questions_tab(demo.group_member))
    for page in (lessons_tab(user), questions_tab(user), questions_tab(user, q="")):
        assert not shown(question, page)
        assert "Secret" not in page
        assert "Acme" not in page
    assert "Questions (0)" in lessons_tab(user)
    assert "0 questions found for" in questions_tab(user)
    # Browsing every question they may see counts only those (the demo's, for all networks).
    visible = access.searchable_questions(user).count()
    assert f"Questions ({visible})" in questions_tab(user, q="")
    assert visible == access.searchable_questions(user).exclude(pk=question.pk).count()


def test_a_member_suspended_stops_finding_questions_from_the_next_request(demo, ask):
    question = ask(author=demo.convenor, title=f"A {WORD} question", audience="network")
    client = sign_in(demo.member)
    url = reverse("search:page") + f"?q={WORD}&in=questions"
    assert shown(question, client.get(url).content.decode())
    network_services.membership_suspend(
        acting_user=demo.convenor, membership=membership(demo.member, demo.digital_nations)
    )
    page = client.get(url).content.decode()
    assert not shown(question, page)
    assert "Questions (0)" in page


def test_a_visitor_gets_no_search_of_questions(demo, ask):
    question = ask(title=f"A {WORD} question", audience="all_networks")
    response = sign_in(None).get(reverse("search:page"), {"q": WORD, "in": "questions"})
    assert response.status_code == 302
    assert question.title not in response.content.decode()


def test_a_group_question_is_found_by_the_group_only(demo, ask, group):
    assert not group.members.filter(pk=demo.member.pk).exists()
    question = ask(author=demo.group_member, group=group, title=f"Group {WORD} question")
    assert shown(question, questions_tab(demo.group_member))
    assert shown(question, questions_tab(demo.moderator))  # moderators of its network
    for user in (demo.member, demo.outsider):
        page = questions_tab(user)
        assert not shown(question, page)
        assert "Questions (0)" in page
        assert "Digital identity" not in page  # not even a facet names the group


def test_a_chatham_house_question_shows_no_asker_outside_its_home_space(demo, ask):
    question = ask(
        title=f"Which {WORD} vendor?", audience="all_networks", attribution=Attribution.CHATHAM
    )
    outside = questions_tab(demo.outsider)
    assert shown(question, outside)
    assert "a member of Digital Nations" in outside
    for hidden in ("Lucía", "Pérez", "Uruguay"):
        assert hidden not in outside
    # Nor does a facet: the country facet counts it only where the asker's country is shown.
    assert 'name="country"' not in outside
    inside = questions_tab(demo.convenor)
    assert "Lucía Pérez, Uruguay" in inside


def test_answers_are_searched_only_inside_the_home_space(demo, ask):
    question = ask(title="Which wallet vendor?", audience="all_networks")
    services.answer_post(
        acting_user=demo.convenor, question=question, body=f"We used {WORD} and it held."
    )
    inside = questions_tab(demo.group_member)
    assert shown(question, inside)
    assert "1 answer" in inside
    snippets = re.findall(r'<p class="search-snippet"[^>]*>(.*?)</p>', inside, flags=re.S)
    assert snippets
    assert all(WORD not in snippet for snippet in snippets)  # no answer's text in a snippet
    outside = questions_tab(demo.outsider)
    assert not shown(question, outside)
    assert "Questions (0)" in outside


def test_questions_are_searched_in_their_own_language(demo, ask):
    question = ask(
        title="Portefeuilles d’identité numérique",
        body="Quels portefeuilles avez-vous certifiés ?",
        language="fr",
        audience="network",
    )
    assert shown(question, questions_tab(demo.convenor, q="portefeuille"))


def test_edits_and_answers_are_indexed_and_a_remembered_search_forgets(demo, ask):
    question = ask(title="Which wallet vendor?", audience="network")
    client = sign_in(demo.convenor)
    url = reverse("search:page") + f"?q={WORD}&in=questions"
    assert "Questions (0)" in client.get(url).content.decode()  # now remembered
    services.question_edit(
        acting_user=demo.member,
        question=question,
        title=f"Which {WORD} vendor?",
        body=question.body,
        tags=["digital identity"],
    )
    assert question.get_absolute_url() in client.get(url).content.decode()
    other = ask(title="Who hosts your registry?", audience="network")
    services.answer_post(acting_user=demo.convenor, question=other, body=f"{WORD}, in house.")
    assert other.get_absolute_url() in client.get(url).content.decode()


def test_question_facets_count_only_questions_the_reader_may_see(demo, ask, group):
    ask(title=f"First {WORD}", audience="network")
    ask(title=f"Second {WORD}", audience="network", policy_area=None)
    ask(author=demo.group_member, group=group, title=f"Group {WORD}")
    member = questions_tab(demo.member)
    assert 'Digital Nations <span class="count">(2)</span>' in member
    group_member = questions_tab(demo.group_member)
    assert 'Digital Nations <span class="count">(3)</span>' in group_member
    assert 'Digital identity <span class="count">(1)</span>' in group_member
    # Filtering keeps to the reader's questions too.
    filtered = questions_tab(demo.group_member, network="digital-nations", tag="digital identity")
    assert "3 questions found for" in filtered
    # A lesson-only filter is left out of the questions' link, and ignored by it.
    lessons = lessons_tab(demo.member)
    assert "Questions (2)" in lessons
    staged = search(demo.member, q=WORD, stage="pilot").content.decode()
    assert "Questions (2)" in staged
    assert f'href="/search/?q={WORD}&amp;in=questions"' in staged


def test_withdrawn_questions_are_not_found(demo, ask):
    question = ask(title=f"Withdrawn {WORD}", audience="network")
    services.question_withdraw(acting_user=demo.member, question=question)
    assert not shown(question, questions_tab(demo.member))
    assert not shown(question, questions_tab(demo.convenor))


def test_the_migration_indexes_questions_as_reindex_questions_does(demo, ask):
    question = ask(title="Portefeuilles", body="Quels **portefeuilles** ?", language="fr")
    services.answer_post(acting_user=demo.convenor, question=question, body="Le nôtre.")
    services.answer_post(acting_user=demo.moderator, question=question, body="Aussi.")
    index.reindex_questions()
    columns = ["search_config", "search_vector", "search_tags", "answers_vector"]
    fresh = list(Question.objects.order_by("pk").values_list("pk", *columns))
    Question.objects.update(search_config="", search_vector=None, answers_vector=None)
    migration = importlib.import_module("questions.migrations.0002_search")
    with connection.cursor() as cursor:
        cursor.execute(migration.BACKFILL)
    frozen = list(Question.objects.order_by("pk").values_list("pk", *columns))
    assert frozen == fresh
