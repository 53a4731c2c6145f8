"""Aroha, suspended from Digital Nations, signs in and follows a link into the network, in
Chromium with axe on each page."""

import pytest
from playwright.sync_api import expect

from lessons.models import Lesson
from tests.browser.axe import assert_accessible
from tests.browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_suspended_official_is_told_of_her_suspension_and_whom_to_ask(page, live_server, demo):
    lesson = Lesson.objects.get(title__startswith="AI chatbot for tax questions")
    sign_in(page, live_server, demo.suspended.email, demo.password)
    page.goto(live_server.url + "/")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Your membership of Digital Nations is suspended since")
    expect(main.get_by_role("link", name=demo.convenor.display_name)).to_have_attribute(
        "href", f"mailto:{demo.convenor.email}"
    )
    expect(main).not_to_contain_text("You do not belong to a network yet")
    assert_accessible(page)
    page.goto(live_server.url + lesson.get_absolute_url())  # a link from an old email
    expect(page.get_by_role("heading", level=1)).to_have_text("Not available to you")
    expect(main).to_contain_text("Your membership of Digital Nations is suspended since")
    expect(main).not_to_contain_text(lesson.title)
    assert_accessible(page)
