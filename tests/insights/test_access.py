"""Who may open a network's insights: its convenors and moderators; for anyone else, signed in,
the pages do not exist (404, as for a missing network)."""

import pytest
from django.urls import reverse

from networks import access as network_access
from tests.networks.conftest import sign_in

PAGES = ("insights:dashboard", "insights:csv")

STATUS = {
    "outsider": 404,  # of another network
    "suspended": 404,
    "member": 404,
    "group_member": 404,
    "dpi_convenor": 404,  # convenes another network
    "admin": 404,  # the platform admin works through the admin site
    "moderator": 200,
    "convenor": 200,
}


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize(("persona", "status"), STATUS.items())
def test_only_the_networks_convenors_and_moderators_open_its_insights(demo, name, persona, status):
    response = sign_in(getattr(demo, persona)).get(reverse(name, args=["digital-nations"]))
    assert response.status_code == status


@pytest.mark.parametrize("name", PAGES)
def test_a_visitor_is_sent_to_sign_in(client, demo, name):
    response = client.get(reverse(name, args=["digital-nations"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", PAGES)
def test_insights_of_a_missing_network_are_missing(demo, name):
    response = sign_in(demo.convenor).get(reverse(name, args=["no-such-network"]))
    assert response.status_code == 404


@pytest.mark.parametrize("name", PAGES)
def test_nothing_but_reading(demo, name):
    response = sign_in(demo.convenor).post(reverse(name, args=["digital-nations"]))
    assert response.status_code == 405


def test_the_predicate_agrees_with_the_fetcher(demo):
    network = demo.digital_nations
    for persona in STATUS:
        user = getattr(demo, persona)
        allowed = network_access.can_view_insights(user, network)
        assert allowed == (STATUS[persona] == 200), persona


@pytest.mark.parametrize(
    ("persona", "shown"),
    [("convenor", True), ("moderator", True), ("member", False), ("group_member", False)],
)
def test_the_network_home_links_to_the_insights_for_those_who_may_see_them(demo, persona, shown):
    response = sign_in(getattr(demo, persona)).get(
        reverse("networks:home", args=["digital-nations"])
    )
    assert response.status_code == 200
    link = reverse("insights:dashboard", args=["digital-nations"])
    assert (link in response.content.decode()) is shown
