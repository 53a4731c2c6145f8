"""Asking the network in a real Chromium: an official of Uruguay asks Digital Nations a
question, an Estonian official answers it, the asker marks the answer helpful and turns the
question into a lesson draft. axe checks every page visited."""

import pytest
from playwright.sync_api import expect

from questions.models import Question
from tests.browser.axe import assert_accessible
from tests.browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Paper forms alongside digital ones: when did you stop?"


def test_ask_answer_mark_helpful_and_turn_into_a_lesson_draft(page, browser, live_server, demo):
    sign_in(page, live_server, demo.member.email, demo.password)
    page.goto(live_server.url + demo.digital_nations.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("link", name="Ask the network").click()
    assert_accessible(page)

    # Nothing typed is lost when the title is missing.
    page.get_by_label("What you would like to know").fill(
        "We still print **every** form. When did you stop, and who objected?"
    )
    page.get_by_role("button", name="Ask", exact=True).click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    expect(page.get_by_role("link", name="Give your question a title.")).to_be_visible()
    expect(page.get_by_label("What you would like to know")).to_have_value(
        "We still print **every** form. When did you stop, and who objected?"
    )
    assert_accessible(page)
    page.get_by_label("Your question in one line").fill(TITLE)
    page.get_by_role("button", name="Ask", exact=True).click()
    expect(page.get_by_text("Your question is asked.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert_accessible(page)
    question_url = page.url

    estonia = browser.new_context(base_url=live_server.url)
    other = estonia.new_page()
    sign_in(other, live_server, demo.convenor.email, demo.password, totp_secret=demo.totp_secret)
    other.goto(question_url)
    expect(other.get_by_text("Asked by Lucía Pérez, Uruguay")).to_be_visible()
    expect(other.get_by_role("row", name="Estonia Not yet")).to_be_visible()
    assert_accessible(other)
    other.get_by_label("Your answer").fill("We stopped in 2019, after a year of **both**.")
    other.get_by_label("If this answer is quoted in a lesson").select_option("named")
    other.get_by_role("button", name="Post answer").click()
    expect(other.get_by_text("Your answer is posted.")).to_be_visible()
    expect(other.get_by_role("row", name="Estonia Answered")).to_be_visible()
    assert_accessible(other)
    estonia.close()

    page.goto(question_url)
    page.get_by_role("button", name="This helped the answer by Kadri Tamm").click()
    expect(page.get_by_text("Marked as helpful.")).to_be_visible()
    expect(page.get_by_text("Helped the asker")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Turn into a lesson draft").click()
    expect(page.get_by_text("Your lesson draft is ready")).to_be_visible()
    expect(page.get_by_label("Title", exact=True)).to_have_value(TITLE)
    expect(page.get_by_label("What happened")).to_contain_text("Kadri Tamm, Estonia")
    assert_accessible(page)
    question = Question.objects.get(title=TITLE)
    assert question.lesson is not None
    page.goto(live_server.url + question.lesson.get_absolute_url())
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    assert_accessible(page)
