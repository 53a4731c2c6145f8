"""Running a network in a real Chromium: inviting, approving a join request, suspending.

Everyone signs in through the real sign-in form (and the convenor through the TOTP step);
each managing action asks for a recent sign-in, as allauth's reauthentication does. axe checks
every page visited.
"""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from networks.models import Country, Invitation, JoinRequest, Membership, User
from tests.browser.axe import assert_accessible
from tests.browser.helpers import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NETWORK = "/networks/digital-nations/"


@pytest.fixture
def convenor_page(browser, live_server):
    """A second browser, for the convenor beside the official's."""
    context = browser.new_context(base_url=live_server.url)
    yield context.new_page()
    context.close()


def sign_in(page, live_server, email, password, totp_secret=None):
    page.goto(live_server.url + "/accounts/login/")
    assert_accessible(page)
    page.locator('input[name="login"]').fill(email)
    page.locator('input[name="password"]').fill(password)
    page.locator('input[name="password"]').press("Enter")
    if totp_secret is None:
        expect(page).not_to_have_url(re.compile("/accounts/"))  # signed in, not held at a step
        assert_accessible(page)
        return
    expect(page).to_have_url(re.compile("/accounts/2fa/authenticate/"))
    assert_accessible(page)
    for _attempt in range(2):
        page.locator('input[name="code"]').fill(totp_code(totp_secret))
        page.locator('input[name="code"]').press("Enter")
        page.wait_for_load_state()
        if "/accounts/2fa/authenticate/" not in page.url:
            assert_accessible(page)
            return
        time.sleep(30 - time.time() % 30 + 1)  # the code's window just ended: use the next one
    raise AssertionError("the TOTP step did not accept the code")


def confirm_recent_sign_in(page, password):
    """A managing action asks for the password again when the sign-in is not fresh; then the
    action goes through (allauth replays the POST: a form with errors shows at this URL)."""
    expect(page).to_have_url(re.compile("/accounts/reauthenticate/"))
    assert_accessible(page)
    page.get_by_label("Password").fill(password)
    page.get_by_label("Password").press("Enter")
    expect(page.get_by_role("heading", level=1)).not_to_have_text(re.compile("Confirm"))


def test_convenor_invites_a_pasted_list_and_sees_what_happened_to_each_address(
    page, live_server, demo
):
    sign_in(page, live_server, demo.convenor.email, demo.password, demo.totp_secret)
    page.goto(live_server.url + NETWORK)
    assert_accessible(page)
    page.get_by_role("link", name="Manage the network").click()
    assert_accessible(page)
    page.get_by_role("navigation", name="Managing the network").get_by_role(
        "link", name="Invitations"
    ).click()
    assert_accessible(page)

    page.get_by_label("Email addresses").fill(
        "Ana Costa <ana.costa@gov.pt>\nsomeone@gmail.com, not-an-address\nlucia.perez@gub.uy"
    )
    page.get_by_role("button", name="Send invitations").click()
    confirm_recent_sign_in(page, demo.password)

    expect(page).to_have_url(live_server.url + NETWORK + "manage/invitations/")
    expect(page.get_by_role("status")).to_contain_text("Invitations sent: 1 of 4 addresses.")
    report = page.get_by_role("table", name="One row for each address you pasted")
    expect(report.get_by_role("row", name="ana.costa@gov.pt")).to_contain_text("Invited")
    expect(report.get_by_role("row", name="someone@gmail.com")).to_contain_text(
        "not of a member country’s government"
    )
    expect(report.get_by_role("row", name="not-an-address")).to_contain_text("Not a valid")
    expect(report.get_by_role("row", name="lucia.perez@gub.uy")).to_contain_text("Already a member")
    expect(
        page.get_by_role("table", name="Invitations not yet accepted").get_by_role(
            "row", name="ana.costa@gov.pt"
        )
    ).to_be_visible()
    assert_accessible(page)
    assert list(Invitation.objects.values_list("email", flat=True)) == ["ana.costa@gov.pt"]


def test_official_asks_to_join_and_convenor_approves(page, live_server, demo, convenor_page):
    applicant = User.objects.create_user(
        "lars.nielsen@digst.dk",
        demo.password,
        full_name="Lars Nielsen",
        country=Country.objects.get(code="DK"),
    )
    EmailAddress.objects.create(user=applicant, email=applicant.email, verified=True, primary=True)
    sign_in(page, live_server, applicant.email, demo.password)
    page.goto(live_server.url + "/networks/directory/")
    assert_accessible(page)
    page.get_by_role("link", name="Ask to join Digital Nations").click()
    assert_accessible(page)
    page.get_by_label("A short message (optional)").fill("I lead Denmark's identity work.")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("status")).to_contain_text("Your request to join Digital Nations")
    assert_accessible(page)

    convenor = convenor_page
    sign_in(convenor, live_server, demo.convenor.email, demo.password, demo.totp_secret)
    convenor.goto(live_server.url + NETWORK)
    convenor.get_by_role("link", name="Requests to join").click()
    assert_accessible(convenor)
    row = convenor.get_by_role("row", name=re.compile("Lars Nielsen"))
    expect(row).to_contain_text("I lead Denmark's identity work.")
    row.get_by_role("button", name="Approve Lars Nielsen").click()
    confirm_recent_sign_in(convenor, demo.password)
    expect(convenor.get_by_role("status")).to_contain_text("Lars Nielsen is now a member.")
    expect(convenor.get_by_text("No request is waiting.")).to_be_visible()
    assert_accessible(convenor)
    assert JoinRequest.objects.get(user=applicant).state == JoinRequest.State.APPROVED

    page.goto(live_server.url + NETWORK)
    expect(page.get_by_role("heading", level=1)).to_have_text("Digital Nations")
    assert_accessible(page)


def test_suspended_member_gets_404_on_her_next_page(page, live_server, demo, convenor_page):
    sign_in(page, live_server, demo.member.email, demo.password)
    response = page.goto(live_server.url + NETWORK)
    assert response.status == 200
    assert_accessible(page)

    convenor = convenor_page
    sign_in(convenor, live_server, demo.convenor.email, demo.password, demo.totp_secret)
    convenor.goto(live_server.url + NETWORK + "manage/members/")
    assert_accessible(convenor)
    convenor.get_by_role("button", name="Suspend Lucía Pérez").click()
    confirm_recent_sign_in(convenor, demo.password)
    expect(convenor.get_by_role("status")).to_contain_text(
        "Lucía Pérez is suspended from the network."
    )
    expect(convenor.get_by_role("row", name=re.compile("Lucía Pérez"))).to_contain_text("Suspended")
    assert_accessible(convenor)
    assert (
        Membership.objects.get(user=demo.member, network=demo.digital_nations).state
        == Membership.State.SUSPENDED
    )

    response = page.reload()
    assert response.status == 404
    assert_accessible(page)


def test_every_network_page_passes_axe_for_the_convenor_and_a_group_member(
    page, live_server, demo, convenor_page
):
    from networks import services

    # Something on every page: an open invitation, a pending request, an audit trail.
    services.membership_invite(
        acting_user=demo.convenor, network=demo.digital_nations, email="ana.costa@gov.pt"
    )
    services.join_request_create(
        acting_user=User.objects.create_user(
            "lars.nielsen@digst.dk",
            full_name="Lars Nielsen",
            country=Country.objects.get(code="DK"),
        ),
        network=demo.digital_nations,
        message="Hello",
    )
    lucia = Membership.objects.get(user=demo.member, network=demo.digital_nations)
    sign_in(convenor_page, live_server, demo.convenor.email, demo.password, demo.totp_secret)
    for path in [
        "/networks/",
        "/networks/directory/",
        NETWORK,
        NETWORK + "groups/digital-identity/",
        NETWORK + "audit/",
        NETWORK + "audit/?action=invitation.create",
        NETWORK + "leave/",
        NETWORK + "manage/members/",
        NETWORK + f"manage/members/{lucia.pk}/remove/",
        NETWORK + "manage/invitations/",
        NETWORK + "manage/join-requests/",
        NETWORK + "manage/countries/",
        NETWORK + "manage/countries/MX/remove/",
        NETWORK + "manage/groups/",
        NETWORK + "manage/groups/digital-identity/",
        NETWORK + "manage/settings/",
    ]:
        response = convenor_page.goto(live_server.url + path)
        assert response.status == 200, path
        assert_accessible(convenor_page)

    # A form with errors: the summary, the fields, what was typed.
    convenor_page.goto(live_server.url + NETWORK + "manage/settings/")
    convenor_page.get_by_label("Purpose", exact=True).fill("")
    convenor_page.get_by_role("button", name="Save").click()
    confirm_recent_sign_in(convenor_page, demo.password)
    expect(convenor_page.get_by_role("alert")).to_contain_text("There is a problem")
    assert_accessible(convenor_page)
    # The replayed form still posts to its own page, and now the change goes through.
    convenor_page.get_by_label("Purpose", exact=True).fill("Digital governments, candidly.")
    convenor_page.get_by_role("button", name="Save").click()
    expect(convenor_page.get_by_role("status")).to_contain_text("are saved")
    assert_accessible(convenor_page)

    sign_in(page, live_server, demo.group_member.email, demo.password)
    for path in ["/networks/", NETWORK, NETWORK + "groups/digital-identity/"]:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert_accessible(page)
