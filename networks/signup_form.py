"""allauth's sign-up form, doing the same expensive work whether or not the address has an
account: a sign-up for a taken address hashes the password as a new account's does (allauth's
enumeration protection sends the "you already have an account" email instead of the
confirmation), so the answer takes as long either way and tells nothing of who has an account.

Its own module: allauth builds its sign-up form on ACCOUNT_SIGNUP_FORM_CLASS
(networks.account_forms), which this module could not import beside it.
"""

import time

from allauth.account.forms import SignupForm as AllauthSignupForm
from django.conf import settings
from django.contrib.auth.hashers import make_password


class SignupForm(AllauthSignupForm):
    def try_save(self, request):
        started = time.monotonic()
        if getattr(self, "account_already_exists", False):
            # The hash a new account's set_password costs, thrown away.
            make_password(self.cleaned_data.get("password1") or "")
        saved = super().try_save(request)
        # A new account also writes its rows: both paths then last at least SIGNUP_MIN_SECONDS,
        # so that what remains of the difference is not measurable from outside.
        time.sleep(max(0.0, settings.SIGNUP_MIN_SECONDS - (time.monotonic() - started)))
        return saved
