"""Invitations: inviting officials (one address, or a pasted list), resending and withdrawing
an invitation, and accepting it; and finding the invitation a link's secret belongs to."""

import hashlib
import re
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
from networks import access, events
from networks.models import AuditEvent, GovernmentDomain, Invitation, Membership, NetworkCountry
from networks.services.audit import ActionRefused, audit_record
from networks.services.common import _locked, _notify, _require, language_of


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
    DUPLICATE = "duplicate"
    JUST_INVITED = "just_invited"
    SUSPENDED = "suspended"

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
            self.DUPLICATE: _("Listed more than once: invited once"),
            self.JUST_INVITED: _("Invited a moment ago: not sent again"),
            self.SUSPENDED: _("Suspended from the network: reinstate them instead"),
        }[self.status]


def _invitation_expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)


def _renew_invitation(invitation, acting_user, extra_fields=()):
    """Give an open invitation a new secret and a new expiry; the old link stops working."""
    token, digest = _new_token()
    invitation.invited_by = acting_user
    invitation.token_digest = digest
    invitation.expires_at = _invitation_expiry()
    invitation.save(update_fields=[*extra_fields, "invited_by", "token_digest", "expires_at"])
    return token


def _send_invitation_email(invitation, token):
    """The invitation, in the invitee's language (`language_of` the address), not the
    inviter's."""
    send_templated_email(
        to=[invitation.email],
        template="invitation",
        language=language_of(invitation.email),
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

    invitation = (
        Invitation.objects.select_for_update()
        .filter(
            network=network, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
        )
        .first()
    )
    if invitation is None:
        token, digest = _new_token()
        invitation = Invitation.objects.create(
            email=email,
            network=network,
            role=role,
            country=country,
            invited_by=acting_user,
            token_digest=digest,
            expires_at=_invitation_expiry(),
        )
        action = "invitation.create"
    else:
        invitation.role = role
        token = _renew_invitation(invitation, acting_user, extra_fields=["role"])
        action = "invitation.resend"
    audit_record(
        actor=acting_user,
        action=action,
        network=network,
        target=invitation,
        changes={"email": email, "role": role},
    )
    _send_invitation_email(invitation, token)
    events.invitation_sent.send(sender=Invitation, invitation=invitation)
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


# Inviting many at once, resending and withdrawing invitations

MAX_ADDRESSES_AT_ONCE = 100
_SEPARATORS = re.compile(r"[,;\n\r]+")
_ANGLE_ADDRESS = re.compile(r"<([^<>]*)>")


def parse_addresses(text):
    """The addresses of a pasted list, in order: one a line, or separated by commas, semicolons
    or spaces; "Name <address>" gives the address."""
    addresses = []
    for chunk in _SEPARATORS.split(text or ""):
        angle = _ANGLE_ADDRESS.search(chunk)
        if angle:
            addresses.append(angle.group(1).strip())
        else:
            addresses.extend(chunk.split())
    return [address for address in addresses if address]


RESEND_INTERVAL = timedelta(minutes=1)


def _sent_a_moment_ago(invitation):
    """Whether the invitation's email went out less than RESEND_INTERVAL ago."""
    last_sent = (
        AuditEvent.objects.filter(
            target_type=invitation._meta.label_lower,
            target_id=str(invitation.pk),
            action__in=["invitation.create", "invitation.resend"],
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    ) or invitation.created_at
    return timezone.now() - last_sent < RESEND_INTERVAL


def _invite_precheck(network, address):
    """What `membership_invite` would get wrong for a pasted list: a submission sent twice
    (it would send again, killing the first link) and a suspended member (whose invitation
    could not be accepted). None when the address should be invited."""
    if Membership.objects.filter(
        network=network, user__email__iexact=address, state=Membership.State.SUSPENDED
    ).exists():
        return InviteOutcome.SUSPENDED
    open_invitation = Invitation.objects.filter(
        network=network, email__iexact=address, accepted_at__isnull=True, revoked_at__isnull=True
    ).first()
    if open_invitation is not None and _sent_a_moment_ago(open_invitation):
        return InviteOutcome.JUST_INVITED
    return None


@transaction.atomic
def membership_invite_many(*, acting_user, network, addresses, role=Membership.Role.MEMBER):
    """Invite every address of a pasted list; one InviteOutcome per address, in order.

    Each address is one `membership_invite` (and so one audit event per invitation sent)."""
    _require(access.can_manage_members(acting_user, network))
    if role not in Membership.Role.values:
        raise ActionRefused(_("That role does not exist."))
    listed = parse_addresses(addresses)
    if not listed:
        raise ActionRefused(_("Enter at least one email address."))
    if len(listed) > MAX_ADDRESSES_AT_ONCE:
        raise ActionRefused(
            _("Paste at most %(count)d addresses at once.") % {"count": MAX_ADDRESSES_AT_ONCE}
        )
    outcomes, seen = [], set()
    for address in listed:
        if address.lower() in seen:
            outcomes.append(InviteOutcome(address.lower(), InviteOutcome.DUPLICATE))
            continue
        seen.add(address.lower())
        refused = _invite_precheck(network, address)
        if refused is not None:
            outcomes.append(InviteOutcome(address.lower(), refused))
            continue
        outcomes.append(
            membership_invite(acting_user=acting_user, network=network, email=address, role=role)
        )
    return outcomes


def _open_invitation(invitation):
    """The invitation, locked, if it can still be resent or withdrawn."""
    invitation = _locked(invitation)
    if invitation.accepted_at is not None:
        raise ActionRefused(
            _("%(email)s has already accepted the invitation.") % {"email": invitation.email}
        )
    if invitation.revoked_at is not None:
        raise ActionRefused(
            _("The invitation of %(email)s was already withdrawn.") % {"email": invitation.email}
        )
    return invitation


@transaction.atomic
def invitation_resend(*, acting_user, invitation):
    """Send an open (or expired) invitation again, with a new link and a new expiry."""
    network = invitation.network
    _require(access.can_manage_members(acting_user, network))
    invitation = _open_invitation(invitation)
    # A double click would otherwise send two emails, the first with a dead link.
    if _sent_a_moment_ago(invitation):
        raise ActionRefused(
            _("The invitation of %(email)s was sent a moment ago.") % {"email": invitation.email}
        )
    if access.active_memberships().filter(network=network, user__email__iexact=invitation.email):
        raise ActionRefused(_("%(email)s is already a member.") % {"email": invitation.email})
    token = _renew_invitation(invitation, acting_user)
    audit_record(
        actor=acting_user,
        action="invitation.resend",
        network=network,
        target=invitation,
        changes={"email": invitation.email, "role": invitation.role},
    )
    _send_invitation_email(invitation, token)
    return invitation


@transaction.atomic
def invitation_revoke(*, acting_user, invitation):
    """Withdraw an open invitation: its link stops working."""
    network = invitation.network
    _require(access.can_manage_members(acting_user, network))
    invitation = _open_invitation(invitation)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        actor=acting_user,
        action="invitation.revoke",
        network=network,
        target=invitation,
        changes={"email": invitation.email},
    )
    _notify(
        [invitation.email],
        compose=lambda: {
            "subject": _("Your invitation to %(network)s was withdrawn")
            % {"network": network.name},
            "paragraphs": [
                _(
                    "The invitation to join %(network)s on Minilateral that was sent to this "
                    "address has been withdrawn; its link no longer works."
                )
                % {"network": network.name},
                _("If you think this is a mistake, ask the network’s convenor."),
            ],
        },
    )
    return invitation
