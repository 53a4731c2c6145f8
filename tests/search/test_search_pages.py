"""The search page, the header's search box and saved searches, through the test client."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from discussion import services as discussion
from networks.models import Attribution
from search import params as search_params
from search import services as search_services
from search.models import SavedSearch

NASTY = [
    "",
    " ",
    '"unbalanced quote',
    'two "unbalanced" quotes"',
    "-",
    "--",
    "- - -",
    "OR",
    "OR OR",
    "wallet OR",
    "OR wallet OR",
    "!!!",
    "()[]{}<>",
    "&|!:*",
    "'",
    "\\",
    "a:*",
    "x" * 5000,
    "wallet " * 1000,
    "wal\x00let",
    "\x00",
    "\x01\x02\x1f",
    "😀",
    "🇺🇾 wallet 🔥",
    "'; DROP TABLE lessons_lesson; --",
    "' OR '1'='1",
    "1; SELECT pg_sleep(10)",
    "%s %(name)s {0}",
    "<script>alert(1)</script>",
    "ــــ",
    "ÿ" * 300,
    "the and of",
    "e",
]


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def get_search(client, **params):
    return client.get(reverse("search:page"), params)


@pytest.mark.parametrize("query", NASTY, ids=range(len(NASTY)))
def test_any_query_gets_a_helpful_page_never_an_error(demo, query):
    response = get_search(client_for(demo.member), q=query, page="x", sort="'")
    page = response.content.decode()
    if "\x00" in query:  # no text holds it: refused for every page alike (tests/test_bad_input)
        assert response.status_code == 400
        assert "not text" in page
        return
    assert response.status_code == 200
    assert 'id="search-q"' in page
    assert "<script>alert" not in page
    if not search_params.clean_query(query)[0]:
        assert "lessons you can read" in page  # an empty query browses every readable lesson


def test_a_query_without_words_says_so(demo):
    page = get_search(client_for(demo.member), q="- !! ()").content.decode()
    assert "There were no words to search for" in page
    assert "Search tips" in page


def test_a_long_query_says_only_its_start_was_searched(demo):
    page = get_search(client_for(demo.member), q="wallet " * 100).content.decode()
    assert "only its first 200 characters were searched" in page
    assert "Digital identity <mark>wallet</mark>" in page


def test_results_page_shows_highlights_attribution_network_and_facets(demo, write_lesson):
    write_lesson(
        author=demo.moderator,
        audience="all_networks",
        attribution=Attribution.COUNTRY,
        title="Tollbooth payments by phone",
        organisation="Agência Secreta Lusitana",
    )
    write_lesson(
        author=demo.convenor,
        audience="all_networks",
        attribution=Attribution.CHATHAM,
        title="Tollbooth queues",
    )
    page = get_search(client_for(demo.outsider), q="tollbooth").content.decode()
    results = re.search(r'<ol class="lesson-list search-results".*?</ol>', page, re.S).group()
    assert results.count('<li class="lesson-card"') == 2
    assert "<mark>Tollbooth</mark> payments by phone" in results
    assert "an official of Portugal" in results
    assert "another network" in results  # the country-attributed one
    assert "a member of Digital Nations" in results
    for hidden in ("João", "Kadri", "Estonia", "Lusitana"):
        assert hidden not in results, hidden
    facets = re.search(r'<form[^>]*class="filters facets".*?</form>', page, re.S).group()
    assert facets.count("<fieldset") == facets.count("<legend>") > 3
    assert 'name="country" value="PT"' in facets
    assert 'value="EE"' not in facets  # Kadri's lesson is under the Chatham House rule


def test_language_facet_offers_each_language_with_its_count_and_filters(demo, write_lesson):
    write_lesson(title="Tollbooth payments by phone")
    write_lesson(title="Les péages payés par téléphone, tollbooth", language="fr")
    client = client_for(demo.member)
    page = get_search(client, q="tollbooth").content.decode()
    facets = re.search(r'<form[^>]*class="filters facets".*?</form>', page, re.S).group()
    language = re.search(r"<legend>Language</legend>.*?</fieldset>", facets, re.S).group()
    options = re.findall(
        r'name="language" value="(\w+)">\s*<label[^>]*>(\w+) <span class="count">\((\d+)\)',
        language,
    )
    assert sorted(options) == [("en", "English", "1"), ("fr", "French", "1")]
    page = get_search(client, q="tollbooth", language="fr").content.decode()
    results = re.search(r'<ol class="lesson-list search-results".*?</ol>', page, re.S).group()
    assert results.count('<li class="lesson-card"') == 1
    assert "téléphone" in results
    assert 'name="language" value="fr" checked' in page
    # The French lesson's words are marked as French; the English reader is told its language.
    assert '<h3 lang="fr" class="heading-s lesson-card__title">' in results
    assert '<p class="search-snippet" lang="fr">' in results
    assert "· In French" in results


def test_no_results_page_offers_tips_and_a_suggestion(demo):
    page = get_search(client_for(demo.member), q="walet").content.decode()
    assert "No lesson you can read matches this search." in page
    assert 'Did you mean <a href="/search/?q=wallet">wallet</a>?' in page


def test_filters_combine_and_can_be_cleared(demo):
    response = get_search(
        client_for(demo.member), q="digital", technology="digital-identity", stage="at_scale"
    )
    page = response.content.decode()
    assert 'value="digital-identity" checked' in page
    assert 'value="at_scale" checked' in page
    assert 'href="/search/?q=digital">Clear filters' in page


def test_suspended_member_loses_results_on_the_next_request(demo, write_lesson):
    write_lesson(author=demo.group_member, title="Lighthouse keeping")
    client = client_for(demo.member)
    assert "<mark>Lighthouse</mark> keeping" in get_search(client, q="lighthouse").content.decode()
    demo.member.memberships.update(state="suspended")
    page = get_search(client, q="lighthouse").content.decode()
    assert "keeping" not in page
    assert "0 lessons found" in page


def test_header_has_a_search_box_for_officials_only(demo):
    anonymous = Client().get(reverse("home")).content.decode()
    assert 'action="/search/"' not in anonymous
    page = client_for(demo.member).get(reverse("lessons:mine")).content.decode()
    assert re.search(r'<form method="get" action="/search/" role="search"', page)
    assert '<label for="site-search-q"' in page
    search_page = get_search(client_for(demo.member), q="wallet").content.decode()
    assert 'id="site-search-q"' not in search_page  # the page's own form is the search form
    assert Client().get(reverse("search:page")).status_code == 302


# Saved searches


def test_an_official_saves_lists_runs_and_deletes_a_search(demo):
    client = client_for(demo.member)
    response = client.post(
        reverse("search:saved_searches"),
        {"q": "digital identity", "stage": "at_scale", "name": "  Wallets  "},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("search:saved_searches")
    saved = SavedSearch.objects.get(owner=demo.member)
    assert saved.name == "Wallets"
    assert saved.query == {"q": "digital identity", "filters": {"stage": ["at_scale"]}, "sort": ""}
    listing = client.get(reverse("search:saved_searches")).content.decode()
    assert saved.get_absolute_url() == "/search/?q=digital+identity&stage=at_scale"
    assert 'href="/search/?q=digital+identity&amp;stage=at_scale"' in listing
    assert client.get(saved.get_absolute_url()).status_code == 200
    response = client.post(reverse("search:saved_search_delete", args=[saved.pk]))
    assert response.status_code == 302
    assert not SavedSearch.objects.filter(pk=saved.pk).exists()


def test_saving_an_empty_search_is_refused_with_a_message(demo):
    client = client_for(demo.member)
    response = client.post(reverse("search:saved_searches"), {"q": "  "}, follow=True)
    assert "Search for something" in response.content.decode()
    assert not SavedSearch.objects.exists()


def test_someone_elses_saved_search_does_not_exist(demo):
    theirs = search_services.saved_search_create(
        acting_user=demo.outsider, params=search_params.SearchParams.from_query({"q": "payments"})
    )
    client = client_for(demo.member)
    assert client.post(reverse("search:saved_search_delete", args=[theirs.pk])).status_code == 404
    assert "payments" not in client.get(reverse("search:saved_searches")).content.decode()
    assert SavedSearch.objects.filter(pk=theirs.pk).exists()


def test_comments_tab_lists_the_discussions_matches_only_to_those_inside(demo, write_lesson):
    lesson = write_lesson(author=demo.member, title="Kiosk enrolment", audience="all_networks")
    comment = discussion.comment_create(
        acting_user=demo.moderator, lesson=lesson, body="The **kiosks** jammed on rainy days."
    ).comment
    member_page = get_search(client_for(demo.member), q="kiosk").content.decode()
    assert "Comments in your discussions (1)" in member_page
    comments_page = get_search(client_for(demo.member), q="kiosk", **{"in": "comments"})
    html = comments_page.content.decode()
    assert 'aria-current="page">Comments in your discussions (1)' in html
    assert f'href="{comment.get_absolute_url()}"' in html
    assert "<mark>kiosks</mark> jammed on rainy days" in html
    assert "João Silva" in html  # inside the home space, members see who wrote what

    outsider = get_search(client_for(demo.outsider), q="kiosk", **{"in": "comments"})
    html = outsider.content.decode()
    assert "Comments in your discussions (0)" in html
    assert "rainy" not in html
    assert "No comment you can see matches this search." in html
