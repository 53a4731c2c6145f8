"""The network's home lists its members in pages of 50: a large network has hundreds."""

from django.urls import reverse

from networks.models import Country, Membership, User
from networks.views import MEMBERS_PER_PAGE
from tests.networks.conftest import sign_in


def add_members(network, number):
    country = Country.objects.get(code="UY")
    users = User.objects.bulk_create(
        [
            User(
                email=f"member{index:03d}@gub.uy",
                full_name=f"Zz Member {index:03d}",
                country=country,
            )
            for index in range(number)
        ]
    )
    Membership.objects.bulk_create([Membership(user=user, network=network) for user in users])


def test_members_are_listed_in_pages(demo):
    add_members(demo.digital_nations, MEMBERS_PER_PAGE)
    client = sign_in(demo.member)
    url = demo.digital_nations.get_absolute_url()
    first = client.get(url).content.decode()
    assert first.count("Zz Member") < MEMBERS_PER_PAGE  # the demo cast comes first by name
    assert 'aria-label="Pages of the member list"' in first
    lucia_row = f'<th scope="row"><a href="{reverse("officials:profile", args=[demo.member.pk])}">'
    assert lucia_row in first
    second = client.get(url + "?members=2").content.decode()
    assert "Zz Member 049" in second
    assert lucia_row not in second
    assert 'rel="prev"' in second


def test_outsiders_get_no_page_of_the_member_list(demo):
    add_members(demo.digital_nations, MEMBERS_PER_PAGE)
    response = sign_in(demo.outsider).get(demo.digital_nations.get_absolute_url() + "?members=2")
    assert response.status_code == 404
