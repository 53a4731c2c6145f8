"""What an official is told of a network they no longer belong to: that their membership is
suspended or has ended, since when, and whom to ask. Nothing else of the space is shown; a page
of that space they open answers 404 with that notice and nothing of the page."""

from dataclasses import dataclass

from django.http import Http404
from django.template.loader import render_to_string

from networks.models import Membership

ENDED_STATES = (Membership.State.SUSPENDED, Membership.State.LEFT)


@dataclass(frozen=True)
class EndedMembership:
    membership: Membership
    convenors: list  # the network's active convenors: whom to ask

    @property
    def network(self):
        return self.membership.network

    @property
    def is_suspended(self):
        return self.membership.state == Membership.State.SUSPENDED

    @property
    def since(self):
        return self.membership.updated_at


class MembershipEnded(Http404):
    """A 404 for a former member, carrying the notice the error page shows instead of its own."""

    def __init__(self, ended):
        super().__init__("membership ended")
        self.explanation = render_to_string("networks/_membership_ended.html", {"ended": ended})


def ended_memberships(user, network_id=None):
    """The user's suspended and ended memberships (of networks they have not joined again)."""
    from networks import access  # access asks this module when it refuses a former member

    if not user.is_authenticated:
        return []
    memberships = Membership.objects.filter(user=user, state__in=ENDED_STATES).select_related(
        "network"
    )
    if network_id is not None:
        memberships = memberships.filter(network_id=network_id)
    found = []
    for membership in memberships.order_by("network__name"):
        convenors = [
            m.user
            for m in access.network_convenors(membership.network)
            .select_related("user")
            .order_by("user__full_name")
        ]
        found.append(EndedMembership(membership=membership, convenors=convenors))
    return found


def refuse_former_member(user, network_id):
    """Raise the former member's 404 when `user` was a member of the network; else return."""
    for ended in ended_memberships(user, network_id):
        raise MembershipEnded(ended)
