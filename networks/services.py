"""Every write about who belongs where. Each service takes the acting user, runs in one
transaction, checks the access policy itself, and writes its audit event in that transaction."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from minilateral.mail import send_templated_email
from networks import access
from networks.middleware import current_ip_address
from networks.models import (
    AuditEvent,
    GovernmentDomain,
    Invitation,
    Membership,
    NetworkCountry,
)


class ActionRefused(Exception):
    """A request that is understood but cannot be carried out; the message is for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def audit_record(*, actor, action, network=None, target=None, changes=None):
    """Append one audit event. Call it inside the service's transaction."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        network=network,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:300] if target is not None else "",
        changes=changes or {},
        ip_address=current_ip_address(),
    )


# Invitations


def _new_token():
    token = secrets.token_urlsafe(32)
    return token, token_digest(token)


def token_digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_for_token(token):
    """The invitation a link's secret belongs to, or None."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("network", "country", "invited_by")
        .filter(token_digest=token_digest(token))
        .first()
    )


def country_for_email(email):
    """The country whose registered government domain the address belongs to, or None."""
    domain = email.rpartition("@")[2].lower()
    record = GovernmentDomain.objects.select_related("country").filter(domain=domain).first()
    return record.country if record else None


@dataclass(frozen=True)
class InviteOutcome:
    INVITED = "invited"
    ALREADY_MEMBER = "already_member"
    NOT_MEMBER_COUNTRY = "not_member_country"
    INVALID = "invalid"

    email: str
    status: str
    invitation: Invitation | None = None

    @property
    def message(self):
        return {
            self.INVITED: _("Invited"),
            self.ALREADY_MEMBER: _("Already a member"),
            self.NOT_MEMBER_COUNTRY: _("The address is not of a member country’s government"),
            self.INVALID: _("Not a valid email address"),
        }[self.status]


def _send_invitation_email(invitation, token):
    send_templated_email(
        to=[invitation.email],
        template="invitation",
        context={
            "invitation": invitation,
            "network": invitation.network,
            "inviter": invitation.invited_by,
            "accept_url": settings.SITE_URL + reverse("officials:invitation_accept", args=[token]),
        },
    )


@transaction.atomic
def membership_invite(*, acting_user, network, email, role=Membership.Role.MEMBER):
    """Invite one address to the network (a convenor's act). Returns an InviteOutcome."""
    if not access.can_manage_members(acting_user, network):
        raise PermissionDenied
    if role not in Membership.Role.values:
        raise ActionRefused(_("That role does not exist."))
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        return InviteOutcome(email, InviteOutcome.INVALID)
    country = country_for_email(email)
    if (
        country is None
        or not NetworkCountry.objects.filter(
            network=network, country=country, is_active=True
        ).exists()
    ):
        return InviteOutcome(email, InviteOutcome.NOT_MEMBER_COUNTRY)
    if access.active_memberships().filter(network=network, user__email__iexact=email).exists():
        return InviteOutcome(email, InviteOutcome.ALREADY_MEMBER)

    token, digest = _new_token()
    expires_at = timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)
    invitation = (
        Invitation.objects.select_for_update()
        .filter(
            network=network, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
        )
        .first()
    )
    if invitation is None:
        invitation = Invitation.objects.create(
            email=email,
            network=network,
            role=role,
            country=country,
            invited_by=acting_user,
            token_digest=digest,
            expires_at=expires_at,
        )
        action = "invitation.create"
    else:
        # Inviting again replaces the open invitation's secret: the old link stops working.
        invitation.role = role
        invitation.invited_by = acting_user
        invitation.token_digest = digest
        invitation.expires_at = expires_at
        invitation.save(update_fields=["role", "invited_by", "token_digest", "expires_at"])
        action = "invitation.resend"
    audit_record(
        actor=acting_user,
        action=action,
        network=network,
        target=invitation,
        changes={"email": email, "role": role},
    )
    _send_invitation_email(invitation, token)
    return InviteOutcome(email, InviteOutcome.INVITED, invitation)


@transaction.atomic
def invitation_accept(*, acting_user, invitation):
    """The invited official accepts: their membership starts, with the invitation's role."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable:
        raise ActionRefused(_("This invitation has expired, been used or been withdrawn."))
    if acting_user.email.lower() != invitation.email.lower():
        raise ActionRefused(_("This invitation is for another email address."))
    if acting_user.country_id is None:
        acting_user.country = invitation.country
        acting_user.save(update_fields=["country"])
    elif acting_user.country_id != invitation.country_id:
        raise ActionRefused(_("This invitation is for an official of another country."))
    membership = (
        Membership.objects.select_for_update()
        .filter(user=acting_user, network=invitation.network)
        .first()
    )
    if membership is not None and membership.state == Membership.State.SUSPENDED:
        raise ActionRefused(
            _("Your membership of this network is suspended; ask its convenor to reinstate it.")
        )
    if membership is None:
        membership = Membership.objects.create(
            user=acting_user,
            network=invitation.network,
            role=invitation.role,
            state=Membership.State.ACTIVE,
        )
    else:
        membership.role = invitation.role
        membership.state = Membership.State.ACTIVE
        membership.save(update_fields=["role", "state", "updated_at"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = acting_user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        actor=acting_user,
        action="invitation.accept",
        network=invitation.network,
        target=membership,
        changes={"role": invitation.role, "invitation": invitation.pk},
    )
    access.forget_memberships(acting_user)
    return membership
