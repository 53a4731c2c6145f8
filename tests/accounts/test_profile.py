"""An official's profile: theirs to edit, visible only to officials who share a network."""

from django.urls import reverse

from networks.models import AuditEvent, User


def test_profile_is_visible_to_officials_sharing_a_network(client, demo):
    client.force_login(demo.group_member)
    response = client.get(reverse("officials:profile", args=[demo.member.pk]))
    assert response.status_code == 200
    assert "AGESIC" in response.content.decode()


def test_profile_is_404_to_an_outsider_like_a_missing_one(client, demo):
    client.force_login(demo.outsider)
    private = client.get(reverse("officials:profile", args=[demo.member.pk]))
    missing = client.get(reverse("officials:profile", args=[999_999]))
    assert private.status_code == missing.status_code == 404
    assert private.content == missing.content


def test_suspended_member_no_longer_sees_profiles(client, demo):
    client.force_login(demo.suspended)
    assert client.get(reverse("officials:profile", args=[demo.member.pk])).status_code == 404


def test_visitor_is_sent_to_sign_in(client, demo):
    response = client.get(reverse("officials:profile", args=[demo.member.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_official_edits_their_profile_but_not_their_country(client, demo):
    client.force_login(demo.member)
    response = client.post(
        reverse("officials:profile_edit"),
        {
            "full_name": "Lucía Pérez Rodríguez",
            "job_title": "Identity lead",
            "organisation": "AGESIC",
            "languages": ["es", "en"],
            "bio": "Digital identity in Uruguay.",
            "country": "1",
        },
    )
    assert response.status_code == 302
    lucia = User.objects.get(pk=demo.member.pk)
    assert lucia.full_name == "Lucía Pérez Rodríguez"
    assert lucia.languages == ["es", "en"]
    assert lucia.country.code == "UY"
    assert AuditEvent.objects.filter(action="profile.update", actor=lucia).count() == 1
    page = client.get(reverse("officials:account")).content.decode()
    assert "Spanish" in page


def test_invalid_profile_keeps_what_was_typed(client, demo):
    client.force_login(demo.member)
    response = client.post(
        reverse("officials:profile_edit"),
        {"full_name": "L", "bio": "x" * 1001, "languages": ["xx-not-a-language"]},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert 'value="L"' in body
    assert User.objects.get(pk=demo.member.pk).full_name == "Lucía Pérez"
