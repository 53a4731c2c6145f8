"""The saved-searches page promises that the digest tells of new lessons a saved search finds:
the digest lists them, only those its owner may read when it is sent, each once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lessons.models import Lesson
from networks.models import Membership
from networks.services import membership_suspend
from notifications import digests
from notifications import services as notifications
from notifications.models import Delivery
from search import params as search_params
from search import services as search_services
from tests.questions.test_question_digest import digest_of, event  # noqa: F401 (fixture)

SECRET = "quokkaboard"
HEADING = "New lessons for your saved searches"


def save(user, q=SECRET):
    return search_services.saved_search_create(
        acting_user=user, params=search_params.SearchParams.from_query({"q": q}), name="Quokkas"
    )


def run_digests(event, frequency=Delivery.DAILY):  # noqa: F811
    return event(lambda: digests.deliver_digests(frequency=frequency))


@pytest.mark.django_db
def test_the_digest_tells_of_new_matches_the_owner_may_read_once(demo, write_lesson, event):  # noqa: F811
    save(demo.member)
    old = write_lesson(author=demo.group_member, title=f"Old {SECRET}")
    Lesson.objects.filter(pk=old.pk).update(published_at=timezone.now() - timedelta(days=90))
    new = write_lesson(author=demo.group_member, title=f"Network {SECRET}")
    group = demo.digital_nations.working_groups.get(slug="digital-identity")
    write_lesson(author=demo.group_member, group=group, title=f"Group {SECRET}")  # not hers
    write_lesson(author=demo.group_member, title=f"Draft {SECRET}", publish=False)
    text, html = digest_of(run_digests(event), demo.member)
    for body in (text, html):
        assert HEADING in body
        assert f"Network {SECRET}" in body
        assert new.get_absolute_url() in body
        assert "Quokkas" in body
        for hidden in (f"Group {SECRET}", f"Draft {SECRET}", f"Old {SECRET}"):
            assert hidden not in body
    # Told once: the next digest does not list it again.
    again = [m for m in run_digests(event) if m.to == [demo.member.email]]
    assert not [m for m in again if f"Network {SECRET}" in m.body]


@pytest.mark.django_db
def test_only_what_the_owner_may_read_when_the_digest_is_sent(demo, write_lesson, event):  # noqa: F811
    save(demo.member)
    write_lesson(author=demo.group_member, title=f"Network {SECRET}")
    membership = Membership.objects.get(user=demo.member, network=demo.digital_nations)
    membership_suspend(acting_user=demo.convenor, membership=membership)
    emails = run_digests(event)
    assert not [m for m in emails if f"Network {SECRET}" in m.body]


@pytest.mark.django_db
def test_the_alerts_follow_the_owners_digest_frequency_and_never_when_email_is_off(
    demo,
    write_lesson,
    event,  # noqa: F811
):
    save(demo.member)
    networks = sorted(demo.member.memberships.values_list("network", flat=True))
    for network in demo.digital_nations.__class__.objects.filter(pk__in=networks):
        notifications.notification_preference_set(
            acting_user=demo.member, network=network, delivery=Delivery.WEEKLY
        )
    write_lesson(author=demo.group_member, title=f"Network {SECRET}")
    assert not [m for m in run_digests(event) if f"Network {SECRET}" in m.body]
    weekly = run_digests(event, Delivery.WEEKLY)
    assert [m for m in weekly if m.to == [demo.member.email] and f"Network {SECRET}" in m.body]
    for network in demo.digital_nations.__class__.objects.filter(pk__in=networks):
        notifications.notification_preference_set(
            acting_user=demo.member, network=network, delivery=Delivery.NEVER
        )
    write_lesson(author=demo.group_member, title=f"Second {SECRET}")
    for frequency in (Delivery.DAILY, Delivery.WEEKLY):
        assert not [m for m in run_digests(event, frequency) if f"Second {SECRET}" in m.body]
