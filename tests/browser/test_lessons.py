"""An official writes, previews, publishes, revises and a peer endorses, in a real Chromium."""

import pytest
from playwright.sync_api import expect

from lessons.models import Lesson
from tests.browser.axe import assert_accessible
from tests.browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECTIONS = {
    "What was intended": "Pay benefits within a day of approval.",
    "What happened": "Payments took a week because of batch files.",
    "What worked": "Real-time payments through the **national switch**.",
    "What didn’t work": "Banks without an API needed a year to join.",
    "Why": "The switch was mandatory; the APIs were not.",
    "Recommendations for peers": "Make API access a licence condition.",
    "Evidence": "Median time to payment fell from 7 days to 4 hours.",
    "Conditions for transfer": "Needs a national real-time payment switch.",
}


def test_write_preview_save_publish_edit_history_and_endorse(page, live_server, demo):
    sign_in(page, live_server, demo.member.email, demo.password)
    page.get_by_role("link", name="My lessons").click()
    assert_accessible(page)
    page.get_by_role("link", name="Write a lesson").click()
    assert_accessible(page)
    page.get_by_role("link", name="Digital Nations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Write a lesson")
    assert_accessible(page)

    page.get_by_label("Title").fill("Same-day benefit payments")
    page.get_by_label("Summary").fill("What it took to pay benefits the day they are approved.")
    page.get_by_label("Technology area").select_option(label="Payments")
    page.get_by_label("Stage").select_option(label="Scaling")
    page.get_by_label("Year").fill("2025")
    for label, text in SECTIONS.items():
        page.get_by_label(label, exact=True).fill(text)
    page.get_by_label("Tags").fill("payments, Social Protection")

    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Preview")).to_be_visible()
    expect(page.locator(".preview strong")).to_have_text("national switch")
    assert_accessible(page)
    assert not Lesson.objects.filter(title="Same-day benefit payments").exists()

    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Your draft is saved")).to_be_visible()
    assert_accessible(page)
    lesson = Lesson.objects.get(title="Same-day benefit payments")
    assert lesson.state == Lesson.State.DRAFT

    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Your lesson is published")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Edit").click()
    assert_accessible(page)
    page.get_by_label("What worked", exact=True).fill("Real-time payments through the switch.")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Same-day benefit payments")
    page.get_by_role("link", name="History").click()
    expect(page.locator("ins")).not_to_have_count(0)
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, demo.group_member.email, demo.password)
    page.goto(live_server.url + lesson.get_absolute_url())
    assert_accessible(page)
    page.get_by_label("We applied this").check()
    page.get_by_label("How did it turn out?").fill("Cut our payment time to a day.")
    page.get_by_role("button", name="Record or remove my endorsement").click()
    expect(page.get_by_text("A lesson learned: applied by 1 government")).to_be_visible()
    assert_accessible(page)


def test_network_lessons_and_public_pages_are_accessible(page, live_server, demo):
    page.goto(live_server.url + "/public/lessons/")
    assert_accessible(page)
    page.locator(".lesson-card a").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    sign_in(page, live_server, demo.member.email, demo.password)
    page.goto(live_server.url + "/networks/digital-nations/lessons/")
    assert_accessible(page)
    page.get_by_label("Sort by").select_option("endorsed")
    page.get_by_role("button", name="Apply filters").click()
    assert_accessible(page)
    page.locator(".lesson-card a").first.click()
    assert_accessible(page)
