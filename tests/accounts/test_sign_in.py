"""Signing in: no account enumeration, rate limits, MFA rules, sessions, closed accounts."""

import datetime
import re
import time
from unittest import mock

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from networks.models import Membership, User
from tests.browser.helpers import totp_code


def sign_in(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def reauthenticate(client, password):
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302


def strip_tokens(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_member_signs_in_with_email_and_password(client, demo):
    response = sign_in(client, demo.member.email, demo.password)
    assert response.status_code == 302
    assert client.get(reverse("officials:account")).status_code == 200


def test_failed_sign_in_answers_the_same_for_known_and_unknown_addresses(demo):
    known = sign_in(Client(), demo.member.email, "not her password at all")
    unknown = sign_in(Client(), "nobody.here@gub.uy", "not her password at all")
    assert known.status_code == unknown.status_code == 200
    assert strip_tokens(known.content.decode()).replace(demo.member.email, "X") == strip_tokens(
        unknown.content.decode()
    ).replace("nobody.here@gub.uy", "X")


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(demo, mailoutbox):
    url = reverse("account_reset_password")
    known = Client().post(url, {"email": demo.member.email})
    unknown = Client().post(url, {"email": "nobody.here@gub.uy"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_sign_up_with_a_taken_address_answers_as_for_a_new_one(demo, mailoutbox):
    data = {
        "full_name": "X",
        "password1": "a quiet harbour at dawn",
        "password2": "a quiet harbour at dawn",
    }
    taken = Client().post(reverse("account_signup"), {**data, "email": demo.member.email})
    new = Client().post(reverse("account_signup"), {**data, "email": "new.person@gub.uy"})
    assert taken.status_code == new.status_code == 302
    assert taken["Location"] == new["Location"]
    assert User.objects.filter(email=demo.member.email).count() == 1


def test_repeated_failed_sign_ins_lock_the_address_out(client, demo):
    for _ in range(5):
        sign_in(client, demo.member.email, "wrong")
    response = sign_in(Client(), demo.member.email, demo.password)
    assert "Too many failed login attempts" in response.content.decode()
    assert Client().get(reverse("officials:account")).status_code == 302


def test_too_many_sign_in_attempts_are_answered_with_the_styled_429(client, demo):
    statuses = [sign_in(client, f"n{i}@gub.uy", "wrong").status_code for i in range(31)]
    assert statuses[:30] == [200] * 30
    response = sign_in(client, demo.member.email, "wrong")
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert '<main id="main"' in response.content.decode()


def test_moderator_must_give_a_totp_code_and_a_code_cannot_be_used_twice(demo):
    client = Client()
    response = sign_in(client, demo.moderator.email, demo.password)
    assert response["Location"] == reverse("mfa_authenticate")
    code = totp_code(demo.totp_secret)
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("officials:account")).status_code == 200

    again = Client()
    sign_in(again, demo.moderator.email, demo.password)
    response = again.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 200  # the form again, with an error
    assert again.get(reverse("officials:account")).status_code == 302


def test_recovery_code_works_once(demo):
    codes = RecoveryCodes.activate(demo.moderator).get_unused_codes()
    first = Client()
    sign_in(first, demo.moderator.email, demo.password)
    assert first.post(reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 302
    assert first.get(reverse("officials:account")).status_code == 200

    second = Client()
    sign_in(second, demo.moderator.email, demo.password)
    assert second.post(reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 200
    assert second.get(reverse("officials:account")).status_code == 302


def test_newly_made_moderator_is_held_at_mfa_set_up_from_the_next_request(client, demo):
    client.force_login(demo.member)
    assert client.get(reverse("officials:account")).status_code == 200
    Membership.objects.filter(user=demo.member, network=demo.digital_nations).update(
        role=Membership.Role.MODERATOR
    )
    response = client.get(reverse("officials:account"))
    assert response.status_code == 302
    assert response["Location"] == reverse("officials:mfa_required")
    assert client.get(reverse("officials:mfa_required")).status_code == 200
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get("/admin/").status_code == 302


def test_platform_admin_without_mfa_reaches_only_the_set_up_pages(client, demo):
    Authenticator.objects.filter(user=demo.admin).delete()
    client.force_login(demo.admin)
    response = client.get("/admin/")
    assert response["Location"] == reverse("officials:mfa_required")


def test_plain_member_is_not_asked_for_mfa(client, demo):
    client.force_login(demo.member)
    assert client.get(reverse("officials:account")).status_code == 200


def test_ended_session_no_longer_works(demo):
    laptop, phone = Client(), Client()
    sign_in(laptop, demo.member.email, demo.password)
    sign_in(phone, demo.member.email, demo.password)
    assert UserSession.objects.filter(user=demo.member).count() == 2
    phone_session = UserSession.objects.get(session_key=phone.session.session_key)
    laptop.get(reverse("usersessions_list"))
    response = laptop.post(
        reverse("usersessions_list"), {"action": "end", "sessions": [phone_session.pk]}
    )
    assert response.status_code in (200, 302)
    assert laptop.get(reverse("officials:account")).status_code == 200
    assert phone.get(reverse("officials:account")).status_code == 302


def test_password_change_ends_the_other_sessions(demo):
    laptop, phone = Client(), Client()
    sign_in(laptop, demo.member.email, demo.password)
    sign_in(phone, demo.member.email, demo.password)
    response = laptop.post(
        reverse("account_change_password"),
        {
            "oldpassword": demo.password,
            "password1": "a brand new long passphrase",
            "password2": "a brand new long passphrase",
        },
    )
    assert response.status_code == 302
    assert laptop.get(reverse("officials:account")).status_code == 200
    assert phone.get(reverse("officials:account")).status_code == 302


def test_session_ends_after_the_maximum_lifetime(client, demo, settings):
    sign_in(client, demo.member.email, demo.password)
    session = client.session
    session["minilateral_signed_in_at"] -= settings.SESSION_MAX_HOURS * 3600 + 1
    session.save()
    assert client.get(reverse("officials:account")).status_code == 302


def _session_expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_sessions_are_limited_by_idle_time(client, demo, settings):
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60 == 7200
    sign_in(client, demo.member.email, demo.password)
    client.get(reverse("officials:account"))
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert client.get(reverse("officials:account")).status_code == 302


def test_a_page_view_renews_the_session_at_most_once_a_minute(client, demo):
    sign_in(client, demo.member.email, demo.password)
    client.get(reverse("officials:account"))
    renewed = _session_expiry(client)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("officials:account")).status_code == 200
    assert not [q for q in queries if q["sql"].startswith('UPDATE "django_session"')]
    assert _session_expiry(client) == renewed
    later = time.time() + 61
    with mock.patch("time.time", return_value=later):
        assert client.get(reverse("officials:account")).status_code == 200
    assert _session_expiry(client) > renewed


def test_closed_account_cannot_sign_in_and_its_sessions_end(demo):
    client, other = Client(), Client()
    sign_in(client, demo.member.email, demo.password)
    sign_in(other, demo.member.email, demo.password)
    reauthenticate(client, demo.password)
    assert client.get(reverse("officials:deactivate")).status_code == 200
    response = client.post(reverse("officials:deactivate"))
    assert response.status_code == 302
    lucia = User.objects.get(pk=demo.member.pk)
    assert not lucia.is_active
    assert lucia.display_name == "a former member"
    assert other.get(reverse("officials:account")).status_code == 302
    response = sign_in(Client(), demo.member.email, demo.password)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_inactive")


def test_sensitive_action_asks_for_the_password_again_after_five_minutes(client, demo):
    sign_in(client, demo.member.email, demo.password)
    response = client.get(reverse("officials:deactivate"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    reauthenticate(client, demo.password)
    assert client.get(reverse("officials:deactivate")).status_code == 200
    later = time.time() + 301
    with mock.patch("time.time", return_value=later):
        response = client.get(reverse("officials:deactivate"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_sign_out_is_a_post(client, demo):
    client.force_login(demo.member)
    client.get(reverse("account_logout"))
    assert client.get(reverse("officials:account")).status_code == 200
    client.post(reverse("account_logout"))
    assert client.get(reverse("officials:account")).status_code == 302


@pytest.mark.parametrize("email", ["lucia.perez@gub.uy"])
def test_passwords_are_hashed_not_stored(demo, email):
    assert not User.objects.get(email=email).password.startswith(demo.password)
