"""A form sent back with errors, in a real Chromium: focus on the error summary, "Error:" first in
the title, each summary item names its field and links to it, and no message is printed twice."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lesson_form_errors_take_focus_name_their_fields_and_link_to_them(page, live_server, demo):
    sign_in(page, live_server, demo.member.email, demo.password)
    page.goto(live_server.url + f"/lessons/new/?network={demo.digital_nations.slug}")
    page.get_by_label("Summary").fill("Kept as typed.")
    page.get_by_role("button", name=re.compile("^(Publish|Submit for review)$")).click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    links = summary.get_by_role("link")
    assert links.count() >= 1
    first = links.first
    expect(first).to_contain_text("Title: ")
    assert first.get_attribute("href") == "#id_title"
    first.click()
    expect(page.get_by_label("Title", exact=True)).to_be_focused()
    expect(page.get_by_label("Summary")).to_have_value("Kept as typed.")
    for index in range(links.count()):
        target = links.nth(index).get_attribute("href")
        assert page.locator(target).count() == 1, f"{target} names no single element"
    assert_accessible(page)


def test_a_non_field_error_is_printed_once_and_the_title_says_error(page, live_server):
    page.goto(live_server.url + "/accounts/login/")
    expect(page).not_to_have_title(re.compile("Error"))
    page.get_by_label("Email").fill("nobody@gov.pt")
    page.get_by_label("Password").fill("wrong password here")
    page.get_by_role("button", name="Sign in", exact=True).click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    message = summary.locator("li").first.inner_text()
    assert page.locator("main").inner_text().count(message) == 1
    assert_accessible(page)


def test_french_title_says_error_in_french(page, live_server):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Language of Minilateral").select_option("fr")
    page.get_by_role("button", name="Change language").click()
    page.locator("#id_login").fill("nobody@gov.pt")
    page.locator("#id_password").fill("wrong password here")
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_title(re.compile("^Erreur\u00a0: "))
