"""The sign-in pages' headings and titles are in sentence case, like every other page."""

import re

import pytest

from tests.networks.conftest import sign_in

pytestmark = pytest.mark.django_db


def _title_and_headings(response):
    body = response.content.decode()
    title = re.search(r"<title>(.*?)</title>", body, re.S).group(1)
    headings = [
        re.sub(r"<[^>]+>", "", h).strip()
        for h in re.findall(r"<h[12][^>]*>(.*?)</h[12]>", body, re.S)
    ]
    return " ".join(title.split()), headings


@pytest.mark.parametrize(
    ("path", "title", "heading"),
    [
        ("/accounts/reauthenticate/", "Confirm access · Minilateral", "Confirm access"),
        ("/accounts/2fa/", "Two-factor authentication · Minilateral", "Two-factor authentication"),
        ("/accounts/password/change/", "Change password · Minilateral", "Change password"),
        ("/accounts/email/", "Email addresses · Minilateral", "Email addresses"),
    ],
)
def test_sign_in_pages_speak_in_sentence_case(demo, path, title, heading):
    shown_title, headings = _title_and_headings(sign_in(demo.member).get(path))
    assert shown_title == title
    assert heading in headings


def test_names_and_other_languages_keep_their_capitals(demo, client):
    _, headings = _title_and_headings(client.get("/accounts/login/"))
    assert "Sign in to Minilateral" in headings
    client.cookies["django_language"] = "fr"
    _, headings = _title_and_headings(
        sign_in(demo.member).get("/accounts/2fa/", HTTP_ACCEPT_LANGUAGE="fr")
    )
    assert any(heading.startswith("Authentification") for heading in headings), headings
