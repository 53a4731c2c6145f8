"""The site's frame: landing page, error pages, security headers."""

import pytest
from django.contrib.auth.decorators import login_not_required
from django.test import override_settings
from django.urls import path

from minilateral import urls as site_urls


@login_not_required
def boom(request):
    raise RuntimeError("secret detail that must not leak")


urlpatterns = [*site_urls.urlpatterns, path("boom/", boom)]
handler500 = site_urls.handler500


@pytest.mark.django_db
def test_landing_page_says_what_minilateral_is_and_offers_sign_in(client):
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "learn from each other" in body
    assert 'href="/accounts/login/"' in body
    assert '<html lang="en"' in body
    assert 'href="#main"' in body
    assert '<main id="main"' in body


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    # Inline script and style run only with the request's nonce (added where a page uses it).
    assert "unsafe-inline" not in policy
    assert "script-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "base-uri 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_404_page_is_in_the_frame_and_reveals_nothing_of_the_request(client):
    response = client.get("/no/such/page-with-a-telling-name/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body
    assert "telling-name" not in body
    assert '<main id="main"' in body


@pytest.mark.django_db
def test_404_is_the_same_whatever_the_missing_address(client):
    first = client.get("/no/such/place/").content
    second = client.get("/totally/elsewhere/").content
    assert first == second


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_500_page_is_in_the_frame_and_hides_the_error(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "something went wrong" in body.lower()
    assert "secret detail" not in body
    assert '<main id="main"' in body


@pytest.mark.django_db
def test_post_without_csrf_token_gets_the_framed_403(client):
    client = type(client)(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": "a@gov.pt", "password": "x"})
    assert response.status_code == 403
    assert "the page had expired" in response.content.decode()
    assert "You cannot do that here" not in response.content.decode()


@pytest.mark.django_db
def test_bad_host_gets_the_framed_400(client):
    response = client.get("/", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert "could not be understood" in response.content.decode()


@pytest.mark.parametrize("template", ["400.html", "403.html", "404.html", "429.html", "500.html"])
def test_error_pages_render_without_a_request(template):
    from django.template import loader

    html = loader.get_template(template).render()
    assert '<main id="main"' in html
    assert "Minilateral" in html
