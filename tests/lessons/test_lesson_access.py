"""Each audience x attribution x persona sees exactly what the policy says."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from lessons import access as lesson_access
from lessons.access import reachable_lessons as _reachable_lessons
from lessons.models import Audience, Lesson
from networks.models import Attribution, User

AUDIENCES = ["network", "all_networks", "public"]
# Who, in the demo world, reads a Digital Nations lesson of each audience (page status).
READERS = {
    # persona:       network  all_networks  public
    "anonymous": (302, 302, 200),  # a public lesson's own address shows its public page
    "outsider": (404, 200, 200),  # DPI Peer Network only
    "suspended": (404, 200, 200),  # suspended in Digital Nations: like any other official
    "member": (200, 200, 200),
    "moderator": (200, 200, 200),
    "convenor": (200, 200, 200),
}


def persona(demo, name):
    return None if name == "anonymous" else getattr(demo, name)


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("attribution", Attribution.values)
@pytest.mark.parametrize("audience_index", range(len(AUDIENCES)))
@pytest.mark.parametrize("who", list(READERS))
def test_lesson_page_obeys_audience_and_attribution(
    demo, write_lesson, who, audience_index, attribution
):
    audience = AUDIENCES[audience_index]
    lesson = write_lesson(author=demo.group_member, audience=audience, attribution=attribution)
    user = persona(demo, who)
    response = client_for(user).get(lesson.get_absolute_url())
    assert response.status_code == READERS[who][audience_index]
    if response.status_code != 200:
        return
    body = response.content.decode()
    inside = who in ("member", "moderator", "convenor")
    name_shown = "Min-jun Kim" in body
    country_shown = "Korea" in body
    if inside or attribution == Attribution.NAMED:
        assert name_shown
        assert country_shown
    elif attribution == Attribution.COUNTRY:
        assert not name_shown
        assert "an official of Korea" in body
    else:
        assert not name_shown
        assert not country_shown
        assert "a member of Digital Nations" in body


@pytest.mark.parametrize("attribution", Attribution.values)
def test_public_page_and_feed_apply_attribution_to_everyone(
    client, demo, write_lesson, attribution
):
    lesson = write_lesson(author=demo.group_member, audience="public", attribution=attribution)
    client.force_login(demo.member)  # even a member of the home network gets the outside view
    page = client.get(lesson.get_public_url()).content.decode()
    feed = Client().get(reverse("lessons:public_feed")).content.decode()
    for received in (page, feed):
        assert lesson.title in received
        assert ("Min-jun Kim" in received) == (attribution == Attribution.NAMED)
        if attribution == Attribution.CHATHAM:
            assert "Korea" not in received
            assert "minjun" not in received.lower()


def test_chatham_house_lesson_reveals_nothing_of_author_to_an_outsider(client, demo, write_lesson):
    lesson = write_lesson(
        author=demo.group_member,
        audience="all_networks",
        attribution=Attribution.CHATHAM,
        organisation="Ministry of the Interior",
    )
    client.force_login(demo.outsider)
    body = client.get(lesson.get_absolute_url()).content.decode()
    title = body.split("<title>")[1].split("</title>")[0]
    for secret in ("Min-jun", "Kim", "Korea", "korea.kr", "Ministry of the Interior", "officials/"):
        assert secret not in body, secret
    assert lesson.title in title
    listing = client.get(reverse("lessons:public_list")).content.decode()
    assert "Min-jun" not in listing


def test_working_group_lesson_is_for_its_members_and_the_network_moderators(demo, write_lesson):
    group = demo.digital_nations.working_groups.get(slug="digital-identity")
    lesson = write_lesson(author=demo.group_member, group=group)
    assert lesson.audience == "group"
    assert client_for(demo.group_member).get(lesson.get_absolute_url()).status_code == 200
    assert client_for(demo.moderator).get(lesson.get_absolute_url()).status_code == 200
    assert client_for(demo.member).get(lesson.get_absolute_url()).status_code == 404
    assert client_for(demo.outsider).get(lesson.get_absolute_url()).status_code == 404


def test_draft_is_seen_by_its_author_alone(demo, write_lesson):
    lesson = write_lesson(publish=False)
    assert client_for(demo.member).get(lesson.get_absolute_url()).status_code == 200
    for other in (demo.moderator, demo.group_member, demo.outsider):
        assert client_for(other).get(lesson.get_absolute_url()).status_code == 404


def test_lesson_in_review_is_seen_by_author_and_moderators(demo, write_lesson):
    demo.digital_nations.requires_review = True
    demo.digital_nations.save()
    lesson = write_lesson()
    assert lesson.state == Lesson.State.IN_REVIEW
    assert client_for(demo.member).get(lesson.get_absolute_url()).status_code == 200
    assert client_for(demo.moderator).get(lesson.get_absolute_url()).status_code == 200
    assert client_for(demo.group_member).get(lesson.get_absolute_url()).status_code == 404


def test_private_lesson_404_is_identical_to_a_missing_one(demo, write_lesson):
    lesson = write_lesson()
    client = client_for(demo.outsider)
    private = client.get(lesson.get_absolute_url())
    missing = client.get(reverse("lessons:detail", args=[999_999]))
    assert private.status_code == missing.status_code == 404
    assert private.content == missing.content


def test_readable_queryset_agrees_with_the_page_for_every_persona(demo, write_lesson):
    lessons = [
        write_lesson(audience=audience, title=f"Lesson for {audience}") for audience in AUDIENCES
    ]
    lessons.append(write_lesson(publish=False, title="A draft"))
    for user in [AnonymousUser(), *User.objects.all()]:
        readable = set(lesson_access.readable_lessons(user).values_list("pk", flat=True))
        for lesson in lessons:
            client = client_for(user if user.is_authenticated else None)
            url = lesson.get_absolute_url() if user.is_authenticated else lesson.get_public_url()
            status = client.get(url).status_code
            if lesson.pk in readable:
                assert status == 200, (user, lesson)
            elif user.is_authenticated and lesson.author_id != user.pk:
                assert status == 404, (user, lesson)


def test_the_lesson_predicate_agrees_with_the_reachable_queryset(demo, write_lesson):
    """get_lesson judges one lesson by `may_open_lesson`; lists and notifications by the
    queryset `_reachable_lessons`. For every reader and every kind of lesson, the same."""
    group = demo.digital_nations.working_groups.get(slug="digital-identity")
    ids = [
        write_lesson(author=author, title=f"Lesson {number}").pk
        for number, author in enumerate([demo.member, demo.group_member] * 4)
    ]
    places = [(demo.digital_nations, None), (demo.digital_nations, group), (demo.dpi, None)]
    kinds = [
        (state, audience, hidden, place)
        for state in Lesson.State.values
        for audience in Audience.values
        for hidden in (False, True)
        for place in places
        if audience != Audience.GROUP or place[1] is not None  # a group's audience needs one
    ]
    readers = [AnonymousUser(), *User.objects.all()]
    for start in range(0, len(kinds), len(ids)):
        for pk, (state, audience, hidden, (network, in_group)) in zip(
            ids, kinds[start:], strict=False
        ):
            Lesson.objects.filter(pk=pk).update(
                state=state,
                audience=audience,
                is_hidden=hidden,
                network=network,
                working_group=in_group,
            )
        lessons = list(Lesson.objects.filter(pk__in=ids))
        for reader in readers:
            by_queryset = set(_reachable_lessons(reader).filter(pk__in=ids).values_list("pk"))
            by_predicate = {(x.pk,) for x in lessons if lesson_access.may_open_lesson(reader, x)}
            assert by_predicate == by_queryset, reader


def test_suspension_takes_effect_on_the_next_request(demo, write_lesson):
    lesson = write_lesson(author=demo.group_member)
    client = client_for(demo.member)
    assert client.get(lesson.get_absolute_url()).status_code == 200
    demo.member.memberships.update(state="suspended")
    assert client.get(lesson.get_absolute_url()).status_code == 404
    assert client.get(reverse("lessons:network_list", args=["digital-nations"])).status_code == 404


def test_outsider_sees_counts_not_endorsers(demo, write_lesson):
    from lessons import services

    lesson = write_lesson(author=demo.group_member, audience="all_networks")
    services.endorsement_toggle(
        acting_user=demo.member, lesson=lesson, kind="applied", note="We used it in Montevideo."
    )
    inside = client_for(demo.moderator).get(lesson.get_absolute_url()).content.decode()
    outside = client_for(demo.outsider).get(lesson.get_absolute_url()).content.decode()
    assert "Lucía Pérez" in inside
    assert "Montevideo" in inside
    assert "applied by 1 government" in outside
    assert "Lucía" not in outside
    assert "Montevideo" not in outside
    assert "discussion of this lesson is private" in outside
