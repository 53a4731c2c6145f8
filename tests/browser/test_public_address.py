"""A lesson's own address, shared in an email or a report, opened by a visitor in Chromium."""

import pytest
from playwright.sync_api import expect

from lessons.models import Lesson
from tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_opening_a_public_lessons_address_reads_it_and_downloads_its_file(
    page, live_server, demo
):
    lesson = Lesson.objects.get(title__startswith="Digital identity wallet")  # public, named
    attachment = lesson.attachments.get()
    page.goto(live_server.url + lesson.get_absolute_url())
    expect(page).to_have_url(live_server.url + lesson.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(lesson.title)
    expect(page.get_by_role("heading", name="Attachments")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name=attachment.original_name).click()
    assert download_info.value.suggested_filename == attachment.original_name
    # Nothing of the conversation: the public page holds no form and no comment.
    expect(page.locator("main form")).to_have_count(0)


def test_visitor_opening_a_private_lessons_address_is_asked_to_sign_in(page, live_server, demo):
    lesson = Lesson.objects.get(title__startswith="AI chatbot for tax questions")  # network only
    page.goto(live_server.url + lesson.get_absolute_url())
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next={lesson.get_absolute_url()}")
    expect(page.get_by_text(lesson.title)).to_have_count(0)
    assert_accessible(page)
