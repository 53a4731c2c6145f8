"""What every signed-in request pays (networks/backends.py): the session and the official, with
their memberships, working groups and focal-point status read beside them in one query, which
agree with what networks.access reads one by one."""

import pytest
from django.contrib.auth import get_user
from django.test import RequestFactory
from django.urls import reverse

from networks import access
from networks.backends import SpacesModelBackend
from networks.models import FocalPoint, Membership, User
from networks.services import membership_suspend

pytestmark = pytest.mark.django_db


def test_a_signed_in_hello_runs_two_queries(demo, client, django_assert_max_num_queries):
    client.force_login(demo.group_member)
    client.get(reverse("hello"))  # the session's first request records it (user sessions)
    with django_assert_max_num_queries(2):
        assert client.get(reverse("hello")).status_code == 200


def read_one_by_one(user):
    fresh = User.objects.get(pk=user.pk)
    return (
        {
            m.network_id: (m.pk, m.role, m.state, m.created_at)
            for m in access.active_memberships(fresh)
        },
        sorted(access.working_group_ids(fresh)),
        FocalPoint.objects.filter(user=fresh).exists(),
    )


def read_beside_the_user(user):
    signed_in = SpacesModelBackend().get_user(user.pk)
    memberships = access.memberships_by_network(signed_in)
    return (
        {nid: (m.pk, m.role, m.state, m.created_at) for nid, m in memberships.items()},
        sorted(access.working_group_ids(signed_in)),
        access.is_any_focal_point(signed_in),
    )


def test_what_is_read_beside_the_user_agrees_with_the_policy(demo):
    membership = Membership.objects.get(user=demo.member, network=demo.digital_nations)
    membership_suspend(acting_user=demo.convenor, membership=membership)
    people = User.objects.filter(is_active=True)
    assert people.count() >= 8
    seen = set()
    for person in people:
        beside, one_by_one = read_beside_the_user(person), read_one_by_one(person)
        assert beside == one_by_one, person
        seen.add((bool(beside[0]), bool(beside[1]), beside[2]))
    # The cast covers officials with and without networks, groups and focal points.
    assert {networks for networks, _, _ in seen} == {True, False}
    assert any(groups for _, groups, _ in seen)
    assert any(focal for _, _, focal in seen)
    assert read_beside_the_user(demo.member)[0] == {}


def test_the_session_still_signs_out_a_deactivated_official(demo, client):
    client.force_login(demo.member)
    User.objects.filter(pk=demo.member.pk).update(is_active=False)
    request = RequestFactory().get("/")
    request.session = client.session
    assert not get_user(request).is_authenticated
