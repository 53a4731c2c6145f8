"""Deny by default: an anonymous visitor is sent to sign in everywhere but the public pages."""

import pytest
from django.urls import reverse

from tests.urls_sweep import all_urls

# Pages a visitor may open without signing in: the landing page, the health check and the
# sign-in pages. Anything added here is a decision about the access policy.
PUBLIC = {
    "home",
    "healthz",
    "hello_visitor",  # the benchmark's floor for visitors: "Hello." and nothing else
    "retention",  # what is kept about people, for how long and why
    "account_login",
    "account_logout",
    "account_inactive",
    "account_signup",
    "account_email_verification_sent",
    "account_confirm_email",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "openid_connect_login",  # single sign-on with a government's identity provider
    "openid_connect_callback",
    "socialaccount_login_cancelled",
    "officials:invitation_accept",
    "officials:set_language",  # the language switcher in every page's footer (POST only)
    "lessons:public_list",  # what networks chose to make public, with attribution applied
    "lessons:public_detail",
    "lessons:public_feed",
    "moderation:public_collection",
    "notifications:unsubscribe",  # the signed link in an email (RFC 8058 one-click); unknown: 404
}
# Pages public for a public lesson only (its own address, its files: tests/lessons/
# test_public_address.py); for any other lesson, or none (the sweep's sample id), a visitor is
# sent to sign in like everywhere else.
PUBLIC_FOR_PUBLIC_LESSONS = {"lessons:detail", "lessons:attachment"}


def _sample_lesson_is_public(name):
    """Whether the sweep's sample lesson (id 1), and for its files the sample attachment (id 1
    of that lesson), exist and are public in this database."""
    from lessons import access as lesson_access
    from lessons.models import Attachment

    public = lesson_access.public_lessons().filter(pk=1).exists()
    if name == "lessons:attachment":
        public = public and Attachment.objects.filter(pk=1, lesson_id=1).exists()
    return public


URLS = sorted(all_urls())


def test_sweep_finds_the_site_urls_and_every_public_one():
    names = {name for name, _ in URLS}
    assert {"home", "healthz", "account_login", "admin:index"} <= names
    assert names >= PUBLIC, f"public pages that no longer exist: {PUBLIC - names}"


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "path"), URLS, ids=[name for name, _ in URLS])
def test_anonymous_visitor_is_sent_to_sign_in_unless_page_is_public(client, name, path):
    response = client.get(path)
    # The admin's own sign-in page hands over to allauth's (its row below checks that).
    sign_in_pages = (reverse("account_login"), reverse("admin:login"))
    sent_to_sign_in = response.status_code == 302 and response["Location"].startswith(sign_in_pages)
    if name in PUBLIC_FOR_PUBLIC_LESSONS:
        public = _sample_lesson_is_public(name)
        assert sent_to_sign_in != public, f"{name} ({path}): {response.status_code}"
    elif name in PUBLIC or path.startswith("/static/"):
        assert not sent_to_sign_in, f"{name} is public but sends visitors to sign in"
        assert response.status_code < 500
    else:
        assert sent_to_sign_in, f"{name} ({path}) answered {response.status_code} to a visitor"


@pytest.mark.django_db
def test_admin_sign_in_goes_through_allauth(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_benchmark_floor_greets_a_signed_in_official_and_shows_nothing_else(demo):
    from tests.networks.conftest import sign_in

    response = sign_in(demo.member).get(reverse("hello"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == "Hello."
    assert "no-store" in response["Cache-Control"]
    # Only reading: it answers neither POST nor anonymous visitors (the sweep above).
    assert sign_in(demo.member).post(reverse("hello")).status_code == 405


@pytest.mark.django_db
def test_the_visitors_floor_shows_nothing_but_a_greeting(client):
    response = client.get(reverse("hello_visitor"))
    assert response.status_code == 200
    assert response.content.decode() == "Hello."
    assert client.post(reverse("hello_visitor")).status_code == 405
