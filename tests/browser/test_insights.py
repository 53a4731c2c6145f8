"""The demo convenor opens Digital Nations' insights from its home, in Chromium: after an
official of Uruguay asked the network and an Estonian official answered, the dashboard shows the
questions and both countries' part in them."""

import pytest
from playwright.sync_api import expect

from networks.models import Attribution
from questions import services as questions
from tests.browser.axe import assert_accessible
from tests.browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ASKED = [
    "Paper forms alongside digital ones: when did you stop?",
    "Who signs off a cloud migration in your government?",
    "How long did your e-invoicing pilot run?",
]


def ask_and_answer(demo):
    """Lucía (Uruguay) asks three questions, named; Kadri (Estonia) answers each, named."""
    for title in ASKED:
        question = questions.question_ask(
            acting_user=demo.member,
            network=demo.digital_nations,
            title=title,
            body="What happened, and what would you do again?",
            attribution=Attribution.NAMED,
        )
        questions.answer_post(
            acting_user=demo.convenor,
            question=question,
            body="We did it in two steps; ask me for the plan.",
            attribution=Attribution.NAMED,
        )


def test_the_convenor_sees_which_countries_took_part(page, live_server, demo):
    ask_and_answer(demo)
    sign_in(page, live_server, demo.convenor.email, demo.password, totp_secret=demo.totp_secret)
    page.goto(live_server.url + "/networks/digital-nations/")
    page.get_by_role("link", name="Network insights").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Network insights")
    assert_accessible(page)

    expect(page.get_by_role("img", name="Lessons published")).to_be_visible()
    expect(page.get_by_role("table", name="Lessons published")).to_be_visible()
    participation = page.get_by_role("region", name="Participation by member country")
    for country in ("Estonia", "Uruguay"):
        row = participation.get_by_role("row").filter(
            has=page.get_by_role("rowheader", name=country, exact=True)
        )
        expect(row).to_contain_text("Contributed")
    canada = participation.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Canada", exact=True)
    )
    expect(canada).to_contain_text("Did not contribute")
    expect(canada).to_contain_text("fewer than 3")
    # Columns: lessons, comments, endorsements, questions asked, answers given, participation.
    uruguay = participation.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Uruguay", exact=True)
    )
    expect(uruguay.get_by_role("cell").nth(3)).to_have_text("3")
    estonia = participation.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Estonia", exact=True)
    )
    expect(estonia.get_by_role("cell").nth(4)).to_have_text("3")
    expect(participation.get_by_role("columnheader", name="Questions asked")).to_be_visible()
    expect(participation.get_by_role("columnheader", name="Answers given")).to_be_visible()

    asked = page.get_by_role("region", name="Questions and answers")
    expect(asked.get_by_role("img", name="Questions asked")).to_be_visible()
    expect(asked.get_by_role("table", name="Answers given")).to_be_visible()
    expect(asked.get_by_text("Median time to first answer")).to_be_visible()
    # The demo's questions nobody answered yet, the working group's among them (Kadri is in it).
    waiting = asked.get_by_role("link")
    expect(waiting).to_have_text(
        [
            "Wallet certification labs: who tested yours?",
            "Cloud exit clauses: did yours hold when you needed them?",
        ]
    )

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the figures (CSV)").click()
    assert download.value.suggested_filename.startswith("digital-nations-insights-")

    waiting.first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Wallet certification labs: who tested yours?"
    )
