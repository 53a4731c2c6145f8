"""Every page of the URL sweep at 320 CSS px (a phone, or 1280 px zoomed to 400 %): nothing
scrolls sideways (WCAG 1.4.10 Reflow) and axe finds nothing, as a member and as a visitor. The
header's menu is a disclosure button on phones and one line of navigation at 1280 px."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.helpers import sign_in
from tests.readable_pages import readable_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OVERFLOW = """() => {
  const root = document.documentElement;
  const wide = [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1)
    .filter((el) => !el.closest('.table-scroll, .visually-hidden, .skip-link'))
    .slice(0, 3).map((el) => el.tagName + '.' + el.className);
  return [root.scrollWidth, root.clientWidth, wide];
}"""


def _sideways(page, live_server, pages):
    too_wide = {}
    for name, path in pages:
        page.goto(live_server.url + path)
        scroll_width, client_width, culprits = page.evaluate(OVERFLOW)
        if scroll_width > client_width:
            too_wide[f"{name} {path}"] = (scroll_width, culprits)
        assert_accessible(page)
    return too_wide


def test_no_page_scrolls_sideways_at_320_px_for_a_member(page, live_server, demo):
    client = Client()
    client.force_login(demo.member)
    pages = readable_pages(client)
    assert len(pages) > 20
    sign_in(page, live_server, demo.member.email, demo.password)
    page.set_viewport_size({"width": 320, "height": 640})
    too_wide = _sideways(page, live_server, pages)
    assert not too_wide, f"pages wider than 320 px: {too_wide}"


def test_no_page_scrolls_sideways_at_320_px_for_a_visitor(page, live_server, demo):
    pages = readable_pages(Client())
    assert len(pages) > 3
    page.set_viewport_size({"width": 320, "height": 640})
    too_wide = _sideways(page, live_server, pages)
    assert not too_wide, f"pages wider than 320 px: {too_wide}"


def test_header_menu_is_a_disclosure_on_phones_and_one_line_at_1280(page, live_server, demo):
    sign_in(page, live_server, demo.member.email, demo.password)
    page.set_viewport_size({"width": 320, "height": 640})
    menu = page.get_by_role("button", name="Menu", exact=True)
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("link", name="My lessons")).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("link", name="My lessons")).to_be_visible()
    search = page.get_by_role("searchbox", name="Search lessons")
    expect(search).to_be_visible()
    assert search.get_attribute("placeholder")
    assert_accessible(page)
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "false")

    page.set_viewport_size({"width": 1280, "height": 800})
    page.reload()
    expect(page.get_by_role("button", name="Menu", exact=True)).to_be_hidden()
    tops = page.locator(".site-header__nav a, .site-header__nav button").evaluate_all(
        "(items) => items.map((item) => {"
        " const box = item.getBoundingClientRect(); return box.top + box.height / 2; })"
    )
    assert max(tops) - min(tops) <= 8, f"the header's navigation wraps at 1280 px: {tops}"
    assert_accessible(page)


def test_header_navigation_shows_stacked_without_javascript(page, browser, live_server, demo):
    sign_in(page, live_server, demo.member.email, demo.password)
    context = browser.new_context(
        java_script_enabled=False,
        viewport={"width": 320, "height": 640},
        storage_state=page.context.storage_state(),
    )
    plain = context.new_page()
    plain.goto(live_server.url + "/")
    expect(plain.get_by_role("link", name="My lessons")).to_be_visible()
    expect(plain.get_by_role("searchbox", name="Search lessons")).to_be_visible()
    expect(plain.get_by_role("button", name="Menu", exact=True)).to_be_hidden()
    width = plain.locator("html").evaluate("(root) => root.scrollWidth")
    assert width <= 320
    context.close()
