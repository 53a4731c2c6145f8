"""Every write about who belongs where. Each service takes the acting user, runs in one
transaction, checks the access policy itself, and writes its audit event in that transaction."""

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
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minilateral.mail import send_templated_email
from networks import access, events
from networks.middleware import current_ip_address
from networks.models import (
    Attribution,
    AuditEvent,
    FocalPoint,
    GovernmentDomain,
    Invitation,
    JoinRequest,
    Membership,
    NetworkCountry,
    WorkingGroup,
)


class ActionRefused(Exception):
    """A request that is understood but cannot be carried out; the message is for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# The vocabulary of the audit log: every action a service (or the admin) records.
AUDIT_ACTIONS = {
    "invitation.create": gettext_lazy("Invited an official"),
    "invitation.resend": gettext_lazy("Sent an invitation again"),
    "invitation.revoke": gettext_lazy("Withdrew an invitation"),
    "invitation.accept": gettext_lazy("Accepted an invitation"),
    "join_request.create": gettext_lazy("Asked to join"),
    "join_request.approve": gettext_lazy("Approved a join request"),
    "join_request.decline": gettext_lazy("Declined a join request"),
    "membership.change_role": gettext_lazy("Changed a member’s role"),
    "membership.suspend": gettext_lazy("Suspended a member"),
    "membership.reinstate": gettext_lazy("Reinstated a member"),
    "membership.remove": gettext_lazy("Removed a member"),
    "membership.leave": gettext_lazy("Left the network"),
    "network.update": gettext_lazy("Changed the network’s purpose or policies"),
    "network.country_add": gettext_lazy("Added a member country"),
    "network.country_remove": gettext_lazy("Removed a member country"),
    "focal_point.add": gettext_lazy("Named a focal point"),
    "focal_point.remove": gettext_lazy("Removed a focal point"),
    "working_group.create": gettext_lazy("Created a working group"),
    "working_group.update": gettext_lazy("Edited a working group"),
    "working_group.archive": gettext_lazy("Archived a working group"),
    "working_group.set_members": gettext_lazy("Chose a working group’s members"),
    "admin.add": gettext_lazy("Added a record in the admin"),
    "admin.change": gettext_lazy("Changed a record in the admin"),
    "admin.delete": gettext_lazy("Deleted a record in the admin"),
}


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


# Telling the affected official


def _absolute(path):
    return settings.SITE_URL + path


def _notify(recipients, *, subject, paragraphs, link=None, link_text=""):
    """Email each recipient (a user or an address) on their own: no one sees who else was told."""
    for recipient in recipients:
        email = getattr(recipient, "email", recipient)
        send_templated_email(
            to=[email],
            template="network_notice",
            context={
                "subject": subject,
                "paragraphs": paragraphs,
                "link_url": _absolute(link) if link else "",
                "link_text": link_text,
            },
        )


def _notify_network_member(user, network, *, subject, paragraphs):
    _notify(
        [user],
        subject=subject,
        paragraphs=paragraphs,
        link=network.get_absolute_url(),
        link_text=_("Open %(network)s") % {"network": network.name},
    )


# Privileged roles must use a second factor (access.requires_mfa); the sign-in enforces it.
_SECOND_FACTOR_NOTE = gettext_lazy(
    "This role signs in with a second factor: if you have none yet, Minilateral will ask you "
    "to set one up the next time you open a page."
)


def _require(allowed):
    if not allowed:
        raise PermissionDenied


def _locked(instance):
    """The row again, locked for the rest of the transaction: a stale copy decides nothing."""
    return type(instance).objects.select_for_update().get(pk=instance.pk)


def _person(user):
    return user.get_full_name()


def _role_label(role):
    return Membership.Role(role).label


def _other_convenors(network, *, besides):
    return access.network_convenors(network).exclude(user_id=besides.pk).exists()


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
        subject=_("Your invitation to %(network)s was withdrawn") % {"network": network.name},
        paragraphs=[
            _(
                "The invitation to join %(network)s on Minilateral that was sent to this "
                "address has been withdrawn; its link no longer works."
            )
            % {"network": network.name},
            _("If you think this is a mistake, ask the network’s convenor."),
        ],
    )
    return invitation


# Join requests


@transaction.atomic
def join_request_create(*, acting_user, network, message=""):
    """An official asks to join a listed network their country belongs to."""
    _require(access.may_ask_to_join(acting_user, network))
    if access.is_member(acting_user, network):
        raise ActionRefused(
            _("You are already a member of %(network)s.") % {"network": network.name}
        )
    if access.has_pending_join_request(acting_user, network):
        raise ActionRefused(
            _("You have already asked to join %(network)s; your request is waiting for a decision.")
            % {"network": network.name}
        )
    message = (message or "").strip()
    if len(message) > 1000:
        raise ActionRefused(_("Keep the message to 1,000 characters or fewer."))
    join_request = JoinRequest.objects.create(user=acting_user, network=network, message=message)
    audit_record(
        actor=acting_user,
        action="join_request.create",
        network=network,
        target=join_request,
        changes={"official": acting_user.email},
    )
    _notify(
        access.join_request_deciders(network, acting_user.country),
        subject=_("%(person)s asks to join %(network)s")
        % {"person": _person(acting_user), "network": network.name},
        paragraphs=[
            _("%(person)s (%(country)s) asks to join %(network)s.")
            % {
                "person": _person(acting_user),
                "country": acting_user.country,
                "network": network.name,
            },
            message,
        ],
        link=reverse("networks:join_requests", args=[network.slug]),
        link_text=_("Decide on the request"),
    )
    return join_request


def _pending(join_request):
    join_request = _locked(join_request)
    if join_request.state != JoinRequest.State.PENDING:
        raise ActionRefused(
            _("The request of %(person)s was already decided (%(state)s).")
            % {"person": _person(join_request.user), "state": join_request.get_state_display()}
        )
    return join_request


def _tell_in_the_app(join_request):
    """The decision in the applicant's inbox too (the email below is the one they get)."""
    events.join_request_decided.send(sender=JoinRequest, join_request=join_request)


def _decide(join_request, acting_user, state):
    join_request.state = state
    join_request.decided_by = acting_user
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["state", "decided_by", "decided_at"])


@transaction.atomic
def join_request_approve(*, acting_user, join_request):
    """A convenor, or a focal point for their own country's officials, lets the official in."""
    _require(access.can_decide_join_request(acting_user, join_request))
    join_request = _pending(join_request)
    network, applicant = join_request.network, join_request.user
    if not applicant.is_active or not NetworkCountry.objects.filter(
        network=network, country_id=applicant.country_id, is_active=True
    ):
        raise ActionRefused(
            _("%(person)s’s country is no longer a member of %(network)s.")
            % {"person": _person(applicant), "network": network.name}
        )
    membership = (
        Membership.objects.select_for_update().filter(user=applicant, network=network).first()
    )
    if membership is not None and membership.state == Membership.State.SUSPENDED:
        raise ActionRefused(
            _("%(person)s is suspended from this network: reinstate them instead.")
            % {"person": _person(applicant)}
        )
    if membership is None:
        membership = Membership.objects.create(user=applicant, network=network)
    elif membership.state != Membership.State.ACTIVE:
        membership.role = Membership.Role.MEMBER
        membership.state = Membership.State.ACTIVE
        membership.save(update_fields=["role", "state", "updated_at"])
    _decide(join_request, acting_user, JoinRequest.State.APPROVED)
    _tell_in_the_app(join_request)
    audit_record(
        actor=acting_user,
        action="join_request.approve",
        network=network,
        target=join_request,
        changes={"official": applicant.email, "membership": membership.pk},
    )
    _notify_network_member(
        applicant,
        network,
        subject=_("Welcome to %(network)s") % {"network": network.name},
        paragraphs=[
            _("Your request to join %(network)s was approved. You are now a member.")
            % {"network": network.name}
        ],
    )
    return membership


@transaction.atomic
def join_request_decline(*, acting_user, join_request):
    _require(access.can_decide_join_request(acting_user, join_request))
    join_request = _pending(join_request)
    network = join_request.network
    _decide(join_request, acting_user, JoinRequest.State.DECLINED)
    _tell_in_the_app(join_request)
    audit_record(
        actor=acting_user,
        action="join_request.decline",
        network=network,
        target=join_request,
        changes={"official": join_request.user.email},
    )
    _notify(
        [join_request.user],
        subject=_("Your request to join %(network)s") % {"network": network.name},
        paragraphs=[
            _("Your request to join %(network)s was declined.") % {"network": network.name},
            _("If you think this is a mistake, ask your country’s focal point or the convenor."),
        ],
    )
    return join_request


# Members: roles, suspension, removal, leaving


def _managed(acting_user, membership):
    """The membership, locked, after checking the acting user manages its network."""
    _require(access.can_manage_members(acting_user, membership.network))
    return _locked(membership)


def _refuse_unless_in_network(membership):
    if membership.state not in (Membership.State.ACTIVE, Membership.State.SUSPENDED):
        raise ActionRefused(
            _("%(person)s is no longer a member of this network.")
            % {"person": _person(membership.user)}
        )


def _refuse_acting_on_self(acting_user, membership):
    if membership.user_id == acting_user.pk:
        raise ActionRefused(
            _("You cannot do that to your own membership; to leave, use “Leave the network”.")
        )


@transaction.atomic
def membership_change_role(*, acting_user, membership, role):
    network = membership.network
    membership = _managed(acting_user, membership)
    if role not in Membership.Role.values:
        raise ActionRefused(_("That role does not exist."))
    _refuse_unless_in_network(membership)
    if membership.role == role:
        raise ActionRefused(
            _("The role of %(person)s is already %(role)s.")
            % {"person": _person(membership.user), "role": _role_label(role)}
        )
    losing_management = (
        membership.capabilities.can_manage_members and not Membership.Role(role).can_manage_members
    )
    if losing_management and not _other_convenors(network, besides=membership.user):
        raise ActionRefused(_("Name another convenor first: a network needs at least one."))
    old_role = membership.role
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    audit_record(
        actor=acting_user,
        action="membership.change_role",
        network=network,
        target=membership,
        changes={"role": [old_role, role]},
    )
    access.forget_memberships(acting_user)
    _notify_network_member(
        membership.user,
        network,
        subject=_("Your role in %(network)s changed") % {"network": network.name},
        paragraphs=[
            _("Your role in %(network)s is now %(role)s (it was %(old_role)s).")
            % {
                "role": _role_label(role),
                "network": network.name,
                "old_role": _role_label(old_role),
            },
            _SECOND_FACTOR_NOTE if Membership.Role(role).needs_mfa else "",
        ],
    )
    return membership


@transaction.atomic
def membership_suspend(*, acting_user, membership):
    """Suspend an active member: no access from their very next request; reversible."""
    network = membership.network
    membership = _managed(acting_user, membership)
    if membership.state == Membership.State.SUSPENDED:
        raise ActionRefused(
            _("%(person)s is already suspended.") % {"person": _person(membership.user)}
        )
    _refuse_unless_in_network(membership)
    _refuse_acting_on_self(acting_user, membership)
    membership.state = Membership.State.SUSPENDED
    membership.save(update_fields=["state", "updated_at"])
    audit_record(
        actor=acting_user,
        action="membership.suspend",
        network=network,
        target=membership,
        changes={"state": [Membership.State.ACTIVE, Membership.State.SUSPENDED]},
    )
    _notify(
        [membership.user],
        subject=_("Your membership of %(network)s is suspended") % {"network": network.name},
        paragraphs=[
            _(
                "Your membership of %(network)s has been suspended: you no longer see its "
                "content or hear about it. What you wrote stays."
            )
            % {"network": network.name},
            _("If you think this is a mistake, ask the network’s convenor."),
        ],
    )
    return membership


@transaction.atomic
def membership_reinstate(*, acting_user, membership):
    network = membership.network
    membership = _managed(acting_user, membership)
    if membership.state != Membership.State.SUSPENDED:
        raise ActionRefused(
            _("%(person)s is not suspended.") % {"person": _person(membership.user)}
        )
    membership.state = Membership.State.ACTIVE
    membership.save(update_fields=["state", "updated_at"])
    audit_record(
        actor=acting_user,
        action="membership.reinstate",
        network=network,
        target=membership,
        changes={"state": [Membership.State.SUSPENDED, Membership.State.ACTIVE]},
    )
    _notify_network_member(
        membership.user,
        network,
        subject=_("Your membership of %(network)s is restored") % {"network": network.name},
        paragraphs=[
            _("Your suspension from %(network)s has ended: welcome back.")
            % {"network": network.name}
        ],
    )
    return membership


def _end_membership(membership):
    """Mark the membership left, and take the official out of the network's working groups and
    focal points (a suspension keeps them, to come back to). Returns what was taken away."""
    old_state = membership.state
    membership.state = Membership.State.LEFT
    membership.save(update_fields=["state", "updated_at"])
    groups = list(
        WorkingGroup.objects.filter(network_id=membership.network_id, members=membership.user_id)
    )
    for group in groups:
        group.members.remove(membership.user_id)
    focal_points = FocalPoint.objects.filter(
        user_id=membership.user_id, network_country__network_id=membership.network_id
    )
    was_focal_point = focal_points.exists()
    focal_points.delete()
    return {
        "state": [old_state, Membership.State.LEFT],
        "working_groups": [group.slug for group in groups],
        "focal_point": was_focal_point,
    }


@transaction.atomic
def membership_remove(*, acting_user, membership):
    """Take an official out of the network. Their past content stays."""
    network = membership.network
    membership = _managed(acting_user, membership)
    _refuse_unless_in_network(membership)
    _refuse_acting_on_self(acting_user, membership)
    changes = _end_membership(membership)
    audit_record(
        actor=acting_user,
        action="membership.remove",
        network=network,
        target=membership,
        changes=changes,
    )
    _notify(
        [membership.user],
        subject=_("You are no longer a member of %(network)s") % {"network": network.name},
        paragraphs=[
            _(
                "The convenor of %(network)s has removed you from the network: you no longer "
                "see its content or hear about it. What you wrote stays."
            )
            % {"network": network.name}
        ],
    )
    return membership


@transaction.atomic
def membership_leave(*, acting_user, network):
    """The official leaves the network themselves."""
    membership = (
        Membership.objects.select_for_update().filter(user=acting_user, network=network).first()
    )
    if membership is None or not access.is_member(acting_user, network):
        raise ActionRefused(_("You are not a member of %(network)s.") % {"network": network.name})
    if membership.capabilities.can_manage_members and not _other_convenors(
        network, besides=acting_user
    ):
        raise ActionRefused(
            _("Name another convenor before you leave: a network needs at least one.")
        )
    changes = _end_membership(membership)
    audit_record(
        actor=acting_user,
        action="membership.leave",
        network=network,
        target=membership,
        changes=changes,
    )
    access.forget_memberships(acting_user)
    _notify(
        [convenorship.user for convenorship in access.network_convenors(network)],
        subject=_("%(person)s left %(network)s")
        % {"person": _person(acting_user), "network": network.name},
        paragraphs=[
            _("%(person)s (%(country)s) has left %(network)s.")
            % {
                "person": _person(acting_user),
                "country": acting_user.country,
                "network": network.name,
            }
        ],
        link=reverse("networks:members", args=[network.slug]),
        link_text=_("See the members"),
    )
    return membership


# Member countries and their focal points


def _members_of_country(network, country):
    return access.active_memberships().filter(network=network, user__country=country)


@transaction.atomic
def network_country_add(*, acting_user, network, country):
    _require(access.can_manage_members(acting_user, network))
    link = (
        NetworkCountry.objects.select_for_update().filter(network=network, country=country).first()
    )
    if link is not None and link.is_active:
        raise ActionRefused(
            _("%(country)s is already a member of %(network)s.")
            % {"country": country, "network": network.name}
        )
    if link is None:
        link = NetworkCountry.objects.create(network=network, country=country)
    else:
        link.is_active = True
        link.joined_on = timezone.localdate()
        link.save(update_fields=["is_active", "joined_on"])
    audit_record(
        actor=acting_user,
        action="network.country_add",
        network=network,
        target=link,
        changes={"country": country.code},
    )
    # Officials of the country whose memberships were kept get their access back.
    for membership in _members_of_country(network, country).select_related("user"):
        _notify_network_member(
            membership.user,
            network,
            subject=_("%(country)s is a member of %(network)s again")
            % {"country": country, "network": network.name},
            paragraphs=[
                _("%(country)s has rejoined %(network)s, and with it your membership.")
                % {"country": country, "network": network.name}
            ],
        )
    return link


@transaction.atomic
def network_country_remove(*, acting_user, network, country):
    """The country leaves the network: its officials lose access from their next request."""
    _require(access.can_manage_members(acting_user, network))
    link = (
        NetworkCountry.objects.select_for_update().filter(network=network, country=country).first()
    )
    if link is None or not link.is_active:
        raise ActionRefused(
            _("%(country)s is not a member of %(network)s.")
            % {"country": country, "network": network.name}
        )
    if not access.network_convenors(network).exclude(user__country=country).exists():
        raise ActionRefused(
            _(
                "That would leave %(network)s without a convenor: "
                "name one from another country first."
            )
            % {"network": network.name}
        )
    affected = [membership.user for membership in _members_of_country(network, country)]
    focal_points = list(link.focal_points.values_list("user__email", flat=True))
    link.focal_points.all().delete()
    link.is_active = False
    link.save(update_fields=["is_active"])
    audit_record(
        actor=acting_user,
        action="network.country_remove",
        network=network,
        target=link,
        changes={
            "country": country.code,
            "members_affected": len(affected),
            "focal_points_removed": focal_points,
        },
    )
    _notify(
        affected,
        subject=_("%(country)s is no longer a member of %(network)s")
        % {"country": country, "network": network.name},
        paragraphs=[
            _(
                "%(country)s is no longer a member of %(network)s, so your access to the "
                "network has ended. What you wrote stays."
            )
            % {"country": country, "network": network.name}
        ],
    )
    return link


@transaction.atomic
def focal_point_add(*, acting_user, network, country, user):
    """Name an official as their country's focal point: they then decide its join requests."""
    _require(access.can_manage_members(acting_user, network))
    link = (
        NetworkCountry.objects.select_for_update()
        .filter(network=network, country=country, is_active=True)
        .first()
    )
    if link is None:
        raise ActionRefused(
            _("%(country)s is not a member of %(network)s.")
            % {"country": country, "network": network.name}
        )
    if not _members_of_country(network, country).filter(user=user).exists():
        raise ActionRefused(
            _("A focal point must be an active member of the network from %(country)s.")
            % {"country": country}
        )
    if link.focal_points.filter(user=user).exists():
        raise ActionRefused(
            _("%(person)s is already a focal point for %(country)s.")
            % {"person": _person(user), "country": country}
        )
    focal_point = FocalPoint.objects.create(network_country=link, user=user)
    audit_record(
        actor=acting_user,
        action="focal_point.add",
        network=network,
        target=focal_point,
        changes={"country": country.code, "official": user.email},
    )
    _notify_network_member(
        user,
        network,
        subject=_("You are a focal point of %(network)s") % {"network": network.name},
        paragraphs=[
            _(
                "You are now %(country)s’s focal point in %(network)s: you decide on the "
                "requests of officials of %(country)s to join."
            )
            % {"country": country, "network": network.name},
            _SECOND_FACTOR_NOTE,
        ],
    )
    return focal_point


@transaction.atomic
def focal_point_remove(*, acting_user, network, country, user):
    _require(access.can_manage_members(acting_user, network))
    focal_point = (
        FocalPoint.objects.select_for_update()
        .filter(network_country__network=network, network_country__country=country, user=user)
        .first()
    )
    if focal_point is None:
        raise ActionRefused(
            _("%(person)s is not a focal point for %(country)s.")
            % {"person": _person(user), "country": country}
        )
    audit_record(
        actor=acting_user,
        action="focal_point.remove",
        network=network,
        target=focal_point,
        changes={"country": country.code, "official": user.email},
    )
    focal_point.delete()
    _notify_network_member(
        user,
        network,
        subject=_("You are no longer a focal point of %(network)s") % {"network": network.name},
        paragraphs=[
            _("You are no longer %(country)s’s focal point in %(network)s.")
            % {"country": country, "network": network.name}
        ],
    )


# Working groups


def _clean_group_name(network, name, *, besides=None):
    name = (name or "").strip()
    if not name:
        raise ActionRefused(_("Enter the working group’s name."))
    same_name = WorkingGroup.objects.filter(network=network, name__iexact=name)
    if besides is not None:
        same_name = same_name.exclude(pk=besides.pk)
    if same_name.exists():
        raise ActionRefused(
            _("%(network)s already has a working group called “%(name)s”.")
            % {"network": network.name, "name": name}
        )
    return name


def _unique_group_slug(network, name):
    base = slugify(name)[:90] or "group"
    slug, number = base, 1
    while WorkingGroup.objects.filter(network=network, slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _refuse_if_archived(group):
    if group.is_archived:
        raise ActionRefused(_("“%(group)s” is archived.") % {"group": group.name})


@transaction.atomic
def working_group_create(*, acting_user, network, name, purpose=""):
    _require(access.can_manage_members(acting_user, network))
    name = _clean_group_name(network, name)
    group = WorkingGroup.objects.create(
        network=network,
        name=name,
        slug=_unique_group_slug(network, name),
        purpose=(purpose or "").strip(),
    )
    audit_record(
        actor=acting_user,
        action="working_group.create",
        network=network,
        target=group,
        changes={"name": name, "slug": group.slug},
    )
    return group


@transaction.atomic
def working_group_update(*, acting_user, group, name, purpose):
    """Rename a working group or change its purpose; its address stays the same."""
    network = group.network
    _require(access.can_manage_members(acting_user, network))
    group = _locked(group)
    _refuse_if_archived(group)
    name = _clean_group_name(network, name, besides=group)
    purpose = (purpose or "").strip()
    changes = {
        field: [getattr(group, field), value]
        for field, value in (("name", name), ("purpose", purpose))
        if getattr(group, field) != value
    }
    if not changes:
        raise ActionRefused(_("Nothing changed."))
    group.name, group.purpose = name, purpose
    group.save(update_fields=["name", "purpose"])
    audit_record(
        actor=acting_user,
        action="working_group.update",
        network=network,
        target=group,
        changes=changes,
    )
    return group


@transaction.atomic
def working_group_archive(*, acting_user, group):
    """Archive a working group: it stays readable to its members, and nothing new happens in it."""
    network = group.network
    _require(access.can_manage_members(acting_user, network))
    group = _locked(group)
    _refuse_if_archived(group)
    group.is_archived = True
    group.save(update_fields=["is_archived"])
    audit_record(
        actor=acting_user,
        action="working_group.archive",
        network=network,
        target=group,
        changes={"is_archived": [False, True]},
    )
    _notify(
        [
            membership.user
            for membership in access.active_memberships().filter(
                network=network, user__in=group.members.all()
            )
        ],
        subject=_("“%(group)s” is archived") % {"group": group.name},
        paragraphs=[
            _("The working group “%(group)s” of %(network)s has been archived.")
            % {"group": group.name, "network": network.name}
        ],
        link=group.get_absolute_url(),
        link_text=_("Open the working group"),
    )
    return group


@transaction.atomic
def working_group_set_members(*, acting_user, group, members):
    """Choose the group's members among the network's active members.

    Officials whose network membership is not active now (suspended, say) keep their place:
    they cannot be chosen, so they are not taken out either."""
    network = group.network
    _require(access.can_manage_members(acting_user, network))
    group = _locked(group)
    _refuse_if_archived(group)
    chosen = {user.pk: user for user in members}
    eligible = access.active_memberships().filter(network=network).select_related("user")
    eligible_users = {membership.user_id: membership.user for membership in eligible}
    not_eligible = [user for pk, user in chosen.items() if pk not in eligible_users]
    if not_eligible:
        raise ActionRefused(
            _("%(person)s is not an active member of %(network)s.")
            % {"person": _person(not_eligible[0]), "network": network.name}
        )
    current = set(group.members.values_list("pk", flat=True))
    added = [chosen[pk] for pk in chosen if pk not in current]
    removed = [eligible_users[pk] for pk in current & set(eligible_users) if pk not in chosen]
    if not added and not removed:
        raise ActionRefused(_("Nothing changed."))
    group.members.add(*added)
    group.members.remove(*removed)
    audit_record(
        actor=acting_user,
        action="working_group.set_members",
        network=network,
        target=group,
        changes={
            "added": sorted(user.email for user in added),
            "removed": sorted(user.email for user in removed),
        },
    )
    _notify(
        added,
        subject=_("You are in the working group “%(group)s”") % {"group": group.name},
        paragraphs=[
            _("You are now a member of the working group “%(group)s” of %(network)s.")
            % {"group": group.name, "network": network.name},
            group.purpose,
        ],
        link=group.get_absolute_url(),
        link_text=_("Open the working group"),
    )
    _notify(
        removed,
        subject=_("You are no longer in the working group “%(group)s”") % {"group": group.name},
        paragraphs=[
            _("You are no longer a member of the working group “%(group)s” of %(network)s.")
            % {"group": group.name, "network": network.name}
        ],
    )
    return group


# The network itself

NETWORK_POLICY_FIELDS = ("purpose", "is_listed", "requires_review", "default_attribution")


@transaction.atomic
def network_update(
    *, acting_user, network, purpose, is_listed, requires_review, default_attribution
):
    """Change the network's purpose and its policies."""
    _require(access.can_manage_members(acting_user, network))
    if default_attribution not in Attribution.values:
        raise ActionRefused(_("That attribution does not exist."))
    purpose = (purpose or "").strip()
    if not purpose:
        raise ActionRefused(_("Enter the network’s purpose."))
    locked = _locked(network)
    wanted = {
        "purpose": purpose,
        "is_listed": bool(is_listed),
        "requires_review": bool(requires_review),
        "default_attribution": default_attribution,
    }
    changes = {
        field: [getattr(locked, field), value]
        for field, value in wanted.items()
        if getattr(locked, field) != value
    }
    if not changes:
        raise ActionRefused(_("Nothing changed."))
    for field, value in wanted.items():
        setattr(locked, field, value)
        setattr(network, field, value)
    locked.save(update_fields=list(changes))
    audit_record(
        actor=acting_user,
        action="network.update",
        network=network,
        target=locked,
        changes=changes,
    )
    return locked


# Records kept for a limited time (the retention page says so): refused accesses, which name
# an official, a page and an address, for REFUSALS_KEPT_DAYS; used form tokens for a day
# (networks.submissions.KEPT), each official's also removed as they send the next form.
REFUSALS_KEPT_DAYS = settings.REFUSED_ACCESS_KEPT_DAYS


@transaction.atomic
def purge_expired_records(*, now=None):
    """Delete refused accesses and used form tokens past their time. Run every day (the daily
    digests' run calls it: notifications.services.send_digests). Returns {model: deleted}."""
    from networks.models import AccessDenial, FormSubmission
    from networks.submissions import KEPT

    now = now or timezone.now()
    refusals, _ = AccessDenial.objects.filter(
        created_at__lt=now - timedelta(days=REFUSALS_KEPT_DAYS)
    ).delete()
    submissions, _ = FormSubmission.objects.filter(created_at__lt=now - KEPT).delete()
    return {"refused accesses": refusals, "form submissions": submissions}
