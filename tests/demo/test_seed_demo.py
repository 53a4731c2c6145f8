import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from django.test import override_settings

from lessons.models import Attachment, Endorsement, Lesson, LessonRevision
from moderation.models import CollectionItem, Flag
from networks.models import AuditEvent, Country, GovernmentDomain, Network, NetworkCountry, User


def snapshot():
    return {
        "countries": list(Country.objects.values_list("code", "name").order_by("code")),
        "domains": list(
            GovernmentDomain.objects.values_list("domain", "country__code").order_by("domain")
        ),
        "networks": list(Network.objects.values().order_by("slug")),
        "links": list(
            NetworkCountry.objects.values_list(
                "network__slug", "country__code", "joined_on"
            ).order_by("id")
        ),
        "users": list(User.objects.values().order_by("email")),
        "emails": list(EmailAddress.objects.values().order_by("email")),
        "lessons": list(
            Lesson.objects.values_list(
                "title", "state", "audience", "attribution", "version", "is_featured"
            ).order_by("title")
        ),
        "revisions": LessonRevision.objects.count(),
        "endorsements": Endorsement.objects.count(),
        "attachments": Attachment.objects.count(),
        "flags": Flag.objects.count(),
        "collections": list(
            CollectionItem.objects.values_list("collection__title", "lesson__title", "position")
        ),
        "audit_events": AuditEvent.objects.count(),
    }


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_seed_demo_builds_the_demo_cast():
    call_command("seed_demo")
    assert set(Network.objects.values_list("slug", flat=True)) == {
        "digital-nations",
        "dpi-peer-network",
    }
    digital_nations = Network.objects.get(slug="digital-nations")
    assert set(digital_nations.countries.values_list("code", flat=True)) == {
        "EE",
        "PT",
        "UY",
        "KR",
        "NZ",
        "CA",
        "DK",
        "GB",
        "MX",
        "IL",
    }
    dpi = Network.objects.get(slug="dpi-peer-network")
    assert set(dpi.countries.values_list("code", flat=True)) == {"IN", "KE", "BR", "SG", "EE"}
    lucia = User.objects.get(email="lucia.perez@gub.uy")
    assert lucia.country.code == "UY"
    assert lucia.check_password("minilateral-demo-2026")
    assert EmailAddress.objects.get(email="lucia.perez@gub.uy").verified
    admin = User.objects.get(email="admin@minilateral.test")
    assert admin.is_superuser
    assert admin.is_staff
    assert GovernmentDomain.objects.get(domain="gov.pt").country.code == "PT"
    assert User.objects.count() == 8


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo")
    first = snapshot()
    call_command("seed_demo")
    assert snapshot() == first


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_seed_demo_refuses_with_debug_off_unless_forced(demo):
    # `demo`: a transactional test on this worker may have emptied the database before this one.
    assert User.objects.filter(email="kadri.tamm@riik.ee").update(full_name="Changed") == 1
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    call_command("seed_demo", "--force")
    assert User.objects.get(email="kadri.tamm@riik.ee").full_name == "Changed"  # kept, not reset
