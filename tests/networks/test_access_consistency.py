"""The access policy's predicates and its querysets agree, for every user and object.

Hypothesis builds small worlds: officials with or without a country and an active account,
member countries active or not, memberships in every role and state, working groups with any
members. In each, `is_member` must agree with `member_networks`, `can_enter_working_group` with
`visible_working_groups`, and both with the policy as PRODUCT.md states it.
"""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from networks import access as network_access
from networks.models import Country, Membership, Network, NetworkCountry, User, WorkingGroup

COUNTRIES = ["AA", "BB", "CC"]  # CC never belongs to a network

official = st.fixed_dictionaries(
    {
        "country": st.sampled_from([*COUNTRIES, None]),
        "is_active": st.booleans(),
        # one optional membership per network
        "memberships": st.lists(
            st.one_of(
                st.none(),
                st.tuples(
                    st.sampled_from(Membership.Role.values),
                    st.sampled_from(Membership.State.values),
                ),
            ),
            min_size=2,
            max_size=2,
        ),
    }
)
world = st.fixed_dictionaries(
    {
        "officials": st.lists(official, min_size=1, max_size=4),
        # per network: is country AA / BB an active member, an inactive one, or absent
        "links": st.lists(
            st.tuples(*[st.sampled_from(["active", "inactive", "absent"])] * 2),
            min_size=2,
            max_size=2,
        ),
        # per network, one group; which officials (by index) belong to it
        "group_members": st.lists(st.sets(st.integers(0, 3)), min_size=2, max_size=2),
    }
)


def build(spec):
    countries = {
        code: Country.objects.create(code=code, name=f"Country {code}") for code in COUNTRIES
    }
    networks, groups = [], []
    for index, (aa, bb) in enumerate(spec["links"]):
        network = Network.objects.create(name=f"N{index}", slug=f"n{index}", purpose="p")
        for code, state in (("AA", aa), ("BB", bb)):
            if state != "absent":
                NetworkCountry.objects.create(
                    network=network, country=countries[code], is_active=state == "active"
                )
        networks.append(network)
        groups.append(WorkingGroup.objects.create(network=network, name="G", slug="g"))
    users = []
    for index, person in enumerate(spec["officials"]):
        user = User.objects.create_user(
            f"official{index}@example.org",
            country=countries[person["country"]] if person["country"] else None,
            is_active=person["is_active"],
        )
        for network, membership in zip(networks, person["memberships"], strict=True):
            if membership is not None:
                role, state = membership
                Membership.objects.create(user=user, network=network, role=role, state=state)
        users.append(user)
    for group, members in zip(groups, spec["group_members"], strict=True):
        group.members.set([users[i] for i in members if i < len(users)])
    return users, networks, groups


def policy_says_member(user, network):
    """PRODUCT.md: an active membership, an active account, the country an active member."""
    membership = Membership.objects.filter(user=user, network=network).first()
    return (
        membership is not None
        and membership.state == Membership.State.ACTIVE
        and user.is_active
        and NetworkCountry.objects.filter(
            network=network, country_id=user.country_id, is_active=True
        ).exists()
    )


def fresh(user):
    return User.objects.get(pk=user.pk)  # a new request: nothing remembered


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=world)
def test_predicates_and_querysets_agree_for_every_user_and_object(spec):
    with transaction.atomic():
        users, networks, groups = build(spec)
        for user in users:
            visible_networks = set(network_access.member_networks(fresh(user)))
            visible_groups = set(network_access.visible_working_groups(fresh(user)))
            for network in networks:
                predicate = network_access.is_member(fresh(user), network)
                assert predicate == (network in visible_networks)
                assert predicate == policy_says_member(user, network)
                # Member lists: the network's members, as each of them is_member, to members only.
                listed = {m.user_id for m in network_access.network_members(fresh(user), network)}
                expected = (
                    {other.pk for other in users if network_access.is_member(fresh(other), network)}
                    if predicate
                    else set()
                )
                assert listed == expected
            for group in groups:
                predicate = network_access.can_enter_working_group(fresh(user), group)
                assert predicate == (group in visible_groups)
                expected = policy_says_member(user, group.network) and (
                    group.members.filter(pk=user.pk).exists()
                    or Membership.Role(
                        Membership.objects.get(user=user, network=group.network).role
                    ).can_moderate
                )
                assert predicate == expected
        transaction.set_rollback(True)
