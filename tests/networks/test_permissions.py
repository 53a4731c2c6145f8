"""The permission matrix of the network pages, as data: URL x persona x method -> status.

Personas (see `cast` in conftest.py): the demo's moderator is also Portugal's focal point, so
the plain focal point is Mette Jensen (Denmark). Every signed-in persona has just signed in
(and reauthenticated), so managing POSTs answer with the view's own verdict; what a stale
sign-in gets is tested in test_network_pages.py.

302 for the anonymous visitor is the redirect to sign in; for a signed-in persona it is the
Post/Redirect/Get of a view that did (or refused, with a message) what was asked.
"""

import pytest
from django.urls import reverse

from networks.models import Attribution, Country, Membership
from tests.networks.conftest import membership, sign_in
from tests.urls_sweep import all_urls

PERSONAS = (
    "anonymous",
    "outsider",
    "member",
    "suspended",
    "moderator",
    "convenor",
    "focal_point",
    "admin",
)

#                    anon outsider member suspended moderator convenor focal admin
EVERYONE = (302, 200, 200, 200, 200, 200, 200, 200)
MEMBERS = (302, 404, 200, 404, 200, 200, 200, 404)
CONVENORS_PAGE = (302, 404, 403, 404, 403, 200, 403, 404)
CONVENORS_ACT = (302, 404, 403, 404, 403, 302, 403, 404)
DECIDERS_PAGE = (302, 404, 403, 404, 200, 200, 200, 404)
# The Danish request: the moderator decides for Portugal only, so for him it does not exist.
DANISH_DECISION = (302, 404, 403, 404, 404, 302, 302, 404)
NOT_THIS_METHOD = (302, 405, 405, 405, 405, 405, 405, 405)


def dn(cast):
    return [cast.digital_nations.slug]


def lucia(cast):
    return [*dn(cast), membership(cast.member, cast.digital_nations).pk]


def aroha(cast):
    return [*dn(cast), membership(cast.suspended, cast.digital_nations).pk]


def group(cast):
    return [*dn(cast), cast.group.slug]


def none(cast):
    return []


MATRIX = [
    # name, args, GET statuses, POST statuses, POST data
    ("networks:mine", none, EVERYONE, NOT_THIS_METHOD, None),
    ("networks:directory", none, EVERYONE, NOT_THIS_METHOD, None),
    ("networks:home", dn, MEMBERS, NOT_THIS_METHOD, None),
    (
        "networks:join",
        dn,
        # Members are sent to the network's home; the outsider's country and the admin's (none)
        # are not members, and the suspended member may not ask her way back in.
        (302, 403, 302, 403, 302, 302, 302, 403),
        (302, 403, 302, 403, 302, 302, 302, 403),
        lambda cast: {"message": "Hello"},
    ),
    (
        "networks:leave",
        dn,
        MEMBERS,
        # A non-member of a listed network is told they are not a member, not shown a 404.
        (302, 302, 302, 302, 302, 302, 302, 302),
        None,
    ),
    (
        "networks:working_group",
        group,
        # Its members (Min-jun, Kadri) and the network's moderators.
        (302, 404, 404, 404, 200, 200, 404, 404),
        NOT_THIS_METHOD,
        None,
    ),
    (
        "networks:audit",
        dn,
        (302, 404, 403, 404, 403, 200, 403, 200),
        NOT_THIS_METHOD,
        None,
    ),
    (
        "networks:audit_csv",
        dn,
        (302, 404, 403, 404, 403, 200, 403, 200),
        NOT_THIS_METHOD,
        None,
    ),
    ("networks:members", dn, CONVENORS_PAGE, NOT_THIS_METHOD, None),
    (
        "networks:member_role",
        lucia,
        NOT_THIS_METHOD,
        CONVENORS_ACT,
        lambda cast: {"role": Membership.Role.MODERATOR},
    ),
    ("networks:member_suspend", lucia, NOT_THIS_METHOD, CONVENORS_ACT, None),
    ("networks:member_reinstate", aroha, NOT_THIS_METHOD, CONVENORS_ACT, None),
    ("networks:member_remove", lucia, CONVENORS_PAGE, CONVENORS_ACT, None),
    (
        "networks:invitations",
        dn,
        CONVENORS_PAGE,
        CONVENORS_ACT,
        lambda cast: {"addresses": "new.person@gov.pt", "role": Membership.Role.MEMBER},
    ),
    (
        "networks:invitation_resend",
        lambda cast: [*dn(cast), cast.invitation.pk],
        NOT_THIS_METHOD,
        CONVENORS_ACT,
        None,
    ),
    (
        "networks:invitation_revoke",
        lambda cast: [*dn(cast), cast.invitation.pk],
        NOT_THIS_METHOD,
        CONVENORS_ACT,
        None,
    ),
    ("networks:join_requests", dn, DECIDERS_PAGE, NOT_THIS_METHOD, None),
    (
        "networks:join_request_approve",
        lambda cast: [*dn(cast), cast.join_request.pk],
        NOT_THIS_METHOD,
        DANISH_DECISION,
        None,
    ),
    (
        "networks:join_request_decline",
        lambda cast: [*dn(cast), cast.join_request.pk],
        NOT_THIS_METHOD,
        DANISH_DECISION,
        None,
    ),
    (
        "networks:countries",
        dn,
        CONVENORS_PAGE,
        CONVENORS_ACT,
        lambda cast: {"country": Country.objects.get(code="BR").pk},
    ),
    (
        "networks:country_remove",
        lambda cast: [*dn(cast), "MX"],
        CONVENORS_PAGE,
        CONVENORS_ACT,
        None,
    ),
    (
        "networks:focal_point_add",
        lambda cast: [*dn(cast), "UY"],
        NOT_THIS_METHOD,
        CONVENORS_ACT,
        lambda cast: {"UY-official": cast.member.pk},
    ),
    (
        "networks:focal_point_remove",
        lambda cast: [*dn(cast), "PT", cast.moderator.pk],
        NOT_THIS_METHOD,
        CONVENORS_ACT,
        None,
    ),
    (
        "networks:groups",
        dn,
        CONVENORS_PAGE,
        CONVENORS_ACT,
        lambda cast: {"name": "Open data", "purpose": ""},
    ),
    (
        "networks:group_edit",
        group,
        CONVENORS_PAGE,
        CONVENORS_ACT,
        lambda cast: {"name": "Digital identity wallets", "purpose": "Wallets."},
    ),
    (
        "networks:group_members",
        group,
        NOT_THIS_METHOD,
        CONVENORS_ACT,
        lambda cast: {"members": [cast.member.pk]},
    ),
    ("networks:group_archive", group, NOT_THIS_METHOD, CONVENORS_ACT, None),
    (
        "networks:settings",
        dn,
        CONVENORS_PAGE,
        CONVENORS_ACT,
        lambda cast: {
            "purpose": "A new charter.",
            "is_listed": "on",
            "default_attribution": Attribution.COUNTRY,
            "flag_threshold": 4,
        },
    ),
]


def _cases():
    for name, args, get_statuses, post_statuses, data in MATRIX:
        for method, statuses in (("GET", get_statuses), ("POST", post_statuses)):
            for persona, status in zip(PERSONAS, statuses, strict=True):
                yield pytest.param(
                    name, args, method, data, persona, status, id=f"{name}-{method}-{persona}"
                )


@pytest.mark.parametrize(("name", "args", "method", "data", "persona", "status"), list(_cases()))
def test_permission_matrix(cast, name, args, method, data, persona, status):
    client = sign_in(getattr(cast, persona, None))
    url = reverse(name, args=args(cast))
    payload = data(cast) if data else {}
    response = client.get(url) if method == "GET" else client.post(url, payload)
    assert response.status_code == status, (
        f"{persona} {method} {url}: {response.status_code}, expected {status}"
    )
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))


def test_every_network_page_has_rows_in_the_matrix():
    names = {name for name, _ in all_urls() if name.startswith("networks:")}
    in_matrix = {row[0] for row in MATRIX}
    assert names, "the sweep found no network page"
    assert names - in_matrix == set(), f"network pages without a row: {names - in_matrix}"
    assert in_matrix - names == set(), f"rows of pages that no longer exist: {in_matrix - names}"


def test_matrix_personas_are_who_they_claim_to_be(cast):
    """The matrix is only as good as its cast: check each persona's standing."""
    from networks import access as network_access

    network = cast.digital_nations
    assert not network_access.is_member(cast.outsider, network)
    assert network_access.membership_in(cast.member, network).role == Membership.Role.MEMBER
    assert not network_access.is_member(cast.suspended, network)
    assert network_access.can_moderate(cast.moderator, network)
    assert not network_access.can_manage_members(cast.moderator, network)
    assert network_access.can_manage_members(cast.convenor, network)
    assert network_access.membership_in(cast.focal_point, network).role == Membership.Role.MEMBER
    assert network_access.can_decide_join_request(cast.focal_point, cast.join_request)
    assert not network_access.can_decide_join_request(cast.moderator, cast.join_request)
    assert cast.admin.is_superuser
    assert not network_access.member_networks(cast.admin).exists()
