"""The lesson form in parts an author can follow, in a real Chromium: headed parts, a list of
which are done, a draft saved at any point; files managed beside the form, not on the reading
page; and the reading page's facts beside the story on a wide screen."""

import pytest
from playwright.sync_api import expect

from demo.lessons import DEMO_PDF
from lessons.models import Lesson
from tests.browser.axe import assert_accessible
from tests.browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARTS = [
    "The lesson in brief",
    "The context",
    "What happened",
    "What worked and what didn’t",
    "For peers",
    "Sharing",
]


def part_states(page):
    parts = page.get_by_role("navigation", name="Parts of the lesson").get_by_role("listitem")
    return {
        item.get_by_role("link").inner_text(): item.locator(".state-tag").inner_text()
        for item in parts.all()
    }


def test_lesson_form_is_in_headed_parts_says_which_are_done_and_saves_a_draft_any_time(
    page, live_server, demo
):
    sign_in(page, live_server, demo.member.email, demo.password)
    page.goto(live_server.url + f"/lessons/new/?network={demo.digital_nations.slug}")
    for part in PARTS:
        expect(page.get_by_role("group", name=part, exact=True)).to_be_visible()
    states = part_states(page)
    assert list(states) == PARTS
    assert states["The lesson in brief"] == "not yet"
    assert_accessible(page)

    page.get_by_label("Title", exact=True).fill("Half-told lesson")
    page.get_by_label("Summary").fill("Only the start, saved to finish later.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Your draft is saved")).to_be_visible()
    lesson = Lesson.objects.get(title="Half-told lesson")
    assert lesson.state == Lesson.State.DRAFT
    assert not lesson.worked

    page.goto(live_server.url + f"/lessons/{lesson.pk}/edit/")
    states = part_states(page)
    assert states["The lesson in brief"] == "done"
    assert states["What worked and what didn’t"] == "not yet"
    page.get_by_role("link", name="What worked and what didn’t").click()
    expect(page).to_have_url(live_server.url + f"/lessons/{lesson.pk}/edit/#part-results")
    assert_accessible(page)


def test_files_are_managed_beside_the_form_and_only_listed_on_the_reading_page(
    page, live_server, demo, tmp_path
):
    lesson = Lesson.objects.filter(author=demo.member, state=Lesson.State.PUBLISHED).first()
    sign_in(page, live_server, demo.member.email, demo.password)
    page.goto(live_server.url + lesson.get_absolute_url())
    expect(page.locator("main input[type=file]")).to_have_count(0)
    page.get_by_role("link", name="Manage attachments").click()
    expect(page.get_by_role("heading", name="Manage attachments")).to_be_visible()
    report = tmp_path / "rollout-report.pdf"
    report.write_bytes(DEMO_PDF)
    page.locator("#attachments input[type=file]").set_input_files(str(report))
    page.get_by_role("button", name="Attach the file").click()
    expect(page.get_by_text("The file is attached")).to_be_visible()
    assert page.url.endswith(f"/lessons/{lesson.pk}/edit/#attachments")
    expect(
        page.locator("#attachments").get_by_role("link", name="rollout-report.pdf")
    ).to_be_visible()
    assert_accessible(page)

    page.goto(live_server.url + lesson.get_absolute_url())
    expect(page.get_by_role("link", name="rollout-report.pdf")).to_be_visible()
    expect(page.get_by_role("button", name="Remove rollout-report.pdf")).to_have_count(0)


def test_lesson_facts_sit_beside_the_story_on_a_wide_screen_and_below_on_a_phone(
    page, live_server, demo
):
    lesson = Lesson.objects.filter(author=demo.member, state=Lesson.State.PUBLISHED).first()
    sign_in(page, live_server, demo.member.email, demo.password)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + lesson.get_absolute_url())
    facts = page.get_by_role("complementary", name="About this lesson")
    expect(facts).to_contain_text("Country")
    expect(facts).to_contain_text("Outcome")
    story = page.locator(".lesson-layout__story")
    facts_box, story_box = facts.bounding_box(), story.bounding_box()
    assert facts_box["x"] > story_box["x"] + story_box["width"] - 1, "the facts are not beside"
    assert facts_box["y"] < story_box["y"] + 200
    assert_accessible(page)

    page.set_viewport_size({"width": 320, "height": 640})
    facts_box, story_box = facts.bounding_box(), story.bounding_box()
    assert facts_box["y"] + facts_box["height"] <= story_box["y"] + 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)
