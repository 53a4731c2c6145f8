"""The lesson page's remembered parts (lessons.views.lesson_detail, _lesson_shared.html): served
only to readers with the same view of the platform, never with another reader's own links, and
rendered again after any write to what they show."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from discussion import services as discussion
from discussion.models import Comment
from lessons.models import Attachment, Audience, AudienceRequest, Endorsement, Lesson
from networks.models import Country, User


def page_of(client, user, lesson, **params):
    client.force_login(user)
    return client.get(lesson.get_absolute_url(), params).content.decode()


def attach(lesson, uploader):
    return Attachment.objects.create(
        lesson=lesson,
        file="attachments/plan.pdf",
        original_name="rollout-plan.pdf",
        content_type="application/pdf",
        size=1234,
        uploaded_by=uploader,
    )


def edit_url(comment):
    return reverse("discussion:comment_edit", args=[comment.lesson_id, comment.pk])


def flag_url(comment):
    return reverse("moderation:comment_flag", args=[comment.lesson_id, comment.pk])


def test_the_same_view_shares_one_memory(client, demo, twin, comment):
    lesson = comment.lesson
    page_of(client, demo.member, lesson)
    client.force_login(twin)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(lesson.get_absolute_url()).content.decode()
    assert "Acme" in page
    assert not [q for q in captured.captured_queries if 'FROM "lessons_comment"' in q["sql"]]


def test_a_readers_own_links_are_never_shown_to_another(client, demo, twin, comment):
    lesson = comment.lesson  # Lucía's lesson, Min-jun's comment
    own = page_of(client, demo.group_member, lesson)
    assert edit_url(comment) in own
    assert flag_url(comment) not in own
    for reader in (demo.member, twin):
        page = page_of(client, reader, lesson)
        assert edit_url(comment) not in page
        assert flag_url(comment) in page
    assert edit_url(comment) in page_of(client, demo.group_member, lesson)
    # Mette comments too: the page everyone shares has her comment; her links are hers alone.
    hers = discussion.comment_create(acting_user=twin, lesson=lesson, body="Same here").comment
    shared = page_of(client, demo.member, lesson)
    assert "Same here" in shared
    assert edit_url(hers) not in shared
    page = page_of(client, twin, lesson)
    assert edit_url(hers) in page
    assert edit_url(comment) not in page
    assert flag_url(hers) not in page
    assert flag_url(comment) in page
    assert edit_url(hers) not in page_of(client, demo.member, lesson)


def test_a_remembered_page_is_never_served_to_a_reader_who_sees_less(client, demo, write_lesson):
    group = demo.digital_nations.working_groups.get(slug="digital-identity")
    write_lesson(author=demo.group_member, group=group, title="Consent, the group's notes")
    opened = write_lesson(
        author=demo.convenor, title="Consent in the tax portal", audience=Audience.ALL_NETWORKS
    )
    discussion.comment_create(acting_user=demo.group_member, lesson=opened, body="Ask Acme first.")
    Endorsement.objects.create(lesson=opened, user=demo.group_member, kind="applied", note="Ours")
    inside = page_of(client, demo.group_member, opened)
    assert "Consent, the group&#x27;s notes" in inside
    assert "Ask Acme first." in inside
    assert "Min-jun Kim" in inside
    member = page_of(client, demo.member, opened)
    assert "Consent, the group&#x27;s notes" not in member
    assert "Ask Acme first." in member
    outsider = page_of(client, demo.dpi_convenor, opened)  # another network: all networks read it
    assert "Consent in the tax portal" in outsider
    assert "Ask Acme first." not in outsider
    assert "Min-jun Kim" not in outsider
    assert "Consent, the group&#x27;s notes" not in outsider


def test_a_remembered_page_shows_each_change_at_once(client, demo, twin, write_lesson, comment):
    lesson = comment.lesson
    related = write_lesson(author=demo.convenor, title="Consent, the sequel")
    reader = demo.convenor
    assert "Consent, the sequel" in page_of(client, reader, lesson)
    Lesson.objects.filter(pk=related.pk).update(is_hidden=True)
    assert "Consent, the sequel" not in page_of(client, reader, lesson)
    Comment.objects.filter(pk=comment.pk).update(body="Our supplier **Globex** overcharged.")
    assert "Globex" in page_of(client, reader, lesson)
    User.objects.filter(pk=demo.group_member.pk).update(country=Country.objects.get(code="DK"))
    assert "Min-jun Kim</strong>, Denmark" in page_of(client, reader, lesson)
    Endorsement.objects.create(lesson=lesson, user=twin, kind="useful")
    assert "Mette Jensen — " in page_of(client, reader, lesson)
    attach(lesson, demo.member)
    assert "rollout-plan.pdf" in page_of(client, reader, lesson)
    AudienceRequest.objects.create(
        lesson=lesson, audience=Audience.PUBLIC, requested_by=demo.member
    )
    assert "A wider audience is asked for" in page_of(client, reader, lesson)
    Lesson.objects.filter(pk=lesson.pk).update(comments_locked=True)
    page = page_of(client, reader, lesson)
    assert "Comments on this lesson are closed." in page
    assert reverse("discussion:comment_reply", args=[lesson.pk, comment.pk]) not in page


def test_each_reader_gets_their_own_forms(client, demo, twin, comment):
    lesson = comment.lesson
    discussion.follow_set(acting_user=twin, lesson=lesson, following=True)
    discussion.follow_set(acting_user=demo.member, lesson=lesson, following=False)
    Endorsement.objects.create(lesson=lesson, user=twin, kind="useful")
    theirs = page_of(client, twin, lesson)
    mine = page_of(client, demo.member, lesson)  # the author: she may edit, not endorse
    assert "You follow this discussion" in theirs
    assert 'value="useful" id="kind-useful" checked' in theirs
    assert "You follow this discussion" not in mine
    assert reverse("lessons:edit", args=[lesson.pk]) in mine
    assert reverse("lessons:edit", args=[lesson.pk]) not in theirs
    again = page_of(client, twin, lesson)
    token = 'name="creation_token" value="'
    assert theirs.split(token)[1][:36] != again.split(token)[1][:36]  # a new comment each time


def test_attachments_are_listed_on_the_reading_page_and_removed_from_the_edit_page(
    client, demo, twin, write_lesson
):
    lesson = write_lesson(author=demo.member)
    attachment = attach(lesson, demo.member)
    remove = reverse("lessons:attachment_delete", args=[lesson.pk, attachment.pk])
    for reader in (twin, demo.member):
        page = page_of(client, reader, lesson)
        assert attachment.original_name in page
        assert remove not in page
    client.force_login(demo.member)
    assert remove in client.get(reverse("lessons:edit", args=[lesson.pk])).content.decode()
    client.force_login(twin)
    assert client.get(reverse("lessons:edit", args=[lesson.pk])).status_code in (403, 404)


def test_the_remembered_row_is_judged_for_each_reader(client, demo, twin, write_lesson):
    draft = write_lesson(author=demo.member, publish=False, title="Not yet")
    client.force_login(demo.member)
    assert client.get(draft.get_absolute_url()).status_code == 200
    client.force_login(twin)  # the same view of the platform, but not her draft
    assert client.get(draft.get_absolute_url()).status_code == 404
    lesson = write_lesson(author=demo.convenor)
    for reader in (demo.member, twin):
        client.force_login(reader)
        assert client.get(lesson.get_absolute_url()).status_code == 200
    Lesson.objects.filter(pk=lesson.pk).update(is_hidden=True)
    for reader in (demo.member, twin):
        client.force_login(reader)
        assert client.get(lesson.get_absolute_url()).status_code == 404


def test_a_readers_own_marks_change_at_once(client, demo, twin, comment):
    lesson = comment.lesson
    before = page_of(client, twin, lesson)
    assert "You follow this discussion" not in before
    assert 'id="kind-applied" checked' not in before
    discussion.follow_set(acting_user=twin, lesson=lesson, following=True)
    Endorsement.objects.create(lesson=lesson, user=twin, kind="applied")
    after = page_of(client, twin, lesson)
    assert "You follow this discussion" in after
    assert 'id="kind-applied" checked' in after
    discussion.follow_set(acting_user=twin, lesson=lesson, following=False)
    assert "You follow this discussion" not in page_of(client, twin, lesson)
