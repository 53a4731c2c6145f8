"""Request-wide context the services need without every view passing it along."""

import contextvars
import time

from allauth.account.adapter import get_adapter
from allauth.mfa.models import Authenticator
from allauth.usersessions.internal import usersessionkit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _

from minilateral.languages import is_offered, remember_language
from networks import access

_ip_address = contextvars.ContextVar("audit_ip_address", default=None)


def current_ip_address():
    """The address of the request being served (for audit events), or None outside a request."""
    return _ip_address.get()


def client_ip_address(request):
    # allauth's reading of the client address honours ALLAUTH_TRUSTED_PROXY_COUNT.
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return None


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _ip_address.set(client_ip_address(request))
        try:
            return self.get_response(request)
        finally:
            _ip_address.reset(token)


class OfficialLanguageMiddleware:
    """A signed-in official who chose a language (User.language) gets every page in it, in any
    browser; without a choice, LocaleMiddleware's (the cookie, else Accept-Language) stands.
    The browser is told to remember the choice too, so that it holds after signing out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = user.language if user is not None and user.is_authenticated else ""
        if not is_offered(language):
            return self.get_response(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        cookie = settings.LANGUAGE_COOKIE_NAME
        # A view that set or forgot the cookie (the switcher, the profile) has the last word.
        if request.COOKIES.get(cookie) != language and cookie not in response.cookies:
            remember_language(response, language)
        return response


SIGNED_IN_AT_SESSION_KEY = "minilateral_signed_in_at"


def stamp_sign_in(sender, request, user, **kwargs):
    """user_logged_in receiver: remember when this session signed in."""
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT_SESSION_KEY] = int(time.time())


RENEWED_AT_SESSION_KEY = "minilateral_session_renewed_at"
SESSION_RENEWED_EVERY_SECONDS = 60


class SessionLifetimeMiddleware:
    """End a session SESSION_MAX_HOURS after its sign-in, however active it has been, and
    SESSION_IDLE_MINUTES after its last request.

    The idle limit is the session's age (SESSION_COOKIE_AGE), renewed by saving the session.
    Saving on every request (SESSION_SAVE_EVERY_REQUEST) would cost each page view an UPDATE
    and a commit; renewing at most once a minute keeps the idle limit to the minute.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            session = request.session
            now = int(time.time())
            signed_in_at = session.get(SIGNED_IN_AT_SESSION_KEY)
            if signed_in_at is None:
                session[SIGNED_IN_AT_SESSION_KEY] = now
            elif now - signed_in_at > settings.SESSION_MAX_HOURS * 3600:
                logout(request)
                messages.info(request, _("Your session has ended. Please sign in again."))
                return self.get_response(request)
            if now - session.get(RENEWED_AT_SESSION_KEY, 0) >= SESSION_RENEWED_EVERY_SECONDS:
                session[RENEWED_AT_SESSION_KEY] = now  # modified: saved with a new expiry
        return self.get_response(request)


SESSION_SEEN_SESSION_KEY = "minilateral_session_seen"
SESSION_SEEN_EVERY_SECONDS = 60


class UserSessionsMiddleware:
    """allauth's record of where an official is signed in (the account's sessions page: last
    seen, address, browser), brought up to date at most once a minute per session. allauth's
    own middleware writes the row on every request, a transaction and an UPDATE per page view;
    the sessions page shows the time to the minute. Sign-in records the session at once
    (allauth's user_logged_in receiver), and a new session key is tracked on its first request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user, session = getattr(request, "user", None), getattr(request, "session", None)
        if user is not None and user.is_authenticated and session is not None:
            seen = session.get(SESSION_SEEN_SESSION_KEY) or [None, 0]
            now = int(time.time())
            if seen[0] != session.session_key or now - seen[1] >= SESSION_SEEN_EVERY_SECONDS:
                usersessionkit.track_activity(request, user=user, session=session)
                session[SESSION_SEEN_SESSION_KEY] = [session.session_key, now]
        return self.get_response(request)


# Where an official who must use a second factor, and has none yet, may go: the set-up pages.
MFA_SETUP_URL_NAMES = {
    "mfa_index",
    "mfa_activate_totp",
    "mfa_add_webauthn",
    "mfa_list_webauthn",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    "mfa_reauthenticate",
    "mfa_reauthenticate_webauthn",
    "account_reauthenticate",
    "account_logout",
    "officials:mfa_required",
    "officials:set_language",
    "healthz",
}


class RequireMFAMiddleware:
    """Convenors, moderators, focal points and platform admins use MFA, from their next request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or request.resolver_match is None:
            return None
        if request.resolver_match.view_name in MFA_SETUP_URL_NAMES:
            return None
        if not access.requires_mfa(user) or has_second_factor(user):
            return None
        return redirect("officials:mfa_required")


def has_second_factor(user):
    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()
