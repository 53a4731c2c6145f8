"""The network pages: 404 as for nothing, changes on the very next request, bad input, recent
sign-in for managing, CSRF, Post/Redirect/Get, and what each page shows."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from networks import services
from networks.models import (
    AuditEvent,
    Invitation,
    JoinRequest,
    Membership,
    Network,
    NetworkCountry,
    WorkingGroup,
)
from tests.networks.conftest import membership, sign_in
from tests.networks.test_permissions import MATRIX

DN = "/networks/digital-nations/"


# A private thing does not exist for those outside it


@pytest.mark.parametrize(
    ("private", "missing"),
    [
        ("/networks/dpi-peer-network/", "/networks/no-such-network/"),
        (
            "/networks/dpi-peer-network/groups/payments-interoperability/",
            "/networks/no-such-network/groups/payments-interoperability/",
        ),
        (DN + "groups/digital-identity/", DN + "groups/no-such-group/"),
        (
            "/networks/dpi-peer-network/manage/members/",
            "/networks/no-such-network/manage/members/",
        ),
        ("/networks/dpi-peer-network/audit/", "/networks/no-such-network/audit/"),
    ],
)
def test_private_and_missing_answer_the_same_404_byte_for_byte(cast, private, missing):
    client = sign_in(cast.member)  # of Digital Nations only, and not of its working group
    first, second = client.get(private), client.get(missing)
    assert first.status_code == second.status_code == 404
    assert first.content == second.content


def test_unlisted_network_is_absent_from_the_directory_and_404_to_outsiders(cast):
    Network.objects.filter(pk=cast.dpi.pk).update(is_listed=False)
    outsider = sign_in(cast.member)
    directory = outsider.get(reverse("networks:directory")).content.decode()
    assert "Digital Nations" in directory
    assert "DPI Peer Network" not in directory
    assert outsider.get("/networks/dpi-peer-network/join/").status_code == 404
    member = sign_in(cast.outsider)  # Priya belongs to it
    assert "DPI Peer Network" in member.get(reverse("networks:directory")).content.decode()


def test_directory_shows_purpose_and_countries_but_no_member(cast):
    page = sign_in(cast.outsider).get(reverse("networks:directory")).content.decode()
    assert escape(cast.digital_nations.purpose) in page
    assert "Uruguay" in page
    assert "Lucía Pérez" not in page
    assert reverse("networks:join", args=["digital-nations"]) not in page  # India is not in it


# Suspension, removal and leaving take effect on the very next request


def suspend(cast, client):
    client.post(reverse("networks:member_suspend", args=["digital-nations", lucia_id(cast)]))


def remove(cast, client):
    client.post(reverse("networks:member_remove", args=["digital-nations", lucia_id(cast)]))


def country_leaves(cast, client):
    client.post(reverse("networks:country_remove", args=["digital-nations", "UY"]))


def lucia_id(cast):
    return membership(cast.member, cast.digital_nations).pk


@pytest.mark.parametrize("change", [suspend, remove, country_leaves])
def test_member_loses_access_on_her_very_next_request(cast, change):
    lucia = sign_in(cast.member)
    assert lucia.get(DN).status_code == 200
    change(cast, sign_in(cast.convenor))
    assert lucia.get(DN).status_code == 404
    assert "Digital Nations" not in lucia.get(reverse("networks:mine")).content.decode()


def test_member_who_leaves_loses_access_on_her_next_request_and_a_second_submit_is_harmless(
    cast,
):
    lucia = sign_in(cast.member)
    assert lucia.get(DN + "leave/").status_code == 200
    response = lucia.post(DN + "leave/")
    assert response.status_code == 302
    assert lucia.get(DN).status_code == 404
    events = AuditEvent.objects.count()
    again = lucia.post(DN + "leave/", follow=True)
    assert "You are not a member of Digital Nations." in again.content.decode()
    assert AuditEvent.objects.count() == events


# Bad input: a clear message, nothing changed


def test_inviting_with_a_role_that_does_not_exist_keeps_what_was_typed(cast):
    convenor = sign_in(cast.convenor)
    response = convenor.post(
        DN + "manage/invitations/", {"addresses": "ana.costa@gov.pt", "role": "emperor"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "ana.costa@gov.pt</textarea>" in page
    assert not Invitation.objects.filter(email="ana.costa@gov.pt").exists()


def test_inviting_unknown_addresses_reports_each_after_the_redirect(cast):
    convenor = sign_in(cast.convenor)
    response = convenor.post(
        DN + "manage/invitations/",
        {"addresses": "nobody@unknown.example\nsomeone@gov.in", "role": "member"},
    )
    assert response.status_code == 302
    page = convenor.get(response["Location"]).content.decode()
    assert page.count("not of a member country’s government") == 2
    assert "Invitations sent: 0 of 2 addresses." in page
    assert not Invitation.objects.exclude(pk=cast.invitation.pk).exists()
    # the report is shown once: reloading the page does not show it again
    assert "not of a member country" not in convenor.get(response["Location"]).content.decode()


def test_invite_form_submitted_twice_sends_once(cast):
    convenor = sign_in(cast.convenor)
    data = {"addresses": "ana.costa@gov.pt", "role": "member"}
    convenor.post(DN + "manage/invitations/", data)
    digest = Invitation.objects.get(email="ana.costa@gov.pt").token_digest
    second = convenor.post(DN + "manage/invitations/", data, follow=True)
    assert "Invited a moment ago: not sent again" in second.content.decode()
    assert Invitation.objects.get(email="ana.costa@gov.pt").token_digest == digest
    assert AuditEvent.objects.filter(action__startswith="invitation.").count() == 2  # + cast's


def test_changing_to_a_role_that_does_not_exist_changes_nothing(cast):
    response = sign_in(cast.convenor).post(
        reverse("networks:member_role", args=["digital-nations", lucia_id(cast)]),
        {"role": "emperor"},
        follow=True,
    )
    assert "That role does not exist." in response.content.decode()
    assert membership(cast.member, cast.digital_nations).role == Membership.Role.MEMBER


def test_member_id_of_another_network_is_not_found(cast):
    priya = membership(cast.outsider, cast.dpi)
    events = AuditEvent.objects.count()
    response = sign_in(cast.convenor).post(
        reverse("networks:member_suspend", args=["digital-nations", priya.pk])
    )
    assert response.status_code == 404
    assert membership(cast.outsider, cast.dpi).state == Membership.State.ACTIVE
    assert AuditEvent.objects.count() == events


def test_invitation_and_join_request_of_another_network_are_not_found(cast):
    dpi_invitation = services.membership_invite(
        acting_user=cast.dpi_convenor, network=cast.dpi, email="ana.souza@gov.br"
    ).invitation
    convenor = sign_in(cast.convenor)
    assert (
        convenor.post(
            reverse("networks:invitation_revoke", args=["digital-nations", dpi_invitation.pk])
        ).status_code
        == 404
    )
    assert Invitation.objects.get(pk=dpi_invitation.pk).revoked_at is None
    other = JoinRequest.objects.create(user=cast.member, network=cast.dpi)
    assert (
        convenor.post(
            reverse("networks:join_request_approve", args=["digital-nations", other.pk])
        ).status_code
        == 404
    )
    assert JoinRequest.objects.get(pk=other.pk).state == JoinRequest.State.PENDING


def test_tampered_working_group_member_is_refused_in_the_form(cast):
    response = sign_in(cast.convenor).post(
        DN + "manage/groups/digital-identity/members/",
        {"members": [cast.group_member.pk, cast.outsider.pk]},
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert set(cast.group.members.all()) == {cast.group_member, cast.convenor}


def test_tampered_focal_point_from_another_network_is_refused(cast):
    events = AuditEvent.objects.count()
    response = sign_in(cast.convenor).post(
        DN + "manage/countries/UY/focal-points/", {"UY-official": cast.outsider.pk}, follow=True
    )
    assert "Choose one of the network’s active members." in response.content.decode()
    assert AuditEvent.objects.count() == events


def test_stale_form_submitted_twice_changes_once_and_says_so(cast):
    convenor = sign_in(cast.convenor)
    url = reverse("networks:member_suspend", args=["digital-nations", lucia_id(cast)])
    convenor.post(url)
    events = AuditEvent.objects.count()
    second = convenor.post(url, follow=True)
    assert "Lucía Pérez is already suspended." in second.content.decode()
    assert AuditEvent.objects.count() == events


def test_approving_a_join_request_twice_says_it_was_decided(cast):
    focal_point = sign_in(cast.focal_point)
    url = reverse("networks:join_request_approve", args=["digital-nations", cast.join_request.pk])
    first = focal_point.post(url, follow=True)
    assert "Lars Nielsen is now a member." in first.content.decode()
    second = focal_point.post(url, follow=True)
    assert "was already decided (Approved)" in second.content.decode()
    assert AuditEvent.objects.filter(action="join_request.approve").count() == 1


def test_network_settings_error_keeps_what_was_typed(cast):
    response = sign_in(cast.convenor).post(
        DN + "manage/settings/", {"purpose": "", "default_attribution": "nonsense"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert 'href="#id_purpose"' in page
    assert Network.objects.get(pk=cast.digital_nations.pk).purpose == cast.digital_nations.purpose


def test_network_settings_saved_unchanged_says_nothing_changed(cast):
    network = cast.digital_nations
    response = sign_in(cast.convenor).post(
        DN + "manage/settings/",
        {
            "purpose": network.purpose,
            "is_listed": "on",
            "default_attribution": network.default_attribution,
            "flag_threshold": network.flag_threshold,
        },
        follow=True,
    )
    assert "Nothing changed." in response.content.decode()
    assert not AuditEvent.objects.filter(action="network.update").exists()


# Recent sign-in, CSRF, and GET changing nothing


def test_managing_with_a_sign_in_older_than_five_minutes_asks_to_sign_in_again(cast):
    convenor = sign_in(cast.convenor, minutes_ago=6)
    assert convenor.get(DN + "manage/members/").status_code == 200  # looking is fine
    response = convenor.post(
        reverse("networks:member_suspend", args=["digital-nations", lucia_id(cast)])
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert membership(cast.member, cast.digital_nations).state == Membership.State.ACTIVE


def test_managing_after_confirming_the_password_goes_through(cast):
    convenor = sign_in(cast.convenor, minutes_ago=6)
    url = reverse("networks:member_suspend", args=["digital-nations", lucia_id(cast)])
    convenor.post(url)
    response = convenor.post(
        reverse("account_reauthenticate") + "?next=" + url, {"password": cast.password}
    )
    assert response.status_code == 302
    assert membership(cast.member, cast.digital_nations).state == Membership.State.SUSPENDED


def test_posts_without_a_csrf_token_are_refused(cast):
    client = Client(enforce_csrf_checks=True)
    sign_in(cast.convenor, client=client)
    response = client.post(
        reverse("networks:member_suspend", args=["digital-nations", lucia_id(cast)])
    )
    assert response.status_code == 403
    assert membership(cast.member, cast.digital_nations).state == Membership.State.ACTIVE


def test_get_changes_nothing_on_any_network_page(cast):
    convenor = sign_in(cast.convenor)
    # A convenor's sight of an author hidden from readers is logged by design (author.seen).
    events = AuditEvent.objects.exclude(action="author.seen")
    before = (
        events.count(),
        list(Membership.objects.values_list("state", "role")),
        list(WorkingGroup.objects.values_list("is_archived", "name")),
    )
    for name, args, *_ in MATRIX:
        convenor.get(reverse(name, args=args(cast)))
    after = (
        events.count(),
        list(Membership.objects.values_list("state", "role")),
        list(WorkingGroup.objects.values_list("is_archived", "name")),
    )
    assert after == before


# What the pages show


def test_network_home_shows_purpose_countries_members_and_groups(cast):
    page = sign_in(cast.member).get(DN).content.decode()
    assert escape(cast.digital_nations.purpose) in page
    for text in ("Uruguay", "New Zealand", "Kadri Tamm", "Convenor", "Digital identity"):
        assert text in page
    assert "Aroha Ngata" not in page  # suspended: not listed among the members
    # Lucía is not in the working group: she sees it exists, not inside it.
    assert reverse("networks:working_group", args=["digital-nations", "digital-identity"]) not in (
        page
    )
    assert reverse("networks:members", args=["digital-nations"]) not in page


def test_working_group_page_lists_its_active_members(cast):
    page = sign_in(cast.group_member).get(DN + "groups/digital-identity/").content.decode()
    assert "Min-jun Kim" in page
    assert "Kadri Tamm" in page
    assert "Lucía Pérez" not in page


def test_my_networks_shows_networks_groups_and_what_is_new(cast):
    Membership.objects.filter(user=cast.member).update(created_at=timezone.now() - timedelta(30))
    page = sign_in(cast.group_member).get(reverse("networks:mine")).content.decode()
    assert "Digital Nations" in page
    assert "Digital identity" in page
    assert "Mette Jensen (Denmark) joined." in page  # this week
    assert "Lucía Pérez" not in page  # a month ago
    assert "DPI Peer Network" not in page


def test_my_networks_tells_deciders_how_many_requests_wait(cast):
    page = sign_in(cast.focal_point).get(reverse("networks:mine")).content.decode()
    assert "1 request to join waits for your decision" in page
    assert (
        "1 request to join"
        not in sign_in(cast.moderator).get(reverse("networks:mine")).content.decode()
    )  # Portugal's focal point: the Danish request is not his


def test_focal_point_sees_only_her_own_countrys_requests(cast):
    JoinRequest.objects.create(
        user=services_official("rui.lopes@gov.pt", "PT"), network=cast.digital_nations
    )
    dk = sign_in(cast.focal_point).get(DN + "manage/join-requests/").content.decode()
    pt = sign_in(cast.moderator).get(DN + "manage/join-requests/").content.decode()
    assert "Lars Nielsen" in dk
    assert "rui.lopes@gov.pt" not in dk
    assert "rui.lopes@gov.pt" in pt
    assert "Lars Nielsen" not in pt


def services_official(email, code):
    from networks.models import Country, User

    return User.objects.create_user(email, country=Country.objects.get(code=code))


def test_official_asks_to_join_and_cannot_ask_twice(cast):
    applicant = services_official("ida.holm@digst.dk", "DK")
    client = sign_in(applicant)
    assert client.get(DN + "join/").status_code == 200
    response = client.post(DN + "join/", {"message": "Hello"}, follow=True)
    assert "Your request to join Digital Nations was sent." in response.content.decode()
    assert client.get(DN + "join/").status_code == 200  # "waiting for a decision"
    again = client.post(DN + "join/", {"message": "Hello?"}, follow=True)
    assert "already asked to join" in again.content.decode()
    assert JoinRequest.objects.filter(user=applicant).count() == 1


def test_join_message_too_long_keeps_what_was_typed(cast):
    client = sign_in(services_official("ida.holm@digst.dk", "DK"))
    response = client.post(DN + "join/", {"message": "x" * 1001})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert "x" * 1001 in response.content.decode()
    assert not JoinRequest.objects.filter(user__email="ida.holm@digst.dk").exists()


def test_convenor_creates_a_working_group_and_chooses_its_members(cast):
    convenor = sign_in(cast.convenor)
    response = convenor.post(DN + "manage/groups/", {"name": "Open data", "purpose": "Data."})
    assert response["Location"] == DN + "manage/groups/open-data/"
    convenor.post(
        DN + "manage/groups/open-data/members/", {"members": [cast.member.pk, cast.moderator.pk]}
    )
    group = WorkingGroup.objects.get(network=cast.digital_nations, slug="open-data")
    assert set(group.members.all()) == {cast.member, cast.moderator}
    assert sign_in(cast.member).get(group.get_absolute_url()).status_code == 200
    again = convenor.post(DN + "manage/groups/", {"name": "Open Data"})
    assert "already has a working group called" in again.content.decode()


def test_convenor_who_makes_herself_a_member_is_sent_home(cast):
    convenor = sign_in(cast.convenor)
    convenor.post(
        reverse(
            "networks:member_role",
            args=["digital-nations", membership(cast.member, cast.digital_nations).pk],
        ),
        {"role": Membership.Role.CONVENOR},
    )
    response = convenor.post(
        reverse(
            "networks:member_role",
            args=["digital-nations", membership(cast.convenor, cast.digital_nations).pk],
        ),
        {"role": Membership.Role.MEMBER},
    )
    assert response["Location"] == DN
    assert convenor.get(DN + "manage/members/").status_code == 403


def test_country_added_and_its_focal_point_named_through_the_pages(cast):
    from networks.models import Country

    convenor = sign_in(cast.convenor)
    brazil = Country.objects.get(code="BR")
    convenor.post(DN + "manage/countries/", {"country": brazil.pk})
    assert NetworkCountry.objects.get(network=cast.digital_nations, country=brazil).is_active
    convenor.post(DN + "manage/countries/UY/focal-points/", {"UY-official": cast.member.pk})
    page = convenor.get(DN).content.decode()
    assert re.search(r"Uruguay</th>\s*<td>[^<]*</td>\s*<td>Lucía Pérez</td>", page)
    # A focal point must use a second factor: Lucía has none yet, so she is asked to add one.
    assert sign_in(cast.member).get(DN)["Location"] == reverse("officials:mfa_required")


# The audit log


def test_audit_log_filters_by_actor_and_action_and_pages(cast):
    for _ in range(60):
        services.audit_record(
            actor=cast.moderator, action="membership.suspend", network=cast.digital_nations
        )
    convenor = sign_in(cast.convenor)
    page = convenor.get(DN + "audit/").content.decode()
    assert "Page 1 of 2" in page
    assert "Invited an official" in page or "Older events" in page
    filtered = convenor.get(
        DN + "audit/", {"actor": cast.convenor.pk, "action": "invitation.create"}
    ).content.decode()
    assert "Invited an official" in filtered
    assert "João Silva" not in filtered.split("<tbody>")[1]
    second = convenor.get(DN + "audit/", {"actor": cast.moderator.pk, "page": 2}).content.decode()
    assert "Page 2 of 2" in second
    assert "actor=" in second  # the filter is kept from page to page


def test_audit_log_shows_addresses_to_platform_admins_only(cast):
    services.audit_record(
        actor=cast.convenor, action="network.update", network=cast.digital_nations
    )
    assert "From address" not in sign_in(cast.convenor).get(DN + "audit/").content.decode()
    admin_page = sign_in(cast.admin).get("/networks/dpi-peer-network/audit/")
    assert admin_page.status_code == 200
    assert "From address" in admin_page.content.decode()
