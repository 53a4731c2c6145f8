"""allauth, configured for Minilateral's policy: who may have an account, and for which country.

Sign-up is closed to the world. There are two ways in:
1. an invitation link (networks.services.membership_invite), whose address the link verifies;
2. an address whose domain a platform admin registered to a country (GovernmentDomain).
Any other address gets a page saying who Minilateral is for; nothing of the attempt is kept.
"""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import render
from django.utils.translation import gettext as _

from networks import services

INVITATION_SESSION_KEY = "minilateral_invitation_token"


def pending_invitation(request):
    """The usable invitation whose link this browser opened, or None."""
    if request is None:
        return None
    invitation = services.invitation_for_token(request.session.get(INVITATION_SESSION_KEY))
    if invitation is None or not invitation.is_usable:
        return None
    return invitation


def country_for_new_account(request, email):
    """The country an account for `email` belongs to, or None when it may not exist."""
    invitation = pending_invitation(request)
    if invitation is not None and invitation.email.lower() == (email or "").lower():
        return invitation.country
    return services.country_for_email(email or "")


def provider_domains(sociallogin):
    """The email domains a single sign-on provider may vouch for (empty: any registered one)."""
    try:
        app = sociallogin.account.get_provider().app
    except AttributeError:
        return set()
    settings = getattr(app, "settings", None) or {}
    return {domain.lower() for domain in settings.get("domains", [])}


def refuse_signup(request):
    raise ImmediateHttpResponse(render(request, "account/signup_refused.html", status=403))


def finish_new_account(request, user):
    """Give a new account its country, and accept the invitation it was made for.

    Accepting checks the invitation again under a lock and refuses (ActionRefused) one withdrawn
    or used since the form was checked: the sign-up's transaction then creates no account, and
    the browser keeps the invitation's secret (forgotten only once the account commits)."""
    user.country = country_for_new_account(request, user.email)
    user.save(update_fields=["country"])
    invitation = pending_invitation(request)
    if invitation is not None and invitation.email.lower() == user.email.lower():
        services.invitation_accept(acting_user=user, invitation=invitation)
        transaction.on_commit(lambda: request.session.pop(INVITATION_SESSION_KEY, None))


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # The form is open; the address decides (clean_email).
        return True

    def clean_email(self, email):
        email = super().clean_email(email)
        request = getattr(self, "request", None)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Adding an address to an account: only of the official's own government.
            if services.country_for_email(email) != user.country or user.country is None:
                raise ValidationError(_("Add an address of your own government’s email domain."))
            return email
        if country_for_new_account(request, email) is None:
            refuse_signup(request)
        return email

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            finish_new_account(request, user)
        return user


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on follows the same rules: a member country's domain or an invitation.

    A provider may be limited to its government's email domains (`"domains": [...]` in its
    settings): then it can sign in only addresses of those domains, so one government's
    identity provider cannot vouch for another government's officials.
    """

    def pre_social_login(self, request, sociallogin):
        super().pre_social_login(request, sociallogin)
        domains = provider_domains(sociallogin)
        if domains:
            emails = [address.email for address in sociallogin.email_addresses] or [
                sociallogin.user.email or ""
            ]
            if not all(email.rpartition("@")[2].lower() in domains for email in emails):
                refuse_signup(request)

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        if not user.full_name:
            claims = sociallogin.account.extra_data or {}
            userinfo = claims.get("userinfo", claims)
            name = data.get("name") or userinfo.get("name") or ""
            if not name:
                name = " ".join(filter(None, [data.get("first_name"), data.get("last_name")]))
            user.full_name = name[:200]
        return user

    def is_open_for_signup(self, request, sociallogin):
        # Refused with the same clear page as the sign-up form (allauth's is a bare "closed").
        if country_for_new_account(request, sociallogin.user.email) is None:
            refuse_signup(request)
        return True

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form)
        finish_new_account(request, user)
        return user
