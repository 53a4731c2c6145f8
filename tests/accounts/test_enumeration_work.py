"""Sign-up and sign-in do the same expensive work whether or not the address has an account:
a password hash on each path and, for sign-up, one email; so the time an answer takes tells
nothing of who has an account. (`make attack` reports the measured times of both paths.)"""

from unittest import mock

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from django.urls import reverse

PASSWORD = "a quiet harbour at dawn"


def hashes_and_mails(mailoutbox, post):
    """(password hashes computed, emails sent) while `post()` runs."""
    already = len(mailoutbox)
    with mock.patch.object(
        MD5PasswordHasher, "encode", autospec=True, side_effect=MD5PasswordHasher.encode
    ) as encode:
        response = post()
    return encode.call_count, len(mailoutbox) - already, response


def sign_up(email):
    data = {"full_name": "X", "password1": PASSWORD, "password2": PASSWORD, "email": email}
    return lambda: Client().post(reverse("account_signup"), data)


def sign_in(email, password):
    return lambda: Client().post(reverse("account_login"), {"login": email, "password": password})


@pytest.mark.django_db
def test_sign_up_hashes_once_and_sends_one_email_whether_or_not_the_address_is_taken(
    demo, mailoutbox
):
    taken = hashes_and_mails(mailoutbox, sign_up(demo.member.email))
    new = hashes_and_mails(mailoutbox, sign_up("new.person@gub.uy"))
    assert taken[0] == new[0] == 1, (taken[:2], new[:2])
    assert taken[1] == new[1] == 1, (taken[:2], new[:2])
    assert taken[2]["Location"] == new[2]["Location"]


@pytest.mark.django_db
def test_a_failed_sign_in_hashes_as_often_for_a_known_address_as_for_an_unknown_one(
    demo, mailoutbox
):
    known = hashes_and_mails(mailoutbox, sign_in(demo.member.email, "not her password"))
    unknown = hashes_and_mails(mailoutbox, sign_in("nobody.here@gub.uy", "not her password"))
    assert known[0] == unknown[0] >= 1, (known[:2], unknown[:2])
    assert known[1] == unknown[1] == 0


@pytest.mark.django_db
def test_both_sign_up_paths_last_at_least_the_floor(demo, settings):
    settings.SIGNUP_MIN_SECONDS = 5
    waited = []
    with mock.patch("networks.signup_form.time.sleep", side_effect=waited.append):
        sign_up(demo.member.email)()
        sign_up("new.person@gub.uy")()
    assert len(waited) == 2
    assert all(4 < seconds <= 5 for seconds in waited), waited
