"""Officials sign in, sign up and set up MFA in a real Chromium, with axe on every page."""

import re

import pytest
from playwright.sync_api import expect

from networks import services
from networks.models import Membership, User
from tests.browser.axe import assert_accessible
from tests.browser.helpers import sign_in, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a quiet harbour at dawn"


def fill_signup(page, email, name="Ana Costa"):
    if email is not None:  # None: the invitation's address, which cannot be changed
        page.get_by_label("Email").fill(email)
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Job title").fill("Product lead")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()


def test_member_signs_in_and_sees_their_account(page, live_server, demo):
    sign_in(page, live_server, demo.member.email, demo.password)
    assert_accessible(page)
    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.get_by_text("AGESIC")).to_be_visible()
    assert_accessible(page)


def test_moderator_signs_in_with_a_totp_code(page, live_server, demo):
    sign_in(page, live_server, demo.moderator.email, demo.password, totp_secret=demo.totp_secret)
    page.goto(live_server.url + "/accounts/")
    expect(page.get_by_text("Two-factor authentication")).to_be_visible()
    assert_accessible(page)


def test_sign_up_with_a_government_domain_and_verify_by_email(page, live_server, demo, mailoutbox):
    page.goto(live_server.url + "/accounts/signup/")
    assert_accessible(page)
    fill_signup(page, "ana.costa@gov.pt")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verify")
    assert_accessible(page)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mailoutbox[-1].body).group(0)
    page.goto(live_server.url + "/accounts/confirm-email/" + link.split("/confirm-email/")[1])
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()
    sign_in(page, live_server, "ana.costa@gov.pt", PASSWORD)
    assert User.objects.get(email="ana.costa@gov.pt").country.code == "PT"


def test_sign_up_with_an_unknown_domain_is_refused_clearly(page, live_server, demo):
    page.goto(live_server.url + "/accounts/signup/")
    fill_signup(page, "someone@example.com")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Minilateral is for officials of member countries"
    )
    assert_accessible(page)
    assert not User.objects.filter(email="someone@example.com").exists()


def test_invitation_is_accepted_by_creating_the_account(page, live_server, demo):
    outcome = services.membership_invite(
        acting_user=demo.convenor, network=demo.digital_nations, email="rui.lopes@gov.pt"
    )
    token = "a-known-secret-for-this-browser-test"
    type(outcome.invitation).objects.filter(pk=outcome.invitation.pk).update(
        token_digest=services.token_digest(token)
    )
    page.goto(f"{live_server.url}/invitations/{token}/")
    expect(page.get_by_label("Email")).to_have_value("rui.lopes@gov.pt")
    expect(page.get_by_label("Email")).to_be_disabled()
    assert_accessible(page)
    fill_signup(page, None, name="Rui Lopes")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert_accessible(page)
    rui = User.objects.get(email="rui.lopes@gov.pt")
    assert Membership.objects.get(user=rui, network=demo.digital_nations).state == "active"


def test_newly_made_moderator_must_enrol_in_mfa(page, live_server, demo):
    sign_in(page, live_server, demo.member.email, demo.password)
    Membership.objects.filter(user=demo.member, network=demo.digital_nations).update(
        role=Membership.Role.MODERATOR
    )
    page.goto(live_server.url + "/accounts/")
    expect(page).to_have_url(live_server.url + "/accounts/2fa/required/")
    assert_accessible(page)
    page.get_by_role("link", name="An authenticator app").click()
    if "/reauthenticate/" in page.url:
        assert_accessible(page)
        page.get_by_label("Password").fill(demo.password)
        page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Activate authenticator app")
    assert_accessible(page)
    secret = page.get_by_label("Authenticator secret").input_value()
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    assert_accessible(page)
    page.goto(live_server.url + "/accounts/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")


def test_account_pages_are_accessible(page, live_server, demo):
    sign_in(page, live_server, demo.member.email, demo.password)
    for path in [
        "/accounts/profile/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/accounts/sessions/",
        f"/officials/{demo.group_member.pk}/",
    ]:
        page.goto(live_server.url + path)
        if "/reauthenticate/" in page.url:
            assert_accessible(page)
            page.get_by_label("Password").fill(demo.password)
            page.get_by_role("button", name="Confirm").click()
        assert_accessible(page)
