"""The demo convenor opens Digital Nations' insights from its home, in Chromium."""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_convenor_sees_which_countries_took_part(page, live_server, demo):
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

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the figures (CSV)").click()
    assert download.value.suggested_filename.startswith("digital-nations-insights-")
