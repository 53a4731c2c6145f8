"""The services that every later one builds on: audit events and invitations."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction

from networks import access as network_access
from networks import services
from networks.models import AuditEvent, Invitation, Membership, User


def test_audit_events_refuse_update_and_delete(demo):
    event = services.audit_record(actor=demo.convenor, action="network.update", network=demo.dpi)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "network.update"


def _with_redaction_on(change):
    from django.db import connection

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL minilateral.audit_redaction = 'on'")
        change()
        # As official_erase does, since its transaction may be nested in another (a failure
        # rolls the savepoint back, and the setting with it).
        cursor.execute("SET LOCAL minilateral.audit_redaction = 'off'")


def test_the_erasure_window_rewrites_labels_only_never_who_what_when(demo):
    event = services.audit_record(
        actor=demo.convenor, action="network.update", network=demo.dpi, target=demo.member
    )
    events = AuditEvent.objects.filter(pk=event.pk)
    for tampering in (
        {"action": "tampered"},
        {"actor": demo.admin},
        {"network": demo.digital_nations},
        {"target_id": "0"},
        {"created_at": event.created_at.replace(year=2000)},
    ):
        with pytest.raises(DatabaseError, match="append-only"):
            _with_redaction_on(lambda tampering=tampering: events.update(**tampering))
    with pytest.raises(DatabaseError, match="append-only"):
        _with_redaction_on(events.delete)

    _with_redaction_on(lambda: events.update(target_label="a former member", changes={}))
    assert events.get().target_label == "a former member"
    # The window is closed again.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        events.update(target_label="again")


def test_convenor_invites_and_invitation_accepted_makes_active_member(
    demo, mailoutbox, django_capture_on_commit_callbacks, run_worker
):
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.membership_invite(
            acting_user=demo.convenor, network=demo.digital_nations, email="Ana.Costa@gov.pt"
        )
    assert outcome.status == services.InviteOutcome.INVITED
    assert mailoutbox == []  # sent by the worker, not by the request
    run_worker()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["ana.costa@gov.pt"]
    link = next(line for line in mailoutbox[0].body.splitlines() if "/invitations/" in line)
    token = link.strip().rstrip("/").rsplit("/", 1)[1]
    invitation = services.invitation_for_token(token)
    assert invitation == outcome.invitation

    ana = User.objects.create_user("ana.costa@gov.pt", "a long enough password")
    before = AuditEvent.objects.count()
    membership = services.invitation_accept(acting_user=ana, invitation=invitation)
    assert AuditEvent.objects.count() == before + 1
    assert membership.state == Membership.State.ACTIVE
    assert network_access.is_member(User.objects.get(pk=ana.pk), demo.digital_nations)
    with pytest.raises(services.ActionRefused):
        services.invitation_accept(acting_user=ana, invitation=invitation)


def test_moderator_cannot_invite(demo):
    with pytest.raises(PermissionDenied):
        services.membership_invite(
            acting_user=demo.moderator, network=demo.digital_nations, email="x@gov.pt"
        )
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    ("email", "status"),
    [
        ("not an address", services.InviteOutcome.INVALID),
        ("someone@gmail.com", services.InviteOutcome.NOT_MEMBER_COUNTRY),
        ("someone@gov.in", services.InviteOutcome.NOT_MEMBER_COUNTRY),  # India is not in DN
        ("lucia.perez@gub.uy", services.InviteOutcome.ALREADY_MEMBER),
    ],
)
def test_invitation_refused_addresses_change_nothing(demo, email, status):
    events = AuditEvent.objects.count()
    outcome = services.membership_invite(
        acting_user=demo.convenor, network=demo.digital_nations, email=email
    )
    assert outcome.status == status
    assert not Invitation.objects.exists()
    assert AuditEvent.objects.count() == events


def test_invitation_cannot_be_used_by_another_address(demo):
    outcome = services.membership_invite(
        acting_user=demo.convenor, network=demo.digital_nations, email="ana.costa@gov.pt"
    )
    other = User.objects.create_user("rui.lopes@gov.pt", "a long enough password")
    with pytest.raises(services.ActionRefused):
        services.invitation_accept(acting_user=other, invitation=outcome.invitation)
    assert not Membership.objects.filter(user=other).exists()


def test_suspended_member_has_no_access_and_country_leaving_ends_access(demo):
    assert not network_access.is_member(demo.suspended, demo.digital_nations)
    assert network_access.is_member(demo.member, demo.digital_nations)
    demo.digital_nations.country_links.filter(country__code="UY").update(is_active=False)
    lucia = User.objects.get(pk=demo.member.pk)  # a new request, a new user object
    assert not network_access.is_member(lucia, demo.digital_nations)
