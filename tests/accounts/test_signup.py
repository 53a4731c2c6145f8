"""Sign-up is closed to the world: an invitation, or a registered government domain."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from networks import services
from networks.models import Membership, User

PASSWORD = "a quiet harbour at dawn"


def signup(client, email, **extra):
    data = {
        "email": email,
        "full_name": "Ana Costa",
        "job_title": "Product lead",
        "organisation": "AMA",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **extra,
    }
    return client.post(reverse("account_signup"), data)


def test_registered_domain_signs_up_for_its_country_after_verification(client, demo, mailoutbox):
    response = signup(client, "ana.costa@gov.pt")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    ana = User.objects.get(email="ana.costa@gov.pt")
    assert ana.country.code == "PT"
    assert ana.full_name == "Ana Costa"
    assert not Membership.objects.filter(user=ana).exists()
    assert not EmailAddress.objects.get(user=ana).verified

    # Not signed in until the address is verified.
    assert client.get(reverse("officials:account")).status_code == 302
    assert len(mailoutbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mailoutbox[0].body).group(0)
    confirm = link.split("testserver", 1)[-1]
    client.post(confirm)
    assert EmailAddress.objects.get(user=ana).verified


def test_unknown_domain_gets_the_clear_page_and_nothing_is_kept(client, demo, mailoutbox):
    users, addresses = User.objects.count(), EmailAddress.objects.count()
    response = signup(client, "someone@gmail.com")
    assert response.status_code == 403
    body = response.content.decode()
    assert "Minilateral is for officials of member countries" in body
    assert "invite" in body
    assert User.objects.count() == users
    assert EmailAddress.objects.count() == addresses
    assert mailoutbox == []


def test_weak_password_is_refused_and_what_was_typed_is_kept(client, demo):
    response = signup(client, "ana.costa@gov.pt", password1="short", password2="short")
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert 'value="ana.costa@gov.pt"' in body
    assert 'value="Product lead"' in body
    assert not User.objects.filter(email="ana.costa@gov.pt").exists()


@pytest.mark.parametrize("password", ["password1234", "ana.costa.gov.pt"])
def test_common_or_similar_passwords_are_refused(client, demo, password):
    signup(client, "ana.costa@gov.pt", password1=password, password2=password)
    assert not User.objects.filter(email="ana.costa@gov.pt").exists()


def test_invitation_link_creates_the_account_and_the_membership(client, demo, mailoutbox):
    outcome = services.membership_invite(
        acting_user=demo.convenor, network=demo.digital_nations, email="rui.lopes@gov.pt"
    )
    token = _token_for(outcome.invitation, demo)
    response = client.get(reverse("officials:invitation_accept", args=[token]))
    assert response["Location"] == reverse("account_signup")
    form = client.get(reverse("account_signup")).content.decode()
    assert 'value="rui.lopes@gov.pt"' in form

    response = signup(client, "rui.lopes@gov.pt", full_name="Rui Lopes")
    assert response.status_code == 302
    rui = User.objects.get(email="rui.lopes@gov.pt")
    # The link proved the address: verified, signed in, a member, no confirmation email.
    assert EmailAddress.objects.get(user=rui).verified
    membership = Membership.objects.get(user=rui, network=demo.digital_nations)
    assert membership.state == Membership.State.ACTIVE
    assert client.get(reverse("officials:account")).status_code == 200
    outcome.invitation.refresh_from_db()
    assert outcome.invitation.accepted_by == rui
    assert not any("confirm-email" in message.body for message in mailoutbox)


def test_used_invitation_link_cannot_be_used_again(client, demo):
    outcome = services.membership_invite(
        acting_user=demo.convenor, network=demo.digital_nations, email="rui.lopes@gov.pt"
    )
    token = _token_for(outcome.invitation, demo)
    client.get(reverse("officials:invitation_accept", args=[token]))
    signup(client, "rui.lopes@gov.pt")
    client.post(reverse("account_logout"))
    response = client.get(reverse("officials:invitation_accept", args=[token]))
    assert response.status_code == 410
    assert "cannot be used" in response.content.decode()


def test_unknown_invitation_link_is_404(client, db):
    assert client.get(reverse("officials:invitation_accept", args=["nope"])).status_code == 404


def _token_for(invitation, demo):
    """Give the invitation a known secret, as its email carries (the database keeps a digest)."""
    token = "known-secret-for-this-test"
    type(invitation).objects.filter(pk=invitation.pk).update(
        token_digest=services.token_digest(token)
    )
    return token


def _open_invitation(client, demo, email="rui.lopes@gov.pt"):
    outcome = services.membership_invite(
        acting_user=demo.convenor, network=demo.digital_nations, email=email
    )
    client.get(reverse("officials:invitation_accept", args=[_token_for(outcome.invitation, demo)]))
    return outcome.invitation


def test_sign_in_link_of_the_sign_up_page_is_a_real_link(client, db):
    body = client.get(reverse("account_signup")).content.decode()
    assert f'Already have an account? <a href="{reverse("account_login")}">Sign in</a>.' in body
    assert "&lt;a" not in body


def test_invited_address_cannot_be_changed_on_the_sign_up_form(client, demo, mailoutbox):
    invitation = _open_invitation(client, demo)
    form = client.get(reverse("account_signup")).content.decode()
    email_input = re.search(r'<input[^>]*name="email"[^>]*>', form).group(0)
    assert "disabled" in email_input
    assert 'value="rui.lopes@gov.pt"' in email_input

    # A POST carrying another address is ignored: the account is the invited one.
    response = signup(client, "someone.else@gov.pt", full_name="Rui Lopes")
    assert response.status_code == 302
    rui = User.objects.get(email="rui.lopes@gov.pt")
    assert [(a.email, a.verified) for a in EmailAddress.objects.filter(user=rui)] == [
        ("rui.lopes@gov.pt", True)
    ]
    assert not User.objects.filter(email="someone.else@gov.pt").exists()
    assert not EmailAddress.objects.filter(email="someone.else@gov.pt").exists()
    assert Membership.objects.get(user=rui, network=demo.digital_nations).state == "active"
    invitation.refresh_from_db()
    assert invitation.accepted_by == rui


def _failing_steps():
    """Each step of accepting an invitation by signing up, made to fail."""
    from unittest import mock

    from django.db import DatabaseError

    from networks.models import Invitation

    failure = DatabaseError("injected failure")
    return {
        "account profile": mock.patch(
            "networks.account_forms.SignupProfileForm.signup", side_effect=failure
        ),
        "email address": mock.patch("allauth.account.forms.setup_user_email", side_effect=failure),
        "membership": mock.patch.object(Membership.objects, "create", side_effect=failure),
        "invitation used": mock.patch.object(Invitation, "save", side_effect=failure),
        "audit record": mock.patch(
            "networks.services.invitations.audit_record", side_effect=failure
        ),
    }


@pytest.mark.parametrize("step", list(_failing_steps()))
def test_sign_up_by_invitation_failing_at_any_step_leaves_nothing(client, demo, step):
    from networks.models import AuditEvent

    invitation = _open_invitation(client, demo)
    counts = [User.objects.count(), EmailAddress.objects.count(), Membership.objects.count()]
    audit_events = AuditEvent.objects.count()
    with _failing_steps()[step]:
        response = signup(client, "rui.lopes@gov.pt", full_name="Rui Lopes")
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert "nothing was saved" in body
    assert 'value="Rui Lopes"' in body
    assert [User.objects.count(), EmailAddress.objects.count(), Membership.objects.count()] == (
        counts
    )
    assert AuditEvent.objects.count() == audit_events
    invitation.refresh_from_db()
    assert invitation.is_usable

    # The same invitation still works: the account is made, verified and a member.
    response = signup(client, "rui.lopes@gov.pt", full_name="Rui Lopes")
    assert response.status_code == 302
    rui = User.objects.get(email="rui.lopes@gov.pt")
    assert EmailAddress.objects.get(user=rui).verified
    assert Membership.objects.get(user=rui, network=demo.digital_nations).state == "active"


def test_invitation_withdrawn_after_its_link_was_opened_makes_no_account(client, demo):
    invitation = _open_invitation(client, demo)
    services.invitation_revoke(acting_user=demo.convenor, invitation=invitation)
    users = User.objects.count()
    response = signup(client, "rui.lopes@gov.pt", full_name="Rui Lopes")
    assert response.status_code == 200
    assert "has expired, been used or been withdrawn" in response.content.decode()
    assert User.objects.count() == users


def test_invitation_withdrawn_while_the_account_is_being_made_makes_no_account(client, demo):
    from unittest import mock

    invitation = _open_invitation(client, demo)
    accept = services.invitation_accept

    def withdrawn_meanwhile(*, acting_user, invitation):
        type(invitation).objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())
        return accept(acting_user=acting_user, invitation=invitation)

    users = User.objects.count()
    with mock.patch("networks.services.invitation_accept", withdrawn_meanwhile):
        response = signup(client, "rui.lopes@gov.pt", full_name="Rui Lopes")
    assert response.status_code == 200
    assert "Your account was not created" in response.content.decode()
    assert User.objects.count() == users
    assert not Membership.objects.filter(user__email="rui.lopes@gov.pt").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
