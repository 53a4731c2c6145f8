"""Personas beyond the demo cast, and signing them in as a real sign-in would leave the session."""

import time
from types import SimpleNamespace

import pytest
from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client

from networks import services
from networks.models import FocalPoint, JoinRequest, Membership, NetworkCountry, User

REAUTHENTICATION_TIMEOUT = 300


def sign_in(user, *, minutes_ago=0, client=None):
    """A client signed in as `user`, its session holding the records allauth writes at sign-in
    (password, then the second factor if the account has one) and at reauthentication.

    `minutes_ago` dates all of them back: 6 minutes is a sign-in too old for managing."""
    client = client or Client()
    if user is None:
        return client
    client.force_login(user)
    at = time.time() - minutes_ago * 60
    records = [{"method": "password", "at": at, "email": user.email}]
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is not None:
        records.append({"method": "mfa", "at": at, "id": authenticator.pk, "type": "totp"})
    records.append({"method": "password", "at": at, "reauthenticated": True})
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()
    return client


@pytest.fixture
def cast(demo):
    """The demo cast, plus what the permission tests need to tell every role apart:

    - `focal_point`: Mette Jensen, a plain member of Digital Nations and Denmark's focal point
      there (the demo's other focal point is also its moderator);
    - `applicant`: Lars Nielsen of Denmark, asking to join Digital Nations (`join_request`);
    - `invitation`: an open invitation of a Portuguese official to Digital Nations.
    """
    network = demo.digital_nations
    focal_point = User.objects.create_user(
        "mette.jensen@digst.dk", demo.password, full_name="Mette Jensen", country_id=_dk()
    )
    Membership.objects.create(user=focal_point, network=network)
    FocalPoint.objects.create(
        network_country=NetworkCountry.objects.get(network=network, country__code="DK"),
        user=focal_point,
    )
    TOTP.activate(focal_point, demo.totp_secret)  # focal points must use a second factor
    applicant = User.objects.create_user(
        "lars.nielsen@digst.dk", demo.password, full_name="Lars Nielsen", country_id=_dk()
    )
    join_request = JoinRequest.objects.create(
        user=applicant, network=network, message="I lead Denmark's digital identity work."
    )
    invitation = services.membership_invite(
        acting_user=demo.convenor, network=network, email="rita.gomes@gov.pt"
    ).invitation
    return SimpleNamespace(
        **vars(demo),
        focal_point=focal_point,
        applicant=applicant,
        join_request=join_request,
        invitation=invitation,
        group=network.working_groups.get(slug="digital-identity"),
    )


def _dk():
    from networks.models import Country

    return Country.objects.get(code="DK").pk


def membership(user, network):
    return Membership.objects.get(user=user, network=network)


@pytest.fixture
def outbox(mailoutbox, run_worker):
    """The test outbox, after the worker has delivered whatever was already waiting (the
    shared demo world may have queued mail of its own): what arrives next is the test's."""
    run_worker()
    mailoutbox.clear()
    return mailoutbox
