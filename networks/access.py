"""The access policy: who may see and do what. Every query for private content starts here.

Three kinds of function:
- querysets of what a user may see (`member_networks`, `network_members`, ...);
- predicates of what a user may do (`can_manage_members`, `can_moderate`, ...);
- fetchers that raise Http404 for outsiders, exactly as for a missing object
  (`get_member_network`, ...).

A membership gives access only while it is active, the account is active, and the official's
country is an active member of the network. The viewer's memberships and working groups are
looked up once per request and kept on the request's user object (`memberships_by_network`,
`space_ids`), never longer, so a suspension takes effect on the very next request.

The rules for lessons build on `space_ids` in lessons/access.py. This module is kept whole past
500 lines: it is the network level of the policy, read as one list of rules.
"""

from django.core.exceptions import PermissionDenied
from django.core.validators import slug_re
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404

from networks import ended
from networks.models import (
    AuditEvent,
    Country,
    FocalPoint,
    Invitation,
    JoinRequest,
    Membership,
    Network,
    NetworkCountry,
    User,
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


def memberships_by_network(user):
    """The user's active memberships, keyed by network id, looked up once per request."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_active_memberships", None)
    if cached is None:
        cached = {m.network_id: m for m in active_memberships(user)}
        user._active_memberships = cached
    return cached


def remember_spaces(user, *, memberships, working_groups, focal_point):
    """Fill the per-request memory with what was read beside the user (networks.backends):
    their active memberships by network, their working groups' ids, whether a focal point."""
    user._active_memberships = memberships
    user._working_group_ids = working_groups
    user._is_focal_point = focal_point


def forget_memberships(user):
    """Drop the per-request memory after a change to the user's own memberships (or groups)."""
    for memory in ("_active_memberships", "_working_group_ids", "_is_focal_point"):
        if hasattr(user, memory):
            delattr(user, memory)


def working_group_ids(user):
    """Working groups the user belongs to, in networks where they are an active member; looked
    up once per request, like their memberships."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_working_group_ids", None)
    if cached is None:
        memberships = memberships_by_network(user)
        cached = list(
            WorkingGroup.objects.filter(network_id__in=list(memberships), members=user).values_list(
                "pk", flat=True
            )
        )
        user._working_group_ids = cached
    return cached


def space_ids(user):
    """The spaces whose content the user may see, as ids: (networks where they are an active
    member, working groups they belong to, networks they moderate). What lessons.access builds
    every lesson rule from."""
    memberships = memberships_by_network(user)
    networks = list(memberships)
    moderated = [nid for nid, m in memberships.items() if m.capabilities.can_moderate]
    return networks, working_group_ids(user), moderated


def membership_in(user, network):
    """The user's active membership of the network, or None."""
    return memberships_by_network(user).get(network.pk)


def is_member(user, network):
    return membership_in(user, network) is not None


# What a user may see


def member_networks(user):
    """Networks whose content the user may see: those where they are an active member."""
    return Network.objects.filter(pk__in=list(memberships_by_network(user)))


def directory_networks(user):
    """Networks the directory shows: listed ones, and any the user belongs to."""
    if not user.is_authenticated:
        return Network.objects.none()
    return Network.objects.filter(Q(is_listed=True) | Q(pk__in=list(memberships_by_network(user))))


def network_members(user, network):
    """The network's active members, visible to its active members only."""
    if not is_member(user, network):
        return Membership.objects.none()
    return active_memberships().filter(network=network).select_related("user", "user__country")


def listed_working_groups(user, network):
    """The working groups a network member sees listed on the network's home."""
    if not is_member(user, network):
        return WorkingGroup.objects.none()
    # With its network: each group's link names the network's slug.
    return WorkingGroup.objects.filter(network=network, is_archived=False).select_related("network")


def visible_working_groups(user):
    """Working groups whose content the user may see: they belong to it, or moderate its network."""
    memberships = memberships_by_network(user)
    if not memberships:
        return WorkingGroup.objects.none()
    moderated = [nid for nid, m in memberships.items() if m.capabilities.can_moderate]
    return (
        WorkingGroup.objects.filter(network_id__in=list(memberships))
        .filter(Q(members=user) | Q(network_id__in=moderated))
        .distinct()
    )


def can_enter_working_group(user, group):
    """Members of the group, and moderators of its network, while active members there. Asks
    the request's memory of the user's memberships and groups: no query per group listed."""
    membership = memberships_by_network(user).get(group.network_id)
    if membership is None:
        return False
    if membership.capabilities.can_moderate:
        return True
    return group.pk in working_group_ids(user)


def working_group_members(user, group):
    """The group's members who are active members of its network, for those inside the group."""
    if not can_enter_working_group(user, group):
        return Membership.objects.none()
    return (
        active_memberships()
        .filter(network_id=group.network_id, user__in=group.members.all())
        .select_related("user", "user__country")
    )


def member_countries(user, network):
    """The network's active member countries with their focal points, for its members only."""
    if not is_member(user, network):
        return NetworkCountry.objects.none()
    return (
        NetworkCountry.objects.filter(network=network, is_active=True)
        .select_related("country")
        .prefetch_related(
            Prefetch("focal_points", queryset=FocalPoint.objects.select_related("user"))
        )
    )


def member_officials(user, network, country=None):
    """The network's active members as officials (of one country, if given), for its members."""
    if not is_member(user, network):
        return User.objects.none()
    members = active_memberships().filter(network=network)
    if country is not None:
        members = members.filter(user__country=country)
    return User.objects.filter(pk__in=members.values("user_id")).select_related("country")


def news_of_member_networks(user, since):
    """What is new since `since` in each network the user may see: {network id: {"new_members",
    "new_countries", "new_groups"}}, in three queries however many networks they belong to
    (the same rows as `network_members`, `member_countries` and `listed_working_groups`)."""
    networks = list(memberships_by_network(user))
    news = {nid: {"new_members": [], "new_countries": [], "new_groups": []} for nid in networks}
    members = (
        active_memberships()
        .filter(network_id__in=networks, created_at__gte=since)
        .exclude(user=user)
        .select_related("user", "user__country")
    )
    countries = NetworkCountry.objects.filter(
        network_id__in=networks, is_active=True, joined_on__gte=since.date()
    ).select_related("country")
    groups = WorkingGroup.objects.filter(
        network_id__in=networks, is_archived=False, created_at__gte=since
    )
    for key, rows in (
        ("new_members", members),
        ("new_countries", countries),
        ("new_groups", groups),
    ):
        for row in rows:
            news[row.network_id][key].append(row)
    return news


def pending_join_request_counts(user):
    """{network id: join requests waiting} that the user decides, in their networks: a
    convenor's all, a focal point's those of officials of their own country (as
    `decidable_join_requests`), in two queries whatever the number of networks."""
    from django.db.models import Count

    memberships = memberships_by_network(user)
    managed = [nid for nid, m in memberships.items() if m.capabilities.can_manage_members]
    vouched = []
    if user.is_authenticated and user.country_id is not None:
        vouched = list(
            FocalPoint.objects.filter(
                user=user,
                network_country__country_id=user.country_id,
                network_country__network_id__in=list(memberships),
            ).values_list("network_country__network_id", flat=True)
        )
    waiting = (
        JoinRequest.objects.filter(state=JoinRequest.State.PENDING)
        .filter(
            Q(network_id__in=managed) | Q(network_id__in=vouched, user__country_id=user.country_id)
        )
        .order_by()
        .values("network_id")
        .annotate(count=Count("pk"))
    )
    return {row["network_id"]: row["count"] for row in waiting}


def directory_listing(user):
    """The directory's networks, each with its active member countries (`active_country_links`)."""
    return directory_networks(user).prefetch_related(
        Prefetch(
            "country_links",
            queryset=NetworkCountry.objects.filter(is_active=True).select_related("country"),
            to_attr="active_country_links",
        )
    )


def own_join_requests(user):
    """The official's own requests to join, in every state."""
    if not user.is_authenticated:
        return JoinRequest.objects.none()
    return JoinRequest.objects.filter(user=user).select_related("network")


def directory_countries(network):
    """The member countries the directory shows of a listed network: names only."""
    return Country.objects.filter(network_links__network=network, network_links__is_active=True)


# What a user may do


def can_manage_members(user, network):
    membership = membership_in(user, network)
    return membership is not None and membership.capabilities.can_manage_members


def can_moderate(user, network):
    membership = membership_in(user, network)
    return membership is not None and membership.capabilities.can_moderate


def _own_country(user):
    return getattr(user, "country", None)


def is_focal_point(user, network, country):
    """Whether the user vouches for `country`'s officials in `network` (and is active there)."""
    if country is None or user.country_id != country.pk or not is_member(user, network):
        return False
    if getattr(user, "_is_focal_point", None) is False:
        return False  # read beside the user this request: a focal point nowhere
    return FocalPoint.objects.filter(
        user=user, network_country__network=network, network_country__country=country
    ).exists()


def can_decide_join_request(user, join_request):
    """Convenors decide for anyone; a focal point only for officials of their own country."""
    network = join_request.network
    return can_manage_members(user, network) or is_focal_point(
        user, network, join_request.user.country
    )


def can_decide_join_requests(user, network):
    """Whether the user decides any of the network's join requests (convenor or focal point)."""
    return can_manage_members(user, network) or is_focal_point(user, network, _own_country(user))


def can_view_insights(user, network):
    """A network's insights (its life in figures) are for its convenors and moderators."""
    membership = membership_in(user, network)
    return membership is not None and membership.capabilities.can_view_insights


def can_view_audit_log(user, network):
    return user.is_superuser or can_manage_members(user, network)


def may_ask_to_join(user, network):
    """The policy part of asking: a listed network the official's country actively belongs to,
    and no suspension there. (Whether they already belong or asked is `can_request_to_join`.)"""
    if not user.is_authenticated or user.country_id is None or not network.is_listed:
        return False
    if Membership.objects.filter(
        user=user, network=network, state=Membership.State.SUSPENDED
    ).exists():
        return False
    return NetworkCountry.objects.filter(
        network=network, country_id=user.country_id, is_active=True
    ).exists()


def has_pending_join_request(user, network):
    return (
        user.is_authenticated
        and JoinRequest.objects.filter(
            user=user, network=network, state=JoinRequest.State.PENDING
        ).exists()
    )


def can_request_to_join(user, network):
    """An official may ask to join a listed network their country actively belongs to."""
    if not user.is_authenticated or is_member(user, network):
        return False
    return may_ask_to_join(user, network) and not has_pending_join_request(user, network)


def can_leave(user, network):
    return is_member(user, network)


def requires_mfa(user):
    """Convenors, moderators, focal points and platform admins must use a second factor."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    if any(m.capabilities.needs_mfa for m in memberships_by_network(user).values()):
        return True
    return is_any_focal_point(user)


def is_any_focal_point(user):
    """Whether the user is a focal point of any network, looked up once per request."""
    cached = getattr(user, "_is_focal_point", None)
    if cached is None:
        cached = FocalPoint.objects.filter(user=user).exists()
        user._is_focal_point = cached
    return cached


# What those who run a network see


def managed_memberships(user, network):
    """Every membership of the network, in every state, for those who manage its members."""
    if not can_manage_members(user, network):
        return Membership.objects.none()
    return Membership.objects.filter(network=network).select_related("user", "user__country")


def network_convenors(network):
    """The network's active convenors: who hears about join requests and departures."""
    return active_memberships().filter(
        network=network, role__in=Membership.Role.having("can_manage_members")
    )


def join_request_deciders(network, country):
    """Who may decide a join request from an official of `country`: convenors and focal points."""
    focal_point_ids = FocalPoint.objects.filter(
        network_country__network=network, network_country__country=country
    ).values("user_id")
    deciding = (
        active_memberships()
        .filter(network=network)
        .filter(
            Q(role__in=Membership.Role.having("can_manage_members"))
            | Q(user_id__in=focal_point_ids, user__country=country)
        )
    )
    return User.objects.filter(pk__in=deciding.values("user_id"))


def decidable_join_requests(user, network):
    """Join requests the user may decide, in every state: a convenor's all, a focal point's
    those of officials of their own country."""
    requests = JoinRequest.objects.filter(network=network).select_related(
        "user", "user__country", "decided_by"
    )
    if can_manage_members(user, network):
        return requests
    if is_focal_point(user, network, _own_country(user)):
        return requests.filter(user__country_id=user.country_id)
    return requests.none()


def network_invitations(user, network):
    if not can_manage_members(user, network):
        return Invitation.objects.none()
    return Invitation.objects.filter(network=network).select_related(
        "country", "invited_by", "accepted_by"
    )


def managed_country_links(user, network):
    """The network's member countries, active or not, with focal points, for its convenors."""
    if not can_manage_members(user, network):
        return NetworkCountry.objects.none()
    return (
        NetworkCountry.objects.filter(network=network)
        .select_related("country")
        .prefetch_related(
            Prefetch("focal_points", queryset=FocalPoint.objects.select_related("user"))
        )
    )


def managed_working_groups(user, network):
    """Every working group of the network, archived ones too, for its convenors."""
    if not can_manage_members(user, network):
        return WorkingGroup.objects.none()
    return WorkingGroup.objects.filter(network=network)


def addable_countries(user, network):
    """Countries a convenor may add to the network: those not active members of it."""
    if not can_manage_members(user, network):
        return Country.objects.none()
    return Country.objects.exclude(
        pk__in=NetworkCountry.objects.filter(network=network, is_active=True).values("country_id")
    )


def audit_actors(events):
    """The officials who acted in the given (already visible) audit events."""
    return User.objects.filter(pk__in=events.values("actor_id"))


def visible_audit_events(user, network):
    if not can_view_audit_log(user, network):
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(network=network).select_related("actor")


# Fetchers: 404 for outsiders, the same as for a missing object


def _require_slug(slug):
    """A slug from a query string has passed no URL converter: one that no slug could be (with
    a NUL character, which PostgreSQL refuses with an error) is a missing object."""
    if not isinstance(slug, str) or not slug_re.fullmatch(slug):
        raise Http404


def get_member_network(user, slug):
    """The network, for its active members; 404 otherwise. A former member's 404 says their
    membership is suspended or ended, and whom to ask (networks/ended.py)."""
    _require_slug(slug)
    network = Network.objects.filter(slug=slug).first()
    if network is None:
        raise Http404
    if not is_member(user, network):
        ended.refuse_former_member(user, network.pk)
        raise Http404
    return network


def get_directory_network(user, slug):
    network = directory_networks(user).filter(slug=slug).first()
    if network is None:
        raise Http404
    return network


def get_working_group(user, network, slug):
    _require_slug(slug)
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
    shared = set(memberships_by_network(viewer)) & set(
        active_memberships(official).values_list("network_id", flat=True)
    )
    return bool(shared)


def get_visible_official(viewer, pk):
    from networks.models import User

    official = User.objects.filter(pk=pk, is_active=True).select_related("country").first()
    if official is None or not can_view_profile(viewer, official):
        raise Http404
    return official


def get_managed_network(user, slug):
    """A network the user manages: 404 for outsiders, 403 for members without the role."""
    network = get_member_network(user, slug)
    if not can_manage_members(user, network):
        raise PermissionDenied
    return network


def get_insights_network(user, slug):
    """A network whose insights the user may see; for anyone else, members included, the page
    does not exist (404, as for a missing network)."""
    network = get_member_network(user, slug)
    if not can_view_insights(user, network):
        raise Http404
    return network


def get_join_decisions_network(user, slug):
    """A network where the user decides join requests (convenor or focal point)."""
    network = get_member_network(user, slug)
    if not can_decide_join_requests(user, network):
        raise PermissionDenied
    return network


def get_audit_network(user, slug):
    """Platform admins see every network's audit log; convenors their own network's."""
    network = Network.objects.filter(slug=slug).first()
    if network is None or not (user.is_superuser or is_member(user, network)):
        raise Http404
    if not can_view_audit_log(user, network):
        raise PermissionDenied
    return network


def _get_or_404(queryset, **lookup):
    found = queryset.filter(**lookup).first()
    if found is None:
        raise Http404
    return found


def get_managed_membership(user, network, membership_id):
    return _get_or_404(managed_memberships(user, network), pk=membership_id)


def get_network_invitation(user, network, invitation_id):
    return _get_or_404(network_invitations(user, network), pk=invitation_id)


def get_decidable_join_request(user, network, join_request_id):
    return _get_or_404(decidable_join_requests(user, network), pk=join_request_id)


def get_managed_country_link(user, network, country_code):
    return _get_or_404(managed_country_links(user, network), country__code=country_code)


def get_managed_working_group(user, network, slug):
    return _get_or_404(managed_working_groups(user, network), slug=slug)


def get_focal_point(user, country_link, user_id):
    """One of a managed member country's focal points."""
    if not can_manage_members(user, country_link.network):
        raise Http404
    return _get_or_404(country_link.focal_points.select_related("user"), user_id=user_id)


def get_moderated_network(user, slug):
    """The network whose workbench the user may open: 404 outside it, 403 for its other members."""
    network = get_member_network(user, slug)
    if not can_moderate(user, network):
        raise PermissionDenied
    return network
