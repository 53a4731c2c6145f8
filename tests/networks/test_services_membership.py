"""Membership services: each writes exactly one audit event, tells the affected officials by
email (through the real worker), and refuses stale, doubled or forbidden requests without
changing anything."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from networks import access as network_access
from networks import services
from networks.models import (
    Attribution,
    AuditEvent,
    Country,
    FocalPoint,
    Invitation,
    JoinRequest,
    Membership,
    NetworkCountry,
    User,
    WorkingGroup,
)
from tests.networks.conftest import membership


def new_official(email, code, name):
    return User.objects.create_user(
        email, "a long enough password", full_name=name, country=Country.objects.get(code=code)
    )


# service call, the audit action it records, who is told by email
SERVICES = {
    "membership_invite_many": (
        lambda c: services.membership_invite_many(
            acting_user=c.convenor,
            network=c.digital_nations,
            addresses="ana.costa@gov.pt, someone@gmail.com",
        ),
        "invitation.create",
        lambda c: {"ana.costa@gov.pt"},
    ),
    "invitation_resend": (
        lambda c: services.invitation_resend(acting_user=c.convenor, invitation=c.invitation),
        "invitation.resend",
        lambda c: {"rita.gomes@gov.pt"},
    ),
    "invitation_revoke": (
        lambda c: services.invitation_revoke(acting_user=c.convenor, invitation=c.invitation),
        "invitation.revoke",
        lambda c: {"rita.gomes@gov.pt"},
    ),
    "join_request_create": (
        lambda c: services.join_request_create(
            acting_user=new_official("ida.holm@digst.dk", "DK", "Ida Holm"),
            network=c.digital_nations,
            message="Hello",
        ),
        "join_request.create",
        # the convenor, and Denmark's focal point (not Portugal's)
        lambda c: {c.convenor.email, c.focal_point.email},
    ),
    "join_request_approve": (
        lambda c: services.join_request_approve(
            acting_user=c.convenor, join_request=c.join_request
        ),
        "join_request.approve",
        lambda c: {c.applicant.email},
    ),
    "join_request_decline": (
        lambda c: services.join_request_decline(
            acting_user=c.focal_point, join_request=c.join_request
        ),
        "join_request.decline",
        lambda c: {c.applicant.email},
    ),
    "membership_change_role": (
        lambda c: services.membership_change_role(
            acting_user=c.convenor,
            membership=membership(c.member, c.digital_nations),
            role=Membership.Role.MODERATOR,
        ),
        "membership.change_role",
        lambda c: {c.member.email},
    ),
    "membership_suspend": (
        lambda c: services.membership_suspend(
            acting_user=c.convenor, membership=membership(c.member, c.digital_nations)
        ),
        "membership.suspend",
        lambda c: {c.member.email},
    ),
    "membership_reinstate": (
        lambda c: services.membership_reinstate(
            acting_user=c.convenor, membership=membership(c.suspended, c.digital_nations)
        ),
        "membership.reinstate",
        lambda c: {c.suspended.email},
    ),
    "membership_remove": (
        lambda c: services.membership_remove(
            acting_user=c.convenor, membership=membership(c.member, c.digital_nations)
        ),
        "membership.remove",
        lambda c: {c.member.email},
    ),
    "membership_leave": (
        lambda c: services.membership_leave(acting_user=c.member, network=c.digital_nations),
        "membership.leave",
        lambda c: {c.convenor.email},
    ),
    "network_country_add": (
        lambda c: services.network_country_add(
            acting_user=c.convenor,
            network=c.digital_nations,
            country=Country.objects.get(code="BR"),
        ),
        "network.country_add",
        lambda c: set(),  # no Brazilian official has a membership to get back
    ),
    "network_country_remove": (
        lambda c: services.network_country_remove(
            acting_user=c.convenor,
            network=c.digital_nations,
            country=Country.objects.get(code="UY"),
        ),
        "network.country_remove",
        lambda c: {c.member.email},
    ),
    "focal_point_add": (
        lambda c: services.focal_point_add(
            acting_user=c.convenor,
            network=c.digital_nations,
            country=Country.objects.get(code="UY"),
            user=c.member,
        ),
        "focal_point.add",
        lambda c: {c.member.email},
    ),
    "focal_point_remove": (
        lambda c: services.focal_point_remove(
            acting_user=c.convenor,
            network=c.digital_nations,
            country=Country.objects.get(code="PT"),
            user=c.moderator,
        ),
        "focal_point.remove",
        lambda c: {c.moderator.email},
    ),
    "working_group_create": (
        lambda c: services.working_group_create(
            acting_user=c.convenor, network=c.digital_nations, name="Open data"
        ),
        "working_group.create",
        lambda c: set(),
    ),
    "working_group_update": (
        lambda c: services.working_group_update(
            acting_user=c.convenor, group=c.group, name="Identity wallets", purpose="Wallets."
        ),
        "working_group.update",
        lambda c: set(),
    ),
    "working_group_archive": (
        lambda c: services.working_group_archive(acting_user=c.convenor, group=c.group),
        "working_group.archive",
        lambda c: {c.group_member.email, c.convenor.email},
    ),
    "working_group_set_members": (
        lambda c: services.working_group_set_members(
            acting_user=c.convenor, group=c.group, members=[c.group_member, c.member]
        ),
        "working_group.set_members",
        lambda c: {c.member.email, c.convenor.email},  # Lucía added, Kadri taken out
    ),
    "network_update": (
        lambda c: services.network_update(
            acting_user=c.convenor,
            network=c.digital_nations,
            purpose="A new charter.",
            is_listed=False,
            requires_review=True,
            default_attribution=Attribution.NAMED,
        ),
        "network.update",
        lambda c: set(),
    ),
}


@pytest.fixture
def resend_at_once(monkeypatch):
    monkeypatch.setattr(services.invitations, "RESEND_INTERVAL", timedelta(0))


@pytest.mark.usefixtures("resend_at_once")
@pytest.mark.parametrize("service", SERVICES)
def test_service_writes_one_audit_event_and_tells_the_affected_officials(
    cast, service, outbox, django_capture_on_commit_callbacks, run_worker
):
    call, action, recipients = SERVICES[service]
    before = AuditEvent.objects.count()
    latest = AuditEvent.objects.order_by("-id").first()
    with django_capture_on_commit_callbacks(execute=True):
        call(cast)
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.exclude(pk=latest.pk).order_by("-id").first()
    assert event.action == action
    assert event.network == cast.digital_nations
    assert event.action in services.AUDIT_ACTIONS
    assert outbox == []  # nothing is sent from the request itself
    run_worker()
    told = [message.to for message in outbox]
    assert all(len(to) == 1 for to in told), "each official gets their own email"
    assert {to[0] for to in told} == recipients(cast)
    for message in outbox:
        assert "Digital Nations" in message.subject + message.body


def test_notice_email_text_is_not_html_escaped(
    cast, outbox, django_capture_on_commit_callbacks, run_worker
):
    type(cast.digital_nations).objects.filter(pk=cast.digital_nations.pk).update(
        name="Nations' Digital & Open"
    )
    cast.digital_nations.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_suspend(
            acting_user=cast.convenor, membership=membership(cast.member, cast.digital_nations)
        )
    run_worker()
    (message,) = outbox
    assert "Nations' Digital & Open" in message.subject
    assert "Nations' Digital & Open" in message.body
    html = message.alternatives[0].content
    assert "Nations&#x27; Digital &amp; Open" in html


def test_every_service_is_in_the_table():
    public = {
        name
        for name, value in vars(services).items()
        if callable(value)
        and not name.startswith("_")
        and name.split("_")[0]
        in {"membership", "invitation", "join", "network", "focal", "working"}
    }
    # invite and accept predate this table and have their own tests in test_services_core.py
    assert public - {"membership_invite", "invitation_accept", "invitation_for_token"} == set(
        SERVICES
    )


def test_resent_invitation_has_a_new_link_and_the_old_one_stops_working(
    cast, resend_at_once, outbox, django_capture_on_commit_callbacks, run_worker
):
    old_digest = cast.invitation.token_digest
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(acting_user=cast.convenor, invitation=cast.invitation)
    run_worker()
    link = next(line for line in outbox[0].body.splitlines() if "/invitations/" in line)
    token = link.strip().rstrip("/").rsplit("/", 1)[1]
    assert services.invitation_for_token(token) == cast.invitation
    assert not Invitation.objects.filter(token_digest=old_digest).exists()


def test_readding_a_country_gives_its_kept_members_access_back_and_tells_them(
    cast, outbox, django_capture_on_commit_callbacks, run_worker
):
    uruguay = Country.objects.get(code="UY")
    services.network_country_remove(
        acting_user=cast.convenor, network=cast.digital_nations, country=uruguay
    )
    assert not network_access.is_member(User.objects.get(pk=cast.member.pk), cast.digital_nations)
    with django_capture_on_commit_callbacks(execute=True):
        services.network_country_add(
            acting_user=cast.convenor, network=cast.digital_nations, country=uruguay
        )
    run_worker()
    assert [message.to for message in outbox] == [[cast.member.email]]
    assert network_access.is_member(User.objects.get(pk=cast.member.pk), cast.digital_nations)


def test_removal_takes_the_official_out_of_working_groups_and_focal_points(cast):
    services.membership_remove(
        acting_user=cast.convenor, membership=membership(cast.moderator, cast.digital_nations)
    )
    assert not FocalPoint.objects.filter(user=cast.moderator).exists()
    services.membership_leave(acting_user=cast.group_member, network=cast.digital_nations)
    assert not cast.group.members.filter(pk=cast.group_member.pk).exists()
    assert membership(cast.group_member, cast.digital_nations).state == Membership.State.LEFT


def test_suspension_keeps_working_groups_for_reinstatement(cast):
    kim = membership(cast.group_member, cast.digital_nations)
    services.membership_suspend(acting_user=cast.convenor, membership=kim)
    assert not network_access.can_enter_working_group(User.objects.get(pk=kim.user_id), cast.group)
    services.working_group_set_members(
        acting_user=cast.convenor, group=cast.group, members=[cast.member]
    )
    services.membership_reinstate(acting_user=cast.convenor, membership=kim)
    assert network_access.can_enter_working_group(User.objects.get(pk=kim.user_id), cast.group)


def test_approved_official_becomes_an_active_member(cast):
    services.join_request_approve(acting_user=cast.focal_point, join_request=cast.join_request)
    assert network_access.is_member(User.objects.get(pk=cast.applicant.pk), cast.digital_nations)
    assert membership(cast.applicant, cast.digital_nations).role == Membership.Role.MEMBER


def test_invite_many_reports_every_address_in_order(cast):
    outcomes = services.membership_invite_many(
        acting_user=cast.convenor,
        network=cast.digital_nations,
        addresses=(
            "Ana Costa <Ana.Costa@gov.pt>; someone@gmail.com\n"
            "not-an-address lucia.perez@gub.uy\nana.costa@gov.pt\nsomeone@gov.in\n"
            "rita.gomes@gov.pt, aroha.ngata@govt.nz"
        ),
    )
    assert [(outcome.email, outcome.status) for outcome in outcomes] == [
        ("ana.costa@gov.pt", services.InviteOutcome.INVITED),
        ("someone@gmail.com", services.InviteOutcome.NOT_MEMBER_COUNTRY),
        ("not-an-address", services.InviteOutcome.INVALID),
        ("lucia.perez@gub.uy", services.InviteOutcome.ALREADY_MEMBER),
        ("ana.costa@gov.pt", services.InviteOutcome.DUPLICATE),
        ("someone@gov.in", services.InviteOutcome.NOT_MEMBER_COUNTRY),
        # invited a moment ago (a form sent twice): sending again would kill the first link
        ("rita.gomes@gov.pt", services.InviteOutcome.JUST_INVITED),
        # suspended: an invitation could not be accepted
        ("aroha.ngata@govt.nz", services.InviteOutcome.SUSPENDED),
    ]
    assert Invitation.objects.filter(email="ana.costa@gov.pt").count() == 1
    assert Invitation.objects.get(pk=cast.invitation.pk).token_digest == (
        cast.invitation.token_digest
    )
    assert not Invitation.objects.filter(email="aroha.ngata@govt.nz").exists()
    assert all(outcome.message for outcome in outcomes)


# Refusals: nothing changes, nothing is recorded, nobody is told


def world(network):
    """Everything the services may change, to compare before and after a refusal."""
    return {
        "memberships": list(
            Membership.objects.values_list("user_id", "network_id", "role", "state")
        ),
        "invitations": list(
            Invitation.objects.values_list("email", "role", "token_digest", "revoked_at")
        ),
        "join_requests": list(JoinRequest.objects.values_list("user_id", "state", "decided_by")),
        "links": list(NetworkCountry.objects.values_list("network_id", "country_id", "is_active")),
        "focal_points": list(FocalPoint.objects.values_list("network_country_id", "user_id")),
        "groups": list(WorkingGroup.objects.values_list("name", "purpose", "is_archived")),
        "group_members": list(WorkingGroup.members.through.objects.values_list()),
        "network": list(
            type(network)
            .objects.filter(pk=network.pk)
            .values_list("purpose", "is_listed", "requires_review", "default_attribution")
        ),
        "audit": AuditEvent.objects.count(),
    }


def uruguay():
    return Country.objects.get(code="UY")


REFUSALS = {
    # stale or doubled: a message, nothing changed
    "suspending a suspended member": (
        lambda c: services.membership_suspend(
            acting_user=c.convenor, membership=membership(c.suspended, c.digital_nations)
        ),
        services.ActionRefused,
    ),
    "reinstating an active member": (
        lambda c: services.membership_reinstate(
            acting_user=c.convenor, membership=membership(c.member, c.digital_nations)
        ),
        services.ActionRefused,
    ),
    "giving a member the role she has": (
        lambda c: services.membership_change_role(
            acting_user=c.convenor,
            membership=membership(c.member, c.digital_nations),
            role=Membership.Role.MEMBER,
        ),
        services.ActionRefused,
    ),
    "a role that does not exist": (
        lambda c: services.membership_change_role(
            acting_user=c.convenor,
            membership=membership(c.member, c.digital_nations),
            role="emperor",
        ),
        services.ActionRefused,
    ),
    "inviting with a role that does not exist": (
        lambda c: services.membership_invite_many(
            acting_user=c.convenor,
            network=c.digital_nations,
            addresses="ana.costa@gov.pt",
            role="emperor",
        ),
        services.ActionRefused,
    ),
    "inviting nobody": (
        lambda c: services.membership_invite_many(
            acting_user=c.convenor, network=c.digital_nations, addresses=" ,\n"
        ),
        services.ActionRefused,
    ),
    "resending an invitation just sent": (
        lambda c: services.invitation_resend(acting_user=c.convenor, invitation=c.invitation),
        services.ActionRefused,
    ),
    "withdrawing a withdrawn invitation": (
        lambda c: services.invitation_revoke(acting_user=c.convenor, invitation=c.invitation),
        services.ActionRefused,
        lambda c: Invitation.objects.filter(pk=c.invitation.pk).update(revoked_at=timezone.now()),
    ),
    "removing a member who left": (
        lambda c: services.membership_remove(
            acting_user=c.convenor, membership=membership(c.member, c.digital_nations)
        ),
        services.ActionRefused,
        lambda c: Membership.objects.filter(user=c.member).update(state=Membership.State.LEFT),
    ),
    "approving a request already declined": (
        lambda c: services.join_request_approve(
            acting_user=c.convenor, join_request=c.join_request
        ),
        services.ActionRefused,
        lambda c: JoinRequest.objects.filter(pk=c.join_request.pk).update(
            state=JoinRequest.State.DECLINED
        ),
    ),
    "asking to join twice": (
        lambda c: services.join_request_create(
            acting_user=c.applicant, network=c.digital_nations, message="Again"
        ),
        services.ActionRefused,
    ),
    "asking to join while a member": (
        lambda c: services.join_request_create(acting_user=c.member, network=c.digital_nations),
        services.ActionRefused,
    ),
    "adding a member country again": (
        lambda c: services.network_country_add(
            acting_user=c.convenor, network=c.digital_nations, country=uruguay()
        ),
        services.ActionRefused,
    ),
    "removing a country that is not a member": (
        lambda c: services.network_country_remove(
            acting_user=c.convenor,
            network=c.digital_nations,
            country=Country.objects.get(code="IN"),
        ),
        services.ActionRefused,
    ),
    "removing the convenor's own country": (
        lambda c: services.network_country_remove(
            acting_user=c.convenor,
            network=c.digital_nations,
            country=Country.objects.get(code="EE"),
        ),
        services.ActionRefused,
    ),
    "a focal point from another country": (
        lambda c: services.focal_point_add(
            acting_user=c.convenor, network=c.digital_nations, country=uruguay(), user=c.moderator
        ),
        services.ActionRefused,
    ),
    "a focal point who is not an active member": (
        lambda c: services.focal_point_add(
            acting_user=c.convenor,
            network=c.digital_nations,
            country=Country.objects.get(code="NZ"),
            user=c.suspended,
        ),
        services.ActionRefused,
    ),
    "naming a focal point twice": (
        lambda c: services.focal_point_add(
            acting_user=c.convenor,
            network=c.digital_nations,
            country=Country.objects.get(code="PT"),
            user=c.moderator,
        ),
        services.ActionRefused,
    ),
    "removing a focal point who is not one": (
        lambda c: services.focal_point_remove(
            acting_user=c.convenor, network=c.digital_nations, country=uruguay(), user=c.member
        ),
        services.ActionRefused,
    ),
    "a second working group of the same name": (
        lambda c: services.working_group_create(
            acting_user=c.convenor, network=c.digital_nations, name="digital IDENTITY"
        ),
        services.ActionRefused,
    ),
    "saving a working group unchanged": (
        lambda c: services.working_group_update(
            acting_user=c.convenor, group=c.group, name=c.group.name, purpose=c.group.purpose
        ),
        services.ActionRefused,
    ),
    "choosing an outsider as a working group member": (
        lambda c: services.working_group_set_members(
            acting_user=c.convenor, group=c.group, members=[c.outsider]
        ),
        services.ActionRefused,
    ),
    "choosing the members a working group has": (
        lambda c: services.working_group_set_members(
            acting_user=c.convenor, group=c.group, members=[c.group_member, c.convenor]
        ),
        services.ActionRefused,
    ),
    "saving the network unchanged": (
        lambda c: services.network_update(
            acting_user=c.convenor,
            network=c.digital_nations,
            purpose=c.digital_nations.purpose,
            is_listed=c.digital_nations.is_listed,
            requires_review=c.digital_nations.requires_review,
            default_attribution=c.digital_nations.default_attribution,
        ),
        services.ActionRefused,
    ),
    "an attribution that does not exist": (
        lambda c: services.network_update(
            acting_user=c.convenor,
            network=c.digital_nations,
            purpose="x",
            is_listed=True,
            requires_review=False,
            default_attribution="anonymous",
        ),
        services.ActionRefused,
    ),
    "the last convenor leaving": (
        lambda c: services.membership_leave(acting_user=c.convenor, network=c.digital_nations),
        services.ActionRefused,
    ),
    "the last convenor making herself a member": (
        lambda c: services.membership_change_role(
            acting_user=c.convenor,
            membership=membership(c.convenor, c.digital_nations),
            role=Membership.Role.MEMBER,
        ),
        services.ActionRefused,
    ),
    "a convenor suspending herself": (
        lambda c: services.membership_suspend(
            acting_user=c.convenor, membership=membership(c.convenor, c.digital_nations)
        ),
        services.ActionRefused,
    ),
    "leaving a network one is not in": (
        lambda c: services.membership_leave(acting_user=c.outsider, network=c.digital_nations),
        services.ActionRefused,
    ),
    # forbidden: the policy says no
    "a moderator suspending": (
        lambda c: services.membership_suspend(
            acting_user=c.moderator, membership=membership(c.member, c.digital_nations)
        ),
        PermissionDenied,
    ),
    "another network's convenor suspending": (
        lambda c: services.membership_suspend(
            acting_user=c.dpi_convenor, membership=membership(c.member, c.digital_nations)
        ),
        PermissionDenied,
    ),
    "a convenor acting on another network's member": (
        lambda c: services.membership_remove(
            acting_user=c.convenor, membership=membership(c.outsider, c.dpi)
        ),
        PermissionDenied,
    ),
    "a focal point deciding for another country": (
        lambda c: services.join_request_approve(
            acting_user=c.moderator, join_request=c.join_request
        ),
        PermissionDenied,
    ),
    "a member inviting": (
        lambda c: services.membership_invite_many(
            acting_user=c.member, network=c.digital_nations, addresses="ana.costa@gov.pt"
        ),
        PermissionDenied,
    ),
    "a member creating a working group": (
        lambda c: services.working_group_create(
            acting_user=c.member, network=c.digital_nations, name="Mine"
        ),
        PermissionDenied,
    ),
    "an official of a non-member country asking to join": (
        lambda c: services.join_request_create(acting_user=c.outsider, network=c.digital_nations),
        PermissionDenied,
    ),
    "a suspended member asking her way back": (
        lambda c: services.join_request_create(acting_user=c.suspended, network=c.digital_nations),
        PermissionDenied,
    ),
    "a convenor changing another network": (
        lambda c: services.network_update(
            acting_user=c.convenor,
            network=c.dpi,
            purpose="Taken over.",
            is_listed=True,
            requires_review=False,
            default_attribution=Attribution.NAMED,
        ),
        PermissionDenied,
    ),
}


@pytest.mark.parametrize("refusal", REFUSALS)
def test_refused_request_changes_nothing(
    cast, refusal, outbox, django_capture_on_commit_callbacks, run_worker
):
    call, error, *setup = REFUSALS[refusal]
    for step in setup:  # the stale state the request meets
        step(cast)
    before = world(cast.digital_nations)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(error) as raised:
        call(cast)
    if error is services.ActionRefused:
        assert raised.value.message  # a clear message for the person who asked
    assert world(cast.digital_nations) == before
    run_worker()
    assert outbox == []
