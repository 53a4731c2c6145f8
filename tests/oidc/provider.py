"""A real OpenID Connect identity provider for the single sign-on tests.

django-oauth-toolkit in OIDC mode, as a government's identity provider ("GovID") would run it:
discovery document, authorization endpoint behind its own sign-in page, token endpoint, RS256
ID tokens with a JWKS, userinfo. Its URLs exist only in tests.oidc.urls, its settings only
where identity_provider_settings() is applied.

The provider's accounts live in the one user table of the test process. `DIRECTORY` holds what
the provider asserts about each of them (by user id): a test that needs a *new* Minilateral
official gives a provider account (signed in with some other address) the government address
the provider vouches for; a provider account not in the directory asserts its own address.
"""

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth.views import LoginView
from django.http import HttpResponse
from django.template import engines
from oauth2_provider import views as oauth2_views
from oauth2_provider.oauth2_validators import OAuth2Validator

SIGN_IN_PATH = "/idp/login/"
CLIENT_ID = "minilateral"

# {user id: {"email": ..., "email_verified": ..., "name": ...}}: what the provider vouches for.
DIRECTORY = {}


class Validator(OAuth2Validator):
    """The provider's claims: the address it vouches for, verified, and the person's name."""

    def get_additional_claims(self, request):
        user = request.user
        claims = {"email": user.email, "email_verified": True, "name": user.full_name}
        claims.update(DIRECTORY.get(user.pk, {}))
        return claims


def private_key_pem():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    ).decode()


def identity_provider_settings(private_key):
    return {
        "OIDC_ENABLED": True,
        "OIDC_RSA_PRIVATE_KEY": private_key,
        "OAUTH2_VALIDATOR_CLASS": "tests.oidc.provider.Validator",
        "SCOPES": {
            "openid": "Sign you in",
            "email": "Your email address",
            "profile": "Your name",
        },
        "DEFAULT_SCOPES": ["openid"],
        "PKCE_REQUIRED": True,
        "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,  # S256 only, as allauth sends
        # The live server speaks plain HTTP; a real provider would insist on https.
        "ALLOWED_REDIRECT_URI_SCHEMES": ["http"],
        # Settings change between tests: build the oauthlib server from them on each request.
        "ALWAYS_RELOAD_OAUTHLIB_CORE": True,
    }


def register_client(*, redirect_uri, client_secret):
    """Minilateral as a confidential client of the provider, with an RS256-signed ID token."""
    from oauth2_provider.models import Application

    return Application.objects.create(
        name="Minilateral",
        client_id=CLIENT_ID,
        client_secret=client_secret,  # stored hashed, as the provider keeps it
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect_uri,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,  # the government's own relying party: no consent screen
    )


SIGN_IN_PAGE = engines["django"].from_string(
    """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign in to GovID</title></head>
<body>
<main>
  <h1>GovID</h1>
  <form method="post">
    {% csrf_token %}
    {{ form.as_div }}
    <input type="hidden" name="next" value="{{ next }}">
    <button type="submit">Sign in to GovID</button>
  </form>
</main>
</body>
</html>"""
)


class SignInView(LoginView):
    """The provider's own sign-in page: Django's login against its accounts."""

    def render_to_response(self, context, **response_kwargs):
        return HttpResponse(SIGN_IN_PAGE.render(context, self.request), **response_kwargs)


class AuthorizationView(oauth2_views.AuthorizationView):
    """The authorization endpoint sends the anonymous to the provider's page, not to the site's."""

    login_url = SIGN_IN_PATH
