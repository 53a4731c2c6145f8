"""The access policy: who may see and do what. Every query for private content starts here.

Three kinds of function:
- querysets of what a user may see (`member_networks`, `network_members`, ...);
- predicates of what a user may do (`can_manage_members`, `can_moderate`, ...);
- fetchers that raise Http404 for outsiders, exactly as for a missing object
  (`get_member_network`, ...).

A membership gives access only while it is active, the account is active, and the official's
country is an active member of the network. Nothing is cached beyond one request's user object,
so a suspension takes effect on the very next request.
"""

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from networks.models import (
    FocalPoint,
    JoinRequest,
    Membership,
    Network,
    NetworkCountry,
    WorkingGroup,
)


def _country_is_active_member():
    return Exists(
        NetworkCountry.objects.filter(
            network_id=OuterRef("network_id"),
            country_id=OuterRef("user__country_id"),
            is_active=True,
        )
    )


def active_memberships(user=None):
    """Memberships that give access now; all of them, or one user's."""
    memberships = Membership.objects.filter(
        state=Membership.State.ACTIVE, user__is_active=True
    ).filter(_country_is_active_member())
    if user is not None:
        if not user.is_authenticated:
            return memberships.none()
        memberships = memberships.filter(user=user)
    return memberships


def _memberships_by_network(user):
    """The user's active memberships, keyed by network id, looked up once per request."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_active_memberships", None)
    if cached is None:
        cached = {m.network_id: m for m in active_memberships(user)}
        user._active_memberships = cached
    return cached


def forget_memberships(user):
    """Drop the per-request memory after a change to the user's own memberships."""
    if hasattr(user, "_active_memberships"):
        del user._active_memberships


def membership_in(user, network):
    """The user's active membership of the network, or None."""
    return _memberships_by_network(user).get(network.pk)


def is_member(user, network):
    return membership_in(user, network) is not None


# What a user may see


def member_networks(user):
    """Networks whose content the user may see: those where they are an active member."""
    return Network.objects.filter(pk__in=list(_memberships_by_network(user)))


def directory_networks(user):
    """Networks the directory shows: listed ones, and any the user belongs to."""
    if not user.is_authenticated:
        return Network.objects.none()
    return Network.objects.filter(Q(is_listed=True) | Q(pk__in=list(_memberships_by_network(user))))


def network_members(user, network):
    """The network's active members, visible to its active members only."""
    if not is_member(user, network):
        return Membership.objects.none()
    return active_memberships().filter(network=network).select_related("user", "user__country")


def listed_working_groups(user, network):
    """The working groups a network member sees listed on the network's home."""
    if not is_member(user, network):
        return WorkingGroup.objects.none()
    return WorkingGroup.objects.filter(network=network, is_archived=False)


def visible_working_groups(user):
    """Working groups whose content the user may see: they belong to it, or moderate its network."""
    memberships = _memberships_by_network(user)
    if not memberships:
        return WorkingGroup.objects.none()
    moderated = [nid for nid, m in memberships.items() if m.capabilities.can_moderate]
    return (
        WorkingGroup.objects.filter(network_id__in=list(memberships))
        .filter(Q(members=user) | Q(network_id__in=moderated))
        .distinct()
    )


def can_enter_working_group(user, group):
    membership = membership_in(user, group.network)
    if membership is None:
        return False
    if membership.capabilities.can_moderate:
        return True
    return group.members.filter(pk=user.pk).exists()


# What a user may do


def can_manage_members(user, network):
    membership = membership_in(user, network)
    return membership is not None and membership.capabilities.can_manage_members


def can_moderate(user, network):
    membership = membership_in(user, network)
    return membership is not None and membership.capabilities.can_moderate


def is_focal_point(user, network, country):
    """Whether the user vouches for `country`'s officials in `network` (and is active there)."""
    if country is None or user.country_id != country.pk or not is_member(user, network):
        return False
    return FocalPoint.objects.filter(
        user=user, network_country__network=network, network_country__country=country
    ).exists()


def can_decide_join_request(user, join_request):
    """Convenors decide for anyone; a focal point only for officials of their own country."""
    network = join_request.network
    return can_manage_members(user, network) or is_focal_point(
        user, network, join_request.user.country
    )


def can_view_audit_log(user, network):
    return user.is_superuser or can_manage_members(user, network)


def can_request_to_join(user, network):
    """An official may ask to join a listed network their country actively belongs to."""
    if not user.is_authenticated or user.country_id is None or is_member(user, network):
        return False
    if not network.is_listed:
        return False
    if Membership.objects.filter(
        user=user, network=network, state=Membership.State.SUSPENDED
    ).exists():
        return False
    if JoinRequest.objects.filter(
        user=user, network=network, state=JoinRequest.State.PENDING
    ).exists():
        return False
    return NetworkCountry.objects.filter(
        network=network, country_id=user.country_id, is_active=True
    ).exists()


def requires_mfa(user):
    """Convenors, moderators, focal points and platform admins must use a second factor."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    if any(m.capabilities.needs_mfa for m in _memberships_by_network(user).values()):
        return True
    return FocalPoint.objects.filter(user=user).exists()


# Fetchers: 404 for outsiders, the same as for a missing object


def get_member_network(user, slug):
    network = Network.objects.filter(slug=slug).first()
    if network is None or not is_member(user, network):
        raise Http404
    return network


def get_directory_network(user, slug):
    network = directory_networks(user).filter(slug=slug).first()
    if network is None:
        raise Http404
    return network


def get_working_group(user, network, slug):
    group = WorkingGroup.objects.filter(network=network, slug=slug).first()
    if group is None or not can_enter_working_group(user, group):
        raise Http404
    return group


# Officials' profiles


def can_view_profile(viewer, official):
    """A profile is visible to its owner and to officials who share an active network with them."""
    if not viewer.is_authenticated:
        return False
    if viewer.pk == official.pk:
        return True
    shared = set(_memberships_by_network(viewer)) & set(
        active_memberships(official).values_list("network_id", flat=True)
    )
    return bool(shared)


def get_visible_official(viewer, pk):
    from networks.models import User

    official = User.objects.filter(pk=pk, is_active=True).select_related("country").first()
    if official is None or not can_view_profile(viewer, official):
        raise Http404
    return official
