"""An official finds lessons by words, phrases and facets, in a real Chromium, with axe on the
search page in each of its states: results, no results, a suggestion, the empty search."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def results(page):
    return page.locator("ol.search-results > li")


def test_official_finds_lessons_by_words_phrases_and_facets(page, live_server, demo):
    sign_in(page, live_server, demo.member.email, demo.password)

    # From the header's search box, on any page.
    page.get_by_role("searchbox", name="Search lessons").fill("digital identity")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Search lessons")
    expect(page.get_by_role("heading", name="lessons found for “digital identity”")).to_be_visible()
    expect(results(page).first.locator("mark").first).to_be_visible()
    assert results(page).count() >= 2
    assert_accessible(page)

    # A facet narrows the results; its count says by how much beforehand.
    at_scale = page.get_by_role("group", name="Stage").get_by_label("At scale")
    count = int(at_scale.locator("xpath=..").locator(".count").inner_text().strip("()"))
    at_scale.check()
    page.get_by_role("button", name="Apply filters").click()
    expect(results(page)).to_have_count(count)
    expect(page.get_by_role("group", name="Stage").get_by_label("At scale")).to_be_checked()
    assert_accessible(page)

    # A phrase, in quotes; the filter is kept for the new words.
    page.get_by_label("Words to search for").fill('"trust came before features"')
    page.get_by_role("button", name="Search", exact=True).click()
    expect(results(page)).to_have_count(1)
    expect(results(page).locator("h3 mark")).to_have_text(["trust", "came", "features"])
    page.get_by_role("link", name="Clear filters").click()
    expect(page.get_by_role("group", name="Stage").get_by_label("At scale")).not_to_be_checked()

    # Sorted by the most endorsed, without JavaScript needed: a form and a button.
    page.get_by_label("Words to search for").fill("data OR cloud")
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_label("Sort by").select_option("endorsed")
    page.get_by_role("button", name="Sort", exact=True).click()
    expect(page).to_have_url(live_server.url + "/search/?q=data+OR+cloud&sort=endorsed")
    assert_accessible(page)

    # The lesson opens from its result.
    first = results(page).first.get_by_role("link")
    title = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_no_results_suggestion_and_empty_search_are_helpful_and_accessible(page, live_server, demo):
    sign_in(page, live_server, demo.member.email, demo.password)
    page.goto(live_server.url + "/search/?q=walet")
    expect(page.get_by_text("No lesson you can read matches this search.")).to_be_visible()
    expect(page.get_by_role("heading", name="Search tips")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="wallet", exact=True).click()  # "Did you mean wallet?"
    expect(results(page)).to_have_count(1)
    expect(results(page).locator("mark").first).to_have_text("wallet")

    page.goto(live_server.url + "/search/?q=xylophone+quarantine")
    expect(page.get_by_text("No lesson you can read matches this search.")).to_be_visible()
    assert_accessible(page)

    page.goto(live_server.url + "/search/")
    expect(page.get_by_role("heading", name="lessons you can read")).to_be_visible()
    page.get_by_text("How to search").click()
    expect(page.get_by_text("Put a phrase in quotes")).to_be_visible()
    assert_accessible(page)


def test_official_saves_a_search_and_deletes_it(page, live_server, demo):
    sign_in(page, live_server, demo.member.email, demo.password)
    page.goto(live_server.url + "/search/?q=consent")
    page.get_by_label("Name (optional)").fill("Consent screens")
    page.get_by_role("button", name="Save search").click()
    expect(page.get_by_text("Your search is saved.")).to_be_visible()
    expect(page.get_by_role("link", name="Consent screens")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Delete Consent screens").click()
    expect(page.get_by_text("The saved search is deleted.")).to_be_visible()
    expect(page.get_by_role("link", name="Consent screens")).to_have_count(0)


def test_official_finds_words_said_in_their_networks_discussions(page, live_server, demo):
    sign_in(page, live_server, demo.member.email, demo.password)
    page.goto(live_server.url + "/search/?q=exit")
    page.get_by_role("link", name="Comments in your discussions").click()
    expect(page.get_by_role("link", name="Comments in your discussions")).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.get_by_role("heading", name="comment found for “exit”")).to_be_visible()
    expect(results(page).first.locator("mark")).to_have_text("exit")
    assert_accessible(page)
    results(page).first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"#comment-\d+$"))
    expect(page.get_by_text("design the exit first")).to_be_visible()
