"""Join requests: an official asks to join a listed network their country belongs to; a
convenor, or the focal point of the official's country, approves or declines."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from networks import access, events
from networks.models import JoinRequest, Membership, NetworkCountry
from networks.services.audit import ActionRefused, audit_record
from networks.services.common import _locked, _notify, _notify_network_member, _person, _require


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
        compose=lambda: {
            "subject": _("%(person)s asks to join %(network)s")
            % {"person": _person(acting_user), "network": network.name},
            "paragraphs": [
                _("%(person)s (%(country)s) asks to join %(network)s.")
                % {
                    "person": _person(acting_user),
                    "country": acting_user.country,
                    "network": network.name,
                },
                message,
            ],
            "link_text": _("Decide on the request"),
        },
        link=reverse("networks:join_requests", args=[network.slug]),
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
        compose=lambda: {
            "subject": _("Welcome to %(network)s") % {"network": network.name},
            "paragraphs": [
                _("Your request to join %(network)s was approved. You are now a member.")
                % {"network": network.name}
            ],
        },
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
        compose=lambda: {
            "subject": _("Your request to join %(network)s") % {"network": network.name},
            "paragraphs": [
                _("Your request to join %(network)s was declined.") % {"network": network.name},
                _(
                    "If you think this is a mistake, ask your country’s focal point or the "
                    "convenor."
                ),
            ],
        },
    )
    return join_request
