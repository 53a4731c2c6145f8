"""Memberships: changing a member's role, suspending and reinstating a member, removing one,
and leaving a network."""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from networks import access
from networks.models import FocalPoint, Membership, WorkingGroup
from networks.services.audit import ActionRefused, audit_record
from networks.services.common import (
    _SECOND_FACTOR_NOTE,
    _locked,
    _notify,
    _notify_network_member,
    _person,
    _require,
)


def _role_label(role):
    return Membership.Role(role).label


def _other_convenors(network, *, besides):
    return access.network_convenors(network).exclude(user_id=besides.pk).exists()


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
        compose=lambda: {
            "subject": _("Your role in %(network)s changed") % {"network": network.name},
            "paragraphs": [
                _("Your role in %(network)s is now %(role)s (it was %(old_role)s).")
                % {
                    "role": _role_label(role),
                    "network": network.name,
                    "old_role": _role_label(old_role),
                },
                _SECOND_FACTOR_NOTE if Membership.Role(role).needs_mfa else "",
            ],
        },
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
        compose=lambda: {
            "subject": _("Your membership of %(network)s is suspended") % {"network": network.name},
            "paragraphs": [
                _(
                    "Your membership of %(network)s has been suspended: you no longer see its "
                    "content or hear about it. What you wrote stays."
                )
                % {"network": network.name},
                _("If you think this is a mistake, ask the network’s convenor."),
            ],
        },
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
        compose=lambda: {
            "subject": _("Your membership of %(network)s is restored") % {"network": network.name},
            "paragraphs": [
                _("Your suspension from %(network)s has ended: welcome back.")
                % {"network": network.name}
            ],
        },
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
        compose=lambda: {
            "subject": _("You are no longer a member of %(network)s") % {"network": network.name},
            "paragraphs": [
                _(
                    "The convenor of %(network)s has removed you from the network: you no "
                    "longer see its content or hear about it. What you wrote stays."
                )
                % {"network": network.name}
            ],
        },
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
        compose=lambda: {
            "subject": _("%(person)s left %(network)s")
            % {"person": _person(acting_user), "network": network.name},
            "paragraphs": [
                _("%(person)s (%(country)s) has left %(network)s.")
                % {
                    "person": _person(acting_user),
                    "country": acting_user.country,
                    "network": network.name,
                }
            ],
            "link_text": _("See the members"),
        },
        link=reverse("networks:members", args=[network.slug]),
    )
    return membership
