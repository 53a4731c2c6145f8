"""The Django admin, for platform admins: every change made there is audited like the rest,
the audit log is read-only, and an invitation's secret cannot be edited."""

import pytest
from django.urls import reverse

from networks.models import (
    AuditEvent,
    Country,
    GovernmentDomain,
    Invitation,
    Membership,
    WorkingGroup,
)
from tests.networks.conftest import membership, sign_in


@pytest.fixture
def admin_client(cast):
    return sign_in(cast.admin)


def new_events(before):
    return list(AuditEvent.objects.filter(pk__gt=before).order_by("pk"))


def last_event_id():
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_admin_pages_open_for_the_platform_admin(admin_client):
    for model in (
        "country",
        "network",
        "networkcountry",
        "membership",
        "workinggroup",
        "invitation",
        "joinrequest",
        "auditevent",
    ):
        assert admin_client.get(reverse(f"admin:networks_{model}_changelist")).status_code == 200


def test_convenor_is_not_let_into_the_admin(cast):
    response = sign_in(cast.convenor).get(reverse("admin:index"))
    assert response.status_code in (302, 403)
    assert AuditEvent.objects.filter(action__startswith="admin.").count() == 0


def test_changing_a_membership_in_the_admin_writes_one_audit_event(cast, admin_client):
    lucia = membership(cast.member, cast.digital_nations)
    before = last_event_id()
    response = admin_client.post(
        reverse("admin:networks_membership_change", args=[lucia.pk]),
        {
            "user": lucia.user_id,
            "network": lucia.network_id,
            "role": Membership.Role.MEMBER,
            "state": Membership.State.SUSPENDED,
            "created_at_0": lucia.created_at.date().isoformat(),
            "created_at_1": lucia.created_at.time().strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    (event,) = new_events(before)
    assert event.action == "admin.change"
    assert event.actor == cast.admin
    assert event.network == cast.digital_nations
    assert event.target_id == str(lucia.pk)
    assert "State" in str(event.changes)  # the admin's own account of what changed
    assert membership(cast.member, cast.digital_nations).state == Membership.State.SUSPENDED


def test_adding_a_country_with_its_domain_in_the_admin_is_audited(admin_client):
    before = last_event_id()
    response = admin_client.post(
        reverse("admin:networks_country_add"),
        {
            "code": "FI",
            "name": "Finland",
            "domains-TOTAL_FORMS": "1",
            "domains-INITIAL_FORMS": "0",
            "domains-MIN_NUM_FORMS": "0",
            "domains-MAX_NUM_FORMS": "1000",
            "domains-0-domain": "gov.fi",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert GovernmentDomain.objects.get(domain="gov.fi").country.code == "FI"
    (event,) = new_events(before)
    assert event.action == "admin.add"
    assert event.target_label == "Finland"
    assert "gov.fi" in str(event.changes)


def test_deleting_in_the_admin_is_audited_in_the_same_transaction(cast, admin_client):
    group = WorkingGroup.objects.create(network=cast.digital_nations, name="Short-lived", slug="s")
    before = last_event_id()
    response = admin_client.post(
        reverse("admin:networks_workinggroup_delete", args=[group.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not WorkingGroup.objects.filter(pk=group.pk).exists()
    (event,) = new_events(before)
    assert event.action == "admin.delete"
    assert event.network == cast.digital_nations
    assert event.target_label == "Short-lived"


def test_bulk_delete_in_the_admin_writes_one_event_for_each_object(cast, admin_client):
    ids = list(Membership.objects.filter(network=cast.dpi).values_list("pk", flat=True))
    before = last_event_id()
    response = admin_client.post(
        reverse("admin:networks_membership_changelist"),
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(pk__in=ids).exists()
    events = new_events(before)
    assert [event.action for event in events] == ["admin.delete"] * len(ids)
    assert {event.target_id for event in events} == {str(pk) for pk in ids}


def test_network_slug_of_a_site_page_is_refused(admin_client):
    response = admin_client.post(
        reverse("admin:networks_network_add"),
        {
            "name": "Directory",
            "slug": "directory",
            "purpose": "x",
            "default_attribution": "chatham",
            "country_links-TOTAL_FORMS": "0",
            "country_links-INITIAL_FORMS": "0",
            "country_links-MIN_NUM_FORMS": "0",
            "country_links-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert "This address is taken by a page of the site." in response.content.decode()


def test_audit_events_cannot_be_added_changed_or_deleted_in_the_admin(cast, admin_client):
    event = AuditEvent.objects.first()
    assert admin_client.get(reverse("admin:networks_auditevent_add")).status_code == 403
    change_url = reverse("admin:networks_auditevent_change", args=[event.pk])
    assert admin_client.get(change_url).status_code == 200  # readable
    assert admin_client.post(change_url, {"action": "tampered"}).status_code == 403
    delete_url = reverse("admin:networks_auditevent_delete", args=[event.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).action == event.action


def test_invitation_secret_is_read_only_in_the_admin(cast, admin_client):
    invitation = cast.invitation
    response = admin_client.post(
        reverse("admin:networks_invitation_change", args=[invitation.pk]),
        {
            "role": Membership.Role.MODERATOR,
            "token_digest": "0" * 64,
            "expires_at_0": invitation.expires_at.date().isoformat(),
            "expires_at_1": "12:00:00",
            "revoked_at_0": "",
            "revoked_at_1": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    invitation.refresh_from_db()
    assert invitation.role == Membership.Role.MODERATOR
    assert invitation.token_digest != "0" * 64
    assert admin_client.get(reverse("admin:networks_invitation_add")).status_code == 403
    assert Invitation.objects.count() == 1


def test_countries_admin_lists_domains(admin_client):
    page = admin_client.get(
        reverse("admin:networks_country_change", args=[Country.objects.get(code="PT").pk])
    )
    assert "gov.pt" in page.content.decode()
