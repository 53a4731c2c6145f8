"""The site's URLs, plus a government's OpenID Connect identity provider under /o/ and /idp/."""

from django.urls import include, path

from minilateral import urls as site
from tests.oidc import provider

urlpatterns = [
    path(provider.SIGN_IN_PATH.strip("/") + "/", provider.SignInView.as_view(), name="idp_login"),
    # Before the include, so that the provider's own sign-in page guards its authorization.
    path("o/authorize/", provider.AuthorizationView.as_view(), name="idp_authorize"),
    path("o/", include("oauth2_provider.urls")),
    *site.urlpatterns,
]

handler400 = site.handler400
handler403 = site.handler403
handler404 = site.handler404
handler500 = site.handler500
