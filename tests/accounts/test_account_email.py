"""The sign-in library's emails speak as Minilateral: its name and configured address, never
the host a request used ("Hello from 127.0.0.1:8101!"), in the product's voice."""

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _assert_minilateral_voice(body):
    assert "Minilateral" in body
    assert settings.SITE_URL in body
    for default in ("Hello from", "Thank you for using", "example.com"):
        assert default not in body


def test_password_reset_email_speaks_as_minilateral(client, demo, mailoutbox, run_worker):
    client.post(reverse("account_reset_password"), {"email": demo.member.email})
    run_worker()
    (message,) = [m for m in mailoutbox if demo.member.email in m.to]
    assert message.subject.startswith("[Minilateral]")
    _assert_minilateral_voice(message.body)


def test_security_notices_speak_as_minilateral():
    body = render_to_string(
        "account/email/password_changed_message.txt",
        {"ip": "192.0.2.7", "user_agent": "Firefox", "timestamp": "8 Dec 2026, 04:10"},
    )
    _assert_minilateral_voice(body)
    assert "192.0.2.7" in body
    assert "You are receiving this mail" not in body
