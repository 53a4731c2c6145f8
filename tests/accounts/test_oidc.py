"""Single sign-on through a government's OpenID Connect provider, end to end.

The provider is real: django-oauth-toolkit in OIDC mode (tests/oidc/), mounted beside the site
by the test URL configuration. allauth's openid_connect provider talks to it as to any other:
it fetches the discovery document, sends the browser to the authorization endpoint (PKCE,
S256), exchanges the code at the token endpoint over HTTP (client secret checked by the
provider), decodes the RS256 ID token and checks its issuer, audience and expiry, and fetches
userinfo. (allauth does not check the signature of an ID token it fetched itself from the token
endpoint, as OpenID Connect Core 3.1.3.7 allows over TLS; it checks signatures, against the
provider's JWKS, for tokens handed to it by a client.) Nothing of allauth is mocked.

One live server plays both parts under two host names: the site at http://localhost:PORT, the
provider at http://127.0.0.1:PORT. Browsers keep cookies per host (not per port), so the
official's Minilateral session and their session at the provider are separate, as they would
be in life: signing in at the provider does not sign anyone in to Minilateral.
"""

import json
import os
import re
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.db import connection
from playwright.sync_api import expect

from networks import services
from networks.models import Membership, User
from tests.browser.axe import assert_accessible
from tests.browser.helpers import totp_code
from tests.oidc import provider
from tests.test_project import run_python

PROVIDER_ID = "govid"
PROVIDER_NAME = "GovID"
CLIENT_SECRET = "a-client-secret-shared-by-minilateral-and-govid"
IDP_PASSWORD = "a password known to GovID only"


@pytest.fixture(scope="session")
def idp_private_key():
    return provider.private_key_pem()


@pytest.fixture
def govid(live_server, settings, idp_private_key):
    """GovID running, and registered with Minilateral as a Social application in the admin."""
    site_url = live_server.url
    idp_url = site_url.replace("://localhost:", "://127.0.0.1:")
    assert idp_url != site_url, "the provider needs a host name of its own"
    settings.ROOT_URLCONF = "tests.oidc.urls"
    settings.OAUTH2_PROVIDER = provider.identity_provider_settings(idp_private_key)
    provider.register_client(
        redirect_uri=f"{site_url}/accounts/oidc/{PROVIDER_ID}/login/callback/",
        client_secret=CLIENT_SECRET,
    )
    SocialApp.objects.create(
        provider="openid_connect",
        provider_id=PROVIDER_ID,
        name=PROVIDER_NAME,
        client_id=provider.CLIENT_ID,
        secret=CLIENT_SECRET,
        settings={"server_url": idp_url + "/o"},
    )
    yield SimpleNamespace(url=idp_url, site_url=site_url)
    provider.DIRECTORY.clear()


def govid_account(sign_in_email, *, vouches_for, verified=True, name=""):
    """An account at GovID, signed in to with one address, asserting another (or none)."""
    account = User.objects.create_user(sign_in_email, IDP_PASSWORD)
    provider.DIRECTORY[account.pk] = {
        "email": vouches_for,
        "email_verified": verified,
        "name": name,
    }
    return account


def on_site(govid, path=""):
    return re.compile("^" + re.escape(govid.site_url + path))


def on_govid(govid, path=""):
    return re.compile("^" + re.escape(govid.url + path))


def sign_in_at_govid(page, govid, email, password):
    """From a Minilateral page offering GovID: through GovID's own sign-in, and back."""
    page.get_by_role("button", name=f"Sign in with {PROVIDER_NAME}").click()
    expect(page).to_have_url(on_govid(govid, provider.SIGN_IN_PATH))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    with page.expect_response(re.compile(r"/login/callback/")) as callback:
        page.get_by_role("button", name="Sign in to GovID").click()
    expect(page).to_have_url(on_site(govid))  # GovID sends the official back to Minilateral
    return callback.value


def open_sign_in_page(page, govid):
    page.goto(govid.site_url + "/accounts/login/")
    expect(page.get_by_role("button", name=f"Sign in with {PROVIDER_NAME}")).to_be_visible()
    assert_accessible(page)


def expect_signed_in(page, govid):
    expect(page).to_have_url(on_site(govid))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert_accessible(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_new_official_of_a_member_country_gets_an_account_for_it(page, demo, govid):
    govid_account("rui@accounts.govid.example", vouches_for="rui.costa@gov.pt", name="Rui Costa")
    open_sign_in_page(page, govid)
    sign_in_at_govid(page, govid, "rui@accounts.govid.example", IDP_PASSWORD)
    expect_signed_in(page, govid)

    rui = User.objects.get(email="rui.costa@gov.pt")
    assert rui.country.code == "PT"
    address = EmailAddress.objects.get(user=rui)
    assert (address.email, address.verified, address.primary) == ("rui.costa@gov.pt", True, True)
    assert not Membership.objects.filter(user=rui).exists()
    link = SocialAccount.objects.get(user=rui)
    assert link.provider == PROVIDER_ID
    # allauth decoded GovID's ID token and checked it was issued by GovID, for Minilateral.
    id_token = link.extra_data["id_token"]
    assert id_token["iss"] == govid.url + "/o"
    assert id_token["aud"] == provider.CLIENT_ID
    assert link.extra_data["userinfo"]["email"] == "rui.costa@gov.pt"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "vouches_for", ["sam.lee@example.org", None], ids=["unregistered-domain", "no-address"]
)
def test_address_of_no_member_country_gets_the_clear_page_and_nothing_is_kept(
    page, demo, govid, vouches_for
):
    govid_account("sam@accounts.govid.example", vouches_for=vouches_for)
    users, addresses = User.objects.count(), EmailAddress.objects.count()
    open_sign_in_page(page, govid)
    callback = sign_in_at_govid(page, govid, "sam@accounts.govid.example", IDP_PASSWORD)

    assert callback.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Minilateral is for officials of member countries"
    )
    expect(page.get_by_role("main")).to_contain_text("invite")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    assert_accessible(page)
    assert not User.objects.filter(email="sam.lee@example.org").exists()
    assert (User.objects.count(), EmailAddress.objects.count()) == (users, addresses)
    assert not SocialAccount.objects.exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_existing_official_is_linked_to_their_account_not_given_another(page, demo, govid):
    lucia = demo.member  # GovID vouches for her address, which Minilateral has verified
    open_sign_in_page(page, govid)
    sign_in_at_govid(page, govid, lucia.email, demo.password)
    expect_signed_in(page, govid)
    page.goto(govid.site_url + "/accounts/")
    expect(page.get_by_role("main")).to_contain_text(lucia.full_name)
    assert_accessible(page)

    assert User.objects.filter(email__iexact=lucia.email).count() == 1
    link = SocialAccount.objects.get(provider=PROVIDER_ID)
    assert link.user == lucia
    lucia.refresh_from_db()
    assert lucia.check_password(demo.password), "her own password still works"

    # Signed out of Minilateral, still signed in at GovID: the next sign-in goes straight
    # through GovID, and finds her by the link.
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    open_sign_in_page(page, govid)
    page.get_by_role("button", name=f"Sign in with {PROVIDER_NAME}").click()
    expect_signed_in(page, govid)
    assert SocialAccount.objects.get().user == lucia
    assert User.objects.filter(email__iexact=lucia.email).count() == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_address_the_provider_does_not_vouch_for_is_never_linked_to_an_account(page, demo, govid):
    lucia = demo.member
    govid_account("impostor@accounts.govid.example", vouches_for=lucia.email, verified=False)
    open_sign_in_page(page, govid)
    sign_in_at_govid(page, govid, "impostor@accounts.govid.example", IDP_PASSWORD)
    # Told to confirm the address by email, as at sign-up (the mail goes to the address's owner).
    expect(page).to_have_url(govid.site_url + "/accounts/confirm-email/")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    assert_accessible(page)
    assert not SocialAccount.objects.exists()
    assert User.objects.filter(email__iexact=lucia.email).count() == 1
    lucia.refresh_from_db()
    assert lucia.check_password(demo.password)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_official_with_a_second_factor_is_still_asked_for_it(page, demo, govid):
    joao = demo.moderator  # a moderator: MFA is required of him, and he has a TOTP authenticator
    open_sign_in_page(page, govid)
    sign_in_at_govid(page, govid, joao.email, demo.password)
    expect(page).to_have_url(govid.site_url + "/accounts/2fa/authenticate/")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    assert_accessible(page)
    page.get_by_label("Code").fill(totp_code(demo.totp_secret))
    page.get_by_role("button", name="Sign In", exact=True).click()
    expect_signed_in(page, govid)
    assert SocialAccount.objects.get(provider=PROVIDER_ID).user == joao


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_invited_official_accepts_the_invitation_by_signing_in_with_the_provider(
    page, demo, govid, mailoutbox, run_worker
):
    outcome = services.membership_invite(
        acting_user=demo.convenor, network=demo.digital_nations, email="ines.santos@gov.pt"
    )
    run_worker()
    link = re.search(r"https?://\S+(/invitations/\S+/)", mailoutbox[-1].body).group(1)
    govid_account("ines@accounts.govid.example", vouches_for="ines.santos@gov.pt")

    page.goto(govid.site_url + link)
    expect(page).to_have_url(govid.site_url + "/accounts/signup/")
    assert_accessible(page)
    sign_in_at_govid(page, govid, "ines@accounts.govid.example", IDP_PASSWORD)
    expect_signed_in(page, govid)

    ines = User.objects.get(email="ines.santos@gov.pt")
    membership = Membership.objects.get(user=ines, network=demo.digital_nations)
    assert membership.state == Membership.State.ACTIVE
    assert membership.role == outcome.invitation.role
    outcome.invitation.refresh_from_db()
    assert outcome.invitation.accepted_by == ines


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_provider_address_opened_directly_asks_before_leaving_the_site(page, demo, govid):
    page.goto(f"{govid.site_url}/accounts/oidc/{PROVIDER_ID}/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Sign in with {PROVIDER_NAME}")
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(on_govid(govid, provider.SIGN_IN_PATH))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_sign_in_the_provider_did_not_confirm_gets_a_clear_page(page, demo, govid):
    # As if GovID had sent back a forged or stale answer: the state is not one Minilateral sent.
    response = page.goto(
        f"{govid.site_url}/accounts/oidc/{PROVIDER_ID}/login/callback/?code=forged&state=forged"
    )
    assert response.status >= 400
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Signing in through your government did not work"
    )
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    assert_accessible(page)
    assert not SocialAccount.objects.exists()


# Configuration without code: OIDC_PROVIDERS in the environment.

GOVID_PORTUGAL = {
    "id": "govid-pt",
    "name": "GovID Portugal",
    "client_id": "minilateral",
    "secret": "s3cret",
    "server_url": "https://id.gov.pt.example",
}


def _run_with_test_settings(code, **environment):
    return run_python(code, DJANGO_SETTINGS_MODULE="tests.settings", **environment)


@pytest.mark.django_db
def test_provider_in_the_environment_is_offered_on_the_sign_in_page():
    # The fresh interpreter reads this test's database (the sign-in page lists Social apps).
    database_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/minilateral")
    database_url = urlsplit(database_url)._replace(path="/" + connection.settings_dict["NAME"])
    result = _run_with_test_settings(
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "response = Client().get('/accounts/login/')\n"
        "print(response.status_code)\n"
        "print(response.content.decode())\n",
        OIDC_PROVIDERS=json.dumps([GOVID_PORTUGAL]),
        DATABASE_URL=database_url.geturl(),
    )
    assert result.returncode == 0, result.stderr
    status, page = result.stdout.split("\n", 1)
    assert status == "200"
    assert "Sign in with GovID Portugal" in page
    assert 'action="/accounts/oidc/govid-pt/login/"' in page


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("[{'id': 'govid'}]", "OIDC_PROVIDERS must be valid JSON"),
        (json.dumps(GOVID_PORTUGAL), "OIDC_PROVIDERS must be a JSON list of objects"),
        (
            json.dumps([{"id": "govid", "name": "GovID"}]),
            "OIDC_PROVIDERS: an entry lacks ['client_id', 'server_url']",
        ),
    ],
    ids=["not-json", "not-a-list", "missing-keys"],
)
def test_malformed_providers_in_the_environment_stop_the_app_with_a_clear_message(value, message):
    result = _run_with_test_settings("import django; django.setup()", OIDC_PROVIDERS=value)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_provider_limited_to_its_government_cannot_sign_in_another_countrys_official(
    page, demo, govid
):
    app = SocialApp.objects.get(provider_id=PROVIDER_ID)
    app.settings = {**app.settings, "domains": ["gov.pt"]}
    app.save()
    open_sign_in_page(page, govid)
    callback = sign_in_at_govid(page, govid, demo.member.email, demo.password)  # Uruguay
    assert callback.status == 403
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    assert not SocialAccount.objects.exists()

    # An address of its own government signs in, with the name the provider gives.
    govid_account("ana@accounts.govid.example", vouches_for="ana.reis@gov.pt", name="Ana Reis")
    page.goto(govid.site_url + "/accounts/login/")
    page.context.clear_cookies()
    open_sign_in_page(page, govid)
    sign_in_at_govid(page, govid, "ana@accounts.govid.example", IDP_PASSWORD)
    expect_signed_in(page, govid)
    assert User.objects.get(email="ana.reis@gov.pt").full_name == "Ana Reis"
