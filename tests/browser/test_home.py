"""The official's home in a real Chromium: signing in leads to it, its sections show what waits
for the official, and following one of its links reaches the question. axe checks each page."""

import pytest
from playwright.sync_api import expect

from networks.models import Attribution
from questions import services as questions
from tests.browser.axe import assert_accessible
from tests.browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_signs_in_to_their_home_and_opens_a_waiting_question(page, live_server, demo):
    question = questions.question_ask(
        acting_user=demo.convenor,
        network=demo.digital_nations,
        title="Who has moved identity cards into a wallet?",
        body="We start next year. What broke?",
        attribution=Attribution.CHATHAM,
    )
    sign_in(page, live_server, demo.member.email, demo.password)
    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("The life of your networks")
    for heading in (
        "Waiting for an answer from Uruguay",
        "Discussions you follow",
        "Your working groups",
        "Featured by moderators",
        "What Uruguay has been asked",
        "Your networks",
    ):
        expect(page.get_by_role("heading", level=2, name=heading)).to_be_visible()
    waiting = page.get_by_role("region", name="Waiting for an answer from Uruguay")
    expect(waiting.get_by_role("link", name=question.title)).to_be_visible()
    expect(page.get_by_role("region", name="What Uruguay has been asked")).to_contain_text(
        "No other question has been asked of Uruguay."
    )
    assert_accessible(page)

    waiting.get_by_role("link", name=question.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(question.title)
    assert_accessible(page)
