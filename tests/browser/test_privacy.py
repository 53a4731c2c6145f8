"""The retention page and the data download page in a real Chromium, with axe on each."""

import json

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.helpers import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_reads_the_retention_page_from_the_footer(page, live_server, demo):
    page.goto(live_server.url + "/")
    page.get_by_role("contentinfo").get_by_role("link", name="What we keep").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What we keep, and for how long")
    expect(page.get_by_role("rowheader", name="Withdrawn lessons")).to_be_visible()
    assert_accessible(page)


def test_official_downloads_their_data_from_the_account_page(page, live_server, demo):
    sign_in(page, live_server, demo.member.email, demo.password)
    page.goto(live_server.url + "/accounts/")
    page.get_by_role("link", name="Download your data").click()
    if "/reauthenticate/" in page.url:
        assert_accessible(page)
        page.get_by_label("Password").fill(demo.password)
        page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Download your data")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download my data").click()
    download = download_info.value
    with open(download.path(), encoding="utf-8") as stream:
        data = json.load(stream)
    assert data["profile"]["email"] == demo.member.email
