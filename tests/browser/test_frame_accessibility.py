"""The landing and sign-in pages in a real Chromium, checked by axe against WCAG 2.2 AA."""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_landing_page_is_accessible_and_leads_to_sign_in(page, live_server):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("What worked")
    assert_accessible(page)
    page.get_by_role("main").get_by_role("link", name="Sign in").click()
    expect(page).to_have_url(live_server.url + "/accounts/login/")
    assert_accessible(page)


def test_sign_in_page_with_errors_is_accessible(page, live_server):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill("nobody@gov.pt")
    page.get_by_label("Password").fill("wrong password here")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    expect(page.get_by_label("Email")).to_have_value("nobody@gov.pt")
    assert_accessible(page)


def test_skip_link_moves_focus_to_main_content(page, live_server):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_error_page_is_accessible(page, live_server):
    response = page.goto(live_server.url + "/no/such/page/")
    assert response.status == 404
    assert_accessible(page)


def test_pages_fit_a_320_pixel_wide_screen(page, live_server):
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ["/", "/accounts/login/"]:
        page.goto(live_server.url + path)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= 320, f"{path} scrolls sideways at 320 px ({scroll_width} px)"
        assert_accessible(page)


def test_an_expired_form_says_so_and_is_accessible(page, live_server):
    page.goto(live_server.url + "/accounts/login/")
    page.context.clear_cookies()  # as when the session ends in another tab
    page.get_by_label("Email").fill("nobody@gov.pt")
    page.get_by_label("Password").fill("wrong password here")
    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        page.get_by_role("button", name="Sign in", exact=True).click()
    assert answer.value.status == 403
    expect(page.get_by_role("heading", level=1)).to_contain_text("the page had expired")
    assert_accessible(page)


def test_visitor_changes_the_language_in_the_footer(page, live_server):
    page.goto(live_server.url + "/public/lessons/")
    switcher = page.get_by_label("Language of Minilateral")
    switcher.select_option("fr")
    page.get_by_role("button", name="Change language").click()
    expect(page).to_have_url(live_server.url + "/public/lessons/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("button", name="Changer de langue")).to_be_visible()
    expect(page.get_by_label("Langue de Minilateral")).to_have_value("fr")
    assert_accessible(page)
